/**
 * Abuse: the per-IP limit on public POSTs, shared by every instance through PostgreSQL, and the
 * body size limit. Guessed tokens never succeed.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createPerformance } from './support/factories';
import { createAdmin } from './support/admin';
import { listen, startAppProcess, type AppProcess } from './support/processes';

const LIMIT = 5;
let app: TestApp;
let second: AppProcess;
let baseUrl: string;
const env = {
  BOOKING_RATE_LIMIT_PER_MINUTE: String(LIMIT),
  BOOKING_CHECKIN_RATE_LIMIT_PER_MINUTE: String(LIMIT),
  SMTP_PORT: '1',
};

beforeAll(async () => {
  app = await startApp({ env });
  baseUrl = await listen(app.strapi.server.httpServer);
  second = await startAppProcess(app.database, env);
});
afterAll(async () => {
  await second?.stop();
  await app?.stop();
});

test('guessing tokens at full speed is cut off at the limit, across both instances, and never succeeds', async () => {
  const guesses = Array.from({ length: 30 }, (_, i) =>
    request(i % 2 ? baseUrl : second.url)
      .post(i % 3 ? '/api/booking/reservations/confirm' : '/api/booking/reservations/cancel')
      .set('X-Forwarded-For', '203.0.113.9')
      .send({ token: randomBytes(32).toString('base64url') })
  );
  const responses = await Promise.all(guesses);
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 404)).toHaveLength(LIMIT);
  expect(statuses.filter((s) => s === 429)).toHaveLength(30 - LIMIT);
  const limited = responses.find((r) => r.status === 429)!;
  expect(limited.body.error.details.code).toBe('rate_limited');
  // The seconds left of the one-minute window.
  expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  expect(await app.strapi.db.query('plugin::booking.reservation').count({ where: { reservation_status: 'confirmed' } })).toBe(0);
});

test('guessing tickets at the check-in route is limited per staff member, across both instances', async () => {
  const staff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff' });
  const responses = await Promise.all(
    Array.from({ length: 3 * LIMIT }, (_, i) =>
      request(i % 2 ? baseUrl : second.url)
        .post('/booking/check-ins')
        .set('Authorization', `Bearer ${staff.token}`)
        .send({ token: randomBytes(32).toString('base64url') })
    )
  );
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
  expect(responses.filter((r) => r.status === 200).every((r) => r.body.data.result === 'invalid')).toBe(true);
  expect(statuses.filter((s) => s === 429)).toHaveLength(2 * LIMIT);
  expect(await app.strapi.db.query('plugin::booking.check-in').count()).toBe(0);
});

test('reading the catalogue is not limited', async () => {
  const responses = await Promise.all(Array.from({ length: 3 * LIMIT }, () => request(baseUrl).get('/api/booking/shows')));
  expect(responses.every((r) => r.status === 200)).toBe(true);
});

test('a body far larger than a booking is refused before it is read into the database', async () => {
  await app.strapi.db.connection('booking_rate_limits').delete();
  const perf = await createPerformance(app.strapi);
  const res = await request(baseUrl)
    .post('/api/booking/reservations')
    .send({ data: { performance: perf.documentId, name: 'A', email: 'a@example.test', party_size: 1, notes: 'x'.repeat(40_000) } });
  expect(res.status).toBe(413);
  expect(res.body.error.details.code).toBe('payload_too_large');
  expect(await app.strapi.db.query('plugin::booking.reservation').count()).toBe(0);
});

test('the housekeeping job deletes lapsed counters and keeps live ones', async () => {
  const limits = () => app.strapi.db.connection('booking_rate_limits');
  await limits().delete();
  // One POST from one client: one live counter.
  await request(baseUrl).post('/api/booking/reservations/cancel').send({ token: 'x' });
  const live = Number((await limits().count({ n: '*' }))[0].n);
  expect(live).toBe(1);
  // rate-limiter-flexible keeps `expire` in ms since the epoch.
  await limits().insert({ key: 'ip:203.0.113.9', points: 3, expire: Date.now() - 2 * 3600_000 });
  await service(app.strapi, 'rate-limit').clearExpired();
  expect(await limits().where('key', 'ip:203.0.113.9').first()).toBeUndefined();
  expect(Number((await limits().count({ n: '*' }))[0].n)).toBe(live);
});
