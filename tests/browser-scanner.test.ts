/**
 * Door staff at the door, in a real browser: Debian's Chromium at phone size, its fake camera fed
 * a video of a real ticket's QR code. Green and the count going up; amber on the second scan; red
 * for a typed unknown code; a refusal of the staff member (403), too many scans (429) or a busy
 * server (503) each said as such; a scan the server cannot be reached for judged on the phone, kept and sent once back. Screenshots and the measured scan-to-answer latency are kept in
 * tests/artifacts/. Needs the admin panel built (scripts/test.js runs `strapi build`).
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { writeQrVideo } from './support/fake-camera';
import { freePort } from './support/processes';

const adminBuilt = existsSync(path.join(__dirname, '..', 'dist', 'build', 'index.html'));
const maybe = adminBuilt ? describeInBrowser : describe.skip;

let app: TestApp;
let browser: Browser;
let baseUrl: string;

maybe('the scanner page', () => {
  let staff: { email: string; token: string };
  let checkInToken: string;
  let page: Page;
  let printedReference: string;
  let otherEveningReference: string;
  let spareToken: string;
  let spareReservation: number;
  let slowToken: string;
  let slowReservation: number;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = await startApp({ env: { PUBLIC_URL: baseUrl, BOOKING_RATE_LIMIT_PER_MINUTE: '0' } });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    staff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo', preferedLanguage: 'en' });
    const perf = await createPerformance(app.strapi, { room_capacity: 30, startsInHours: 1 });
    const confirmed = await confirmedReservation(app.strapi, perf.documentId, 3);
    checkInToken = confirmed.checkInToken;
    const spare = await confirmedReservation(app.strapi, perf.documentId, 2);
    spareToken = spare.checkInToken;
    spareReservation = spare.reservation.id;
    const slow = await confirmedReservation(app.strapi, perf.documentId, 1);
    slowToken = slow.checkInToken;
    slowReservation = slow.reservation.id;
    // A party booked at the box office, holding only the reference printed in its mail; one with access needs.
    const boxOffice = app.strapi.plugin('booking').service('box-office');
    const printed = await boxOffice.book(perf.documentId, { name: 'Lucia Bianchi', party_size: 2, access_needs: ['wheelchair'] });
    printedReference = printed.reservation.reference;
    const tomorrow = await createPerformance(app.strapi, { room_capacity: 30, startsInHours: 26 });
    otherEveningReference = (await boxOffice.book(tomorrow.documentId, { name: 'Carlo Verdi', party_size: 1 })).reservation.reference;
    const video = artifact('ticket-qr.y4m');
    await writeQrVideo(checkInToken, video);
    browser = await launchBrowser([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB' });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('log in as Door staff at phone size, scan a ticket: green, count up; again: amber; typed unknown: red', async () => {
    await page.goto(`${baseUrl}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(staff.email);
    await page.locator('input[name="password"]').fill('Secret-password-123');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/admin(\/)?$/, { timeout: 60_000 });

    let scanSentAt = 0;
    let checkInRequests = 0;
    page.on('request', (req) => {
      if (!req.url().endsWith('/booking/check-ins')) return;
      checkInRequests += 1;
      if (scanSentAt === 0) scanSentAt = Date.now();
    });
    await page.goto(`${baseUrl}/admin/plugins/booking`);
    const answer = page.getByTestId('scan-answer');
    await answer.and(page.locator('[data-result="ok"]')).waitFor({ timeout: 30_000 });
    const latencyMs = Date.now() - scanSentAt;
    await expect(page.getByTestId('party-size').textContent()).resolves.toMatch(/3 people/);
    await page.getByTestId('door-counts').getByText('1 party').waitFor();
    await page.screenshot({ path: artifact('scanner-1-ok.png') });
    expect(await app.strapi.db.query('plugin::booking.check-in').count()).toBe(1);

    // The camera keeps seeing the ticket held in front of it: that is one scan, not one every few
    // seconds (the answer clears after 3.5 s and the scanner sees the code again).
    await answer.waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForTimeout(6_000);
    expect(checkInRequests).toBe(1);
    expect(await app.strapi.db.query('plugin::booking.scan').count()).toBe(1);

    // The same ticket typed again is a second scan on purpose: amber, with the first scan's time and staff.
    await page.getByLabel('Ticket code').fill(checkInToken);
    await page.getByRole('button', { name: 'Check' }).click();
    await answer.and(page.locator('[data-result="already_checked_in"]')).waitFor({ timeout: 10_000 });
    await expect(answer.textContent()).resolves.toMatch(/First scanned at .* by Paolo R\./);
    await page.screenshot({ path: artifact('scanner-2-already.png') });
    await answer.waitFor({ state: 'detached', timeout: 10_000 });

    // The reference printed in the ticket mail, typed as a person types it: lower case, a space.
    const typed = `${printedReference.slice(0, 4).toLowerCase()} ${printedReference.slice(4).toLowerCase()}`;
    await page.getByLabel('Ticket code').fill(typed);
    await page.getByRole('button', { name: 'Check' }).click();
    await answer.and(page.locator('[data-result="ok"]')).waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('party-size').textContent()).resolves.toMatch(/2 people/);
    await expect(page.getByTestId('access-needs').textContent()).resolves.toMatch(/♿\s*Wheelchair/);
    await page.screenshot({ path: artifact('scanner-4-reference-access.png') });
    const manual = await app.strapi.db
      .query('plugin::booking.check-in')
      .findOne({ where: { reservation: { reference: printedReference } } });
    expect(manual?.source).toBe('manual');
    await answer.waitFor({ state: 'detached', timeout: 10_000 });

    // A reference for tomorrow's performance: red, and it says which evening the ticket is for.
    await page.getByLabel('Ticket code').fill(otherEveningReference);
    await page.getByRole('button', { name: 'Check' }).click();
    await answer.and(page.locator('[data-result="wrong_performance"]')).waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('ticket-date').textContent()).resolves.toMatch(/This ticket is for \w+day/);
    await page.screenshot({ path: artifact('scanner-5-wrong-performance.png') });
    await answer.waitFor({ state: 'detached', timeout: 10_000 });

    // The overview link is a proper button, at least 40 px tall to a thumb.
    const link = await page.getByTestId('overview-link').boundingBox();
    expect(link?.height).toBeGreaterThanOrEqual(40);

    await page.getByLabel('Ticket code').fill('definitely-not-a-ticket');
    await page.getByRole('button', { name: 'Check' }).click();
    await answer.and(page.locator('[data-result="invalid"]')).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: artifact('scanner-3-invalid.png') });
    expect(await app.strapi.db.query('plugin::booking.check-in').count()).toBe(2);

    writeFileSync(artifact('scanner-latency.json'), JSON.stringify({ scanToAnswerMs: latencyMs }, null, 2));
    console.log(`scan-to-answer latency in the browser: ${latencyMs} ms`);
  });

  test.each([
    [403, 'forbidden', 'You may no longer check people in: ask an administrator'],
    [429, 'rate_limited', 'Too many scans: wait a moment, then scan again'],
    [503, 'server_busy', 'The server is busy: scan again in a moment'],
  ] as const)('an HTTP %i from the check-in route says why, not "Not a valid ticket"', async (status, result, message) => {
    // The answer the server would give (Strapi's error envelope), for every scan while the route is held.
    await page.route('**/booking/check-ins', (route) =>
      route.fulfill({
        status,
        contentType: 'application/json',
        body: JSON.stringify({ data: null, error: { status, name: 'Error', message: 'refused', details: {} } }),
      })
    );
    try {
      await page.getByLabel('Ticket code').fill(`held-${status}`);
      await page.getByRole('button', { name: 'Check' }).click();
      const answer = page.getByTestId('scan-answer').and(page.locator(`[data-result="${result}"]`));
      await answer.waitFor({ timeout: 10_000 });
      await expect(answer.textContent()).resolves.toBe(message);
      await page.screenshot({ path: artifact(`scanner-${status}.png`) });
    } finally {
      await page.unroute('**/booking/check-ins');
    }
  });

  test('a scan that cannot reach the server is judged on the phone, kept, and sent once the connection is back', async () => {
    // The browser thinks it is online, but the check-in route does not answer: the phone judges
    // the ticket from its snapshot, lets the party in, and sends the admission when it can.
    await page.route('**/booking/check-ins', (route) => route.abort('internetdisconnected'));
    await page.getByLabel('Ticket code').fill(spareToken);
    await page.getByRole('button', { name: 'Check' }).click();
    const answer = page.getByTestId('scan-answer').and(page.locator('[data-result="ok"][data-offline="true"]'));
    await answer.waitFor({ timeout: 10_000 });
    await page.getByTestId('offline').waitFor({ timeout: 10_000 });
    await expect(page.getByTestId('offline-waiting').textContent()).resolves.toBe('1 scan waiting to be sent');
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: spareReservation } } })).toBe(0);
    await page.unroute('**/booking/check-ins');
    // The page tries again every few seconds with the same idempotency key; the server then answers it.
    await page.getByTestId('offline').waitFor({ state: 'detached', timeout: 15_000 });
    // Once, however often it was sent: the retries carry one idempotency key.
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: spareReservation } } })).toBe(1);
    expect(
      await app.strapi.db.query('plugin::booking.scan').count({ where: { offline: true, reservation: { id: spareReservation } } })
    ).toBe(1);
  });

  test('a server that does not answer within 6 s: the phone judges the ticket instead of leaving the door waiting', async () => {
    // A network that is up but reaches nothing: the request hangs.
    await page.route('**/booking/check-ins', () => undefined);
    const sent = Date.now();
    await page.getByLabel('Ticket code').fill(slowToken);
    await page.getByRole('button', { name: 'Check' }).click();
    await page.getByTestId('scan-answer').and(page.locator('[data-result="ok"][data-offline="true"]')).waitFor({ timeout: 15_000 });
    const waited = Date.now() - sent;
    expect(waited).toBeGreaterThanOrEqual(5_500);
    expect(waited).toBeLessThan(12_000);
    await page.unroute('**/booking/check-ins');
    await page.getByTestId('offline').waitFor({ state: 'detached', timeout: 15_000 });
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: slowReservation } } })).toBe(1);
  });
});

if (!adminBuilt) {
  test.skip('the scanner page (admin panel not built: run `npx strapi build`)', () => undefined);
}
