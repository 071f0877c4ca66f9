/**
 * A visitor books a seat on the demo pages in a real browser (Debian's Chromium at phone size)
 * and confirms it from the link in the e-mail; when the whole party no longer fits, the confirm
 * page offers the seats left instead, or the waiting list. Screenshots are kept in tests/artifacts/.
 */
import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { confirmedReservation, createPerformance, pendingReservation } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { linkIn, startSmtpSink, type SmtpSink } from './support/smtp';

describeInBrowser('the demo booking pages', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    // The app must know its own URL before it boots (e-mail links, CORS): reserve a port first.
    const { freePort } = await import('./support/processes');
    const port = await freePort();
    baseUrl = `http://localhost:${port}`;
    app = await startApp({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        PUBLIC_URL: baseUrl,
        BOOKING_PUBLIC_URL: `${baseUrl}/site`,
        BOOKING_RATE_LIMIT_PER_MINUTE: '0',
      },
    });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(port, '127.0.0.1', resolve));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await smtp?.stop();
  });

  test('book a seat on the demo pages and confirm it from the e-mailed link', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 12 });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${baseUrl}/site/?lang=en`);
    await page
      .getByRole('link', { name: new RegExp(`Spettacolo`) })
      .first()
      .waitFor();
    await page.goto(`${baseUrl}/site/show/?slug=${perf.showSlug}&lang=en`);
    await page.getByText('12 seats left').waitFor();
    await page.screenshot({ path: artifact('booking-1-show.png'), fullPage: true });
    await page.getByRole('link', { name: 'Book' }).click();

    await page.getByLabel('Full name').fill('Chiara Neri');
    await page.getByLabel('E-mail').fill('chiara.neri@example.test');
    await page.getByLabel('Seats').selectOption('2');
    await page.screenshot({ path: artifact('booking-2-form.png'), fullPage: true });
    await page.getByRole('button', { name: 'Send the request' }).click();
    await page.getByText('Almost done').waitFor();
    await page.screenshot({ path: artifact('booking-3-sent.png'), fullPage: true });

    const mail = await smtp.waitFor((m) => m.text?.includes('/site/confirm?token=') === true);
    const link = linkIn(mail.text ?? '', `${baseUrl}/site/confirm?token=`);

    // Opening the link changes nothing: only the button does.
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm' }).waitFor();
    const before = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { email: 'chiara.neri@example.test' } });
    expect(before.reservation_status).toBe('pending');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('Booking confirmed!').waitFor();
    await page.screenshot({ path: artifact('booking-4-confirmed.png'), fullPage: true });

    const after = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { email: 'chiara.neri@example.test' } });
    expect(after.reservation_status).toBe('confirmed');
    expect(after.party_size).toBe(2);
    expect(after.language).toBe('en');

    // A second press of an old link explains itself in plain words.
    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('This link has already been used. The booking is confirmed.').waitFor();
    expect(errors).toEqual([]);
  });

  test('the party no longer fits: the confirm page offers "Conferma 2 invece" and the waiting list', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 5 });
    const pending = await pendingReservation(app.strapi, { performance: perf.documentId, party_size: 4 });
    await confirmedReservation(app.strapi, perf.documentId, 3);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'it-IT' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/site/confirm/?token=${encodeURIComponent(pending.confirmationToken)}&lang=it`);
    await page.getByRole('button', { name: 'Conferma', exact: true }).click();
    await page.getByText('Posti ancora liberi: 2.').waitFor();
    const waitlist = page.getByRole('link', { name: 'Lista d’attesa per tutto il gruppo' });
    expect(await waitlist.getAttribute('href')).toBe(`/site/book/?performance=${perf.documentId}&lang=it`);
    await page.screenshot({ path: artifact('booking-5-fewer-seats.png'), fullPage: true });
    await page.getByRole('button', { name: 'Conferma 2 invece' }).click();
    await page.getByText('Prenotazione confermata!').waitFor();
    await page.getByText(/2 posti/).waitFor();
    const stored = await app.strapi.db
      .query('plugin::booking.reservation')
      .findOne({ where: { reference: pending.reservation.reference } });
    expect(stored).toMatchObject({ reservation_status: 'confirmed', party_size: 2 });
    expect(errors).toEqual([]);
  });
});
