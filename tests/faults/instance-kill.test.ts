/**
 * One of two app instances killed (SIGKILL) in the middle of a confirmation storm: the other goes
 * on, the invariants hold, and the killed one starts again clean on the same database.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from '../support/app';
import { createPerformance, pendingReservation } from '../support/factories';
import { expectInvariants } from '../support/invariants';
import { listen, startAppProcess, type AppProcess } from '../support/processes';

let app: TestApp;
let second: AppProcess;
let baseUrl: string;
const env = { BOOKING_RATE_LIMIT_PER_MINUTE: '0' };

beforeAll(async () => {
  app = await startApp({ env });
  baseUrl = await listen(app.strapi.server.httpServer);
  second = await startAppProcess(app.database, env);
});
afterAll(async () => {
  await second?.stop();
  await app?.stop();
});

test('SIGKILL of one instance mid-storm: the other goes on, nothing is overbooked or half done, the killed one restarts clean', async () => {
  const CAPACITY = 50;
  const perf = await createPerformance(app.strapi, { room_capacity: CAPACITY });
  const tokens: string[] = [];
  for (let i = 0; i < 300; i++) {
    const created = await pendingReservation(app.strapi, {
      performance: perf.documentId,
      name: `Ospite ${i}`,
      email: `kill${i}@example.test`,
      party_size: 1,
    });
    tokens.push(created.confirmationToken);
  }
  await service(app.strapi, 'mailer').settle();
  const confirm = (url: string, token: string) => request(url).post('/api/booking/reservations/confirm').send({ token });

  const storm = Promise.allSettled(tokens.map((token, i) => confirm(i % 2 ? second.url : baseUrl, token)));
  await new Promise((resolve) => setTimeout(resolve, 150));
  second.child.kill('SIGKILL');
  const first = await storm;
  const answered = first.map((r) => (r.status === 'fulfilled' ? r.value.status : 0));
  console.log(
    `with one instance killed: ${JSON.stringify(answered.reduce<Record<number, number>>((m, s) => ({ ...m, [s]: (m[s] ?? 0) + 1 }), {}))}`
  );
  // The survivor answered every request sent to it.
  expect(first.filter((_, i) => i % 2 === 0).every((r) => r.status === 'fulfilled' && [200, 409].includes(r.value.status))).toBe(true);

  // Visitors whose request died with the instance try again on the one that lives.
  const retry = tokens.filter((_, i) => ![200, 409].includes(answered[i]));
  const again = await Promise.all(retry.map((token) => confirm(baseUrl, token)));
  expect(again.every((r) => [200, 409, 410].includes(r.status))).toBe(true);
  const { confirmedSeats } = await expectInvariants(app.strapi, perf.id, CAPACITY);
  expect(confirmedSeats).toBe(CAPACITY);

  // The killed instance starts again on the same database and serves.
  second = await startAppProcess(app.database, env);
  const res = await request(second.url).get(`/api/booking/performances/${perf.documentId}`);
  expect(res.status).toBe(200);
  expect(res.body.data.available_seats).toBe(0);
});
