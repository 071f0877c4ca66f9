/**
 * The Content Manager as an editor meets it, in Chromium at 1440x900, in Italian: the performances
 * list (labels, start order, seats free), a performance with its seats panel, and a reservation's
 * edit view (contact details editable, the rest read-only, 'Annulla prenotazione' cancelling it
 * after a confirmation). Screenshots land in tests/artifacts/ (the README shows copies).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { freePort } from './support/processes';

const adminBuilt = existsSync(path.join(__dirname, '..', 'dist', 'build', 'index.html'));
const PERFORMANCE = 'plugin::booking.performance';
const RESERVATION = 'plugin::booking.reservation';

(adminBuilt ? describeInBrowser : describe.skip)('the booking types in the Content Manager', () => {
  let app: TestApp;
  let browser: Browser;
  let baseUrl: string;
  let page: Page;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = await startApp({ env: { PUBLIC_URL: baseUrl, BOOKING_RATE_LIMIT_PER_MINUTE: '0', BOOKING_SCHEDULED_JOBS: 'false' } });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    browser = await launchBrowser();
    const admin = await createAdmin(app.strapi);
    // The editor's language is the admin user's preference, as Strapi keeps it.
    await app.strapi.db.query('admin::user').update({ where: { id: admin.id }, data: { preferedLanguage: 'it' } });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'it-IT' });
    await page.goto(`${baseUrl}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(admin.email);
    await page.locator('input[name="password"]').fill('Secret-password-123');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/admin(\/)?$/, { timeout: 60_000 });
    await page.evaluate(() => window.localStorage.setItem('strapi-admin-language', 'it'));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('the performances list reads start, show, venue, booking and seats free, in start order', async () => {
    const later = await createPerformance(app.strapi, { room_capacity: 30, startsInHours: 24 * 40 });
    const sooner = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 24 * 30 });
    await confirmedReservation(app.strapi, sooner.documentId, 3);
    const soonerLabel = (await app.strapi.db.query(PERFORMANCE).findOne({ where: { id: sooner.id } })).label as string;
    const showTitle = soonerLabel.split(' · ')[0];

    await page.goto(`${baseUrl}/admin/content-manager/collection-types/${PERFORMANCE}`);
    const headers = page.locator('thead');
    await headers.getByText('Posti liberi').waitFor({ timeout: 30_000 });
    for (const header of ['Inizio', 'Spettacolo', 'Sala', 'Prenotazioni aperte']) {
      await headers.getByText(header, { exact: true }).waitFor();
    }
    const soonerRow = page.locator('tbody tr').filter({ hasText: showTitle });
    await soonerRow.getByText('17', { exact: true }).waitFor({ timeout: 15_000 }); // 20 - 3 confirmed
    const rows = await page.locator('tbody tr').allInnerTexts();
    const laterTitle = ((await app.strapi.db.query(PERFORMANCE).findOne({ where: { id: later.id } })).label as string).split(' · ')[0];
    expect(rows.findIndex((text) => text.includes(showTitle))).toBeLessThan(rows.findIndex((text) => text.includes(laterTitle)));
    await page.screenshot({ path: artifact('cm-performances-list.png') });
  });

  test('a performance is titled by its label and shows its seats beside the form', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 40 });
    await confirmedReservation(app.strapi, perf.documentId, 4);
    const label = (await app.strapi.db.query(PERFORMANCE).findOne({ where: { id: perf.id } })).label as string;

    await page.goto(`${baseUrl}/admin/content-manager/collection-types/${PERFORMANCE}/${perf.documentId}`);
    await page.getByRole('heading', { name: label }).waitFor({ timeout: 30_000 });
    const panel = page.getByTestId('performance-seats');
    await panel.waitFor({ timeout: 15_000 });
    await panel.getByText('36', { exact: true }).waitFor({ timeout: 15_000 }); // free: 40 - 4
    await panel.getByText('Confermati').waitFor();
    await panel.getByText("Tenuti per la lista d'attesa").waitFor();
    await panel.getByRole('link', { name: "Lista all'ingresso" }).waitFor();
    await page.getByText('Posti in sala').first().waitFor();
    await page.getByText('I posti della sala per questa replica.').waitFor();
    await page.screenshot({ path: artifact('cm-performance-seats.png') });
  });

  test("a reservation's form lets the contact details change, the rest is read-only, and it cancels by its action", async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const { reservation } = await confirmedReservation(app.strapi, perf.documentId, 2);
    const stored = await app.strapi.db.query(RESERVATION).findOne({ where: { id: reservation.id } });

    await page.goto(`${baseUrl}/admin/content-manager/collection-types/${RESERVATION}/${reservation.documentId}`);
    await page.getByRole('heading', { name: stored.label }).waitFor({ timeout: 30_000 });
    expect(await page.locator('input[name="name"]').isEditable()).toBe(true);
    expect(await page.locator('input[name="email"]').isEditable()).toBe(true);
    expect(await page.locator('input[name="reference"]').isEditable()).toBe(false);
    expect(await page.locator('input[name="party_size"]').isEditable()).toBe(false);
    expect(await page.locator('input[name="tokens"]').count()).toBe(0);
    await page.getByText('Confermata').first().waitFor();
    await page.screenshot({ path: artifact('cm-reservation-edit.png') });

    await page.getByRole('button', { name: 'Annulla prenotazione' }).click();
    await page.getByRole('alertdialog').getByText(stored.reference).waitFor();
    await page.screenshot({ path: artifact('cm-reservation-cancel-dialog.png') });
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: /Conferma/ })
      .click();
    const statusNow = async () =>
      (await app.strapi.db.query(RESERVATION).findOne({ where: { id: reservation.id } })).reservation_status as string;
    for (let tries = 0; tries < 50 && (await statusNow()) !== 'cancelled'; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(await statusNow()).toBe('cancelled');
  });
});
