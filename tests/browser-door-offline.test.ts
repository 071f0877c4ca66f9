/**
 * The door with no network, in a real browser (Debian's Chromium at phone size, its fake camera
 * showing a made-up code): the scanner opened once online loads again offline (its service
 * worker), judges 20 good tickets, one twice, one of another evening, a cancelled one and the
 * made-up code from the snapshot, keeps the 20 admissions through a closed tab (IndexedDB), and
 * sends them once the network is back: each reaches the server exactly once. A hand-held reader
 * (keys and Enter, nothing focused) checks a ticket in. Logging out wipes the device.
 * Screenshots of the offline banner and a judged offline scan go to docs/screenshots/ (README).
 * Needs the admin panel built (`NODE_ENV=production npx strapi build`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { writeQrVideo } from './support/fake-camera';
import { freePort } from './support/processes';

const adminBuilt = existsSync(path.join(__dirname, '..', 'dist', 'build', 'index.html'));
const maybe = adminBuilt ? describeInBrowser : describe.skip;
const SCREENSHOTS = path.join(__dirname, '..', 'docs', 'screenshots');

let app: TestApp;
let browser: Browser;
let context: BrowserContext;
let baseUrl: string;

interface Ticket {
  reservationId: number;
  reference: string;
  token: string;
}

maybe('the scanner with no network', () => {
  let staff: { email: string; token: string };
  let tonight: string;
  let tickets: Ticket[];
  let readerTicket: Ticket;
  let cancelled: Ticket;
  let otherEvening: Ticket;
  let page: Page;

  const book = async (performance: string, n: number, extra: Record<string, unknown> = {}): Promise<Ticket> => {
    const reservations = app.strapi.plugin('booking').service('reservations');
    const created = await reservations.createReservation({
      performance,
      name: `Ospite ${n} Bianchi`,
      email: `ospite.${n}@example.test`,
      party_size: 2,
      ...extra,
    });
    if (!created.ok) throw new Error(`could not book: ${created.code}`);
    const confirmed = await reservations.confirmReservation(created.confirmationToken);
    if (!confirmed.ok) throw new Error(`could not confirm: ${confirmed.code}`);
    return { reservationId: confirmed.reservation.id, reference: confirmed.reservation.reference, token: confirmed.checkInToken };
  };

  const answer = () => page.getByTestId('scan-answer');
  /** Which answer the page shows now (its count), 0 when none. */
  const shownCount = async () =>
    Number(
      (await answer()
        .getAttribute('data-count', { timeout: 100 })
        .catch(() => null)) ?? 0
    );
  let lastCount = 0;
  /** What a hand-held reader does: types the code and Enter, into whatever has the focus (nothing here). */
  const readerScan = async (code: string) => {
    lastCount = await shownCount();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };
  /** The answer to the last reader scan (a later one than was shown before it): its result, where judged, its words. */
  const expectAnswer = async (result: string, offline: boolean, text?: RegExp) => {
    const handle = await page.waitForFunction(
      ({ after }) => {
        const shown = document.querySelector('[data-testid="scan-answer"]');
        return shown && Number(shown.getAttribute('data-count')) > after ? shown : null;
      },
      { after: lastCount },
      { timeout: 10_000 }
    );
    const element = handle.asElement();
    lastCount = Number(await element?.getAttribute('data-count'));
    await expect(element?.getAttribute('data-result')).resolves.toBe(result);
    await expect(element?.getAttribute('data-offline')).resolves.toBe(String(offline));
    if (text) await expect(element?.textContent()).resolves.toMatch(text);
  };

  const feedback = () =>
    page.evaluate(
      () => (window as unknown as { __door: { vibrations: unknown[]; tones: Array<{ type: string; frequency: number }> } }).__door
    );

  const checkInsOf = (reservationIds: number[]) =>
    app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: { $in: reservationIds } } } });

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = await startApp({ env: { PUBLIC_URL: baseUrl, BOOKING_RATE_LIMIT_PER_MINUTE: '0' } });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    staff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo', preferedLanguage: 'en' });
    tonight = (await createPerformance(app.strapi, { room_capacity: 200, startsInHours: 1 })).documentId;
    const tomorrow = (await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 26 })).documentId;
    tickets = [];
    // The first of the 20 has an access need: it must show as loud offline as online.
    for (let n = 0; n < 20; n++) tickets.push(await book(tonight, n, n === 0 ? { access_needs: ['wheelchair'] } : {}));
    readerTicket = await book(tonight, 100);
    cancelled = await book(tonight, 101);
    await app.strapi.plugin('booking').service('cancellations').cancelByStaff(cancelled.reservationId);
    otherEvening = await book(tomorrow, 102);

    // The camera shows a made-up code the whole time: judged invalid online and offline alike.
    const video = artifact('made-up-qr.y4m');
    await writeQrVideo('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopq', video);
    browser = await launchBrowser([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-GB' });
    // What the phone plays and buzzes, recorded: the tones (WebAudio oscillators) and the vibration patterns.
    await context.addInitScript(() => {
      const door = { vibrations: [] as unknown[], tones: [] as Array<{ type: string; frequency: number }> };
      (window as unknown as { __door: typeof door }).__door = door;
      navigator.vibrate = (pattern: VibratePattern) => {
        door.vibrations.push(pattern);
        return true;
      };
      const create = AudioContext.prototype.createOscillator;
      AudioContext.prototype.createOscillator = function (this: AudioContext) {
        const oscillator = create.call(this);
        const start = oscillator.start.bind(oscillator);
        oscillator.start = (when?: number) => {
          door.tones.push({ type: oscillator.type, frequency: oscillator.frequency.value });
          start(when);
        };
        return oscillator;
      };
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('online first: the snapshot arrives, the worker is installed; a hand-held reader checks a ticket in with no tap', async () => {
    await page.goto(`${baseUrl}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(staff.email);
    await page.locator('input[name="password"]').fill('Secret-password-123');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/admin(\/)?$/, { timeout: 60_000 });
    await page.goto(`${baseUrl}/admin/plugins/booking?performance=${tonight}`);
    // The camera's made-up code, answered by the server: a long low tone and five short buzzes.
    await expectAnswer('invalid', false);
    const bad = await feedback();
    expect(bad.vibrations.at(-1)).toEqual([60, 60, 60, 60, 60]);
    expect(bad.tones.at(-1)).toEqual({ type: 'square', frequency: 220 });
    await page.getByTestId('snapshot-status').and(page.locator('[data-ready="true"]')).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('snapshot-status').textContent()).resolves.toMatch(/22 tickets/);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });

    await answer().waitFor({ state: 'detached', timeout: 10_000 });
    await readerScan(readerTicket.token);
    await expectAnswer('ok', false, /2 people/);
    // A good scan sounds and feels different: a rising double beep and one short buzz.
    const good = await feedback();
    expect(good.vibrations.at(-1)).toEqual([80]);
    expect(good.tones.slice(-2)).toEqual([
      { type: 'sine', frequency: 880 },
      { type: 'sine', frequency: 1320 },
    ]);
    await expect(page.getByTestId('next-scan-countdown').textContent()).resolves.toMatch(/Next scan in [1-4] s/);
    expect(await checkInsOf([readerTicket.reservationId])).toBe(1);
    // The page moves on by itself after a good scan.
    await answer().waitFor({ state: 'detached', timeout: 10_000 });
  });

  test('offline: the page loads again, judges every kind of ticket, and keeps the admissions through a closed tab', async () => {
    // Nothing reaches the server while the phone is offline: not the page, not its worker's fetches.
    const reached: string[] = [];
    const count = (request: { url?: string }) => reached.push(request.url ?? '');
    app.strapi.server.httpServer.on('request', count);
    await context.setOffline(true);
    await page.reload();
    await page.getByTestId('offline').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('offline').textContent()).resolves.toMatch(/NO NETWORK.*judged on this phone.*No scan waiting/);
    // The camera's made-up code, judged on the phone this time (a new page counts its answers from 0).
    lastCount = 0;
    await expectAnswer('invalid', true, /Not a valid ticket.*Judged on this phone/);

    // The first ticket: green, its party, holder and reference opened from the sealed record, the access need.
    await readerScan(tickets[0].token);
    await expectAnswer('ok', true, new RegExp(`2 people.*Ospite B\\. · ${tickets[0].reference}`));
    await expect(page.getByTestId('access-needs').textContent()).resolves.toMatch(/♿\s*Wheelchair/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scanner-offline-ok.png'), fullPage: true });
    for (const ticket of tickets.slice(1)) {
      await readerScan(ticket.token);
      await expectAnswer('ok', true, new RegExp(ticket.reference));
    }
    await expect(page.getByTestId('offline-waiting').textContent()).resolves.toBe('20 scans waiting to be sent');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'scanner-offline-banner.png') });

    // A ticket twice: amber, "first scanned at" by this phone; it is not queued again.
    await readerScan(tickets[3].token);
    await expectAnswer('already_checked_in', true, /Already checked in.*First scanned at/);
    // The reader ticket let in online before the network went: known here too.
    await readerScan(readerTicket.token);
    await expectAnswer('already_checked_in', true);
    await readerScan(otherEvening.token);
    await expectAnswer('wrong_performance', true, /This ticket is for \w+day/);
    await readerScan(cancelled.token);
    await expectAnswer('not_confirmed', true, /Not valid: booking cancelled/);
    await readerScan('definitely-not-a-ticket');
    await expectAnswer('invalid', true);
    await expect(page.getByTestId('offline-waiting').textContent()).resolves.toBe('20 scans waiting to be sent');
    expect(await checkInsOf(tickets.map((t) => t.reservationId))).toBe(0);

    // The tab closed and opened again, still with no network: the queue is still there.
    await page.close();
    page = await context.newPage();
    await page.goto(`${baseUrl}/admin/plugins/booking?performance=${tonight}`);
    await page.getByTestId('offline').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('offline-waiting').textContent()).resolves.toBe('20 scans waiting to be sent');
    // And what it let in is still let in (after the camera's made-up code, judged again).
    lastCount = 0;
    await expectAnswer('invalid', true);
    await readerScan(tickets[7].token);
    await expectAnswer('already_checked_in', true);
    app.strapi.server.httpServer.off('request', count);
    // (Chromium's own check for a newer worker script is the browser's, outside the emulated network.)
    expect(reached.filter((url) => url !== '/booking/door/service-worker.js')).toEqual([]);
  });

  test('the network back: the 20 reach the server, each exactly once, in order; one another phone let in meanwhile is a conflict, said', async () => {
    // Meanwhile another phone, online, let the party of the sixth ticket in: someone entered twice.
    const other = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Giulia', preferedLanguage: 'en' });
    const byOther = await fetch(`${baseUrl}/booking/check-ins`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${other.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: tickets[5].token, performance: tonight, source: 'qr_scan', idempotency_key: 'other-phone-0005' }),
    });
    expect(((await byOther.json()) as { data: { result: string } }).data.result).toBe('ok');
    let uploads = 0;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/booking/check-ins') && request.postData()?.includes('"offline":true'))
        uploads += 1;
    });
    await context.setOffline(false);
    await page.getByTestId('offline').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await checkInsOf(tickets.map((t) => t.reservationId))).toBe(20);
    const scans = (await app.strapi.db.query('plugin::booking.scan').findMany({
      where: { offline: true },
      orderBy: { id: 'asc' },
      populate: { reservation: true },
    })) as Array<{ result: string; device_scanned_at: string; reservation: { id: number } | null }>;
    // One record per admission (never one per try), in the order of the phone; the sixth was in already.
    expect(scans.map((s) => s.reservation?.id)).toEqual(tickets.map((t) => t.reservationId));
    expect(scans.map((s) => s.result)).toEqual(tickets.map((_, i) => (i === 5 ? 'already_checked_in' : 'ok')));
    await expect(page.getByTestId('offline-conflicts').textContent()).resolves.toMatch(
      /1 ticket let in without network had already been let in/
    );
    await page.screenshot({ path: artifact('scanner-offline-conflict.png') });
    expect(uploads).toBeGreaterThanOrEqual(20);
    // The page says it, and a second flush (the next interval) sends nothing more.
    await page.waitForTimeout(5_000);
    expect(await app.strapi.db.query('plugin::booking.scan').count({ where: { offline: true } })).toBe(20);
  });

  test('logging out wipes the snapshot and the queue from the device', async () => {
    const stored = () =>
      page.evaluate(async () => {
        const names = (await indexedDB.databases()).map((d) => d.name);
        return names.includes('azionelab-door');
      });
    await expect(stored()).resolves.toBe(true);
    // Strapi's own logout, as the menu does it: the admin store's `admin/logout` action.
    // At desk size, where the menu shows the staff member's button (a phone hides it behind the burger).
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${baseUrl}/admin/plugins/booking?performance=${tonight}`);
    await page.getByRole('button', { name: /Paolo/ }).first().click();
    await page.getByRole('menuitem', { name: /log ?out/i }).click();
    await page.waitForURL(/\/auth\/login/, { timeout: 30_000 });
    await page.waitForFunction(async () => !(await indexedDB.databases()).some((d) => d.name === 'azionelab-door'), undefined, {
      timeout: 10_000,
    });
    await expect(page.evaluate(async () => (await caches.keys()).includes('azionelab-door-boot'))).resolves.toBe(false);
  });
});

if (!adminBuilt) {
  test.skip('the scanner with no network (admin panel not built: run `npx strapi build`)', () => undefined);
}
