/**
 * The waiting list on the demo pages in a real browser (Debian's Chromium at phone size): the
 * Italian form explains empty fields in Italian, a visitor joins a sold-out performance's list,
 * is told to check the mail, confirms the join on the page behind the e-mailed link (with the
 * place in the queue), seats free up, and the offer is confirmed from the e-mailed link; a larger
 * party than the seats left joins the list from the booking form; the lost-ticket form answers.
 * Screenshots are kept in tests/artifacts/.
 */
import type { Browser } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { confirmedReservation, createPerformance } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { linkIn, startSmtpSink, type SmtpSink } from './support/smtp';

describeInBrowser('the waiting list on the demo pages', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
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
        BOOKING_SCHEDULED_JOBS: 'false',
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

  test('join the list of a sold-out performance, confirm the join from the e-mail, then confirm the offer', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 2 });
    const holder = await confirmedReservation(app.strapi, perf.documentId, 2);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'it-IT' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(`${baseUrl}/site/show/?slug=${perf.showSlug}&lang=it`);
    await page.getByText('Esaurito').waitFor();
    await page.getByRole('link', { name: 'Lista d’attesa' }).click();
    await page.getByRole('heading', { name: /Mettiti in lista d’attesa/ }).waitFor();

    // Sent empty, the Italian form says so in Italian, field by field.
    await page.getByRole('button', { name: 'Mettimi in lista' }).click();
    expect(await page.locator('#name-error').textContent()).toBe('è obbligatorio');
    expect(await page.locator('#email-error').textContent()).toBe('è obbligatorio');
    await page.getByLabel('E-mail').fill('non-un-indirizzo');
    await page.getByRole('button', { name: 'Mettimi in lista' }).click();
    expect(await page.locator('#email-error').textContent()).toBe('dev’essere un indirizzo e-mail');
    await page.screenshot({ path: artifact('waitlist-1-errors.png'), fullPage: true });

    await page.getByLabel('Nome e cognome').fill('Sara Gialli');
    await page.getByLabel('E-mail').fill('sara.gialli@example.test');
    await page.getByLabel('Posti').selectOption('2');
    await page.getByRole('button', { name: 'Mettimi in lista' }).click();
    await page.getByText('Quasi fatto: ti abbiamo scritto a sara.gialli@example.test. Controlla la posta').waitFor();
    await page.screenshot({ path: artifact('waitlist-2-joined.png'), fullPage: true });
    const entry = () => app.strapi.db.query('plugin::booking.waitlist-entry').findOne({ where: { email: 'sara.gialli@example.test' } });
    expect(await entry()).toMatchObject({ waitlist_status: 'unconfirmed', party_size: 2, language: 'it' });

    // The page behind the e-mailed link confirms the join only when pressed, and says the place.
    const first = await smtp.waitFor(
      (m) => smtp.to('sara.gialli@example.test').includes(m) && (m.text ?? '').includes('/site/waitlist/confirm?token=')
    );
    await page.goto(linkIn(first.text ?? '', `${baseUrl}/site/waitlist/confirm?token=`));
    await page.getByText('Premi il pulsante per entrare in lista d’attesa.').waitFor();
    expect((await entry()).waitlist_status).toBe('unconfirmed');
    await page.getByRole('button', { name: 'Entra in lista' }).click();
    await page
      .getByText('Sei in lista d’attesa. Ti abbiamo scritto anche il link per uscire dalla lista. Sei il primo gruppo in lista.')
      .waitFor();
    expect(await page.getByRole('button', { name: 'Entra in lista' }).count()).toBe(0);
    await page.screenshot({ path: artifact('waitlist-2b-join-confirmed.png'), fullPage: true });
    expect((await entry()).waitlist_status).toBe('waiting');

    // Seats free up: the offer goes out at once.
    await app.strapi.plugin('booking').service('cancellations').cancelReservation(holder.cancellationToken);
    const offer = await smtp.waitFor(
      (m) => (m.subject ?? '').startsWith('Si sono liberati') && (m.text ?? '').includes('/site/confirm?token=')
    );
    const link = linkIn(offer.text ?? '', `${baseUrl}/site/confirm?token=`);
    await page.goto(link);
    await page.getByText('Premi il pulsante per confermare i posti.').waitFor();
    await page.getByRole('button', { name: 'Conferma' }).click();
    await page.getByText('Prenotazione confermata!').waitFor();
    // The question is gone with its answer.
    expect(await page.getByText('Premi il pulsante per confermare i posti.').count()).toBe(0);
    await page.screenshot({ path: artifact('waitlist-3-offer-confirmed.png'), fullPage: true });
    const booked = await app.strapi.db.query('plugin::booking.waitlist-entry').findOne({ where: { email: 'sara.gialli@example.test' } });
    expect(booked.waitlist_status).toBe('booked');

    // The lost-ticket form repeats the address and says nothing of whether it booked.
    await page.goto(`${baseUrl}/site/?lang=it`);
    await page.getByRole('heading', { name: 'Hai perso il biglietto?' }).waitFor();
    await page.getByLabel('E-mail').fill('sara.gialli@example.test');
    await page.getByRole('button', { name: 'Rispediscimi i biglietti' }).click();
    await page.getByText('Se a sara.gialli@example.test corrispondono prenotazioni confermate').waitFor();
    await page.screenshot({ path: artifact('waitlist-4-lost-ticket.png'), fullPage: true });
    await app.strapi.plugin('booking').service('mailer').settle();
    expect(smtp.to('sara.gialli@example.test').filter((m) => (m.subject ?? '').startsWith('Di nuovo'))).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  test('the leave page leaves the list only when pressed, then no longer asks', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 1 });
    await confirmedReservation(app.strapi, perf.documentId, 1);
    const waitlist = app.strapi.plugin('booking').service('waitlist');
    const joined = await waitlist.join({
      performance: perf.documentId,
      name: 'Leo Blu',
      email: 'leo.blu@example.test',
      party_size: 1,
      locale: 'en',
    });
    expect(joined.ok).toBe(true);
    expect((await waitlist.confirm(joined.confirmationToken)).ok).toBe(true);
    const mail = await smtp.waitFor(
      (m) => smtp.to('leo.blu@example.test').includes(m) && (m.text ?? '').includes('/waitlist/leave?token=')
    );
    const link = linkIn(mail.text ?? '', `${baseUrl}/site/waitlist/leave?token=`);
    expect(link).toMatch(/&lang=en$/);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(link);
    await page.getByRole('button', { name: 'Leave the list' }).waitFor();
    const entry = () => app.strapi.db.query('plugin::booking.waitlist-entry').findOne({ where: { email: 'leo.blu@example.test' } });
    expect((await entry()).waitlist_status).toBe('waiting');
    await page.getByRole('button', { name: 'Leave the list' }).click();
    await page.getByText('You have left the waiting list.').waitFor();
    expect(await page.getByText('Do you want to leave the waiting list?').count()).toBe(0);
    expect((await entry()).waitlist_status).toBe('left');
  });

  test('a party larger than the seats left joins the list from the booking form, in English', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 3 });
    await confirmedReservation(app.strapi, perf.documentId, 1);
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/site/book/?performance=${perf.documentId}&lang=en`);
    await page.getByText('For more than 2 seats the request goes on the waiting list.').waitFor();
    await page.getByLabel('Full name').fill('Ada Neri');
    await page.getByLabel('E-mail').fill('ada.neri@example.test');
    await page.getByRole('button', { name: 'Send the request' }).waitFor();
    await page.getByLabel('Seats').selectOption('4');
    await page.getByRole('button', { name: 'Put me on the list' }).click();
    await page.getByText('Almost done: we have written to ada.neri@example.test. Check your mail').waitFor();
    const entry = await app.strapi.db.query('plugin::booking.waitlist-entry').findOne({ where: { email: 'ada.neri@example.test' } });
    expect(entry).toMatchObject({ waitlist_status: 'unconfirmed', party_size: 4, language: 'en' });
    // The seats left stay for others.
    const pub = await app.strapi.plugin('booking').service('catalogue').performanceByDocumentId(perf.documentId);
    expect(pub).toMatchObject({ available_seats: 2, bookable: true });
    expect(errors).toEqual([]);
  });
});
