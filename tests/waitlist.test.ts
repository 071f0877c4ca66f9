/**
 * The waiting list over HTTP against the real app on PostgreSQL, with a real SMTP server: join
 * and leave with every code of the contract, offers in the order of joining (a party that does
 * not fit keeps its place), offers made where seats are freed (cancel, reduce, capacity raise,
 * lapsed offer), an offer confirmed in time never sold out, and the held seats counted in every
 * answer and in the counters.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { confirmedReservation, createPerformance } from './support/factories';
import { expectInvariants } from './support/invariants';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from './support/smtp';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
let app: TestApp;
let smtp: SmtpSink;
const http = () => request(app.strapi.server.httpServer);
const service = (name: string) => app.strapi.plugin('booking').service(name);
let counter = 0;
const newEmail = (tag = 'wait') => `${tag}${(counter += 1)}@example.test`;

const join = (body: Record<string, unknown>) => http().post('/api/booking/waitlist').send({ data: body });
const joinAs = (performance: string, email: string, party_size: number, extra: Record<string, unknown> = {}) =>
  join({ performance, name: 'Anna Bianchi', email, party_size, ...extra });
const leave = (token: unknown) => http().post('/api/booking/waitlist/leave').send({ token });
const confirm = (token: unknown) => http().post('/api/booking/reservations/confirm').send({ token });
const cancel = (token: unknown) => http().post('/api/booking/reservations/cancel').send({ token });
const reduce = (body: Record<string, unknown>) => http().post('/api/booking/reservations/reduce').send(body);
const settle = async () => {
  await service('events').settle();
  await service('mailer').settle();
};

/** The link of `page` in the last mail to `email` that has one. */
const tokenInMail = async (email: string, page: string) => {
  const prefix = `${PUBLIC_URL}/${page}?token=`;
  const mail = await smtp.waitFor((m) => smtp.to(email).includes(m) && (m.text ?? '').includes(prefix));
  return tokenOf(linkIn(mail.text ?? '', prefix));
};

const entryOf = async (reference: string) =>
  (await app.strapi.db.query('plugin::booking.waitlist-entry').findOne({ where: { reference }, populate: { offer: true } })) as {
    waitlist_status: string;
    offer: { id: number; reservation_status: string; party_size: number; held_until: string } | null;
  };

const stats = async (documentId: string) => service('door-reports').statistics(documentId);

/** A sold-out performance: `seats` seats, all confirmed by one party; returns its cancellation token. */
const soldOut = async (seats: number) => {
  const perf = await createPerformance(app.strapi, { room_capacity: seats });
  const confirmed = await confirmedReservation(app.strapi, perf.documentId, seats);
  return { perf, cancellationToken: confirmed.cancellationToken as string, reservation: confirmed.reservation };
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      BOOKING_PUBLIC_URL: PUBLIC_URL,
      BOOKING_RATE_LIMIT_PER_MINUTE: '0',
      BOOKING_SCHEDULED_JOBS: 'false',
      BOOKING_MAX_PARTY_SIZE: '6',
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

describe('joining and leaving', () => {
  test('a party that fits is told to book instead: 409 seats_available with the seats', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 5 });
    const res = await joinAs(perf.documentId, newEmail(), 5);
    expect(res.status).toBe(409);
    expect(res.body.error.details).toEqual({ code: 'seats_available', available_seats: 5 });
    const pub = await http().get(`/api/booking/performances/${perf.documentId}`);
    expect(pub.body.data.waitlist_open).toBe(false);
  });

  test('on a sold-out performance: 201 waiting, one mail with the leave link and nothing typed, waitlist_open', async () => {
    const { perf } = await soldOut(4);
    const pub = await http().get(`/api/booking/performances/${perf.documentId}`);
    expect(pub.body.data).toMatchObject({ available_seats: 0, bookable: false, waitlist_open: true });

    const email = newEmail();
    const res = await joinAs(perf.documentId, email, 2, { notes: 'nota privata', locale: 'en' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(['party_size', 'performance', 'reference', 'status']);
    expect(res.body.data).toMatchObject({
      status: 'waiting',
      party_size: 2,
      performance: { documentId: perf.documentId, waitlist_open: true },
    });
    expect(JSON.stringify(res.body)).not.toContain(email);

    await settle();
    const mails = smtp.to(email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('waiting list');
    // English visitors' links open the pages in English.
    expect(mails[0].text).toContain(`${PUBLIC_URL}/waitlist/leave?token=`);
    expect(linkIn(mails[0].text ?? '', `${PUBLIC_URL}/waitlist/leave?token=`)).toMatch(/&lang=en$/);
    expect(String(mails[0].html)).toContain('/waitlist/leave?token=');
    expect(mails[0].text).not.toContain('Anna');
    expect(mails[0].text).not.toContain('nota privata');

    const again = await joinAs(perf.documentId, email.toUpperCase(), 1);
    expect(again.status).toBe(409);
    expect(again.body.error.details.code).toBe('already_waiting');
    expect(await stats(perf.documentId)).toMatchObject({ held_seats: 0, waiting_entries: 1, waiting_seats: 2, available_seats: 0 });
  });

  test('404 performance_not_found, 409 booking_closed, 400 validation naming the fields', async () => {
    const unknown = await joinAs('nosuchperformance', newEmail(), 1);
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'performance_not_found']);
    const closed = await createPerformance(app.strapi, { room_capacity: 0, is_booking_enabled: false });
    const res = await joinAs(closed.documentId, newEmail(), 1);
    expect([res.status, res.body.error.details.code]).toEqual([409, 'booking_closed']);
    const bad = await join({ performance: closed.documentId, name: '', email: 'nope', party_size: 0, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.code).toBe('validation');
    const paths = (bad.body.error.details.errors as Array<{ path: string[] }>).map((e) => e.path.join('.')).sort();
    expect(paths).toEqual(expect.arrayContaining(['data.email', 'data.name', 'data.party_size']));
  });

  test('pending reservations and waiting entries of one address count together: the 4th is 429', async () => {
    const { perf } = await soldOut(1);
    const open = await createPerformance(app.strapi, { room_capacity: 10 });
    const email = newEmail();
    const book = (n: number) =>
      http()
        .post('/api/booking/reservations')
        .send({ data: { performance: open.documentId, name: 'Anna Bianchi', email, party_size: n } });
    expect((await book(1)).status).toBe(201);
    expect((await book(1)).status).toBe(201);
    expect((await joinAs(perf.documentId, email, 1)).status).toBe(201);
    const fourth = await book(1);
    expect([fourth.status, fourth.body.error.details.code]).toEqual([429, 'rate_limited']);
    const other = await createPerformance(app.strapi, { room_capacity: 0 });
    const fifth = await joinAs(other.documentId, email, 1);
    expect([fifth.status, fifth.body.error.details.code]).toEqual([429, 'rate_limited']);
  });

  test('leave: 200 left, then 410 token_used with the status; 404 for an unknown link; 400 without one', async () => {
    const { perf } = await soldOut(2);
    const email = newEmail();
    const joined = await joinAs(perf.documentId, email, 1);
    const token = await tokenInMail(email, 'waitlist/leave');
    const res = await leave(token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { reference: joined.body.data.reference, status: 'left' } });
    const twice = await leave(token);
    expect([twice.status, twice.body.error.details]).toEqual([410, { code: 'token_used', status: 'left' }]);
    const unknown = await leave('A'.repeat(43));
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'token_invalid']);
    const missing = await http().post('/api/booking/waitlist/leave').send({});
    expect([missing.status, missing.body.error.details.code]).toEqual([400, 'validation']);
  });
});

describe('offers', () => {
  test('freed seats go in the order of joining; a party that does not fit keeps its place; a left entry gets nothing', async () => {
    const { perf, cancellationToken } = await soldOut(4);
    const a = newEmail('a');
    const e = newEmail('e');
    const b = newEmail('b');
    const c = newEmail('c');
    const d = newEmail('d');
    const refs: Record<string, string> = {};
    for (const [email, size] of [
      [a, 3],
      [e, 1],
      [b, 2],
      [c, 1],
      [d, 1],
    ] as Array<[string, number]>) {
      const res = await joinAs(perf.documentId, email, size);
      expect(res.status).toBe(201);
      refs[email] = res.body.data.reference;
    }
    expect((await leave(await tokenInMail(e, 'waitlist/leave'))).status).toBe(200);

    // Ordinary pending reservations made while sold out: they will compete for nothing held.
    const open = await service('reservations').createReservation({
      performance: perf.documentId,
      name: 'X Y',
      email: newEmail('x'),
      party_size: 1,
    });
    expect(open).toMatchObject({ ok: false, code: 'sold_out' });

    const before = Date.now();
    expect((await cancel(cancellationToken)).status).toBe(200);
    await settle();

    // 4 seats: A (3) then C (1); B (2) does not fit the one left after A and keeps its place.
    expect((await entryOf(refs[a])).waitlist_status).toBe('offered');
    expect((await entryOf(refs[b])).waitlist_status).toBe('waiting');
    expect((await entryOf(refs[c])).waitlist_status).toBe('offered');
    expect((await entryOf(refs[d])).waitlist_status).toBe('waiting');
    expect((await entryOf(refs[e])).waitlist_status).toBe('left');
    const offerA = (await entryOf(refs[a])).offer!;
    expect(offerA).toMatchObject({ reservation_status: 'pending', party_size: 3 });
    const heldFor = new Date(offerA.held_until).getTime() - before;
    expect(heldFor).toBeGreaterThan(119 * 60_000);
    expect(heldFor).toBeLessThanOrEqual(121 * 60_000);
    expect(await stats(perf.documentId)).toMatchObject({
      confirmed_seats: 0,
      held_seats: 4,
      available_seats: 0,
      waiting_entries: 2,
      waiting_seats: 3,
    });
    const pub = await http().get(`/api/booking/performances/${perf.documentId}`);
    expect(pub.body.data).toMatchObject({ available_seats: 0, bookable: false, waitlist_open: true });
    // The cancelled visitor got a receipt; the left entry got nothing beyond its first mail.
    expect(smtp.to(e)).toHaveLength(1);

    // A public booking cannot take held seats.
    const late = await http()
      .post('/api/booking/reservations')
      .send({ data: { performance: perf.documentId, name: 'Z Z', email: newEmail('z'), party_size: 1 } });
    expect([late.status, late.body.error.details.code]).toEqual([409, 'sold_out']);

    // The offer mail carries the usual confirmation link; confirming in time never is sold_out.
    const offerMail = await smtp.waitFor((m) => smtp.to(a).includes(m) && (m.text ?? '').includes('/confirm?token='));
    expect(offerMail.subject).toContain('liberati');
    const confirmedA = await confirm(await tokenInMail(a, 'confirm'));
    expect(confirmedA.status).toBe(200);
    expect(confirmedA.body.data).toMatchObject({ status: 'confirmed', party_size: 3 });
    expect((await entryOf(refs[a])).waitlist_status).toBe('booked');
    await settle();
    const ticket = await smtp.waitFor((m) => smtp.to(a).includes(m) && (m.text ?? '').includes('/cancel?token='));
    expect(ticket.attachments.some((x) => x.contentType === 'image/png')).toBe(true);

    // C's offer lapses: within one job run its seat goes to D (B still does not fit).
    const cToken = await tokenInMail(c, 'confirm');
    const lapsedAt = new Date(Date.now() + 121 * 60_000);
    expect(await service('waitlist').expireOverdueOffers(lapsedAt)).toBe(1);
    await settle();
    expect((await entryOf(refs[c])).waitlist_status).toBe('expired');
    expect((await entryOf(refs[d])).waitlist_status).toBe('offered');
    expect((await entryOf(refs[b])).waitlist_status).toBe('waiting');
    const lateClick = await confirm(cToken);
    expect([lateClick.status, lateClick.body.error.details.code]).toEqual([410, 'token_expired']);
    expect(await stats(perf.documentId)).toMatchObject({ confirmed_seats: 3, held_seats: 1, waiting_entries: 1, waiting_seats: 2 });
    expect((await confirm(await tokenInMail(d, 'confirm'))).status).toBe(200);
    expect(await stats(perf.documentId)).toMatchObject({ confirmed_seats: 4, held_seats: 0, available_seats: 0 });
    await expectInvariants(app.strapi, perf.id, 4);
  });

  test('an offer clicked after held_until but before the job: 410 token_expired, and its seats pass on at once', async () => {
    const { perf, cancellationToken } = await soldOut(2);
    const first = newEmail();
    const second = newEmail();
    await joinAs(perf.documentId, first, 2);
    const secondJoin = await joinAs(perf.documentId, second, 2);
    await cancel(cancellationToken);
    await settle();
    const token = await tokenInMail(first, 'confirm');
    const result = await service('reservations').confirmReservation(token, new Date(Date.now() + 3 * 3600_000));
    expect(result).toMatchObject({ ok: false, code: 'token_expired' });
    expect((await entryOf(secondJoin.body.data.reference)).waitlist_status).toBe('offered');
    await expectInvariants(app.strapi, perf.id, 2);
  });

  test('an offer never holds past the start', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 1, startsInHours: 1 });
    const confirmed = await confirmedReservation(app.strapi, perf.documentId, 1);
    const res = await joinAs(perf.documentId, newEmail(), 1);
    await cancel(confirmed.cancellationToken);
    const offer = (await entryOf(res.body.data.reference)).offer!;
    const start = (await app.strapi.db.query('plugin::booking.performance').findOne({ where: { id: perf.id } })).starts_at;
    expect(new Date(offer.held_until).getTime()).toBe(new Date(start).getTime());
  });

  test('a capacity raise in the Content Manager offers the new seats; a cut below confirmed + held is refused', async () => {
    const { perf } = await soldOut(2);
    const res = await joinAs(perf.documentId, newEmail(), 2);
    await app.strapi
      .documents('plugin::booking.performance' as never)
      .update({ documentId: perf.documentId, data: { room_capacity: 4 } } as never);
    expect((await entryOf(res.body.data.reference)).waitlist_status).toBe('offered');
    expect(await stats(perf.documentId)).toMatchObject({ confirmed_seats: 2, held_seats: 2, available_seats: 0 });
    await expect(
      app.strapi
        .documents('plugin::booking.performance' as never)
        .update({ documentId: perf.documentId, data: { room_capacity: 3 } } as never)
    ).rejects.toMatchObject({ details: { code: 'capacity_below_confirmed' } });
    await expectInvariants(app.strapi, perf.id, 4);
  });

  test('staff cancelling an offer gives its seats to the next entry', async () => {
    const { perf, cancellationToken } = await soldOut(2);
    const first = await joinAs(perf.documentId, newEmail(), 2);
    const second = await joinAs(perf.documentId, newEmail(), 2);
    await cancel(cancellationToken);
    const offer = (await entryOf(first.body.data.reference)).offer!;
    await service('reservations').cancelByStaff(offer.id);
    expect((await entryOf(first.body.data.reference)).waitlist_status).toBe('expired');
    expect((await entryOf(second.body.data.reference)).waitlist_status).toBe('offered');
    await expectInvariants(app.strapi, perf.id, 2);
  });
});

describe('a smaller party', () => {
  test('reduce: 200 with the new size, the seats offered at once; every refusal with its code', async () => {
    const { perf, cancellationToken, reservation } = await soldOut(4);
    const waiting = await joinAs(perf.documentId, newEmail(), 2);

    for (const party_size of [4, 5, 0, -1, 1.5, '2']) {
      const bad = await reduce({ token: cancellationToken, party_size });
      expect([bad.status, bad.body.error.details.code]).toEqual([400, 'validation']);
    }
    const unknown = await reduce({ token: 'B'.repeat(43), party_size: 1 });
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'token_invalid']);

    const res = await reduce({ token: cancellationToken, party_size: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { reference: reservation.reference, status: 'confirmed', party_size: 2 } });
    expect((await entryOf(waiting.body.data.reference)).waitlist_status).toBe('offered');
    expect(await stats(perf.documentId)).toMatchObject({ confirmed_seats: 2, held_seats: 2, available_seats: 0 });

    const tooLate = await service('reservations').reduceReservation(cancellationToken, 1, new Date(Date.now() + 100 * 3600_000));
    expect(tooLate).toMatchObject({ ok: false, code: 'too_late' });

    expect((await cancel(cancellationToken)).status).toBe(200);
    const gone = await reduce({ token: cancellationToken, party_size: 1 });
    expect([gone.status, gone.body.error.details]).toEqual([410, { code: 'token_used', status: 'cancelled' }]);
    await expectInvariants(app.strapi, perf.id, 4);
  });
});

describe('personal data', () => {
  test("a visitor's export lists their entries; erasure takes them off the list and erases them; retention erases old ones", async () => {
    const { perf } = await soldOut(1);
    const email = newEmail('priv');
    const joined = await joinAs(perf.documentId, email, 1, { phone: '+39 051 123', notes: 'sedia a rotelle' });
    await settle();
    const privacy = service('privacy');
    const exported = await privacy.exportVisitor(email.toUpperCase());
    expect(exported.waitlist_entries).toEqual([
      expect.objectContaining({
        reference: joined.body.data.reference,
        status: 'waiting',
        party_size: 1,
        email,
        phone: '+39 051 123',
        notes: 'sedia a rotelle',
        performance: { documentId: perf.documentId, starts_at: expect.any(String) },
      }),
    ]);
    expect(await privacy.eraseVisitor(email)).toEqual({ reservations: 0, waitlist_entries: 1, found: true });
    const erased = await app.strapi.db
      .query('plugin::booking.waitlist-entry')
      .findOne({ where: { reference: joined.body.data.reference } });
    expect(erased).toMatchObject({ waitlist_status: 'left', name: '—', email: 'erased@erased.invalid', phone: null, notes: null });
    expect((await privacy.exportVisitor(email)).waitlist_entries).toEqual([]);

    // Retention: an entry of a performance that started long ago loses its data.
    const old = await soldOut(1);
    const oldJoin = await joinAs(old.perf.documentId, newEmail('old'), 1);
    await app.strapi.db
      .connection('booking_performances')
      .where({ id: old.perf.id })
      .update({ starts_at: new Date(Date.now() - 40 * 24 * 3600_000) });
    await privacy.eraseLapsed(new Date());
    const lapsed = await app.strapi.db
      .query('plugin::booking.waitlist-entry')
      .findOne({ where: { reference: oldJoin.body.data.reference } });
    expect(lapsed).toMatchObject({ name: '—', email: 'erased@erased.invalid', waitlist_status: 'left' });
  });
});

test('after everything, the confirmed and held counters agree with the reservations', async () => {
  expect([...(await service('availability').recount()).entries()]).toEqual([]);
});
