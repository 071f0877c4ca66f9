/**
 * Issue 22 in Chromium at 1440x900, in Italian: a performance's *Annulla replica* in the Content
 * Manager (the dialog says how many people will be written to, takes a message, and cancels), the
 * mails read off a real SMTP server, and the demo show page listing the cancelled performance
 * struck through as *Annullata*. Screenshots land in tests/artifacts/ (the README shows copies
 * from docs/screenshots/).
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { freePort } from './support/processes';
import { startSmtpSink, type SmtpSink } from './support/smtp';

const adminBuilt = existsSync(path.join(__dirname, '..', 'dist', 'build', 'index.html'));
const PERFORMANCE = 'plugin::booking.performance';

(adminBuilt ? describeInBrowser : describe.skip)('cancelling a performance in the Content Manager', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let baseUrl: string;
  let siteUrl: string;
  let site: Server;
  let page: Page;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const [port, sitePort] = [await freePort(), await freePort()];
    baseUrl = `http://localhost:${port}`;
    siteUrl = `http://127.0.0.1:${sitePort}`;
    // The company's site on another origin, holding the widget.
    site = createServer((req, res) => {
      const show = new URL(req.url ?? '/', siteUrl).searchParams.get('show') ?? '';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html lang="it"><head><meta charset="utf-8"><title>Compagnia</title></head><body><main>
<script type="module" src="${baseUrl}/site/widget.js"></script>
<azionelab-booking show="${show}" lang="it"></azionelab-booking></main></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(sitePort, '127.0.0.1', resolve));
    app = await startApp({
      env: {
        PUBLIC_URL: baseUrl,
        BOOKING_ALLOWED_ORIGINS: siteUrl,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        BOOKING_RATE_LIMIT_PER_MINUTE: '0',
        BOOKING_PENDING_PER_EMAIL: '0',
        BOOKING_SCHEDULED_JOBS: 'false',
      },
    });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    browser = await launchBrowser();
    const admin = await createAdmin(app.strapi, { roleCode: 'strapi-editor', preferedLanguage: 'it' });
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
    await smtp?.stop();
    await new Promise((resolve) => site?.close(resolve));
  });

  test('an editor cancels with a message after seeing how many people will be written to; the site then shows it struck through', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 2 });
    await confirmedReservation(app.strapi, perf.documentId, 1);
    const second = await app.strapi.plugin('booking').service('reservations').createReservation({
      performance: perf.documentId,
      name: 'Second Holder',
      email: 'second.holder@example.test',
      party_size: 1,
      locale: 'en',
    });
    expect((await app.strapi.plugin('booking').service('reservations').confirmReservation(second.confirmationToken)).ok).toBe(true);
    const joined = await app.strapi.plugin('booking').service('waitlist').join({
      performance: perf.documentId,
      name: 'In Attesa',
      email: 'in.attesa@example.test',
      party_size: 1,
    });
    expect((await app.strapi.plugin('booking').service('waitlist').confirm(joined.confirmationToken)).ok).toBe(true);
    const label = (await app.strapi.db.query(PERFORMANCE).findOne({ where: { id: perf.id } })).label as string;

    await page.goto(`${baseUrl}/admin/content-manager/collection-types/${PERFORMANCE}/${perf.documentId}`);
    await page.getByRole('heading', { name: label }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Annulla replica' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('Annullare questa replica?').waitFor();
    await dialog.getByText("Riceveranno un'e-mail 3 persone: 2 con biglietto, 1 in lista d'attesa.").waitFor({ timeout: 15_000 });
    await dialog.locator('textarea').fill('La sala è allagata: ci scusiamo. Vi scriveremo per le nuove date.');
    await page.screenshot({ path: artifact('cm-performance-cancel-dialog.png') });
    await dialog.getByRole('button', { name: /Conferma/ }).click();

    const cancelledAt = async () =>
      (await app.strapi.db.query(PERFORMANCE).findOne({ where: { id: perf.id } })).cancelled_at as string | null;
    for (let tries = 0; tries < 50 && !(await cancelledAt()); tries += 1) await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await cancelledAt()).not.toBeNull();
    const mail = await smtp.waitFor((m) => (m.subject ?? '') === `Performance cancelled: ${perf.showTitle}`, 15_000);
    expect(mail.text).toContain('La sala è allagata');
    await smtp.waitFor((m) => smtp.to('in.attesa@example.test').includes(m) && (m.subject ?? '').startsWith('Replica annullata'), 15_000);

    // After the reload the action says it is done and cannot be pressed again; the date is shown.
    await page.getByRole('button', { name: 'Replica annullata' }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'Replica annullata' }).isDisabled()).toBe(true);
    await page.screenshot({ path: artifact('cm-performance-cancelled.png') });

    // The demo show page: listed until its date, struck through, "Annullata", not bookable.
    await page.goto(`${baseUrl}/site/show/?slug=${perf.showSlug}`);
    const card = page.locator(`article[data-status="cancelled"]`);
    await card.waitFor({ timeout: 15_000 });
    await card.getByText('Annullata', { exact: true }).waitFor();
    expect(await card.locator('s').count()).toBe(1);
    expect(await card.getByRole('link', { name: 'Prenota' }).count()).toBe(0);
    await page.screenshot({ path: artifact('site-performance-cancelled.png') });

    // The widget: the cancelled performance listed, struck through, not to be chosen; the other one chosen.
    const show = await app.strapi.db.query('plugin::booking.show').findOne({ where: { slug: perf.showSlug } });
    const venue = await app.strapi.db.query('plugin::booking.venue').findOne({ where: { slug: perf.venueSlug } });
    await app.strapi.db.query(PERFORMANCE).create({
      data: { show: show.id, venue: venue.id, starts_at: new Date(Date.now() + 96 * 3600_000), room_capacity: 10 },
    });
    await page.goto(`${siteUrl}/?show=${perf.showSlug}`);
    const cancelledChoice = page.locator('azionelab-booking .perf[data-status="cancelled"]');
    await cancelledChoice.waitFor({ timeout: 15_000 });
    await cancelledChoice.getByText('Annullata').waitFor();
    expect(await cancelledChoice.locator('s').count()).toBe(1);
    expect(await cancelledChoice.locator('input[type="radio"]').isDisabled()).toBe(true);
    expect(await page.locator('azionelab-booking .perf[data-status="scheduled"] input[type="radio"]').isChecked()).toBe(true);
    await page.screenshot({ path: artifact('widget-performance-cancelled.png') });
  });
});
