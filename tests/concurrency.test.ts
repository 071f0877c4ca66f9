/**
 * No overbooking under a storm of confirmations, on PostgreSQL: many requests at once, exact
 * counts, and the same storm split across two app processes sharing one database.
 */
import request, { type Response } from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance, pendingReservation, seatsOf } from './support/factories';
import { tokensOf } from './support/invariants';
import { listen, startAppProcess, type AppProcess } from './support/processes';
import { startSmtpSink, type SmtpSink } from './support/smtp';

let app: TestApp;
let smtp: SmtpSink;
let baseUrl: string;
const availability = () => service(app.strapi, 'availability');
/** The confirmed seats each storm of this file must leave, by performance id. */
const stormed = new Map<number, number>();

const env = () => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtp.port),
  BOOKING_RATE_LIMIT_PER_MINUTE: '0',
});

/** Pending reservations made through the service; returns their raw confirmation tokens. */
const pendingReservations = async (performance: string, sizes: number[]) => {
  const tokens: string[] = [];
  for (const [i, party_size] of sizes.entries()) {
    const created = await pendingReservation(app.strapi, {
      performance,
      name: `Visitatore ${i}`,
      // One address per reservation: an address holds at most BOOKING_PENDING_PER_EMAIL pending.
      email: `storm${i}-${performance}@example.test`,
      party_size,
    });
    tokens.push(created.confirmationToken);
  }
  await service(app.strapi, 'mailer').settle();
  return tokens;
};

/** Fires every confirmation at once, round-robin over the given servers. */
const storm = async (tokens: string[], servers: string[]) => {
  const started = Date.now();
  const settled = await Promise.allSettled(
    tokens.map((token, i) =>
      request(servers[i % servers.length])
        .post('/api/booking/reservations/confirm')
        .send({ token })
    )
  );
  const ms = Date.now() - started;
  const responses = settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
  const byStatus: Record<number, number> = {};
  for (const r of responses) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return { responses, byStatus, ms };
};

const confirmedSeats = async (performanceId: number) => (await seatsOf(app.strapi, performanceId)).confirmedSeats;

/**
 * What a storm of parties of 1 to 4 (fifty of each) for 50 seats must leave: exactly 50 seats
 * taken, since a refused party of one means no seat was left, and fifty parties of one fill the
 * hall on their own; every 200 is a confirmed reservation, every other answer a 409 sold_out.
 */
const expectFilledByParties = async (performanceId: number, byStatus: Record<number, number>, responses: Response[]) => {
  const seats = await seatsOf(app.strapi, performanceId);
  expect(seats.confirmedSeats).toBe(50);
  expect(seats.availableSeats).toBe(0);
  const confirmed = (await app.strapi.db.query('plugin::booking.reservation').findMany({
    where: { performance: { id: performanceId }, reservation_status: 'confirmed' },
    // With the id: the join on the performance makes the select DISTINCT.
    select: ['id', 'party_size'],
  })) as Array<{ party_size: number }>;
  expect(confirmed.reduce((sum, r) => sum + r.party_size, 0)).toBe(50);
  expect(byStatus).toEqual({ 200: confirmed.length, 409: 200 - confirmed.length });
  expect(responses.filter((r) => r.status === 409).map((r) => r.body.error.details.code)).toEqual(
    Array(200 - confirmed.length).fill('sold_out')
  );
  expect([...(await availability().recount()).entries()]).toEqual([]);
  stormed.set(performanceId, 50);
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({ env: env() });
  baseUrl = await listen(app.strapi.server.httpServer);
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

test('300 simultaneous confirmations of one-seat reservations for 50 seats confirm exactly 50', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 45, additional_seats: 10, manually_occupied_seats: 5 });
  const tokens = await pendingReservations(perf.documentId, Array(300).fill(1));
  const { responses, byStatus, ms } = await storm(tokens, [baseUrl]);
  console.log(`one instance: 300 confirmations for 50 seats in ${ms} ms: ${JSON.stringify(byStatus)}`);

  expect(byStatus).toEqual({ 200: 50, 409: 250 });
  expect(responses.filter((r) => r.status === 409).every((r) => r.body.error.details.code === 'sold_out')).toBe(true);
  expect(await confirmedSeats(perf.id)).toBe(50);
  expect(
    await app.strapi.db.query('plugin::booking.reservation').count({
      where: { performance: { id: perf.id }, reservation_status: 'confirmed' },
    })
  ).toBe(50);
  // Every confirmed reservation got its check-in token in the same transaction.
  const confirmed = (await app.strapi.db.query('plugin::booking.reservation').findMany({
    where: { performance: { id: perf.id }, reservation_status: 'confirmed' },
    select: ['id'],
  })) as Array<{ id: number }>;
  const issued = await tokensOf(
    app.strapi,
    confirmed.map((r) => r.id)
  );
  expect(confirmed.every((r) => (issued.get(r.id) ?? []).some((t) => t.purpose === 'check_in'))).toBe(true);
  stormed.set(perf.id, 50);
});

test('parties of 1 to 4 confirming at once never exceed the seats, and no seat that fits a waiting party is left', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 50 });
  const sizes = Array.from({ length: 200 }, (_, i) => (i % 4) + 1);
  const tokens = await pendingReservations(perf.documentId, sizes);
  const { responses, byStatus, ms } = await storm(tokens, [baseUrl]);
  console.log(`one instance: 200 confirmations (parties 1-4) for 50 seats in ${ms} ms: ${JSON.stringify(byStatus)}`);
  await expectFilledByParties(perf.id, byStatus, responses);
});

test("every performance's confirmed-seat counter agrees with its confirmed reservations", async () => {
  // Both storms above ran (not skipped by a filter): otherwise there would be nothing to agree on.
  expect(stormed.size).toBe(2);
  for (const [id, seats] of stormed) expect(await confirmedSeats(id)).toBe(seats);
  expect([...(await availability().recount()).entries()]).toEqual([]);
});

describe('two app processes sharing one database', () => {
  let second: AppProcess;
  beforeAll(async () => {
    second = await startAppProcess(app.database, env());
  });
  afterAll(async () => {
    await second?.stop();
  });

  test('the same storm split across both instances still confirms exactly 50', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 50 });
    const tokens = await pendingReservations(perf.documentId, Array(300).fill(1));
    const { byStatus, ms } = await storm(tokens, [baseUrl, second.url]);
    console.log(`two instances: 300 confirmations for 50 seats in ${ms} ms: ${JSON.stringify(byStatus)}`);
    expect(byStatus).toEqual({ 200: 50, 409: 250 });
    expect(await confirmedSeats(perf.id)).toBe(50);
    stormed.set(perf.id, 50);
  });

  test('parties of 1 to 4 across both instances never exceed the seats', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 50 });
    const tokens = await pendingReservations(
      perf.documentId,
      Array.from({ length: 200 }, (_, i) => ((i * 7) % 4) + 1)
    );
    const { responses, byStatus } = await storm(tokens, [baseUrl, second.url]);
    await expectFilledByParties(perf.id, byStatus, responses);
  });

  test('public confirmations and box-office bookings at once, on both instances: exactly the 50 seats, no more', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 45, additional_seats: 10, manually_occupied_seats: 5 });
    const tokens = await pendingReservations(perf.documentId, Array(80).fill(1));
    const clerk = (await createAdmin(app.strapi, { roleCode: 'booking-box-office' })).token;
    const servers = [baseUrl, second.url];
    // Box-office requests go out first: their admin login check makes them slower to reach the lock.
    const settled = await Promise.allSettled([
      ...Array.from({ length: 80 }, (_, i) =>
        request(servers[(i + 1) % 2])
          .post(`/booking/performances/${perf.documentId}/reservations`)
          .set('Authorization', `Bearer ${clerk}`)
          .send({ name: `Cassa ${i}`, party_size: 1 })
      ),
      ...tokens.map((token, i) =>
        request(servers[i % 2])
          .post('/api/booking/reservations/confirm')
          .send({ token })
      ),
    ]);
    const statuses = settled.map((s) => (s.status === 'fulfilled' ? s.value.status : 0));
    const byStatus: Record<number, number> = {};
    for (const status of statuses) byStatus[status] = (byStatus[status] ?? 0) + 1;
    // Nothing but the two answers: no 500 from a deadlock, no dropped request.
    expect(Object.keys(byStatus).filter((status) => !['200', '201', '409'].includes(status))).toEqual([]);
    console.log(`box office and public at once on two instances: ${JSON.stringify(byStatus)}`);
    const boxOfficeOk = statuses.slice(0, 80).filter((status) => status === 201).length;
    const publicOk = statuses.slice(80).filter((status) => status === 200).length;
    expect(publicOk + boxOfficeOk).toBe(50);
    expect(statuses.filter((status) => status === 409).length).toBe(110);
    const soldOut = settled
      .slice(0, 80)
      .map((s) => (s.status === 'fulfilled' ? s.value : null))
      .filter((res) => res?.status === 409)
      .map((res) => res?.body.error.details);
    expect(new Set(soldOut.map((d) => JSON.stringify(d)))).toEqual(new Set([JSON.stringify({ code: 'sold_out', available_seats: 0 })]));
    expect(await confirmedSeats(perf.id)).toBe(50);
    const confirmed = await app.strapi.db.query('plugin::booking.reservation').count({
      where: { performance: { id: perf.id }, reservation_status: 'confirmed' },
    });
    expect(confirmed).toBe(50);
    expect(
      await app.strapi.db.query('plugin::booking.reservation').count({
        where: { performance: { id: perf.id }, reservation_status: 'confirmed', source: 'box_office' },
      })
    ).toBe(boxOfficeOk);
    // A refused box-office booking leaves nothing behind.
    expect(
      await app.strapi.db.query('plugin::booking.reservation').count({ where: { performance: { id: perf.id }, source: 'box_office' } })
    ).toBe(boxOfficeOk);
    expect((await seatsOf(app.strapi, perf.id)).availableSeats).toBe(0);
    expect([...(await availability().recount()).entries()]).toEqual([]);
  });
});

test('after the storms across two processes, the counters still agree with the reservations', async () => {
  expect(stormed.size).toBe(4);
  for (const [id, seats] of stormed) expect(await confirmedSeats(id)).toBe(seats);
  expect([...(await availability().recount()).entries()]).toEqual([]);
});
