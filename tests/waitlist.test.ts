/**
 * The waiting list over HTTP against the real app on PostgreSQL, with a real SMTP server: join,
 * confirm the join by its mailed link, and leave, with every code of the contract; unconfirmed
 * joins get no offers and lapse; the place in the queue; one code from the join to the ticket; offers in the order of joining (a party that does
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
/** A join its address has not confirmed yet. */
const joinUnconfirmed = (performance: string, email: string, party_size: number, extra: Record<string, unknown> = {}) =>
  join({ performance, name: 'Anna Bianchi', email, party_size, ...extra });
const confirmJoin = (token: unknown) => http().post('/api/booking/waitlist/confirm').send({ token });
/** Joins and confirms by the link of the join's e-mail, as a visitor does; answers the join. */
const joinAs = async (performance: string, email: string, party_size: number, extra: Record<string, unknown> = {}) => {
  const res = await joinUnconfirmed(performance, email, party_size, extra);
  if (res.status !== 201) return res;
  const confirmed = await confirmJoin(await freshTokenInMail(email, 'waitlist/confirm'));
  expect(confirmed.status).toBe(200);
  return res;
};
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

const seenTokens = new Set<string>();
/** The token of the first mail to `email` with a link of `page` not taken before. */
const freshTokenInMail = async (email: string, page: string) => {
  const prefix = `${PUBLIC_URL}/${page}?token=`;
  const mail = await smtp.waitFor((m) => {
    const text = m.text ?? '';
    return smtp.to(email).includes(m) && text.includes(prefix) && !seenTokens.has(tokenOf(linkIn(text, prefix)));
  });
  const token = tokenOf(linkIn(mail.text ?? '', prefix));
  seenTokens.add(token);
  return token;
};

const entryOf = async (reference: string) =>
  (await app.strapi.db.query('plugin::booking.waitlist-entry').findOne({ where: { reference }, populate: { offer: true } })) as {
    waitlist_status: string;
    offer: { id: number; reference: string; reservation_status: string; party_size: number; held_until: string } | null;
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

  test('on a sold-out performance: 201 unconfirmed and one mail with the confirm link; confirm: 200 waiting with its place, then the leave link', async () => {
    const { perf } = await soldOut(4);
    const pub = await http().get(`/api/booking/performances/${perf.documentId}`);
    expect(pub.body.data).toMatchObject({ available_seats: 0, bookable: false, waitlist_open: true });

    const email = newEmail();
    const res = await joinUnconfirmed(perf.documentId, email, 2, { notes: 'nota privata', locale: 'en' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.data).sort()).toEqual(['confirm_by', 'party_size', 'performance', 'reference', 'status']);
    // The link lives BOOKING_CONFIRMATION_TTL_MINUTES (60 here).
    expect(Math.abs(new Date(res.body.data.confirm_by).getTime() - Date.now() - 60 * 60_000)).toBeLessThan(60_000);
    expect(res.body.data).toMatchObject({
      status: 'unconfirmed',
      party_size: 2,
      performance: { documentId: perf.documentId, waitlist_open: true },
    });
    expect(JSON.stringify(res.body)).not.toContain(email);

    await settle();
    const mails = smtp.to(email);
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toContain('Confirm the waiting list');
    // English visitors' links open the pages in English; no leave link yet, and no "ignore it".
    expect(linkIn(mails[0].text ?? '', `${PUBLIC_URL}/waitlist/confirm?token=`)).toMatch(/&lang=en$/);
    expect(String(mails[0].html)).toContain('/waitlist/confirm?token=');
    expect(mails[0].text).not.toContain('/waitlist/leave?token=');
    expect(mails[0].text).not.toMatch(/ignore/i);
    expect(mails[0].text).toContain('lapses by itself');
    expect(mails[0].text).not.toContain('Anna');
    expect(mails[0].text).not.toContain('nota privata');
    // Unconfirmed: not in the queue.
    expect(await stats(perf.documentId)).toMatchObject({ waiting_entries: 0, waiting_seats: 0 });
    expect((await entryOf(res.body.data.reference)).waitlist_status).toBe('unconfirmed');

    // The same address again while its first join waits for confirmation: already_waiting.
    const again = await joinUnconfirmed(perf.documentId, email.toUpperCase(), 1);
    expect([again.status, again.body.error.details.code]).toEqual([409, 'already_waiting']);

    const token = await freshTokenInMail(email, 'waitlist/confirm');
    const confirmed = await confirmJoin(token);
    expect(confirmed.status).toBe(200);
    expect(Object.keys(confirmed.body.data).sort()).toEqual(['party_size', 'performance', 'position', 'reference', 'status']);
    expect(confirmed.body.data).toMatchObject({
      reference: res.body.data.reference,
      status: 'waiting',
      party_size: 2,
      position: 1,
      performance: { documentId: perf.documentId },
    });
    expect(await stats(perf.documentId)).toMatchObject({ held_seats: 0, waiting_entries: 1, waiting_seats: 2, available_seats: 0 });

    await settle();
    const onList = await smtp.waitFor((m) => smtp.to(email).includes(m) && (m.text ?? '').includes('/waitlist/leave?token='));
    expect(onList.subject).toContain('You are on the waiting list');
    expect(onList.text).toContain('Your party is first on the list.');
    expect(onList.text).toContain(res.body.data.reference);
    expect(linkIn(onList.text ?? '', `${PUBLIC_URL}/waitlist/leave?token=`)).toMatch(/&lang=en$/);
    expect(smtp.to(email)).toHaveLength(2);

    const twice = await confirmJoin(token);
    expect([twice.status, twice.body.error.details]).toEqual([410, { code: 'token_used', status: 'waiting' }]);
    const unknown = await confirmJoin('C'.repeat(43));
    expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'token_invalid']);
    const malformed = await confirmJoin('not a token');
    expect([malformed.status, malformed.body.error.details.code]).toEqual([404, 'token_invalid']);
    const missing = await http().post('/api/booking/waitlist/confirm').send({});
    expect([missing.status, missing.body.error.details.code]).toEqual([400, 'validation']);
  });

  test('the place in the queue counts the confirmed entries still waiting ahead, in the order their addresses confirmed', async () => {
    const { perf } = await soldOut(2);
    const [a, b, c] = [newEmail('qa'), newEmail('qb'), newEmail('qc')];
    // B joins first but confirms last: the queue is the order of confirmation.
    expect((await joinUnconfirmed(perf.documentId, b, 1)).status).toBe(201);
    expect((await joinUnconfirmed(perf.documentId, a, 1)).status).toBe(201);
    expect((await joinUnconfirmed(perf.documentId, c, 1)).status).toBe(201);
    const place = async (email: string) => (await confirmJoin(await freshTokenInMail(email, 'waitlist/confirm'))).body.data.position;
    expect(await place(a)).toBe(1);
    expect(await place(c)).toBe(2);
    expect(await place(b)).toBe(3);
    await settle();
    const bMail = await smtp.waitFor((m) => smtp.to(b).includes(m) && (m.text ?? '').includes('/waitlist/leave?token='));
    expect(bMail.text).toContain('Sei il gruppo numero 3 in lista.');
  });

  test('a party larger than the seats left may join; one that fits is told to book (409 seats_available)', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 5 });
    await confirmedReservation(app.strapi, perf.documentId, 2);
    const fits = await joinUnconfirmed(perf.documentId, newEmail(), 3);
    expect([fits.status, fits.body.error.details]).toEqual([409, { code: 'seats_available', available_seats: 3 }]);
    const larger = await joinAs(perf.documentId, newEmail(), 4);
    expect(larger.status).toBe(201);
    // Nothing is offered: 4 do not fit in 3. One more seat freed later would be theirs.
    expect((await entryOf(larger.body.data.reference)).waitlist_status).toBe('waiting');
    expect(await stats(perf.documentId)).toMatchObject({ available_seats: 3, held_seats: 0, waiting_entries: 1 });
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
    expect((await joinUnconfirmed(perf.documentId, email, 1)).status).toBe(201);
    const fourth = await book(1);
    expect([fourth.status, fourth.body.error.details.code]).toEqual([429, 'rate_limited']);
    const other = await createPerformance(app.strapi, { room_capacity: 0 });
    const fifth = await joinUnconfirmed(other.documentId, email, 1);
    expect([fifth.status, fifth.body.error.details.code]).toEqual([429, 'rate_limited']);
    // Once its address confirmed the join, the entry no longer counts: one more request fits.
    expect((await confirmJoin(await freshTokenInMail(email, 'waitlist/confirm'))).status).toBe(200);
    expect((await book(1)).status).toBe(201);
    expect((await book(1)).status).toBe(429);
  });

  test('an unconfirmed join lapses after the confirmation time: 410 token_expired, expired, counted no more', async () => {
    const { perf } = await soldOut(1);
    const email = newEmail('lapse');
    const joined = await joinUnconfirmed(perf.documentId, email, 1);
    const token = await freshTokenInMail(email, 'waitlist/confirm');
    const later = new Date(Date.now() + 61 * 60_000);
    // The housekeeping job's step, then a late click.
    expect(await service('waitlist').expireUnconfirmed(later)).toBeGreaterThanOrEqual(1);
    expect((await entryOf(joined.body.data.reference)).waitlist_status).toBe('expired');
    const late = await confirmJoin(token);
    expect([late.status, late.body.error.details.code]).toEqual([410, 'token_expired']);
    // Clicked after the lapse but before the job: token_expired too, and the entry expires.
    const second = await joinUnconfirmed(perf.documentId, email, 1);
    expect(second.status).toBe(201);
    const secondToken = await freshTokenInMail(email, 'waitlist/confirm');
    expect(await service('waitlist').confirm(secondToken, later)).toMatchObject({ ok: false, code: 'token_expired' });
    expect((await entryOf(second.body.data.reference)).waitlist_status).toBe('expired');
    // A lapsed join holds no place: the same address may join again.
    expect((await joinUnconfirmed(perf.documentId, email, 1)).status).toBe(201);
  });

  test('leave: 200 left, then 410 token_used with the status; 404 for an unknown link; 400 without one', async () => {
    const { perf } = await soldOut(2);
    const email = newEmail();
    const joined = await joinAs(perf.documentId, email, 1);
    const token = await freshTokenInMail(email, 'waitlist/leave');
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
    expect((await leave(await freshTokenInMail(e, 'waitlist/leave'))).status).toBe(200);

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
    // The cancelled visitor got a receipt; the left entry got nothing beyond its two first mails.
    expect(smtp.to(e)).toHaveLength(2);
    // One code from the join to the door: the offer carries the entry's reference.
    expect(offerA.reference).toBe(refs[a]);

    // A public booking cannot take held seats.
    const late = await http()
      .post('/api/booking/reservations')
      .send({ data: { performance: perf.documentId, name: 'Z Z', email: newEmail('z'), party_size: 1 } });
    expect([late.status, late.body.error.details.code]).toEqual([409, 'sold_out']);

    // The offer mail carries the usual confirmation link; confirming in time never is sold_out.
    const offerMail = await smtp.waitFor((m) => smtp.to(a).includes(m) && (m.text ?? '').includes(`${PUBLIC_URL}/confirm?token=`));
    expect(offerMail.subject).toContain('liberati');
    const confirmedA = await confirm(await tokenInMail(a, 'confirm'));
    expect(confirmedA.status).toBe(200);
    expect(confirmedA.body.data).toMatchObject({ reference: refs[a], status: 'confirmed', party_size: 3 });
    expect((await entryOf(refs[a])).waitlist_status).toBe('booked');
    await settle();
    const ticket = await smtp.waitFor((m) => smtp.to(a).includes(m) && (m.text ?? '').includes('/cancel?token='));
    expect(ticket.attachments.some((x) => x.contentType === 'image/png')).toBe(true);
    expect(ticket.text).toContain(refs[a]);

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
    await service('cancellations').cancelByStaff(offer.id);
    expect((await entryOf(first.body.data.reference)).waitlist_status).toBe('expired');
    expect((await entryOf(second.body.data.reference)).waitlist_status).toBe('offered');
    await expectInvariants(app.strapi, perf.id, 2);
  });
});

describe('the seat ledger', () => {
  /** The FOR UPDATE statements on the performance row `id` while `run` runs (knex's query events). */
  const performanceLocks = async (id: number, run: () => Promise<unknown>) => {
    const locks: string[] = [];
    const listener = (query: { sql: string; bindings?: unknown[] }) => {
      if (/for update/i.test(query.sql) && query.sql.includes('"booking_performances"') && query.bindings?.[0] === id) {
        locks.push(query.sql);
      }
    };
    app.strapi.db.connection.on('query', listener);
    try {
      await run();
    } finally {
      app.strapi.db.connection.off('query', listener);
    }
    return locks.length;
  };

  test('a cancellation or a reduction that offers the freed seats locks the performance row once', async () => {
    const { perf, cancellationToken } = await soldOut(4);
    const first = await joinAs(perf.documentId, newEmail(), 2);
    const second = await joinAs(perf.documentId, newEmail(), 2);
    expect(
      await performanceLocks(perf.id, async () => expect((await reduce({ token: cancellationToken, party_size: 2 })).status).toBe(200))
    ).toBe(1);
    expect((await entryOf(first.body.data.reference)).waitlist_status).toBe('offered');
    expect(await performanceLocks(perf.id, async () => expect((await cancel(cancellationToken)).status).toBe(200))).toBe(1);
    expect((await entryOf(second.body.data.reference)).waitlist_status).toBe('offered');
    expect(await stats(perf.documentId)).toMatchObject({ confirmed_seats: 0, held_seats: 4, available_seats: 0 });
    await expectInvariants(app.strapi, perf.id, 4);
  });
});

describe('offers go to confirmed joins only', () => {
  test('freed seats pass over an unconfirmed join; confirmed later, it is offered what is free then', async () => {
    const { perf, cancellationToken } = await soldOut(2);
    const early = newEmail('early');
    const unconfirmed = await joinUnconfirmed(perf.documentId, early, 2);
    const confirmed = await joinAs(perf.documentId, newEmail('later'), 2);
    expect((await cancel(cancellationToken)).status).toBe(200);
    await settle();
    expect((await entryOf(unconfirmed.body.data.reference)).waitlist_status).toBe('unconfirmed');
    expect((await entryOf(unconfirmed.body.data.reference)).offer).toBeNull();
    expect((await entryOf(confirmed.body.data.reference)).waitlist_status).toBe('offered');
    // That offer lapses: the seats are free (no confirmed entry waits), then the first join is
    // confirmed and gets them at once.
    // (Every offer of this file lapses at that time: theirs pass on, as they would.)
    expect(await service('waitlist').expireOverdueOffers(new Date(Date.now() + 121 * 60_000))).toBeGreaterThanOrEqual(1);
    expect(await stats(perf.documentId)).toMatchObject({ held_seats: 0, available_seats: 2 });
    const res = await confirmJoin(await freshTokenInMail(early, 'waitlist/confirm'));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'offered', position: 1 });
    expect((await entryOf(unconfirmed.body.data.reference)).offer).toMatchObject({
      reference: unconfirmed.body.data.reference,
      party_size: 2,
    });
    expect(await stats(perf.documentId)).toMatchObject({ held_seats: 2, available_seats: 0 });
    await expectInvariants(app.strapi, perf.id, 2);
  });

  test('an offer confirmed for fewer seats: the rest of its hold goes on to the next entry', async () => {
    const { perf, cancellationToken } = await soldOut(3);
    const a = newEmail('fa');
    const first = await joinAs(perf.documentId, a, 3);
    const second = await joinAs(perf.documentId, newEmail('fb'), 2);
    await cancel(cancellationToken);
    await settle();
    const token = await tokenInMail(a, 'confirm');
    const tooMany = await http().post('/api/booking/reservations/confirm').send({ token, party_size: 4 });
    expect([tooMany.status, tooMany.body.error.details.code]).toEqual([400, 'validation']);
    const res = await http().post('/api/booking/reservations/confirm').send({ token, party_size: 1 });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ reference: first.body.data.reference, status: 'confirmed', party_size: 1 });
    expect((await entryOf(first.body.data.reference)).waitlist_status).toBe('booked');
    expect((await entryOf(second.body.data.reference)).waitlist_status).toBe('offered');
    expect(await stats(perf.documentId)).toMatchObject({ confirmed_seats: 1, held_seats: 2, available_seats: 0 });
    await expectInvariants(app.strapi, perf.id, 3);
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

    const tooLate = await service('cancellations').reduceReservation(cancellationToken, 1, new Date(Date.now() + 100 * 3600_000));
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
