/**
 * LOG_FORMAT=json as a log collector reads it: a production process (`strapi start`,
 * NODE_ENV=production) writes nothing but JSON objects to stdout, one per line, each with time,
 * level and message; every request has its line, carrying the id answered as X-Request-Id (an
 * incoming one kept only when it is a short safe token), the route template, the status and the
 * duration. No line holds the visitor's name, e-mail or the tokens that travelled in bodies,
 * query strings or paths.
 */
import request from 'supertest';
import { startApp } from '../support/app';
import { createPerformance, pendingReservation } from '../support/factories';
import { startProductionProcess, type ProductionProcess } from '../support/production';

const VISITOR = { name: 'Clotilde Bevilacqua', email: 'clotilde.bevilacqua@example.test' };
let prod: ProductionProcess;
let database: string;
let performance: string;
let confirmationToken: string;

beforeAll(async () => {
  // The schema and an evening, made by the app in this process, then handed to the production one.
  const app = await startApp();
  database = app.database;
  performance = (await createPerformance(app.strapi, { room_capacity: 10 })).documentId;
  confirmationToken = (
    await pendingReservation(app.strapi, { performance, party_size: 2, name: 'Tito Livio', email: 'tito.livio@example.test' })
  ).confirmationToken;
  await app.stop({ keepDatabase: true });
  prod = await startProductionProcess(database, { LOG_FORMAT: 'json', BOOKING_RATE_LIMIT_PER_MINUTE: '0' });
}, 240_000);
afterAll(async () => {
  await prod?.stop();
  const { dropDatabase } = await import('../support/app');
  if (database) await dropDatabase(database);
});

test('every stdout line is a JSON object; every request line carries the id answered as X-Request-Id; nothing personal', async () => {
  const answered: Array<{ id: string; status: number; route: string | null }> = [];
  const note = (res: request.Response, route: string | null) => {
    answered.push({ id: res.headers['x-request-id'], status: res.status, route });
    return res;
  };

  // An incoming safe id (a proxy's UUID) is kept; an unsafe one is replaced.
  const probe = note(await request(prod.url).get('/api/booking/ready').set('X-Request-Id', 'caddy-0f1e2d3c4b5a'), '/api/booking/ready');
  expect(probe.headers['x-request-id']).toBe('caddy-0f1e2d3c4b5a');
  const unsafe = note(
    await request(prod.url).get('/api/booking/ready').set('X-Request-Id', `bad id "${VISITOR.email}"`),
    '/api/booking/ready'
  );
  expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);

  const booked = note(
    await request(prod.url)
      .post('/api/booking/reservations')
      .send({ data: { performance, party_size: 1, ...VISITOR } }),
    '/api/booking/reservations'
  );
  expect(booked.status).toBe(201);
  const confirmed = note(
    await request(prod.url).post('/api/booking/reservations/confirm').send({ token: confirmationToken }),
    '/api/booking/reservations/confirm'
  );
  expect(confirmed.status).toBe(200);
  // Tokens and addresses in query strings and paths, as links and careless clients send them.
  note(await request(prod.url).get(`/site/confirm/?token=${confirmationToken}`), null);
  note(
    await request(prod.url).get(`/api/booking/shows/no-such-show?email=${encodeURIComponent(VISITOR.email)}`),
    '/api/booking/shows/:slug'
  );
  note(await request(prod.url).get(`/nowhere/${VISITOR.email}`), null);
  const ids = answered.map((a) => a.id);
  expect(new Set(ids).size).toBe(ids.length);

  await new Promise((r) => setTimeout(r, 300));
  await prod.stop();

  expect(prod.lines.length).toBeGreaterThan(answered.length);
  const parsed = prod.lines.map((line, i) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`stdout line ${i + 1} is not JSON: ${line}`);
    }
  });
  for (const entry of parsed) {
    expect(typeof entry.time).toBe('string');
    expect(Number.isNaN(Date.parse(entry.time as string))).toBe(false);
    expect(typeof entry.level).toBe('string');
    expect(typeof entry.message).toBe('string');
  }
  for (const { id, status, route } of answered) {
    const lines = parsed.filter((entry) => entry.request_id === id);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status, level: 'http' });
    if (route) expect(lines[0].route).toBe(route);
    expect(typeof lines[0].duration_ms).toBe('number');
  }
  const text = prod.lines.join('\n');
  for (const secret of [VISITOR.name, VISITOR.email, 'clotilde.bevilacqua', 'Tito Livio', 'tito.livio', confirmationToken]) {
    expect(text).not.toContain(secret);
  }
});
