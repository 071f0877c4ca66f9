/**
 * The waiting list under a storm, on PostgreSQL with two app processes sharing one database:
 * public confirmations, cancellations, reductions, joins and offer confirmations on one
 * performance at once. Confirmed + held seats never exceed the seats, every offer confirmed in
 * time is confirmed (never sold_out), no fitting party is left waiting beside free seats, and the
 * counters agree with the reservations afterwards.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { createPerformance } from './support/factories';
import { expectInvariants } from './support/invariants';
import { listen, startAppProcess, type AppProcess } from './support/processes';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from './support/smtp';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
const SEATS = 20;
let app: TestApp;
let smtp: SmtpSink;
let second: AppProcess;
let servers: string[];
const service = (name: string) => app.strapi.plugin('booking').service(name);

const env = () => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtp.port),
  BOOKING_PUBLIC_URL: PUBLIC_URL,
  BOOKING_RATE_LIMIT_PER_MINUTE: '0',
  BOOKING_SCHEDULED_JOBS: 'false',
});

type Call = { path: string; body: Record<string, unknown>; kind: string };

/** Fires every call at once, round-robin over both servers; answers by kind. */
const storm = async (calls: Call[]) => {
  const settled = await Promise.allSettled(
    calls.map((call, i) =>
      request(servers[i % servers.length])
        .post(call.path)
        .send(call.body)
    )
  );
  return settled.map((s, i) => {
    if (s.status === 'rejected') throw s.reason;
    return { kind: calls[i].kind, status: s.value.status, code: s.value.body?.error?.details?.code as string | undefined };
  });
};

const tally = (results: Array<{ kind: string; status: number }>, kind: string) => {
  const counts: Record<number, number> = {};
  for (const r of results.filter((x) => x.kind === kind)) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
};

const entries = async (performanceId: number) =>
  (await app.strapi.db.query('plugin::booking.waitlist-entry').findMany({
    where: { performance: { id: performanceId } },
    select: ['email', 'party_size', 'waitlist_status'],
  })) as Array<{ email: string; party_size: number; waitlist_status: string }>;

/** No entry still waiting whose party would fit in the seats left: offers were made where seats freed. */
const expectNoFittingPartyWaits = async (performanceId: number) => {
  const seats = await service('availability').forPerformance(performanceId);
  const waiting = (await entries(performanceId)).filter((e) => e.waitlist_status === 'waiting');
  expect(waiting.every((e) => e.party_size > seats.availableSeats)).toBe(true);
  return seats;
};

const offerToken = async (email: string) => {
  const prefix = `${PUBLIC_URL}/confirm?token=`;
  const mail = await smtp.waitFor((m) => smtp.to(email).includes(m) && (m.text ?? '').includes(prefix), 20_000);
  return tokenOf(linkIn(mail.text ?? '', prefix));
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({ env: env() });
  // The second instance caches public answers for a minute: only the change notices keep it fresh.
  second = await startAppProcess(app.database, { ...env(), BOOKING_PUBLIC_CACHE_SECONDS: '60' });
  servers = [await listen(app.strapi.server.httpServer), second.url];
});
afterAll(async () => {
  await second?.stop();
  await app?.stop();
  await smtp?.stop();
});

test('a hold that ends on one instance shows on the other within a second, whatever its cache says', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 1 });
  const holder = await service('reservations').createReservation({
    performance: perf.documentId,
    name: 'Pri Mo',
    email: 'first@example.test',
    party_size: 1,
  });
  if (!holder.ok) throw new Error(holder.code);
  const confirmed = await service('reservations').confirmReservation(holder.confirmationToken);
  if (!confirmed.ok) throw new Error(confirmed.code);
  const held = await service('waitlist').join({ performance: perf.documentId, name: 'At Tesa', email: 'hold@example.test', party_size: 1 });
  expect(held.ok).toBe(true);
  expect((await service('waitlist').confirm(held.confirmationToken)).ok).toBe(true);
  // The seat goes from confirmed to held: still none available.
  expect((await service('cancellations').cancelReservation(confirmed.cancellationToken)).ok).toBe(true);
  const read = async () => (await request(second.url).get(`/api/booking/performances/${perf.documentId}`)).body.data;
  expect(await read()).toMatchObject({ available_seats: 0, waitlist_open: true });
  // The offer lapses with nobody after it: only the held seats change, and the seat is free.
  // (This test runs first: its offer is the only one in the database.)
  expect(await service('waitlist').expireOverdueOffers(new Date(Date.now() + 3 * 3600_000))).toBe(1);
  const deadline = Date.now() + 1000;
  let seen = await read();
  while (seen.available_seats !== 1 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await read();
  }
  expect(seen).toMatchObject({ available_seats: 1, bookable: true, waitlist_open: false });
});

test('confirmations, cancellations, reductions, joins and offer confirmations at once, on two instances', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: SEATS });
  const reservations = service('reservations');

  // 30 ordinary pending reservations, made while seats were free.
  const pendingTokens: string[] = [];
  for (let i = 0; i < 30; i += 1) {
    const created = await reservations.createReservation({
      performance: perf.documentId,
      name: 'Pub Blico',
      email: `pub${i}@example.test`,
      party_size: 1 + (i % 2),
    });
    if (!created.ok) throw new Error(created.code);
    pendingTokens.push(created.confirmationToken);
  }
  // Sold out by 14 parties of 1 and 3 of 2.
  const cancellation: Array<{ token: string; size: number }> = [];
  for (const [i, size] of [...Array(14).fill(1), 2, 2, 2].entries()) {
    const created = await reservations.createReservation({
      performance: perf.documentId,
      name: 'Pre Notato',
      email: `held${i}@example.test`,
      party_size: size,
    });
    if (!created.ok) throw new Error(created.code);
    const confirmed = await reservations.confirmReservation(created.confirmationToken);
    if (!confirmed.ok) throw new Error(confirmed.code);
    cancellation.push({ token: confirmed.cancellationToken, size });
  }
  // 12 waiting parties of 1 or 2, their joins confirmed by their addresses.
  for (let i = 0; i < 12; i += 1) {
    const joined = await service('waitlist').join({
      performance: perf.documentId,
      name: 'In Attesa',
      email: `wait${i}@example.test`,
      party_size: 1 + (i % 2),
    });
    expect(joined.ok).toBe(true);
    expect((await service('waitlist').confirm(joined.confirmationToken)).ok).toBe(true);
  }
  await service('mailer').settle();
  expect((await service('availability').forPerformance(perf.id)).availableSeats).toBe(0);

  // Phase 1: 20 public confirmations, 8 cancellations, 3 reductions (2 -> 1), 6 joins.
  const ones = cancellation.filter((c) => c.size === 1);
  const twos = cancellation.filter((c) => c.size === 2);
  const phase1: Call[] = [
    ...pendingTokens.slice(0, 20).map((token) => ({ kind: 'confirm', path: '/api/booking/reservations/confirm', body: { token } })),
    ...ones.slice(0, 8).map((c) => ({ kind: 'cancel', path: '/api/booking/reservations/cancel', body: { token: c.token } })),
    ...twos.map((c) => ({ kind: 'reduce', path: '/api/booking/reservations/reduce', body: { token: c.token, party_size: 1 } })),
    ...Array.from({ length: 6 }, (_, i) => ({
      kind: 'join',
      path: '/api/booking/waitlist',
      body: { data: { performance: perf.documentId, name: 'Tar Divo', email: `late${i}@example.test`, party_size: 2 } },
    })),
  ];
  const first = await storm(phase1);
  expect(tally(first, 'cancel')).toEqual({ 200: 8 });
  expect(tally(first, 'reduce')).toEqual({ 200: 3 });
  // Freed seats go to the waiting list in the freeing transaction; a public confirmation gets
  // only a seat no waiting party fits (one seat left while only parties of 2 wait), so the public
  // answers depend on the interleaving: each is one of the contract's, and the database decides.
  const publicAnswers = (results: typeof first) =>
    results.filter((r) => r.kind === 'confirm').every((r) => r.status === 200 || (r.status === 409 && r.code === 'sold_out'));
  expect(publicAnswers(first)).toBe(true);
  expect(first.filter((r) => r.kind === 'join').every((r) => r.status === 201 || r.code === 'seats_available')).toBe(true);
  expect(first.filter((r) => r.kind === 'join' || r.kind === 'confirm')).toHaveLength(26);
  await service('events').settle();
  await expectInvariants(app.strapi, perf.id, SEATS);
  await expectNoFittingPartyWaits(perf.id);

  // Phase 2: every offer made so far confirmed, with the other 10 public confirmations and 4
  // more cancellations (whose seats are offered in turn) at once.
  const offered = (await entries(perf.id)).filter((e) => e.waitlist_status === 'offered');
  expect(offered.length).toBeGreaterThan(0);
  const offerTokens = await Promise.all(offered.map((e) => offerToken(e.email)));
  const phase2: Call[] = [
    ...offerTokens.map((token) => ({ kind: 'offer', path: '/api/booking/reservations/confirm', body: { token } })),
    ...pendingTokens.slice(20).map((token) => ({ kind: 'confirm', path: '/api/booking/reservations/confirm', body: { token } })),
    ...ones.slice(8, 12).map((c) => ({ kind: 'cancel', path: '/api/booking/reservations/cancel', body: { token: c.token } })),
  ];
  const secondRound = await storm(phase2);
  // An offer confirmed in time never answers sold_out.
  expect(tally(secondRound, 'offer')).toEqual({ 200: offered.length });
  expect(tally(secondRound, 'cancel')).toEqual({ 200: 4 });
  expect(publicAnswers(secondRound)).toBe(true);
  await service('events').settle();

  const { confirmedSeats } = await expectInvariants(app.strapi, perf.id, SEATS);
  const seats = await expectNoFittingPartyWaits(perf.id);
  const booked = (await entries(perf.id)).filter((e) => e.waitlist_status === 'booked');
  expect(booked).toHaveLength(offered.length);
  // Every seat is confirmed or held: the waiting list absorbed what the storm freed.
  expect(confirmedSeats + seats.heldSeats + seats.availableSeats).toBe(SEATS);
  expect([...(await service('availability').recount()).entries()]).toEqual([]);
});
