/**
 * yup 0.32's `.email()` (used by Strapi's users-permissions and admin routes) takes minutes on a
 * hostile string, and holds the whole instance meanwhile. The booking routes check addresses in
 * linear time, and the email guard refuses such strings before Strapi's own routes see them.
 * A regression hangs these requests past the test's timeout.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { createPerformance } from './support/factories';

const HOSTILE = '"; DROP TABLE booking_reservations; --';
let app: TestApp;

beforeAll(async () => {
  app = await startApp({ env: { BOOKING_RATE_LIMIT_PER_MINUTE: '0' } });
});
afterAll(async () => {
  await app?.stop();
});

const http = () => request(app.strapi.server.httpServer);

test('a booking with that address is refused as a bad address, and nothing is stored', async () => {
  const perf = await createPerformance(app.strapi);
  const res = await http()
    .post('/api/booking/reservations')
    .send({ data: { performance: perf.documentId, name: 'Ospite', email: HOSTILE, party_size: 1 } });
  expect(res.status).toBe(400);
  expect(res.body.error.details.code).toBe('validation');
  expect(await app.strapi.db.query('plugin::booking.reservation').count()).toBe(0);
});

test.each([
  ['POST', '/api/auth/forgot-password', { email: HOSTILE }],
  ['POST', '/api/auth/local/register', { username: 'ospite', email: HOSTILE, password: 'Secret-password-1' }],
  ['POST', '/admin/login', { email: HOSTILE, password: 'x' }],
  ['POST', '/admin/register-admin', { email: HOSTILE, password: 'Secret-password-1', firstname: 'A' }],
])('%s %s with that address is refused at once with 400', async (_method, path, body) => {
  const res = await http().post(path).send(body);
  expect(res.status).toBe(400);
  expect(res.body.error.message).toBe('email must be a valid email');
});

test('real addresses go on to the route’s own checks', async () => {
  const forgot = await http().post('/api/auth/forgot-password').send({ email: 'nessuno@example.test' });
  expect(forgot.status).toBe(200);
  const login = await http().post('/admin/login').send({ email: 'nessuno@example.test', password: 'wrong-password' });
  expect(login.status).toBe(400);
  expect(login.body.error.message).not.toBe('email must be a valid email');
});
