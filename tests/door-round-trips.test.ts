/**
 * What a scan and a public read cost the database (issue 20 item 4): the statements one request
 * sends, counted with knex's `query` event. A door with ten scanners flat out queues on these
 * round trips, so a new one on the hot path must be a choice, not an accident.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance, pendingReservation } from './support/factories';

let app: TestApp;
let door: { id: number; token: string };
let statements: string[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // The public cache on, as in production: the door reads a performance's facts from it.
  app = await startApp({
    env: { BOOKING_RATE_LIMIT_PER_MINUTE: '0', BOOKING_CHECKIN_RATE_LIMIT_PER_MINUTE: '0', BOOKING_PUBLIC_CACHE_SECONDS: '30' },
  });
  door = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo' });
  app.strapi.db.connection.on('query', (q: { sql: string }) => statements.push(q.sql));
});
afterAll(async () => {
  await app?.stop();
});

const http = () => request(app.strapi.server.httpServer);
const scan = (body: Record<string, unknown>) => http().post('/booking/check-ins').set('Authorization', `Bearer ${door.token}`).send(body);

/** The statements of one call, once the caches it reads are warm. */
const counted = async (call: () => Promise<unknown>) => {
  statements = [];
  await call();
  return [...statements];
};

test('a check-in is a handful of statements, the transaction included', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 1 });
  const tickets = await Promise.all([1, 2, 3].map(() => confirmedReservation(app.strapi, perf.documentId, 1)));
  // The fixtures' change notices (which empty the public cache) come in first.
  await sleep(500);
  // Warm: the staff login, the performance's facts.
  expect((await scan({ token: tickets[0].checkInToken, performance: perf.documentId, source: 'qr_scan' })).body.data.result).toBe('ok');

  let answer: request.Response | undefined;
  const ok = await counted(async () => {
    answer = await scan({ token: tickets[1].checkInToken, performance: perf.documentId, source: 'qr_scan' });
  });
  expect(answer?.body.data.result).toBe('ok');
  const again = await counted(async () => {
    answer = await scan({ token: tickets[1].checkInToken, performance: perf.documentId, source: 'qr_scan' });
  });
  expect(answer?.body.data.result).toBe('already_checked_in');
  const invalid = await counted(async () => {
    answer = await scan({ token: 'x'.repeat(43), performance: perf.documentId, source: 'qr_scan' });
  });
  expect(answer?.body.data.result).toBe('invalid');

  expect(invalid.length).toBeLessThanOrEqual(5);
  // BEGIN, the ticket looked up and locked, its check-in, the check-in and the scan, the webhook
  // deliveries, COMMIT (it was 9 before issue 20: lookup and lock apart, three inserts).
  expect(ok.length).toBeLessThanOrEqual(6);
  // BEGIN, lookup and lock, the check-in with its staff member, the scan, COMMIT.
  expect(again.length).toBeLessThanOrEqual(5);
});

test('a public read of a cached answer sends nothing to the database', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 48 });
  await sleep(500);
  expect((await http().get(`/api/booking/performances/${perf.documentId}`)).status).toBe(200);
  expect((await http().get(`/api/booking/shows/${perf.showSlug}`)).status).toBe(200);
  const read = await counted(async () => {
    expect((await http().get(`/api/booking/performances/${perf.documentId}`)).status).toBe(200);
    expect((await http().get(`/api/booking/shows/${perf.showSlug}`)).status).toBe(200);
  });
  expect(read).toEqual([]);
});

test('a public answer carries an ETag; a client holding it gets 304, and the same bytes come from the cache as from the route', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 48 });
  await sleep(500);
  const first = await http().get(`/api/booking/performances/${perf.documentId}`);
  const cached = await http().get(`/api/booking/performances/${perf.documentId}`);
  expect(first.status).toBe(200);
  expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  expect([cached.status, cached.headers.etag, cached.text, cached.headers['content-type']]).toEqual([
    200,
    first.headers.etag,
    first.text,
    first.headers['content-type'],
  ]);
  const again = await http().get(`/api/booking/performances/${perf.documentId}`).set('If-None-Match', first.headers.etag);
  expect([again.status, again.text]).toEqual([304, '']);
  // Seats taken: a new answer, a new ETag, at once.
  await confirmedReservation(app.strapi, perf.documentId, 2);
  await sleep(300);
  const after = await http().get(`/api/booking/performances/${perf.documentId}`).set('If-None-Match', first.headers.etag);
  expect(after.status).toBe(200);
  expect(after.body.data.available_seats).toBe(first.body.data.available_seats - 2);
  expect(after.headers.etag).not.toBe(first.headers.etag);
});

test('a public confirmation: a sold-out answer is two reads and no transaction; a ticket, two reads and one transaction of six statements', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 2, startsInHours: 48 });
  const [warm, ticket, late] = await Promise.all(
    [1, 2, 3].map((i) =>
      pendingReservation(app.strapi, { performance: perf.documentId, email: `round.trip${i}@example.test`, party_size: 1 })
    )
  );
  const confirm = (token: string) => http().post('/api/booking/reservations/confirm').send({ token });
  // Warm: the Public role's grant, the performance's public facts, its seat counter's row.
  expect((await confirm(warm.confirmationToken)).status).toBe(200);
  await service(app.strapi, 'mailer').settle();
  await sleep(500);
  // The ticket mail is sent after the answer (its own statements: lease, read, mark sent).
  const mail = /^(update "booking_outbox_messages"|select "o"\."kind")/;
  const ofTheRequest = async (token: string) => {
    let answer: request.Response | undefined;
    const sent = await counted(async () => {
      answer = await confirm(token);
      await service(app.strapi, 'mailer').settle();
    });
    return { answer, statements: sent.filter((sql) => !mail.test(sql.trim())) };
  };
  const issued = await ofTheRequest(ticket.confirmationToken);
  expect(issued.answer?.status).toBe(200);
  const soldOut = await ofTheRequest(late.confirmationToken);
  expect(soldOut.answer?.body.error?.details?.code).toBe('sold_out');

  // The link with its reservation, the performance with its seats.
  expect(soldOut.statements).toHaveLength(2);
  expect(soldOut.statements.join('\n')).not.toMatch(/BEGIN/);
  // The same two reads, then BEGIN, the token marked used, the reservation confirmed, its two
  // new tokens with their links, the ticket's outbox row with its link, the webhook deliveries,
  // the performance locked and its seats taken, COMMIT.
  expect(issued.statements.length).toBeLessThanOrEqual(10);
});
