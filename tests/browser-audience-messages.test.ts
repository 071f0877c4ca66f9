/**
 * The door overview's "Write to the audience" form in Debian's Chromium (issue 22): a box-office
 * clerk sees the recipients and their count, previews the mail, sends it, and the visitors' mails
 * arrive at a real SMTP server; the form says so, and the message is listed. Door staff, who may
 * not write, see no form. Screenshots go to docs/screenshots/ (the README shows them). Needs the
 * admin build.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, service, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance, type PerformanceFixture } from './support/factories';
import { describeInBrowser, launchBrowser } from './support/browser';
import { freePort } from './support/processes';
import { startSmtpSink, type SmtpSink } from './support/smtp';

const adminBuilt = existsSync(path.join(__dirname, '..', 'dist', 'build', 'index.html'));
const maybe = adminBuilt ? describeInBrowser : describe.skip;
const SCREENSHOTS = path.join(__dirname, '..', 'docs', 'screenshots');

let app: TestApp;
let smtp: SmtpSink;
let browser: Browser;
let baseUrl: string;

const logIn = async (page: Page, email: string) => {
  await page.goto(`${baseUrl}/admin/auth/login`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill('Secret-password-123');
  await page.locator('button[type="submit"]').click();
  // Box office lands on the home page, door staff on the scanner: away from the login form.
  await page.waitForURL((url) => !url.pathname.includes('/auth/'), { timeout: 60_000 });
};

maybe('writing to the audience from the door overview', () => {
  let perf: PerformanceFixture;
  let clerk: { email: string };
  let doorStaff: { email: string };
  const holders: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    smtp = await startSmtpSink();
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = await startApp({
      env: {
        PUBLIC_URL: baseUrl,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        BOOKING_RATE_LIMIT_PER_MINUTE: '0',
        BOOKING_PENDING_PER_EMAIL: '0',
        BOOKING_SCHEDULED_JOBS: 'false',
      },
    });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    clerk = await createAdmin(app.strapi, { roleCode: 'booking-box-office', firstname: 'Bruna' });
    doorStaff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo' });
    perf = await createPerformance(app.strapi, { room_capacity: 3, startsInHours: 5 });
    for (let i = 0; i < 3; i += 1) {
      const email = `spettatore${i}@example.test`;
      const created = await service(app.strapi, 'reservations').createReservation({
        performance: perf.documentId,
        name: 'Luca Neri',
        email,
        party_size: 1,
      });
      if (!created.ok) throw new Error(created.code);
      const confirmed = await service(app.strapi, 'reservations').confirmReservation(created.confirmationToken);
      if (!confirmed.ok) throw new Error(confirmed.code);
      holders.push(email);
    }
    const joined = await service(app.strapi, 'waitlist').join({
      performance: perf.documentId,
      name: 'Sara Bianchi',
      email: 'attesa@example.test',
      party_size: 1,
    });
    if (!joined.ok) throw new Error(joined.code);
    await service(app.strapi, 'waitlist').confirm(joined.confirmationToken);
    await service(app.strapi, 'events').settle();
    await service(app.strapi, 'mailer').settle();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (app) await service(app.strapi, 'mailer').settle();
    await app?.stop();
    await smtp?.stop();
  });

  test('subject, text, recipients with their count, a preview; sent, the mails arrive and the message is listed', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 }, locale: 'it-IT' });
    await logIn(page, clerk.email);
    await page.goto(`${baseUrl}/admin/plugins/booking/overview?performance=${perf.documentId}`);
    const form = page.getByTestId('audience-messages');
    await form.waitFor({ timeout: 30_000 });
    // The panel is in Italian for a new user.
    await form.getByText('Scrivi al pubblico').waitFor();
    await page.getByTestId('messages-count').and(page.locator('[data-count="3"]')).waitFor({ timeout: 10_000 });
    await page.getByTestId('messages-subject').fill('Inizio alle 21:30');
    await page
      .getByTestId('messages-body')
      .fill('Cari spettatori,\nlo spettacolo inizia mezz’ora più tardi.\nEntrate dalla porta laterale.');
    await page.getByTestId('messages-to-all').click();
    await page.getByTestId('messages-count').and(page.locator('[data-count="4"]')).waitFor();
    expect(await page.getByTestId('messages-send').textContent()).toContain('4 persone');
    await page.getByTestId('messages-preview-button').click();
    const preview = page.getByTestId('messages-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('Entrate dalla porta laterale.');
    await form.screenshot({ path: path.join(SCREENSHOTS, 'audience-message-form.png') });

    await page.getByTestId('messages-send').click();
    await page.getByTestId('messages-sent').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('messages-sent').textContent()).toContain('4');
    await page.getByTestId('messages-history').getByText('Inizio alle 21:30').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('messages-history').textContent()).toContain('Bruna Rossi');
    await form.screenshot({ path: path.join(SCREENSHOTS, 'audience-message-sent.png') });

    await service(app.strapi, 'mailer').settle();
    const sent = smtp.messages.filter((m) => m.subject === 'Inizio alle 21:30');
    expect(sent).toHaveLength(4);
    expect(sent.every((m) => (m.text ?? '').includes('Entrate dalla porta laterale.'))).toBe(true);
    await page.close();
  });

  test('door staff, who may not write to the audience, see no form', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' });
    await logIn(page, doorStaff.email);
    await page.goto(`${baseUrl}/admin/plugins/booking/overview?performance=${perf.documentId}`);
    // The page has loaded this performance's counts.
    await page.getByTestId('overview.confirmed').getByText('3', { exact: true }).waitFor({ timeout: 30_000 });
    // Long enough for the permission check to have answered (the form waits for it).
    await page.waitForTimeout(2000);
    expect(await page.getByTestId('audience-messages').count()).toBe(0);
    await page.close();
  });
});
