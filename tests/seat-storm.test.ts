/**
 * Every way seats change, at once, on two app processes sharing one PostgreSQL: public
 * confirmations, box-office bookings, cancellations whose seats go to the waiting list, capacity
 * edits in the Content Manager, waiting-list offers confirmed in time, and offers lapsing (late
 * clicks on either instance, and the housekeeping job twice at once). Each is a path through the
 * seat ledger (services/seat-ledger.ts); afterwards the counters, `recount()`, the offers and the
 * answers agree to the seat, and no performance holds more than its seats.
 */
import request from 'supertest';
import { bookingTables } from '../src/plugins/booking/server/src/data/strapi-internals';
import { createAdmin } from './support/admin';
import { service, startApp, type TestApp } from './support/app';
import { confirmedReservation, createPerformance, pendingReservation, seatsOf } from './support/factories';
import { expectInvariants } from './support/invariants';
import { listen, startAppProcess, type AppProcess } from './support/processes';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from './support/smtp';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
const PERFORMANCE = 'plugin::booking.performance';
const RESERVATION = 'plugin::booking.reservation';
const ENTRY = 'plugin::booking.waitlist-entry';

let app: TestApp;
let smtp: SmtpSink;
let second: AppProcess;
let servers: string[];

const env = () => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtp.port),
  BOOKING_PUBLIC_URL: PUBLIC_URL,
  BOOKING_RATE_LIMIT_PER_MINUTE: '0',
  BOOKING_SCHEDULED_JOBS: 'false',
});

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({ env: env() });
  second = await startAppProcess(app.database, env());
  servers = [await listen(app.strapi.server.httpServer), second.url];
});
afterAll(async () => {
  await second?.stop();
  await app?.stop();
  await smtp?.stop();
});

/** A confirmed join of the waiting list (sold out when it is called). */
const waits = async (performance: string, email: string, party_size: number) => {
  const joined = await service(app.strapi, 'waitlist').join({ performance, name: 'In Attesa', email, party_size });
  if (!joined.ok) throw new Error(`join ${email}: ${joined.code}`);
  const confirmed = await service(app.strapi, 'waitlist').confirm(joined.confirmationToken);
  if (!confirmed.ok) throw new Error(`confirm join ${email}: ${confirmed.code}`);
};

/** The entries of a performance, with their offer's id and status. */
const entriesOf = async (performanceId: number) =>
  (await app.strapi.db.query(ENTRY).findMany({
    where: { performance: { id: performanceId } },
    select: ['id', 'email', 'party_size', 'waitlist_status'],
    populate: { offer: { select: ['id', 'reservation_status', 'party_size', 'held_until'] } },
    orderBy: { id: 'asc' },
  })) as Array<{
    id: number;
    email: string;
    party_size: number;
    waitlist_status: string;
    offer: { id: number; reservation_status: string; party_size: number; held_until: string | null } | null;
  }>;

/** The raw token of the offer mailed to `email`. */
const offerToken = async (email: string) => {
  const prefix = `${PUBLIC_URL}/confirm?token=`;
  const mail = await smtp.waitFor((m) => smtp.to(email).includes(m) && (m.text ?? '').includes(prefix), 20_000);
  return tokenOf(linkIn(mail.text ?? '', prefix));
};

/** A request of the storm; `next` goes out as soon as its answer is in (from the other instance). */
type Call = { kind: string; send: (server: string) => request.Test; next?: Call };

test('confirmations, box office, cancellations with offers, capacity edits and lapsing offers at once, on two instances', async () => {
  // 30 seats in the room, 4 kept back: 26 offered.
  const perf = await createPerformance(app.strapi, { room_capacity: 30, manually_occupied_seats: 4 });
  const { documentId } = perf;

  // 20 public requests for one seat each, made while seats were free, confirmed in the storm.
  const pending: string[] = [];
  for (let i = 0; i < 20; i += 1) {
    pending.push(
      (await pendingReservation(app.strapi, { performance: documentId, email: `pub${i}@example.test`, party_size: 1 })).confirmationToken
    );
  }
  // Sold out by 20 parties of one and 3 of two.
  const singles: string[] = [];
  for (let i = 0; i < 20; i += 1) singles.push((await confirmedReservation(app.strapi, documentId, 1)).cancellationToken);
  const pairs: string[] = [];
  for (let i = 0; i < 3; i += 1) pairs.push((await confirmedReservation(app.strapi, documentId, 2)).cancellationToken);
  expect((await seatsOf(app.strapi, perf.id)).availableSeats).toBe(0);

  // Six waiting parties, then 7 seats freed one cancellation at a time: each of them is offered
  // its seats (held). Four of those offers will lapse, two will be accepted in the storm.
  for (const [email, size] of [
    ['lap0@example.test', 1],
    ['lap1@example.test', 1],
    ['lap2@example.test', 1],
    ['lap3@example.test', 2],
    ['ok0@example.test', 1],
    ['ok1@example.test', 1],
  ] as const) {
    await waits(documentId, email, size);
  }
  const cancellations = service(app.strapi, 'cancellations');
  for (const token of [...pairs, singles[19]]) expect((await cancellations.cancelReservation(token)).ok).toBe(true);
  const offered = await entriesOf(perf.id);
  expect(offered.map((e) => [e.email, e.waitlist_status, e.offer?.reservation_status])).toEqual([
    ['lap0@example.test', 'offered', 'pending'],
    ['lap1@example.test', 'offered', 'pending'],
    ['lap2@example.test', 'offered', 'pending'],
    ['lap3@example.test', 'offered', 'pending'],
    ['ok0@example.test', 'offered', 'pending'],
    ['ok1@example.test', 'offered', 'pending'],
  ]);
  // Ten more waiting parties (1, 2, 1, 2, ...: 15 seats) for what the storm frees.
  for (let i = 0; i < 10; i += 1) await waits(documentId, `w${i}@example.test`, 1 + (i % 2));
  const before = await seatsOf(app.strapi, perf.id);
  expect([before.confirmedSeats, before.heldSeats, before.availableSeats]).toEqual([19, 7, 0]);

  await service(app.strapi, 'mailer').settle();
  const [lateTokens, inTimeTokens] = [
    await Promise.all(['lap0@example.test', 'lap3@example.test'].map(offerToken)),
    await Promise.all(['ok0@example.test', 'ok1@example.test'].map(offerToken)),
  ];
  // The four lap offers' time passes (their hold and their link), the other two still run.
  const t = bookingTables(app.strapi);
  const lapsing = offered.filter((e) => e.email.startsWith('lap')).map((e) => e.offer!.id);
  const past = new Date(Date.now() - 60_000);
  await app.strapi.db.connection(t.reservations).whereIn('id', lapsing).update({ held_until: past, confirm_by: past });
  const tl = t.tokenReservation;
  await app.strapi.db
    .connection(t.tokens)
    .whereIn('id', app.strapi.db.connection(tl.table).select(tl.token).whereIn(tl.reservation, lapsing))
    .where('purpose', 'confirmation')
    .update({ expires_at: past });

  const editor = (await createAdmin(app.strapi)).token;
  const clerk = (await createAdmin(app.strapi, { roleCode: 'booking-box-office' })).token;
  const post = (path: string, body: object, token?: string) => (server: string) => {
    const req = request(server).post(path);
    return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(body);
  };
  const edit = (data: Record<string, number>) => (server: string) =>
    request(server)
      .put(`/content-manager/collection-types/${PERFORMANCE}/${documentId}`)
      .set('Authorization', `Bearer ${editor}`)
      .send(data);
  const calls: Call[] = [
    // 12 seats freed by cancellations, 8 by three capacity edits (each of its own field), 5 by
    // the four lapsing offers: 25 seats, which go first to the 15 waiting seats.
    // Half the public confirmations follow a cancellation, so that some meet seats the waiting
    // list left (it is served first).
    ...singles.slice(0, 12).map((token, i) => ({
      kind: 'cancel',
      send: post('/api/booking/reservations/cancel', { token }),
      ...(i < 10 ? { next: { kind: 'public', send: post('/api/booking/reservations/confirm', { token: pending[10 + i] }) } } : {}),
    })),
    { kind: 'edit', send: edit({ additional_seats: 3 }) },
    { kind: 'edit', send: edit({ manually_occupied_seats: 1 }) },
    { kind: 'edit', send: edit({ room_capacity: 32 }) },
    ...lateTokens.map((token) => ({ kind: 'late', send: post('/api/booking/reservations/confirm', { token }) })),
    ...inTimeTokens.map((token) => ({ kind: 'offer', send: post('/api/booking/reservations/confirm', { token }) })),
    // 32 requests for one seat each, for what the waiting list leaves.
    ...pending.slice(0, 10).map((token) => ({ kind: 'public', send: post('/api/booking/reservations/confirm', { token }) })),
    ...Array.from({ length: 12 }, (_, i) => ({
      kind: 'box',
      send: post(`/booking/performances/${documentId}/reservations`, { name: `Cassa ${i}`, party_size: 1 }, clerk),
    })),
  ];
  // Grouped by kind, then alternated between the instances: each gets half of every kind.
  calls.sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  const waitlist = service(app.strapi, 'waitlist');
  const [answers, jobRuns] = await Promise.all([
    Promise.all(
      calls.map(async (call, i) => {
        const first = { kind: call.kind, res: await call.send(servers[i % 2]) };
        return call.next ? [first, { kind: call.next.kind, res: await call.next.send(servers[(i + 1) % 2]) }] : [first];
      })
    ).then((lists) => lists.flat()),
    Promise.all([waitlist.expireOverdueOffers(), waitlist.expireOverdueOffers()]),
  ]);
  const tally = (kind: string) => {
    const counts: Record<string, number> = {};
    for (const { res } of answers.filter((a) => a.kind === kind)) {
      const key = `${res.status}${res.body?.error?.details?.code ? ` ${res.body.error.details.code}` : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  console.log(`mixed storm on two instances: ${JSON.stringify(Object.fromEntries(['public', 'box'].map((k) => [k, tally(k)])))}`);

  // Every answer one of the contract's: no 500 from a deadlock, no request lost.
  expect(tally('cancel')).toEqual({ 200: 12 });
  expect(tally('edit')).toEqual({ 200: 3 });
  expect(tally('offer')).toEqual({ 200: 2 });
  expect(tally('late')).toEqual({ '410 token_expired': 2 });
  const publicOk = tally('public')['200'] ?? 0;
  const boxOk = tally('box')['201'] ?? 0;
  expect(tally('public')).toEqual({ ...(publicOk ? { 200: publicOk } : {}), ...(publicOk < 20 ? { '409 sold_out': 20 - publicOk } : {}) });
  expect(tally('box')).toEqual({ ...(boxOk ? { 201: boxOk } : {}), ...(boxOk < 12 ? { '409 sold_out': 12 - boxOk } : {}) });
  // Each lapse happened once: the job lapsed lap1 and lap2 at least (nobody clicked them), and at
  // most the four.
  const jobLapses = jobRuns[0] + jobRuns[1];
  expect(jobLapses).toBeGreaterThanOrEqual(2);
  expect(jobLapses).toBeLessThanOrEqual(4);
  await service(app.strapi, 'events').settle();

  // The three edits all landed: 32 + 3 - 1 = 34 seats offered.
  const capacity = (await app.strapi.db.query(PERFORMANCE).findOne({
    where: { id: perf.id },
    select: ['room_capacity', 'additional_seats', 'manually_occupied_seats'],
  })) as { room_capacity: number; additional_seats: number; manually_occupied_seats: number };
  expect(capacity).toEqual({ room_capacity: 32, additional_seats: 3, manually_occupied_seats: 1 });
  const SEATS = 34;

  // No overbooking, counters equal to the reservations (recount), every ticket whole.
  const { confirmedSeats } = await expectInvariants(app.strapi, perf.id, SEATS);
  const after = await seatsOf(app.strapi, perf.id);
  // To the seat: 19 confirmed, 12 cancelled, 2 offers accepted, and what the answers said.
  expect(confirmedSeats).toBe(19 - 12 + 2 + publicOk + boxOk);
  expect(after.confirmedSeats + after.heldSeats + after.availableSeats).toBe(SEATS);
  // A refused box-office booking and a refused public confirmation leave nothing behind.
  expect(await app.strapi.db.query(RESERVATION).count({ where: { performance: { id: perf.id }, source: 'box_office' } })).toBe(boxOk);

  // The offers agree with the entries, the held seats and the mails.
  const entries = await entriesOf(perf.id);
  const byEmail = new Map(entries.map((e) => [e.email, e]));
  for (const email of ['lap0', 'lap1', 'lap2', 'lap3'].map((e) => `${e}@example.test`)) {
    expect([byEmail.get(email)?.waitlist_status, byEmail.get(email)?.offer?.reservation_status]).toEqual(['expired', 'expired']);
  }
  for (const email of ['ok0@example.test', 'ok1@example.test']) {
    expect([byEmail.get(email)?.waitlist_status, byEmail.get(email)?.offer?.reservation_status]).toEqual(['booked', 'confirmed']);
  }
  const late = entries.filter((e) => e.email.startsWith('w'));
  expect(late).toHaveLength(10);
  for (const e of late) {
    // Waiting with no offer, or offered with a pending reservation that holds its seats.
    if (e.waitlist_status === 'waiting') expect(e.offer).toBeNull();
    else expect([e.waitlist_status, e.offer?.reservation_status, e.offer?.party_size]).toEqual(['offered', 'pending', e.party_size]);
  }
  const holding = late.filter((e) => e.waitlist_status === 'offered');
  expect(holding.reduce((sum, e) => sum + e.party_size, 0)).toBe(after.heldSeats);
  // The storm freed 25 seats and the waiting list is served first: the single seats it asked
  // for (five parties of one) are all offered.
  expect(holding.filter((e) => e.party_size === 1)).toHaveLength(5);
  // Nobody still waiting would fit in the seats left.
  expect(late.filter((e) => e.waitlist_status === 'waiting' && e.party_size <= after.availableSeats)).toEqual([]);
  // Every offer ever made is one reservation holding seats with one entry and one offer mail.
  const offers = (await app.strapi.db.query(RESERVATION).findMany({
    where: { performance: { id: perf.id }, held_until: { $notNull: true } },
    select: ['id'],
  })) as Array<{ id: number }>;
  expect(offers.map((o) => o.id).sort((a, b) => a - b)).toEqual(
    entries
      .filter((e) => e.offer)
      .map((e) => e.offer!.id)
      .sort((a, b) => a - b)
  );
  const ol = t.outboxReservation;
  const offerMails: Array<{ reservation: number; n: string | number }> = await app.strapi.db
    .connection({ o: t.outbox })
    .join({ ol: ol.table }, `ol.${ol.message}`, 'o.id')
    .where('o.kind', 'offer')
    .whereIn(
      `ol.${ol.reservation}`,
      offers.map((o) => o.id)
    )
    .groupBy(`ol.${ol.reservation}`)
    .select({ reservation: `ol.${ol.reservation}` })
    .count({ n: '*' });
  expect(offerMails.map((m) => Number(m.n))).toEqual(Array(offers.length).fill(1));
  expect([...(await service(app.strapi, 'availability').recount()).entries()]).toEqual([]);
});
