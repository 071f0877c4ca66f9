/**
 * The visitor's whole way, over HTTP against the real app on PostgreSQL, with a real SMTP server
 * receiving the mail: catalogue, reservation, the link read out of the mail, confirmation, the QR
 * code decoded out of the ticket's PNG, cancellation; and every code of the contract.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createPerformance } from './support/factories';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from './support/smtp';
import { decodeQrPng } from './support/qr';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
let app: TestApp;
let smtp: SmtpSink;
const http = () => request(app.strapi.server.httpServer);
const reservations = () => service(app.strapi, 'reservations');
const mailer = () => service(app.strapi, 'mailer');
let emailCounter = 0;
const newEmail = () => `visitor${(emailCounter += 1)}@example.test`;

const book = (body: Record<string, unknown>) => http().post('/api/booking/reservations').send({ data: body });
const bookFor = (performance: string, extra: Record<string, unknown> = {}) =>
  book({ performance, name: 'Giulia Verdi', email: newEmail(), party_size: 2, ...extra });
const confirm = (token: unknown) => http().post('/api/booking/reservations/confirm').send({ token });
const cancel = (token: unknown) => http().post('/api/booking/reservations/cancel').send({ token });

/** The confirmation token, read out of the mail the visitor received. */
const confirmationTokenFor = async (email: string) => {
  const mail = await smtp.waitFor((m) => m.text?.includes('/confirm?token=') === true && smtp.to(email).includes(m));
  return tokenOf(linkIn(mail.text ?? '', `${PUBLIC_URL}/confirm?token=`));
};

const bookAndConfirmationToken = async (performance: string, extra: Record<string, unknown> = {}) => {
  const email = newEmail();
  const res = await bookFor(performance, { email, ...extra });
  expect(res.status).toBe(201);
  return { res, email, token: await confirmationTokenFor(email) };
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      BOOKING_PUBLIC_URL: PUBLIC_URL,
      BOOKING_RATE_LIMIT_PER_MINUTE: '0',
      BOOKING_MAX_PARTY_SIZE: '6',
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

describe('the public catalogue', () => {
  test('lists published shows only, with pagination and the next performance', async () => {
    const published = await createPerformance(app.strapi, { startsInHours: 48 });
    const hidden = await createPerformance(app.strapi, { is_published: false });
    const res = await http().get('/api/booking/shows?page=1&pageSize=100');
    expect(res.status).toBe(200);
    const slugs = res.body.data.map((s: { slug: string }) => s.slug);
    expect(slugs).toContain(published.showSlug);
    expect(slugs).not.toContain(hidden.showSlug);
    const item = res.body.data.find((s: { slug: string }) => s.slug === published.showSlug);
    expect(Object.keys(item).sort()).toEqual(['documentId', 'next_performance_at', 'poster_image', 'slug', 'summary', 'title'].sort());
    expect(item.poster_image).toBeNull();
    expect(new Date(item.next_performance_at).getTime()).toBeGreaterThan(Date.now());
    expect(res.body.meta.pagination).toMatchObject({ page: 1, pageSize: 100, total: slugs.length });
  });

  test('refuses a bad query with 400 invalid_query', async () => {
    for (const query of ['page=0', 'pageSize=1000', 'page=abc', 'sort=title', 'filters[email]=x']) {
      const res = await http().get(`/api/booking/shows?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.details.code).toBe('invalid_query');
    }
  });

  test('a show shows only performances that have not started, soonest first, with seats left', async () => {
    const later = await createPerformance(app.strapi, {
      startsInHours: 96,
      room_capacity: 30,
      manually_occupied_seats: 4,
      additional_seats: 2,
    });
    const show = await app.strapi.db.query('plugin::booking.show').findOne({ where: { slug: later.showSlug } });
    const venue = await app.strapi.db.query('plugin::booking.venue').findOne({ where: { slug: later.venueSlug } });
    const make = (hours: number) =>
      app.strapi.db.query('plugin::booking.performance').create({
        data: { show: show.id, venue: venue.id, starts_at: new Date(Date.now() + hours * 3600_000), room_capacity: 10 },
      });
    const past = await make(-2);
    const sooner = await make(24);

    const res = await http().get(`/api/booking/shows/${later.showSlug}`);
    expect(res.status).toBe(200);
    const ids = res.body.data.performances.map((p: { documentId: string }) => p.documentId);
    expect(ids).toEqual([sooner.documentId, later.documentId]);
    expect(ids).not.toContain(past.documentId);
    const p = res.body.data.performances[1];
    expect(Object.keys(p).sort()).toEqual(
      ['available_seats', 'bookable', 'documentId', 'is_booking_enabled', 'starts_at', 'status', 'venue', 'waitlist_open'].sort()
    );
    expect(p.status).toBe('scheduled');
    expect(p.available_seats).toBe(28);
    expect(p.venue).toEqual({ name: venue.name, slug: venue.slug, address: 'Via Roma 1', city: 'Bologna' });
    expect(JSON.stringify(res.body)).not.toContain('portineria'); // the venue's internal notes
  });

  test('unknown or unpublished things are 404 with their code', async () => {
    const hidden = await createPerformance(app.strapi, { is_published: false });
    const cases: Array<[string, string]> = [
      ['/api/booking/shows/no-such-show', 'show_not_found'],
      [`/api/booking/shows/${hidden.showSlug}`, 'show_not_found'],
      ['/api/booking/performances/nosuchperformance', 'performance_not_found'],
      [`/api/booking/performances/${hidden.documentId}`, 'performance_not_found'],
      ['/api/booking/venues/no-such-venue', 'venue_not_found'],
    ];
    for (const [path, code] of cases) {
      const res = await http().get(path);
      expect(res.status).toBe(404);
      expect(res.body.error.details.code).toBe(code);
    }
  });

  test('a venue answers its public fields only', async () => {
    const perf = await createPerformance(app.strapi);
    const res = await http().get(`/api/booking/venues/${perf.venueSlug}`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data).sort()).toEqual(['address', 'city', 'name', 'slug']);
  });

  test('nothing else of the plugin is public: no generic route to reservations, tokens or check-ins', async () => {
    for (const path of [
      '/api/booking/reservations',
      '/api/booking/reservation-tokens',
      '/api/booking/check-ins',
      '/api/reservations',
      '/api/booking/outbox-messages',
    ]) {
      const res = await http().get(path);
      expect([401, 403, 404, 405]).toContain(res.status);
    }
  });
});

describe('booking a seat, from the catalogue to the ticket', () => {
  test('book, read the link in the mail, confirm, get a QR ticket, cancel', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const email = newEmail();
    const res = await book({
      performance: perf.documentId,
      name: 'Maria <b>Rossi</b>',
      email,
      phone: '+39 333 1234567',
      party_size: 3,
      notes: 'Una sedia a rotelle',
      locale: 'en',
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(['confirm_by', 'party_size', 'performance', 'reference', 'status']);
    expect(res.body.data).toMatchObject({ status: 'pending', party_size: 3 });
    expect(res.body.data.performance).toMatchObject({ documentId: perf.documentId, available_seats: 10, bookable: true });
    const body = JSON.stringify(res.body);
    for (const secret of [email, '333 1234567', 'sedia', 'token']) expect(body).not.toContain(secret);

    // The confirmation mail, in English, with the link in its text and its HTML part.
    const mail = await smtp.waitFor((m) => smtp.to(email).includes(m));
    expect(mail.subject).toMatch(/^Confirm your booking/);
    const link = linkIn(mail.text ?? '', `${PUBLIC_URL}/confirm?token=`);
    expect(mail.html).toContain(link.replace(/&/g, '&amp;'));
    // Sent before the address's owner did anything: nothing the requester typed.
    for (const typed of ['Maria', 'Rossi', 'sedia']) expect(`${mail.subject}${mail.text}${mail.html}`).not.toContain(typed);
    const token = tokenOf(link);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const confirmed = await confirm(token);
    expect(confirmed.status).toBe(200);
    expect(Object.keys(confirmed.body.data).sort()).toEqual(['confirmed_at', 'party_size', 'performance', 'reference', 'status']);
    expect(confirmed.body.data).toMatchObject({ status: 'confirmed', reference: res.body.data.reference, party_size: 3 });
    expect(confirmed.body.data.performance.available_seats).toBe(7);

    // The ticket: the QR code as an inline PNG, holding only an opaque check-in token.
    const ticket = await smtp.waitFor((m) => smtp.to(email).includes(m) && /ticket/i.test(m.subject ?? ''));
    const png = ticket.attachments.find((a) => a.contentType === 'image/png');
    expect(png?.cid).toBe('ticket-qr@booking');
    expect(png?.related).toBe(true); // inline, referenced by cid (mailparser turns it into a data: URL)
    expect(ticket.html).toContain('<img src="data:image/png;base64,');
    const qr = decodeQrPng(png!.content);
    expect(qr).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (const personal of ['Maria', 'Rossi', email, '333', res.body.data.reference]) expect(qr).not.toContain(personal);
    const tokenRow = await app.strapi.db.query('plugin::booking.reservation-token').findOne({
      where: { token_hash: createHash('sha256').update(qr).digest('hex') },
    });
    expect(tokenRow.purpose).toBe('check_in');
    expect(ticket.html).toContain('Maria &lt;b&gt;Rossi&lt;/b&gt;'); // the visitor's text is escaped
    expect(ticket.text).toContain(res.body.data.reference);
    expect(ticket.text).toMatch(/Seats: 3/);

    const stored = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference: res.body.data.reference } });
    expect(stored.qr_code_generated_at).not.toBeNull();
    expect(stored.language).toBe('en');

    // Cancel from the ticket mail's link: the seats come back at once.
    const cancelToken = tokenOf(linkIn(ticket.text ?? '', `${PUBLIC_URL}/cancel?token=`));
    const cancelled = await cancel(cancelToken);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data).toMatchObject({ status: 'cancelled', reference: res.body.data.reference });
    expect(cancelled.body.data.performance.available_seats).toBe(10);

    const again = await cancel(cancelToken);
    expect(again.status).toBe(410);
    expect(again.body.error.details).toEqual({ code: 'token_used', status: 'cancelled' });
  });

  test('mail is in Italian by default, and each e-mail is sent once', async () => {
    const perf = await createPerformance(app.strapi);
    const { email, token } = await bookAndConfirmationToken(perf.documentId);
    expect((await confirm(token)).status).toBe(200);
    await smtp.waitFor((m) => smtp.to(email).includes(m) && /biglietto/i.test(m.subject ?? ''));
    await mailer().settle();
    const subjects = smtp.to(email).map((m) => m.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects[0]).toMatch(/^Conferma la tua prenotazione/);
    expect(subjects[1]).toMatch(/^Il tuo biglietto/);
  });
});

describe('the contract codes', () => {
  test('bad input is 400 validation naming each bad field, and nothing is stored or sent', async () => {
    const perf = await createPerformance(app.strapi);
    const count = () => app.strapi.db.query('plugin::booking.reservation').count();
    const before = await count();
    const sent = smtp.messages.length;
    const good = { performance: perf.documentId, name: 'Ada', email: 'ada@example.test', party_size: 1 };
    const cases: Array<[unknown, string[]]> = [
      [{ ...good, party_size: 0 }, ['party_size']],
      [{ ...good, party_size: 7 }, ['party_size']],
      [{ ...good, party_size: 1.5 }, ['party_size']],
      [{ ...good, party_size: '2' }, ['party_size']],
      [{ ...good, email: 'not-an-email' }, ['email']],
      [{ ...good, name: 'x'.repeat(121) }, ['name']],
      [{ ...good, name: '   ' }, ['name']],
      [{ ...good, name: 'Ada\r\nBcc: all@example.test' }, ['name']],
      [{ ...good, notes: 'n'.repeat(1001) }, ['notes']],
      [{ ...good, locale: 'fr' }, ['locale']],
      [{ ...good, reservation_status: 'confirmed' }, ['reservation_status']],
      [{ ...good, __proto__: { polluted: true }, constructor: 'x' }, ['constructor']],
      [{ name: 'Ada' }, ['performance', 'email', 'party_size']],
    ];
    for (const [data, fields] of cases) {
      const res = await book(data as Record<string, unknown>);
      expect(res.status).toBe(400);
      expect(res.body.error.details.code).toBe('validation');
      const named = res.body.error.details.errors.map((e: { path: string[] }) => e.path[e.path.length - 1]);
      expect(named.sort()).toEqual([...fields].sort());
    }
    for (const body of [null, [], 'x', { data: 'x' }, { data: good, extra: 1 }]) {
      const res = await http()
        .post('/api/booking/reservations')
        .send(body as never);
      expect(res.status).toBe(400);
      expect(res.body.error.details.code).toBe('validation');
    }
    for (const body of [{}, { token: 5 }, { token: 'x', extra: 1 }, { token: 'x'.repeat(600) }]) {
      expect((await confirm(undefined).send(body)).status).toBe(400);
      const res = await http().post('/api/booking/reservations/cancel').send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.code).toBe('validation');
    }
    expect(await count()).toBe(before);
    await mailer().settle();
    expect(smtp.messages.length).toBe(sent);
  });

  test('404 performance_not_found; 409 booking_closed when disabled or started; early 409 sold_out', async () => {
    const unknown = await bookFor('nosuchperformance');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.details.code).toBe('performance_not_found');

    const hidden = await createPerformance(app.strapi, { is_published: false });
    expect((await bookFor(hidden.documentId)).body.error.details.code).toBe('performance_not_found');

    const disabled = await createPerformance(app.strapi, { is_booking_enabled: false });
    const closed = await bookFor(disabled.documentId);
    expect(closed.status).toBe(409);
    expect(closed.body.error.details.code).toBe('booking_closed');

    const started = await createPerformance(app.strapi, { startsInHours: -1 });
    expect((await bookFor(started.documentId)).body.error.details.code).toBe('booking_closed');

    const small = await createPerformance(app.strapi, { room_capacity: 3, manually_occupied_seats: 2 });
    const full = await bookFor(small.documentId, { party_size: 2 });
    expect(full.status).toBe(409);
    expect(full.body.error.details).toEqual({ code: 'sold_out', available_seats: 1 });
  });

  test('confirm: 404 token_invalid, 410 token_used with the status, 410 token_expired', async () => {
    const invalid = await confirm('A'.repeat(43));
    expect(invalid.status).toBe(404);
    expect(invalid.body.error.details.code).toBe('token_invalid');
    expect((await confirm('not a token')).status).toBe(404);

    const perf = await createPerformance(app.strapi);
    const { token } = await bookAndConfirmationToken(perf.documentId);
    expect((await confirm(token)).status).toBe(200);
    const used = await confirm(token);
    expect(used.status).toBe(410);
    expect(used.body.error.details).toEqual({ code: 'token_used', status: 'confirmed' });

    // A cancellation token is not a confirmation token.
    const other = await bookAndConfirmationToken(perf.documentId);
    expect((await cancel(other.token)).status).toBe(404);

    const late = await bookAndConfirmationToken(perf.documentId);
    await app.strapi.db.query('plugin::booking.reservation-token').updateMany({
      where: { token_hash: createHash('sha256').update(late.token).digest('hex') },
      data: { expires_at: new Date(Date.now() - 1000) },
    });
    const expired = await confirm(late.token);
    expect(expired.status).toBe(410);
    expect(expired.body.error.details.code).toBe('token_expired');
    const row = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference: late.res.body.data.reference } });
    expect(row.reservation_status).toBe('expired');
    const afterwards = await confirm(late.token);
    expect(afterwards.status).toBe(410);
    expect(afterwards.body.error.details).toEqual({ code: 'token_expired' });
  });

  test('preview: says what a link acts on, changes nothing and uses nothing up; a used link answers its status', async () => {
    const preview = (token: unknown) => http().post('/api/booking/reservations/preview').send({ token });
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const { res, token } = await bookAndConfirmationToken(perf.documentId, { party_size: 3 });
    const rowOf = () => app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference: res.body.data.reference } });
    const tokenRow = () =>
      app.strapi.db
        .query('plugin::booking.reservation-token')
        .findOne({ where: { token_hash: createHash('sha256').update(token).digest('hex') } });
    const [rowBefore, tokenBefore] = [await rowOf(), await tokenRow()];

    const first = await preview(token);
    expect(first.status).toBe(200);
    expect(Object.keys(first.body.data).sort()).toEqual(['party_size', 'performance', 'reference', 'status']);
    expect(first.body.data).toMatchObject({ reference: res.body.data.reference, status: 'pending', party_size: 3 });
    expect(first.body.data.performance).toMatchObject({ documentId: perf.documentId, show: { slug: perf.showSlug } });
    expect(JSON.stringify(first.body)).not.toMatch(/Giulia|Verdi|@example\.test/);
    // Twice, and nothing moved: the reservation row and the token row are as they were.
    expect((await preview(token)).body).toEqual(first.body);
    expect(await rowOf()).toEqual(rowBefore);
    expect(await tokenRow()).toEqual(tokenBefore);
    expect(tokenBefore.used_at).toBeNull();

    // The token still confirms; the confirmation link then shows the booking confirmed.
    expect((await confirm(token)).status).toBe(200);
    expect((await preview(token)).body.data.status).toBe('confirmed');
    const cancelToken = await (async () => {
      const ticket = await smtp.waitFor((m) => m.text?.includes('/cancel?token=') === true && m.text.includes(res.body.data.reference));
      return tokenOf(linkIn(ticket.text ?? '', `${PUBLIC_URL}/cancel?token=`));
    })();
    expect((await preview(cancelToken)).body.data).toMatchObject({ status: 'confirmed', party_size: 3 });
    expect((await cancel(cancelToken)).status).toBe(200);
    expect((await preview(cancelToken)).body.data.status).toBe('cancelled');

    // Unknown, malformed and lapsed links.
    expect([(await preview('A'.repeat(43))).status, (await preview('A'.repeat(43))).body.error.details.code]).toEqual([
      404,
      'token_invalid',
    ]);
    expect((await preview('not a token')).body.error.details.code).toBe('token_invalid');
    expect((await preview(['x'])).status).toBe(400);
    const late = await bookAndConfirmationToken(perf.documentId);
    await app.strapi.db.query('plugin::booking.reservation-token').updateMany({
      where: { token_hash: createHash('sha256').update(late.token).digest('hex') },
      data: { expires_at: new Date(Date.now() - 1000) },
    });
    const lapsed = await preview(late.token);
    expect([lapsed.status, lapsed.body.error.details.code]).toEqual([410, 'token_expired']);
    // The preview does not expire it: that is the job's or the confirmation's.
    const lateRow = await app.strapi.db
      .query('plugin::booking.reservation')
      .findOne({ where: { reference: late.res.body.data.reference } });
    expect(lateRow.reservation_status).toBe('pending');
  });

  test('confirm: 409 sold_out leaves the reservation pending and the token usable once seats free up', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 4 });
    const first = await bookAndConfirmationToken(perf.documentId, { party_size: 3 });
    const second = await bookAndConfirmationToken(perf.documentId, { party_size: 3 });
    expect((await confirm(first.token)).status).toBe(200);

    const soldOut = await confirm(second.token);
    expect(soldOut.status).toBe(409);
    expect(soldOut.body.error.details).toEqual({ code: 'sold_out', available_seats: 1, performance: perf.documentId });
    const pending = await app.strapi.db
      .query('plugin::booking.reservation')
      .findOne({ where: { reference: second.res.body.data.reference } });
    expect(pending.reservation_status).toBe('pending');

    // The first party cancels; the second may now confirm with the same link.
    const ticket = await smtp.waitFor((m) => smtp.to(first.email).includes(m) && /biglietto/i.test(m.subject ?? ''));
    expect((await cancel(tokenOf(linkIn(ticket.text ?? '', `${PUBLIC_URL}/cancel?token=`)))).status).toBe(200);
    expect((await confirm(second.token)).status).toBe(200);
  });

  test('confirm with a smaller party_size when the whole party no longer fits: fewer seats confirmed, the ticket says so', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 5 });
    const first = await bookAndConfirmationToken(perf.documentId, { party_size: 3 });
    const second = await bookAndConfirmationToken(perf.documentId, { party_size: 4 });
    expect((await confirm(first.token)).status).toBe(200);
    const whole = await confirm(second.token);
    expect([whole.status, whole.body.error.details]).toEqual([409, { code: 'sold_out', available_seats: 2, performance: perf.documentId }]);
    const confirmWith = (party_size: unknown) => http().post('/api/booking/reservations/confirm').send({ token: second.token, party_size });
    // Larger than requested, not a whole number, below 1: 400, nothing changes.
    for (const bad of [5, 0, -1, 1.5, 'due']) {
      const res = await confirmWith(bad);
      expect([res.status, res.body.error.details.code]).toEqual([400, 'validation']);
    }
    const three = await confirmWith(3);
    expect([three.status, three.body.error.details]).toEqual([409, { code: 'sold_out', available_seats: 2, performance: perf.documentId }]);
    const two = await confirmWith(2);
    expect(two.status).toBe(200);
    expect(two.body.data).toMatchObject({ reference: second.res.body.data.reference, status: 'confirmed', party_size: 2 });
    expect(two.body.data.performance).toMatchObject({ documentId: perf.documentId, available_seats: 0 });
    const stored = await app.strapi.db
      .query('plugin::booking.reservation')
      .findOne({ where: { reference: second.res.body.data.reference } });
    expect(stored).toMatchObject({ reservation_status: 'confirmed', party_size: 2 });
    const ticket = await smtp.waitFor((m) => smtp.to(second.email).includes(m) && /biglietto/i.test(m.subject ?? ''));
    expect(ticket.text).toMatch(/Posti: 2\b/);
    const again = await confirmWith(1);
    expect([again.status, again.body.error.details]).toEqual([410, { code: 'token_used', status: 'confirmed' }]);
    expect(await service(app.strapi, 'door-reports').statistics(perf.documentId)).toMatchObject({ confirmed_seats: 5, available_seats: 0 });
  });

  test('confirm: 409 booking_closed once booking is switched off', async () => {
    const perf = await createPerformance(app.strapi);
    const { token } = await bookAndConfirmationToken(perf.documentId);
    await app.strapi.db.query('plugin::booking.performance').update({ where: { id: perf.id }, data: { is_booking_enabled: false } });
    const res = await confirm(token);
    expect(res.status).toBe(409);
    expect(res.body.error.details.code).toBe('booking_closed');
  });

  test('cancel: 409 too_late after the performance has started or after check-in', async () => {
    const perf = await createPerformance(app.strapi);
    const a = await bookAndConfirmationToken(perf.documentId);
    const b = await bookAndConfirmationToken(perf.documentId);
    expect((await confirm(a.token)).status).toBe(200);
    expect((await confirm(b.token)).status).toBe(200);
    const cancelTokenOf = async (email: string) =>
      tokenOf(
        linkIn(
          (await smtp.waitFor((m) => smtp.to(email).includes(m) && /biglietto/i.test(m.subject ?? ''))).text ?? '',
          `${PUBLIC_URL}/cancel?token=`
        )
      );

    const reservation = await app.strapi.db
      .query('plugin::booking.reservation')
      .findOne({ where: { reference: a.res.body.data.reference } });
    await app.strapi.db.query('plugin::booking.check-in').create({
      data: { reservation: reservation.id, checked_in_at: new Date(), source: 'manual' },
    });
    const afterCheckIn = await cancel(await cancelTokenOf(a.email));
    expect(afterCheckIn.status).toBe(409);
    expect(afterCheckIn.body.error.details.code).toBe('too_late');

    await app.strapi.db.query('plugin::booking.performance').update({
      where: { id: perf.id },
      data: { starts_at: new Date(Date.now() - 60_000) },
    });
    const afterStart = await cancel(await cancelTokenOf(b.email));
    expect(afterStart.status).toBe(409);
    expect(afterStart.body.error.details.code).toBe('too_late');
  });

  test('public answers never carry personal data, token ids or hashes', async () => {
    const perf = await createPerformance(app.strapi);
    const email = newEmail();
    const res = await bookFor(perf.documentId, { email, phone: '0511234567', notes: 'nota privata' });
    const token = await confirmationTokenFor(email);
    const confirmed = await confirm(token);
    for (const body of [res.body, confirmed.body, (await http().get(`/api/booking/performances/${perf.documentId}`)).body]) {
      const text = JSON.stringify(body);
      for (const secret of [email, '0511234567', 'nota privata', 'token', 'hash', '"id"']) expect(text).not.toContain(secret);
    }
  });
});

describe('browsers, expiry and mail delivery', () => {
  test('CORS answers the allowed origin (the origin of BOOKING_PUBLIC_URL) and no other', async () => {
    const allowed = await http()
      .options('/api/booking/reservations')
      .set('Origin', 'https://teatro.example.test')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://teatro.example.test');
    const other = await http()
      .options('/api/booking/reservations')
      .set('Origin', 'https://evil.example.test')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const get = await http().get('/api/booking/shows').set('Origin', 'https://evil.example.test');
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('pending reservations whose link lapsed become expired; confirmed ones are untouched', async () => {
    const perf = await createPerformance(app.strapi);
    const pending = await bookAndConfirmationToken(perf.documentId);
    const kept = await bookAndConfirmationToken(perf.documentId);
    expect((await confirm(kept.token)).status).toBe(200);
    const future = new Date(Date.now() + 2 * 3600_000);
    // Earlier tests of this file leave pending reservations too: every one whose link lapses by then.
    const lapsing = { reservation_status: 'pending', confirm_by: { $lt: future } };
    const due = await app.strapi.db.query('plugin::booking.reservation').count({ where: lapsing });
    expect(due).toBeGreaterThanOrEqual(1);
    expect(await reservations().expireOverdue(future)).toBe(due);
    expect(await app.strapi.db.query('plugin::booking.reservation').count({ where: lapsing })).toBe(0);
    const row = (ref: string) => app.strapi.db.query('plugin::booking.reservation').findOne({ where: { reference: ref } });
    expect((await row(pending.res.body.data.reference)).reservation_status).toBe('expired');
    expect((await row(kept.res.body.data.reference)).reservation_status).toBe('confirmed');
    expect((await confirm(pending.token)).body.error.details).toEqual({ code: 'token_expired' });
  });

  test('with the SMTP server down the booking still succeeds; the mail is kept, retried, and arrives once', async () => {
    const perf = await createPerformance(app.strapi);
    await smtp.stop();
    const email = newEmail();
    const res = await bookFor(perf.documentId, { email });
    expect(res.status).toBe(201);
    await mailer().settle();
    const outbox = await app.strapi.db.query('plugin::booking.outbox-message').findMany({
      where: { reservation: { reference: res.body.data.reference } },
    });
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ delivery_status: 'retrying', attempts: 1 });
    expect(outbox[0].last_error).not.toContain(email);

    // Still down at the first retry: another attempt, still kept.
    await mailer().deliverDue(new Date(Date.now() + 60_000));
    const second = await app.strapi.db.query('plugin::booking.outbox-message').findOne({ where: { id: outbox[0].id } });
    expect(second).toMatchObject({ delivery_status: 'retrying', attempts: 2 });

    await smtp.start();
    const later = new Date(Date.now() + 3600_000);
    expect(await mailer().deliverDue(later)).toContain('sent');
    await mailer().deliverDue(later);
    expect(smtp.to(email)).toHaveLength(1);
    const token = tokenOf(linkIn(smtp.to(email)[0].text ?? '', `${PUBLIC_URL}/confirm?token=`));
    expect((await confirm(token)).status).toBe(200);
    const sent = await app.strapi.db.query('plugin::booking.outbox-message').findOne({ where: { id: outbox[0].id } });
    expect(sent).toMatchObject({ delivery_status: 'sent', attempts: 3 });
  });

  test('two instances retrying the same outbox send each mail once', async () => {
    const perf = await createPerformance(app.strapi);
    await smtp.stop();
    const emails = [newEmail(), newEmail(), newEmail()];
    for (const email of emails) expect((await bookFor(perf.documentId, { email })).status).toBe(201);
    await mailer().settle();
    await smtp.start();
    const later = new Date(Date.now() + 3600_000);
    // Two concurrent retry runs, as two instances' jobs firing at the same second.
    await Promise.all([mailer().deliverDue(later), mailer().deliverDue(later)]);
    for (const email of emails) expect(smtp.to(email)).toHaveLength(1);
  });
});

test("after every flow above, each performance's confirmed-seat counter agrees with its reservations", async () => {
  const availability = service(app.strapi, 'availability');
  // Not on an empty database: the flows above (not skipped by a filter) confirmed seats.
  const confirmed = (await app.strapi.db.query('plugin::booking.reservation').findMany({
    where: { reservation_status: 'confirmed' },
    select: ['id', 'party_size'],
  })) as Array<{ party_size: number }>;
  expect(confirmed.length).toBeGreaterThan(0);
  const counted = (await app.strapi.db.connection('booking_performance_seats').sum({ seats: 'confirmed_seats' }))[0].seats;
  expect(Number(counted)).toBe(confirmed.reduce((sum, r) => sum + r.party_size, 0));
  expect([...(await availability.recount()).entries()]).toEqual([]);
});
