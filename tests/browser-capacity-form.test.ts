/**
 * An editor lowers a performance's seats below what is confirmed, in the Content Manager's own
 * form: the save is refused and the reason is shown on the form; nothing changes.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { freePort } from './support/processes';

const adminBuilt = existsSync(path.join(__dirname, '..', 'dist', 'build', 'index.html'));

(adminBuilt ? describeInBrowser : describe.skip)('the performance form in the admin panel', () => {
  let app: TestApp;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = await startApp({ env: { PUBLIC_URL: baseUrl, BOOKING_RATE_LIMIT_PER_MINUTE: '0' } });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  test('refuses fewer seats than are confirmed, with the reason on screen', async () => {
    // English screens: the profile's choice (Italian is the panel's default).
    const admin = await createAdmin(app.strapi, { preferedLanguage: 'en' });
    const perf = await createPerformance(app.strapi, { room_capacity: 20 });
    await confirmedReservation(app.strapi, perf.documentId, 6);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    await page.goto(`${baseUrl}/admin/auth/login`);
    await page.locator('input[name="email"]').fill(admin.email);
    await page.locator('input[name="password"]').fill('Secret-password-123');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/admin(\/)?$/, { timeout: 60_000 });

    await page.goto(`${baseUrl}/admin/content-manager/collection-types/plugin::booking.performance/${perf.documentId}`);
    const capacity = page.locator('input[name="room_capacity"]');
    await capacity.waitFor({ timeout: 30_000 });
    await capacity.fill('4');
    await page.getByRole('button', { name: /^Save$/ }).click();
    await page
      .getByText(/already confirmed/)
      .first()
      .waitFor({ timeout: 15_000 });
    await page.screenshot({ path: artifact('capacity-refused.png'), fullPage: true });

    const stored = await app.strapi.db.query('plugin::booking.performance').findOne({ where: { id: perf.id } });
    expect(stored.room_capacity).toBe(20);
  });
});
