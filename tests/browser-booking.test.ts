/**
 * A visitor books a seat on the demo pages in a real browser (Debian's Chromium at phone size)
 * and confirms it from the link in the e-mail; the show's Markdown and poster, the pages behind
 * the e-mailed links showing what they act on, a smaller party, the lost ticket on a phone; when
 * the whole party no longer fits, the confirm page offers the seats left instead, or the waiting
 * list. Screenshots are kept in tests/artifacts/.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Browser, Locator, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { confirmedReservation, createPerformance, pendingReservation } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { linkIn, startSmtpSink, type SmtpSink } from './support/smtp';

describeInBrowser('the demo booking pages', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let baseUrl: string;
  const uploaded: unknown[] = [];

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
    // The poster's files leave public/uploads with their rows.
    for (const file of uploaded) await app?.strapi.plugin('upload').service('upload').remove(file);
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

    // An old link says what became of the booking, and offers no button.
    await page.goto(link);
    await page.getByText('This booking is already confirmed').waitFor();
    expect(await page.getByRole('button', { name: 'Confirm' }).count()).toBe(0);
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
    // The page first says what it confirms: the whole party of 4.
    const summary = page.getByRole('region', { name: 'La tua prenotazione' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('4 posti');
    await page.getByRole('button', { name: 'Conferma', exact: true }).click();
    await page.getByText('Posti ancora liberi: 2.').waitFor();
    const waitlist = page.getByRole('link', { name: 'Lista d’attesa per tutto il gruppo' });
    expect(await waitlist.getAttribute('href')).toBe(`/site/book/?performance=${perf.documentId}&lang=it`);
    await page.screenshot({ path: artifact('booking-5-fewer-seats.png'), fullPage: true });
    await page.getByRole('button', { name: 'Conferma 2 invece' }).click();
    await page.getByText('Prenotazione confermata!').waitFor();
    // The summary now shows the seats held, and the question is gone.
    expect(await summary.textContent()).toContain('2 posti');
    expect(await page.getByRole('button', { name: 'Conferma 2 invece' }).count()).toBe(0);
    const stored = await app.strapi.db
      .query('plugin::booking.reservation')
      .findOne({ where: { reference: pending.reservation.reference } });
    expect(stored).toMatchObject({ reservation_status: 'confirmed', party_size: 2 });
    expect(errors).toEqual([]);
    await page.close();
  });

  /** A 300x200 PNG uploaded through Strapi's upload service, with its alternative text. */
  const uploadPoster = async (alternativeText: string) => {
    const png = new PNG({ width: 300, height: 200 });
    png.data.fill(0x8a);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'poster-')), 'locandina.png');
    writeFileSync(file, PNG.sync.write(png));
    const [stored] = (await app.strapi
      .plugin('upload')
      .service('upload')
      .upload({
        data: { fileInfo: { alternativeText, name: 'locandina.png' } },
        files: { filepath: file, originalFilename: 'locandina.png', mimetype: 'image/png', size: statSync(file).size },
      })) as Array<{ id: number }>;
    uploaded.push(stored);
    return stored;
  };

  /** Whether a box sits on its label's line, before it, at its own size (not stretched across the form). */
  const besideItsLabel = async (box: Locator, label: Locator) => {
    const [b, l] = [await box.boundingBox(), await label.boundingBox()];
    if (!b || !l) return false;
    const sameLine = b.y < l.y + l.height && l.y < b.y + b.height;
    return sameLine && b.x + b.width <= l.x && b.width < 40;
  };

  const inView = (page: Page, locator: Locator) =>
    locator.evaluate((node) => {
      const r = node.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    });

  test('the show page renders the Markdown and the poster, and lets no script through', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 12 });
    const poster = await uploadPoster('Due attori su un palco vuoto');
    await app.strapi.db.query('plugin::booking.show').update({
      where: { slug: perf.showSlug },
      data: {
        poster_image: poster.id,
        description:
          'Uno spettacolo **per tutti**.\n\n- prima parte\n- seconda parte\n\n' +
          '<script>window.__pwned = 1</script>\n\n<img src="x" onerror="window.__pwned = 2">\n\n' +
          '[clicca](javascript:window.__pwned=3) [il teatro](https://teatro.example/)',
      },
    });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'it-IT' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/site/show/?slug=${perf.showSlug}&lang=it`);
    const description = page.locator('.description');
    await description.waitFor();
    expect(await description.locator('strong').textContent()).toBe('per tutti');
    expect(await description.locator('li').allTextContents()).toEqual(['prima parte', 'seconda parte']);
    // What was typed as HTML reads as text; nothing of it runs or becomes an element.
    expect(await description.textContent()).toContain('<script>window.__pwned = 1</script>');
    expect(await description.locator('script, img, [onerror]').count()).toBe(0);
    expect(await page.locator('a[href^="javascript"]').count()).toBe(0);
    expect(await description.getByRole('link', { name: 'il teatro' }).getAttribute('href')).toBe('https://teatro.example/');
    const img = page.getByRole('img', { name: 'Due attori su un palco vuoto' });
    await img.waitFor();
    await page.waitForFunction(() => (document.querySelector('img.poster') as HTMLImageElement | null)?.complete === true);
    expect(await img.evaluate((node) => (node as HTMLImageElement).naturalWidth)).toBe(300);
    await page.screenshot({ path: artifact('booking-0-show-markdown.png'), fullPage: true });
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  test('the form, the sent page, the confirm and cancel pages, a smaller party and the lost ticket, at phone size', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 12 });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'it-IT' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${baseUrl}/site/book/?performance=${perf.documentId}&lang=it`);
    await page.getByLabel('Nome e cognome').waitFor();
    // Each access need's box sits before its own label, on its line.
    for (const need of ['Sedia a rotelle', 'Udito', 'Vista', 'Altro']) {
      const box = page.getByRole('checkbox', { name: need, exact: true });
      expect(await besideItsLabel(box, page.locator(`label[for="${await box.getAttribute('id')}"]`))).toBe(true);
    }
    // The seats select says whom to ask for a larger group.
    expect(await page.getByLabel('Posti').getAttribute('aria-describedby')).toContain('party_size-hint');
    expect(await page.locator('#party_size-hint').textContent()).toBe('Per gruppi di più di 10 persone contatta la biglietteria.');
    await page.getByLabel('Nome e cognome').fill('Piera Blu');
    await page.getByLabel('E-mail').fill('piera.blu@example.test');
    await page.getByLabel('Posti').selectOption('3');
    await page.getByRole('checkbox', { name: 'Sedia a rotelle' }).check();
    await page.screenshot({ path: artifact('booking-2b-needs.png'), fullPage: true });
    await page.getByRole('button', { name: 'Invia la richiesta' }).click();

    // The sent page recalls the show, the date and the seats, and leads back.
    await page.getByText('Quasi fatto').waitFor();
    const sent = page.getByRole('region', { name: 'La tua prenotazione' });
    const showTitle = (await app.strapi.db.query('plugin::booking.show').findOne({ where: { slug: perf.showSlug } })).title as string;
    expect(await sent.getByRole('heading').textContent()).toBe(showTitle);
    expect(await sent.textContent()).toContain('3 posti');
    expect(await page.getByRole('link', { name: '← Torna allo spettacolo' }).getAttribute('href')).toBe(
      `/site/show/?slug=${encodeURIComponent(perf.showSlug)}&lang=it`
    );
    await page.screenshot({ path: artifact('booking-3b-sent-recalls.png'), fullPage: true });

    // The confirm page says what it confirms before the press; the preview used nothing up.
    const mail = await smtp.waitFor((m) => m.text?.includes('/site/confirm?token=') === true && JSON.stringify(m.to).includes('piera.blu'));
    const link = linkIn(mail.text ?? '', `${baseUrl}/site/confirm?token=`);
    await page.goto(link);
    await page.getByRole('button', { name: 'Conferma' }).waitFor();
    const summary = page.getByRole('region', { name: 'La tua prenotazione' });
    expect(await summary.textContent()).toContain('3 posti');
    expect(await summary.textContent()).toContain(showTitle);
    await page.screenshot({ path: artifact('booking-4a-confirm-preview.png'), fullPage: true });
    const pending = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { email: 'piera.blu@example.test' } });
    expect(pending.reservation_status).toBe('pending');
    await page.getByRole('button', { name: 'Conferma' }).click();
    await page.getByText('Prenotazione confermata!').waitFor();

    // The cancel page: what it acts on; a smaller party takes the question away with it.
    const ticket = await smtp.waitFor(
      (m) => m.text?.includes('/site/cancel?token=') === true && JSON.stringify(m.to).includes('piera.blu')
    );
    const cancelLink = linkIn(ticket.text ?? '', `${baseUrl}/site/cancel?token=`);
    await page.goto(cancelLink);
    await page.getByRole('button', { name: 'Annulla la prenotazione' }).waitFor();
    expect(await page.getByRole('region', { name: 'La tua prenotazione' }).textContent()).toContain('3 posti');
    await page.getByLabel('Posti che ti servono ancora').fill('1');
    await page.getByRole('button', { name: 'Riduci i posti' }).click();
    await page.getByText('Fatto: ora la prenotazione è per 1 posto. Ti abbiamo rimandato il biglietto aggiornato').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Prenotazione aggiornata');
    expect(await page.getByRole('button', { name: 'Annulla la prenotazione' }).count()).toBe(0);
    expect(await page.getByText('Vuoi davvero annullare?').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'La tua prenotazione' }).textContent()).toContain('1 posto');
    await page.screenshot({ path: artifact('booking-5-reduced.png'), fullPage: true });

    // Cancelled, the link shows no form any more.
    await page.goto(cancelLink);
    await page.getByRole('button', { name: 'Annulla la prenotazione' }).click();
    await page.getByText('Prenotazione annullata.').waitFor();
    await page.goto(cancelLink);
    await page.getByText('Questo link non può più cambiare la prenotazione. Stato della prenotazione: annullata.').waitFor();
    expect(await page.locator('form, button').count()).toBe(0);
    await page.screenshot({ path: artifact('booking-6-used-link.png'), fullPage: true });

    // The lost ticket at the foot of the list: its answer comes into view, with the focus.
    await confirmedReservation(app.strapi, perf.documentId, 1);
    await page.goto(`${baseUrl}/site/?lang=it`);
    const lost = page.getByRole('form', { name: 'Hai perso il biglietto?' });
    await lost.getByLabel('E-mail').fill('piera.blu@example.test');
    await page.evaluate(() => window.scrollTo(0, 0));
    await lost.getByRole('button', { name: 'Rispediscimi i biglietti' }).click();
    const answer = page.getByText('Se a piera.blu@example.test corrispondono prenotazioni confermate');
    await answer.waitFor();
    expect(await inView(page, answer)).toBe(true);
    expect(await answer.evaluate((node) => node === document.activeElement)).toBe(true);
    await page.screenshot({ path: artifact('booking-7-lost-ticket.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
