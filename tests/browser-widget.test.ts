/**
 * The booking widget on a page of ANOTHER origin (a node:http server on its own port, listed in
 * BOOKING_ALLOWED_ORIGINS), in Debian's Chromium: the module script and the API calls cross
 * origins, a visitor books a performance and gets the confirmation mail, and a sold-out
 * performance takes the same form to its waiting list. axe-core, injected into that page, finds
 * no serious or critical violation. Screenshots are kept in tests/artifacts/ (widget-1-form.png is
 * the README's docs/screenshots/widget.png).
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { startApp, type TestApp } from './support/app';
import { confirmedReservation, createPerformance } from './support/factories';
import { artifact, describeInBrowser, launchBrowser } from './support/browser';
import { linkIn, startSmtpSink, type SmtpSink } from './support/smtp';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical findings in the page as it is now (shadow DOM included). */
const seriousViolations = async (page: Page) => {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: unknown[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`);
};

describeInBrowser('the booking widget on another origin', () => {
  let app: TestApp;
  let smtp: SmtpSink;
  let browser: Browser;
  let site: Server;
  let appUrl: string;
  let siteUrl: string;
  let showSlug = '';

  beforeAll(async () => {
    smtp = await startSmtpSink();
    const { freePort } = await import('./support/processes');
    const [appPort, sitePort] = [await freePort(), await freePort()];
    appUrl = `http://localhost:${appPort}`;
    siteUrl = `http://127.0.0.1:${sitePort}`;
    app = await startApp({
      env: {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        PUBLIC_URL: appUrl,
        BOOKING_PUBLIC_URL: `${appUrl}/site`,
        BOOKING_ALLOWED_ORIGINS: siteUrl,
        BOOKING_RATE_LIMIT_PER_MINUTE: '0',
      },
    });
    await new Promise<void>((resolve) => app.strapi.server.httpServer.listen(appPort, '127.0.0.1', resolve));
    // The company's site: a page of its own, with its own colours, that only adds the two lines.
    site = createServer((req, res) => {
      const show = new URL(req.url ?? '/', siteUrl).searchParams.get('show') ?? '';
      const lang = new URL(req.url ?? '/', siteUrl).searchParams.get('lang') ?? 'en';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>Compagnia AzioneLab</title>
<style>azionelab-booking { --azionelab-accent: #1d3f72; --azionelab-font: Georgia, serif; max-width: 36rem; }</style>
</head><body><main><h1>AzioneLab</h1>
<script type="module" src="${appUrl}/site/widget.js"></script>
<azionelab-booking show="${show}" lang="${lang}"></azionelab-booking>
</main></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(sitePort, '127.0.0.1', resolve));
    browser = await launchBrowser();

    // One show, two performances: one with 12 seats, one sold out.
    const open = await createPerformance(app.strapi, { room_capacity: 12, startsInHours: 48 });
    showSlug = open.showSlug;
    const show = await app.strapi.db.query('plugin::booking.show').findOne({ where: { slug: showSlug } });
    const venue = await app.strapi.db.query('plugin::booking.venue').findOne({ where: { slug: open.venueSlug } });
    const full = (await app.strapi.db.query('plugin::booking.performance').create({
      data: {
        show: show.id,
        venue: venue.id,
        starts_at: new Date(Date.now() + 96 * 3600_000),
        room_capacity: 2,
        additional_seats: 0,
        manually_occupied_seats: 0,
        is_booking_enabled: true,
      },
    })) as { documentId: string };
    await confirmedReservation(app.strapi, full.documentId, 2);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (site ? site.close(resolve) : resolve(undefined)));
    await app?.stop();
    await smtp?.stop();
  });

  test('the module and the API answer the other origin with CORS, the widget file with no credentials', async () => {
    const res = await fetch(`${appUrl}/site/widget.js`, { headers: { Origin: siteUrl } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(siteUrl);
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    const core = await fetch(`${appUrl}/site/booking-core.js`, { headers: { Origin: siteUrl } });
    expect(core.headers.get('access-control-allow-origin')).toBe(siteUrl);
    // The module files answer any origin (so the widget can say it is not allowed there); the
    // API and the other pages answer an origin not listed with no CORS, so its browsers refuse them.
    const stranger = await fetch(`${appUrl}/site/widget.js`, { headers: { Origin: 'http://evil.example' } });
    expect(stranger.headers.get('access-control-allow-origin')).toBe('http://evil.example');
    expect(stranger.headers.get('access-control-allow-credentials')).toBeNull();
    const api = await fetch(`${appUrl}/api/booking/shows/${showSlug}`, { headers: { Origin: 'http://evil.example' } });
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
    const pages = await fetch(`${appUrl}/site/site.js`, { headers: { Origin: 'http://evil.example' } });
    expect(pages.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('on a page whose origin is not allowed, the widget says so and links to the theatre’s own pages', async () => {
    // The same page, served on a port the app does not allow.
    const { freePort } = await import('./support/processes');
    const port = await freePort();
    const stranger = createServer((req, res) => site.emit('request', req, res));
    await new Promise<void>((resolve) => stranger.listen(port, '127.0.0.1', resolve));
    try {
      for (const [lang, text, link] of [
        ['it', 'Da questa pagina non si può prenotare.', 'Prenota sul sito del teatro'],
        ['en', 'Booking is not possible from this page.', 'Book on the theatre’s site'],
      ]) {
        const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
        await page.goto(`http://127.0.0.1:${port}/?show=${showSlug}&lang=${lang}`);
        await page.getByRole('status').getByText(text).waitFor();
        expect(await page.getByRole('link', { name: link }).getAttribute('href')).toBe(
          `${appUrl}/site/show/?slug=${showSlug}&lang=${lang}`
        );
        if (lang === 'en') await page.screenshot({ path: artifact('widget-4-not-allowed.png') });
        await page.close();
      }
    } finally {
      await new Promise((resolve) => stranger.close(resolve));
    }
  });

  test('the first performance with seats is chosen, not a sold-out one before it; the description is Markdown, safely', async () => {
    const soldOut = await createPerformance(app.strapi, { room_capacity: 2, startsInHours: 30 });
    await confirmedReservation(app.strapi, soldOut.documentId, 2);
    const show = await app.strapi.db.query('plugin::booking.show').findOne({ where: { slug: soldOut.showSlug } });
    const venue = await app.strapi.db.query('plugin::booking.venue').findOne({ where: { slug: soldOut.venueSlug } });
    await app.strapi.db.query('plugin::booking.performance').create({
      data: { show: show.id, venue: venue.id, starts_at: new Date(Date.now() + 80 * 3600_000), room_capacity: 7, is_booking_enabled: true },
    });
    await app.strapi.db.query('plugin::booking.show').update({
      where: { id: show.id },
      data: { description: 'Per **tutta la famiglia**.\n\n<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">' },
    });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    await page.goto(`${siteUrl}/?show=${soldOut.showSlug}&lang=en`);
    await page.getByRole('radio', { name: /7 seats left/ }).waitFor();
    expect(await page.getByRole('radio', { name: /7 seats left/ }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: /sold out: waiting list/ }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Book' }).waitFor();
    expect(await page.locator('azionelab-booking .description strong').textContent()).toBe('tutta la famiglia');
    expect(await page.locator('azionelab-booking .description script, azionelab-booking .description img').count()).toBe(0);
    expect(await page.locator('azionelab-booking .description').textContent()).toContain('<script>');
    // The seats say whom to ask for a larger group.
    expect(await page.locator('azionelab-booking .hint').textContent()).toBe(
      'For groups of more than 10 people, please contact the box office.'
    );
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.screenshot({ path: artifact('widget-5-first-with-seats.png'), fullPage: true });
    await page.close();
  });

  test('book through the widget in English, read the mail, and join the waiting list of the sold-out performance', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // A refused module or call (CORS) shows here; a 4xx answer's own console line is expected.
    page.on('console', (m) =>
      m.type() === 'error' && !m.text().startsWith('Failed to load resource') ? errors.push(m.text()) : undefined
    );

    await page.goto(`${siteUrl}/?show=${showSlug}&lang=en`);
    const radios = page.getByRole('radio');
    await radios.first().waitFor();
    expect(await radios.count()).toBe(2);
    // Each label: date, time, venue name, seats.
    const first = page.getByRole('radio', { name: /12 seats left/ });
    expect(await first.isChecked()).toBe(true);
    const label = (await page.locator('azionelab-booking label').first().textContent()) ?? '';
    expect(label).toMatch(/\d{2}:\d{2}/);
    expect(label).toContain('Teatro ');
    expect(await page.getByRole('radio', { name: /sold out: waiting list/ }).count()).toBe(1);
    // The site's custom property reaches inside the shadow DOM.
    const background = await page.getByRole('button', { name: 'Book' }).evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(background).toBe('rgb(29, 63, 114)');
    expect(await seriousViolations(page)).toEqual([]);

    // Empty, it says so field by field and takes the focus to the name.
    await page.getByRole('button', { name: 'Book' }).click();
    await page.getByRole('status').getByText('Please check the highlighted fields.').waitFor();
    expect(
      await page.getByLabel('Name', { exact: true }).evaluate((input) => input === (input.getRootNode() as ShadowRoot).activeElement)
    ).toBe(true);
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    // By keyboard: the fields in order, then the button.
    await page.getByLabel('Name', { exact: true }).fill('Giulia Verdi');
    await page.keyboard.press('Tab');
    await page.keyboard.type('giulia.verdi@example.test');
    await page.keyboard.press('Tab');
    await page.keyboard.type('+39 051 123456');
    await page.getByLabel('Seats', { exact: true }).selectOption('3');
    await page.screenshot({ path: artifact('widget-1-form.png'), fullPage: true });
    await page.getByLabel('Seats', { exact: true }).focus();
    // The access needs: a box to tick per need, by keyboard too; then past the other three to Book.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByLabel('Wheelchair', { exact: true }).isChecked()).toBe(true);
    for (let i = 0; i < 4; i += 1) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');

    const answer = page.getByRole('status');
    await answer.getByText('Almost done: we have written to giulia.verdi@example.test').waitFor();
    await page.screenshot({ path: artifact('widget-2-sent.png'), fullPage: true });
    const mail = await smtp.waitFor(
      (m) =>
        (m.text ?? '').includes('/site/confirm?token=') && m.to !== undefined && JSON.stringify(m.to).includes('giulia.verdi@example.test')
    );
    expect(linkIn(mail.text ?? '', `${appUrl}/site/confirm?token=`)).toContain('token=');
    const reservation = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { email: 'giulia.verdi@example.test' } });
    expect(reservation).toMatchObject({
      reservation_status: 'pending',
      party_size: 3,
      language: 'en',
      phone: '+39 051 123456',
      access_needs: ['wheelchair'],
    });
    expect(await seriousViolations(page)).toEqual([]);

    // The sold-out performance: the same form joins its waiting list.
    await page.goto(`${siteUrl}/?show=${showSlug}&lang=en`);
    await page.getByRole('radio', { name: /sold out: waiting list/ }).check();
    await page.getByRole('button', { name: 'Put me on the list' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Marco Bianchi');
    await page.getByLabel('E-mail', { exact: true }).fill('marco.bianchi@example.test');
    await page.getByLabel('Seats', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Put me on the list' }).click();
    // The join is confirmed by its address: the answer says to check the mail.
    await page
      .getByRole('status')
      .getByText(
        'Almost done: we have written to marco.bianchi@example.test. Check your mail and open the link in the e-mail to confirm the waiting list by'
      )
      .waitFor();
    await page.screenshot({ path: artifact('widget-3-waitlist.png'), fullPage: true });
    const entry = await app.strapi.db.query('plugin::booking.waitlist-entry').findOne({ where: { email: 'marco.bianchi@example.test' } });
    expect(entry).toMatchObject({ waitlist_status: 'unconfirmed', party_size: 2, language: 'en' });
    const joinMail = await smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes('marco.bianchi@example.test'));
    expect(linkIn(joinMail.text ?? '', `${appUrl}/site/waitlist/confirm?token=`)).toMatch(/&lang=en$/);

    // The same address again: the API's code in plain words, in the live region.
    await page.goto(`${siteUrl}/?show=${showSlug}&lang=en`);
    await page.getByRole('radio', { name: /sold out: waiting list/ }).check();
    await page.getByLabel('Name', { exact: true }).fill('Marco Bianchi');
    await page.getByLabel('E-mail', { exact: true }).fill('marco.bianchi@example.test');
    await page.getByRole('button', { name: 'Put me on the list' }).click();
    await page.getByRole('status').getByText('This address is already on the waiting list for this performance.').waitFor();
    expect(errors).toEqual([]);
  });

  test('seats gone while the form was open: the widget says so, redraws the performance as sold out, keeps what was typed', async () => {
    const last = await createPerformance(app.strapi, { room_capacity: 1 });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    await page.goto(`${siteUrl}/?show=${last.showSlug}&lang=en`);
    await page.getByRole('radio', { name: /1 seats left/ }).waitFor();
    // A party larger than the seats left goes to the waiting list; one that fits books.
    await page.getByText('For more than 1 seat the request goes on the waiting list.').waitFor();
    await page.getByLabel('Seats', { exact: true }).selectOption('2');
    await page.getByRole('button', { name: 'Put me on the list' }).waitFor();
    await page.getByLabel('Seats', { exact: true }).selectOption('1');
    await page.getByLabel('Name', { exact: true }).fill('Nina Grigi');
    await page.getByLabel('E-mail', { exact: true }).fill('nina.grigi@example.test');
    await confirmedReservation(app.strapi, last.documentId, 1);
    await page.getByRole('button', { name: 'Book' }).click();
    await page.getByRole('status').getByText('Not enough seats are left for your party. Seats still free: 0.').waitFor();
    expect(await page.getByRole('radio', { name: /sold out: waiting list/ }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Put me on the list' }).waitFor();
    expect(await page.getByLabel('E-mail', { exact: true }).inputValue()).toBe('nina.grigi@example.test');
    await page.getByRole('button', { name: 'Put me on the list' }).click();
    await page.getByRole('status').getByText('Almost done: we have written to nina.grigi@example.test. Check your mail').waitFor();
    await page.close();
  });

  test('in Italian the fields say Nome, E-mail, Telefono, Posti and the button Prenota; an unknown show says so', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 800 }, locale: 'it-IT' });
    await page.goto(`${siteUrl}/?show=${showSlug}&lang=it`);
    await page.getByRole('radio', { name: /12 posti liberi/ }).waitFor();
    for (const name of ['Nome', 'E-mail', 'Telefono', 'Posti']) expect(await page.getByLabel(name, { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Prenota' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`${siteUrl}/?show=nessuno&lang=it`);
    await page.getByRole('status').getByText('Questo spettacolo non esiste o non è in programma.').waitFor();
    await page.close();
  });
});
