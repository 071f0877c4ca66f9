/**
 * The door list on paper and the box office on a phone, in Debian's Chromium (issue 15): the
 * printable list of 45 parties printed to A4 is one page, with the performance and the print time
 * on top and a box per party; the box-office page at 390 x 844 books a party and shows the
 * reference to read out. Screenshots (and the PDF) go to tests/artifacts/. Needs the admin build.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance, type PerformanceFixture } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { freePort } from './support/processes';

const adminBuilt = existsSync(path.join(__dirname, '..', 'dist', 'build', 'index.html'));
const maybe = adminBuilt ? describeInBrowser : describe.skip;

let app: TestApp;
let browser: Browser;
let baseUrl: string;

const FIRST = ['Anna', 'Bruno', 'Carla', 'Dario', 'Elena', 'Fabio', 'Giulia', 'Ivo', 'Laura'];
const LAST = ['Rossi', 'Bianchi', 'Verdi', 'Esposito', 'Ricci'];

const logIn = async (page: Page, email: string) => {
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill('Secret-password-123');
  await page.locator('button[type="submit"]').click();
  await page.waitForURL(/\/admin(\/)?$/, { timeout: 60_000 });
};

maybe('the door list and the box office in the admin panel', () => {
  let perf: PerformanceFixture;
  let doorStaff: { id: number; email: string };
  let clerk: { id: number; email: string };

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = await startApp({ env: { PUBLIC_URL: baseUrl, BOOKING_RATE_LIMIT_PER_MINUTE: '0', BOOKING_SCHEDULED_JOBS: 'false' } });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    doorStaff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo', preferedLanguage: 'en' });
    clerk = await createAdmin(app.strapi, { roleCode: 'booking-box-office', firstname: 'Bruna', preferedLanguage: 'en' });
    perf = await createPerformance(app.strapi, { room_capacity: 120, startsInHours: 1 });
    const boxOffice = app.strapi.plugin('booking').service('box-office');
    for (let i = 0; i < 45; i += 1) {
      await boxOffice.book(perf.documentId, {
        name: `${FIRST[i % FIRST.length]} ${LAST[i % LAST.length]} ${String.fromCharCode(65 + (i % 26))}.`,
        party_size: (i % 3) + 1,
        ...(i % 10 === 0 ? { access_needs: ['wheelchair'] } : {}),
      });
    }
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('the printable door list: 45 parties on one A4 page, performance and print time on top, a box per party; one tap checks in', async () => {
    const page = await browser.newPage({ viewport: { width: 794, height: 1123 }, locale: 'en-GB' });
    await logIn(page, doorStaff.email);
    await page.goto(`${baseUrl}/admin/plugins/booking/door-list?performance=${perf.documentId}`);
    const rows = page.locator('[data-testid="door-list-table"] tbody tr');
    await rows.nth(44).waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(45);
    await expect(page.getByTestId('door-list-performance').textContent()).resolves.toMatch(/Spettacolo .* · .* · Teatro/);
    await expect(page.getByTestId('door-list-printed-at').textContent()).resolves.toMatch(/^Printed /);
    expect(await page.locator('[data-testid="door-list-table"] tbody .tick').count()).toBe(45);

    // One tap on the first party's button checks it in; its box shows the tick.
    const first = rows.first();
    const reference = await first.getAttribute('data-reference');
    await first.getByTestId('tap-check-in').click();
    await page.getByTestId('door-list-answer').and(page.locator('[data-result="ok"]')).waitFor({ timeout: 10_000 });
    const row = page.locator(`[data-testid="door-list-table"] tbody tr[data-reference="${reference}"]`);
    await row.locator('.tick', { hasText: '✓' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="door-list-table"] tbody .tick', { hasText: '✓' }).count()).toBe(1);
    const checkIn = await app.strapi.db.query('plugin::booking.check-in').findOne({ where: { reservation: { reference } } });
    expect(checkIn?.source).toBe('manual');
    await page.screenshot({ path: artifact('door-list-screen.png'), fullPage: true });

    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: artifact('door-list-print.png'), fullPage: false });
    // Nothing of the admin's chrome on paper: the menu is hidden, the list visible.
    expect(
      await page
        .locator('nav')
        .first()
        .evaluate((el) => getComputedStyle(el).visibility)
    ).toBe('hidden');
    expect(await page.locator('#door-list-print').evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    const pdf = await page.pdf({ format: 'A4', printBackground: false, preferCSSPageSize: true });
    writeFileSync(artifact('door-list.pdf'), pdf);
    const pages = (readFileSync(artifact('door-list.pdf'), 'latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    expect(pages).toBe(1);
    await page.close();
  });

  test('the door overview at phone size: the four counts, the chart, the downloads one click away, scans that fit, a ticket let in twice', async () => {
    const page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
      acceptDownloads: true,
    });
    // A scan to list, whatever ran before.
    const last = (await app.strapi.plugin('booking').service('door-list').entries(perf.documentId)).at(-1);
    await app.strapi
      .plugin('booking')
      .service('door')
      .checkInTicket({
        reference: last.reference,
        performance: perf.documentId,
        source: 'manual',
        staff: { id: doorStaff.id },
      });
    // A second door admitted the same party with no network, and uploads it now: let in twice.
    const offlineAt = new Date(Date.now() - 60_000);
    await app.strapi
      .plugin('booking')
      .service('door')
      .checkInTicket({
        reference: last.reference,
        performance: perf.documentId,
        source: 'manual',
        idempotencyKey: 'browser-door-offline-1',
        offline: { scannedAt: offlineAt },
        staff: { id: clerk.id },
      });
    await logIn(page, doorStaff.email);
    await page.goto(`${baseUrl}/admin/plugins/booking/overview?performance=${perf.documentId}`);
    await page.getByTestId('confirmations-chart').locator('canvas').waitFor({ timeout: 30_000 });
    const figure = async (id: string) => (await page.getByTestId(id).locator('p').textContent())?.trim();
    await page.getByTestId('overview.confirmed').locator('p', { hasText: '90' }).waitFor({ timeout: 15_000 });
    expect([await figure('overview.confirmed'), await figure('overview.held'), await figure('overview.available')]).toEqual([
      '90',
      '0',
      '30',
    ]);
    await page.getByTestId('recent-scans').locator('li').first().waitFor({ timeout: 15_000 });
    // The overview names the ticket let in twice, with both staff members.
    const conflicts = page.getByTestId('offline-conflicts');
    await conflicts.locator('li').first().waitFor({ timeout: 15_000 });
    expect(await conflicts.locator('li').count()).toBe(1);
    const line = (await conflicts.locator('li').first().textContent()) ?? '';
    expect(line).toContain(last.reference);
    expect(line).toMatch(/checked in at .* by Paolo R\.; admitted again offline at .* by Bruna R\./);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('response', (res) => res.url().includes('format=csv') && problems.push(`csv ${res.status()}`));
    page.on('pageerror', (error) => problems.push(`pageerror ${error.message}`));
    // Door staff may not book: no box-office button.
    await page.getByTestId('download-csv').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('door-list-actions').getByText('Box office').count()).toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 10_000 }),
      page.getByTestId('download-csv').click(),
    ]).catch((error) => {
      throw new Error(`${error}: ${problems.join(' | ')}`);
    });
    // Named by the server after the show and its start (Europe/Rome, BOOKING_TIMEZONE's default).
    const local = new Date(perf.startsAt).toLocaleString('sv-SE', { timeZone: 'Europe/Rome' });
    expect(download.suggestedFilename()).toBe(
      `${perf.showSlug}-${local.slice(0, 10)}-${local.slice(11, 13)}${local.slice(14, 16)}-door-list.csv`
    );
    const csv = readFileSync((await download.path()) as string, 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(46);
    await page.screenshot({ path: artifact('door-overview.png'), fullPage: true });
    await page.close();
  });

  test('the box-office page at phone size books a party and shows the reference to read out', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB' });
    await logIn(page, clerk.email);
    await page.goto(`${baseUrl}/admin/plugins/booking/box-office?performance=${perf.documentId}`);
    await page.getByLabel('Name').fill('Maria Grazia Neri');
    await page.getByLabel('Seats').fill('4');
    await page.getByRole('checkbox', { name: 'Wheelchair' }).click();
    await page.screenshot({ path: artifact('box-office-form.png'), fullPage: true });
    await page.getByTestId('box-office-submit').click();
    const shown = page.getByTestId('box-office-reference');
    await shown.waitFor({ timeout: 15_000 });
    const reference = (await shown.textContent())?.trim() ?? '';
    expect(reference).toMatch(/^[A-Z2-9]{8}$/);
    const row = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference } });
    expect(row).toMatchObject({
      name: 'Maria Grazia Neri',
      party_size: 4,
      source: 'box_office',
      reservation_status: 'confirmed',
      access_needs: ['wheelchair'],
    });
    // Nothing runs off the side of a phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: artifact('box-office-booked.png'), fullPage: true });

    // Too many seats: the page says how many are left, and nothing is booked.
    await page.getByLabel('Name').fill('Scuola Media');
    await page.getByLabel('Seats').fill('500');
    await page.getByTestId('box-office-submit').click();
    const problem = page.getByTestId('box-office-problem');
    await problem.waitFor({ timeout: 15_000 });
    expect(await problem.getAttribute('data-code')).toBe('sold_out');
    await expect(problem.textContent()).resolves.toMatch(/Not enough seats: \d+ left\./);
    await page.close();
  });
});

if (!adminBuilt) {
  test.skip('the door list and the box office (admin panel not built: run `npx strapi build`)', () => undefined);
}
