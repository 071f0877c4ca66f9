/**
 * The staff side of issue 19's walk, in Debian's Chromium: a new user's panel is Italian whatever
 * the browser says; door staff land on the scanner, first in the menu at the others' size; the
 * seats panel's links open the performance they name (12 days out), an unknown one is said; the
 * box office reached from the overview keeps that performance, shows the seats left and puts its
 * errors on the fields; the door list at 390 px keeps "Fai entrare" on screen and one tap checks
 * in; a new show's slug follows its title. Screenshots go to docs/screenshots/ (the README shows
 * them). Needs the admin build (`npx strapi build`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance, type PerformanceFixture } from './support/factories';
import { describeInBrowser, launchBrowser } from './support/browser';
import { freePort } from './support/processes';

const adminBuilt = existsSync(path.join(__dirname, '..', 'dist', 'build', 'index.html'));
const maybe = adminBuilt ? describeInBrowser : describe.skip;
const SCREENSHOTS = path.join(__dirname, '..', 'docs', 'screenshots');
const shot = (name: string) => path.join(SCREENSHOTS, name);
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB' };
const DESK: BrowserContextOptions = { viewport: { width: 1440, height: 900 }, locale: 'en-GB' };

let app: TestApp;
let browser: Browser;
let baseUrl: string;

/** Logs in; the panel then opens its home, or (door staff) the scanner. */
const logIn = async (page: Page, email: string) => {
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill('Secret-password-123');
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 60_000 });
};

const labelOf = async (perf: PerformanceFixture) =>
  (await app.strapi.db.query('plugin::booking.performance').findOne({ where: { id: perf.id }, select: ['label'] })).label as string;

maybe('the staff side of the walk (issue 19)', () => {
  let tonight: PerformanceFixture;
  let later: PerformanceFixture;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = await startApp({ env: { PUBLIC_URL: baseUrl, BOOKING_RATE_LIMIT_PER_MINUTE: '0', BOOKING_SCHEDULED_JOBS: 'false' } });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    tonight = await createPerformance(app.strapi, { room_capacity: 60, startsInHours: 1 });
    later = await createPerformance(app.strapi, { room_capacity: 80, startsInHours: 12 * 24 });
    const boxOffice = service(app.strapi, 'box-office');
    const names = ['Anna Rossi', 'Bruno Bianchi', 'Carla Verdi', 'Dario Esposito', 'Elena Ricci', 'Fabio Romano'];
    for (const [i, name] of names.entries()) {
      await boxOffice.book(tonight.documentId, {
        name: `${name} con un nome davvero lungo`,
        party_size: (i % 3) + 1,
        ...(i % 2 === 0 ? { access_needs: ['wheelchair', 'hearing'] } : {}),
      });
    }
    await confirmedReservation(app.strapi, later.documentId, 5);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('a new door-staff user with an English browser: Italian screens, lands on the scanner, first in the menu, its icon the size of the others', async () => {
    const staff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Nuovo' });
    const page = await browser.newPage({ ...DESK, viewport: { width: 1280, height: 800 } });
    await logIn(page, staff.email);
    await page.waitForURL(/\/admin\/plugins\/booking(\?|$)/, { timeout: 30_000 });
    await page.getByText('Scansiona i biglietti alla porta').waitFor({ timeout: 30_000 });
    await page.getByTestId('chosen-performance').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('chosen-performance').textContent()).toContain(await labelOf(tonight).then((l) => l.split(' · ')[0]));
    // The menu: Home, then the door's pages.
    const links = await page.locator('nav a[href^="/admin"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    const menu = links.filter((href) => href !== null && href !== '/admin/me' && !href.startsWith('/admin/settings'));
    expect(menu.slice(0, 2)).toEqual(['/admin', '/admin/plugins/booking']);
    const size = async (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => el.getBoundingClientRect().width);
    expect(await size('nav a[href="/admin/plugins/booking"] svg')).toBe(await size('nav a[href="/admin"] svg'));
    await page.screenshot({ path: shot('scanner-italian.png') });
    // Home stays reachable (once landed, the tab stays there), with the door widget on it.
    await page.locator('nav a[href="/admin"]').first().click();
    await page.getByTestId('door-widget').waitFor({ timeout: 30_000 });
    expect(page.url()).toMatch(/\/admin\/?$/);
    await page.close();
  });

  test("the seats panel's links open the performance they name; an unknown one is said, not replaced", async () => {
    const editor = await createAdmin(app.strapi);
    const page = await browser.newPage(DESK);
    await logIn(page, editor.email);
    const label = await labelOf(later);
    const title = label.split(' · ')[0];
    const editView = `${baseUrl}/admin/content-manager/collection-types/plugin::booking.performance/${later.documentId}`;

    await page.goto(editView);
    await page.getByRole('link', { name: 'Riepilogo ingresso' }).click();
    await page.waitForURL(new RegExp(`/admin/plugins/booking/overview\\?performance=${later.documentId}`));
    await page.getByTestId('chosen-performance').getByText(title, { exact: false }).waitFor({ timeout: 30_000 });
    await page.getByTestId('overview.confirmed').locator('p', { hasText: '5' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('confirmations-chart').locator('canvas').waitFor({ timeout: 15_000 });
    await page.screenshot({ path: shot('door-overview-chart.png'), fullPage: true });

    await page.goto(editView);
    await page.getByRole('link', { name: "Lista all'ingresso" }).click();
    await page.waitForURL(new RegExp(`/admin/plugins/booking/door-list\\?performance=${later.documentId}`));
    await expect(page.getByTestId('door-list-performance').textContent()).resolves.toContain(title);

    // A performance that is not in the season: said, and no other evening shown in its place.
    await page.goto(`${baseUrl}/admin/plugins/booking/overview?performance=nosuchperformance`);
    await page.getByTestId('unknown-performance').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('unknown-performance').textContent()).toContain('nosuchperformance');
    expect(await page.getByTestId('chosen-performance').count()).toBe(0);

    // The picker searches the season: part of the title finds the evening 12 days out.
    await page.getByRole('combobox').click();
    await page.getByRole('combobox').pressSequentially(title.slice(-6), { delay: 30 });
    await page.getByRole('option', { name: new RegExp(title) }).click();
    await page.waitForURL(new RegExp(`performance=${later.documentId}`));
    await page.getByTestId('chosen-performance').getByText(title, { exact: false }).waitFor({ timeout: 15_000 });
    await page.close();
  });

  test('the box office reached from the overview keeps the performance, says the seats left, and puts its errors on the fields', async () => {
    const clerk = await createAdmin(app.strapi, { roleCode: 'booking-box-office', firstname: 'Bruna' });
    const page = await browser.newPage(PHONE);
    await logIn(page, clerk.email);
    await page.goto(`${baseUrl}/admin/plugins/booking/overview?performance=${later.documentId}`);
    await page.getByTestId('box-office-link').click();
    await page.waitForURL(new RegExp(`/admin/plugins/booking/box-office\\?performance=${later.documentId}`));
    const left = page.getByTestId('box-office-seats-left');
    await left.waitFor({ timeout: 30_000 });
    expect(await left.getAttribute('data-seats')).toBe('75'); // 80 - 5
    await expect(left.textContent()).resolves.toBe('75 posti liberi');

    await page.getByLabel('Nome').fill('mario@example.test');
    await page.getByTestId('box-office-submit').click();
    const problem = page.getByTestId('box-office-problem');
    await problem.waitFor({ timeout: 15_000 });
    await expect(problem.textContent()).resolves.toContain('Controlla i campi segnati in rosso.');
    expect(await problem.textContent()).not.toMatch(/name/);
    await page.getByText('Scrivi il nome che il gruppo darà all', { exact: false }).waitFor();
    expect(await page.getByLabel('Nome').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: shot('box-office-field-error.png'), fullPage: true });

    await page.getByLabel('Nome').fill('Mario Neri');
    await page.getByLabel('Posti').fill('3');
    await page.getByTestId('box-office-submit').click();
    const reference = ((await page.getByTestId('box-office-reference').textContent({ timeout: 15_000 })) ?? '').trim();
    const row = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference }, populate: { performance: true } });
    expect(row.performance.documentId).toBe(later.documentId);
    await page.getByTestId('box-office-seats-left').and(page.locator('[data-seats="72"]')).waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: shot('box-office-booked.png'), fullPage: true });
    await page.close();
  });

  test('the door list at 390 px: every "Fai entrare" on screen, the needs in words, one tap checks in', async () => {
    const staff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo' });
    const page = await browser.newPage(PHONE);
    await logIn(page, staff.email);
    await page.goto(`${baseUrl}/admin/plugins/booking/door-list?performance=${tonight.documentId}`);
    const buttons = page.getByRole('button', { name: 'Fai entrare' });
    await buttons.nth(5).waitFor({ timeout: 30_000 });
    expect(await buttons.count()).toBe(6);
    for (const box of await buttons.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect))) {
      expect([box.left >= 0, box.right <= 390, box.width >= 100]).toEqual([true, true, true]);
    }
    const needs = page.getByTestId('access-needs').first();
    await expect(needs.textContent()).resolves.toContain('Sedia a rotelle');
    expect(await needs.evaluate((el) => el.getBoundingClientRect().right)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: shot('door-list-phone.png'), fullPage: true });

    const first = page.locator('[data-testid="door-list-table"] tbody tr').first();
    const reference = await first.getAttribute('data-reference');
    await first.getByRole('button', { name: 'Fai entrare' }).tap();
    await page.getByTestId('door-list-answer').and(page.locator('[data-result="ok"]')).waitFor({ timeout: 15_000 });
    const checkIn = await app.strapi.db.query('plugin::booking.check-in').findOne({ where: { reservation: { reference } } });
    expect(checkIn?.source).toBe('manual');
    await page.close();
  });

  test("a reservation in the Content Manager: its access needs in words, 'Reinvia biglietto' queues the ticket; the list's 'Creata il' whole at 1440 px", async () => {
    const editor = await createAdmin(app.strapi);
    const booked = await service(app.strapi, 'box-office').book(later.documentId, {
      name: 'Gina Blu',
      email: 'gina@example.test',
      party_size: 2,
      access_needs: ['sight'],
      send_ticket: false,
    });
    if (!booked.ok) throw new Error(booked.code);
    const row = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { id: booked.reservation.id } });
    const page = await browser.newPage(DESK);
    await logIn(page, editor.email);

    await page.goto(`${baseUrl}/admin/content-manager/collection-types/plugin::booking.reservation?page=1&pageSize=10&sort=createdAt:DESC`);
    const created = page.locator('thead th').filter({ hasText: 'Creata il' });
    await created.waitFor({ timeout: 30_000 });
    await page.locator('tbody tr').filter({ hasText: 'Gina Blu' }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: shot('cm-reservations-list.png') });
    // The header's words on screen, inside the list's box (the row actions' column may scroll).
    const right = await created.getByText('Creata il').evaluate((el) => el.getBoundingClientRect().right);
    const boxRight = await page
      .locator('table')
      .first()
      .evaluate((table) => table.parentElement?.getBoundingClientRect().right ?? 0);
    expect([right <= boxRight, right <= 1440]).toEqual([true, true]);
    // The performance in short (no venue, no year), the whole label on hover.
    const shortLabel = page.locator('tbody tr').filter({ hasText: 'Gina Blu' }).locator('span[title]').last();
    expect(await shortLabel.getAttribute('title')).toBe(await labelOf(later));
    expect(await shortLabel.textContent()).not.toContain('Teatro');

    await page.goto(`${baseUrl}/admin/content-manager/collection-types/plugin::booking.reservation/${row.documentId}`);
    await expect(page.getByTestId('reservation-access-needs').textContent({ timeout: 30_000 })).resolves.toContain('Vista');
    expect(await page.locator('.cm-editor, [class*="CodeMirror"]').count()).toBe(0);
    // Beside Save: Cancel (browser-editors.test.ts); Resend in the "..." menu.
    await page.getByRole('button', { name: /More document actions|Altre azioni/ }).click();
    await page.getByRole('menuitem', { name: 'Reinvia biglietto' }).click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: /Conferma|Confirm/ })
      .click();
    await page.getByText('Il biglietto è in viaggio.').waitFor({ timeout: 15_000 });
    const owed = await app.strapi.db
      .query('plugin::booking.outbox-message')
      .findMany({ where: { reservation: { id: booked.reservation.id } }, select: ['kind'] });
    expect(owed.map((m: { kind: string }) => m.kind)).toEqual(['resend']);
    await page.screenshot({ path: shot('cm-reservation-edit.png') });
    await page.close();
  });

  test("a new show's slug follows its title while it is typed, until the editor writes one", async () => {
    const editor = await createAdmin(app.strapi);
    const page = await browser.newPage(DESK);
    await logIn(page, editor.email);
    await page.goto(`${baseUrl}/admin/content-manager/collection-types/plugin::booking.show/create`);
    const title = page.locator('input[name="title"]');
    const slug = page.locator('input[name="slug"]');
    await title.waitFor({ timeout: 30_000 });
    await title.pressSequentially('Il giardino dei ciliegi', { delay: 20 });
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('input[name="slug"]')?.value === 'il-giardino-dei-ciliegi',
      null,
      {
        timeout: 15_000,
      }
    );
    await page.locator('input[name="duration_minutes"]').waitFor();
    await page.screenshot({ path: shot('cm-show-new.png') });
    // The editor's own slug stays when the title changes again.
    await slug.fill('ciliegi');
    await title.fill('Il giardino dei ciliegi (ripresa)');
    await page.waitForTimeout(1200);
    expect(await slug.inputValue()).toBe('ciliegi');
    await page.close();
  });
});

if (!adminBuilt) {
  test.skip('the staff side of the walk (admin panel not built: run `npx strapi build`)', () => undefined);
}
