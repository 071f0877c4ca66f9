/**
 * What an operator watches (docs/api.md, "Running it in production"): the readiness route and
 * the Prometheus metrics after a scripted evening. Bookings, a sold-out refusal, a refused
 * confirmation, scans with each kind of answer, a webhook receiver that fails, an SMTP server
 * that is not there: the counters, read line by line from the Prometheus text format, say
 * exactly what the script caused, and none of the script's names, e-mails or codes appears. Without the token: 401; on an instance without
 * BOOKING_METRICS_TOKEN: 404.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance, pendingReservation } from './support/factories';
import { freePort, listen, startAppProcess, type AppProcess } from './support/processes';

const TOKEN = 'metrics-token-for-tests-0123456789';
const PEOPLE = [
  { name: 'Ottavia Lanzichenecchi', email: 'ottavia.lanzichenecchi@example.test' },
  { name: 'Bartolomeo Squarcialupi', email: 'bartolomeo.squarcialupi@example.test' },
  { name: 'Ermenegilda Pappagallo', email: 'ermenegilda.pappagallo@example.test' },
  { name: 'Gervasio Sbrodolini', email: 'gervasio.sbrodolini@example.test' },
];

let app: TestApp;
let baseUrl: string;
let receiver: http.Server;
let webhookCalls = 0;

/** Samples of the Prometheus text format: `name{labels} value`, labels parsed. */
const samples = (text: string) =>
  text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample line: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });

const valueOf = (text: string, name: string, labels: Record<string, string> = {}) => {
  const found = samples(text).filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0].value;
};

const scrape = async () => {
  const res = await request(baseUrl).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  return res.text;
};

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      webhookCalls += 1;
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  app = await startApp({
    env: {
      BOOKING_METRICS_TOKEN: TOKEN,
      BOOKING_RATE_LIMIT_PER_MINUTE: '0',
      BOOKING_PENDING_PER_EMAIL: '0',
      // A listening connection to report on.
      BOOKING_PUBLIC_CACHE_SECONDS: '2',
      BOOKING_WEBHOOK_ALLOW_PRIVATE: 'true',
      // Nobody listens there: every mail fails and stays owed.
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await freePort()),
    },
  });
  baseUrl = await listen(app.strapi.server.httpServer);
});
afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

test('readiness: 200 with the database and the listener up, and what is owed', async () => {
  const res = await request(baseUrl).get('/api/booking/ready');
  expect(res.status).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.body).toEqual({ data: { database: 'up', listener: 'up', outbox: { pending: 0, oldest_seconds: 0 } } });
});

test('a scripted evening: the counters read back what it caused; no name, e-mail or token in the output', async () => {
  const before = await scrape();
  expect(valueOf(before, 'booking_reservations_total', { result: 'created' })).toBe(0);
  expect(valueOf(before, 'booking_listener_up')).toBe(1);
  expect(valueOf(before, 'booking_database_up')).toBe(1);
  expect(before).toMatch(/^process_cpu_user_seconds_total /m);
  expect(before).toMatch(/^nodejs_eventloop_lag_seconds /m);

  await app.strapi.db
    .query('plugin::booking.webhook')
    .create({ data: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, events: ['reservation.confirmed'] } });
  const perf = await createPerformance(app.strapi, { room_capacity: 4, startsInHours: 1 });
  const door = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo' });

  // Two parties booked and confirmed (3 of 4 seats; their ticket codes known to the script).
  const tickets: string[] = [];
  for (const [person, party_size] of [
    [PEOPLE[0], 2],
    [PEOPLE[1], 1],
  ] as const) {
    const pending = await pendingReservation(app.strapi, { performance: perf.documentId, party_size, ...person });
    const confirmed = await service(app.strapi, 'reservations').confirmReservation(pending.confirmationToken);
    if (!confirmed.ok) throw new Error(confirmed.code);
    tickets.push(confirmed.checkInToken as string);
    if (tickets.length === 1) {
      // The same link twice: refused as used.
      const again = await request(baseUrl).post('/api/booking/reservations/confirm').send({ token: pending.confirmationToken });
      expect([again.status, again.body.error.details.code]).toEqual([410, 'token_used']);
    }
  }
  // A visitor books the last seat over HTTP; the next party of two is refused.
  const c = await request(baseUrl)
    .post('/api/booking/reservations')
    .send({ data: { performance: perf.documentId, party_size: 1, ...PEOPLE[2] } });
  expect(c.status).toBe(201);
  const soldOut = await request(baseUrl)
    .post('/api/booking/reservations')
    .send({ data: { performance: perf.documentId, party_size: 2, ...PEOPLE[3] } });
  expect([soldOut.status, soldOut.body.error.details.code]).toEqual([409, 'sold_out']);
  const unknown = await request(baseUrl)
    .post('/api/booking/reservations/confirm')
    .send({ token: 'A'.repeat(43) });
  expect([unknown.status, unknown.body.error.details.code]).toEqual([404, 'token_invalid']);

  // The door: two in, one of them twice, one unknown code.
  const scan = (token: string) => request(baseUrl).post('/booking/check-ins').set('Authorization', `Bearer ${door.token}`).send({ token });
  const results = [];
  for (const token of [tickets[0], tickets[0], tickets[1], 'not-a-ticket-at-all']) results.push((await scan(token)).body.data.result);
  expect(results).toEqual(['ok', 'already_checked_in', 'ok', 'invalid']);

  await service(app.strapi, 'events').settle();
  await service(app.strapi, 'mailer').settle();
  await service(app.strapi, 'webhooks').settle();

  const text = await scrape();
  const counters = {
    reservations: ['created', 'sold_out'].map((result) => valueOf(text, 'booking_reservations_total', { result })),
    confirmations: ['confirmed', 'token_used', 'token_invalid'].map((result) => valueOf(text, 'booking_confirmations_total', { result })),
    checkins: ['ok', 'already_checked_in', 'invalid', 'too_early'].map((result) => valueOf(text, 'booking_checkins_total', { result })),
    mailFailures: ['confirmation', 'ticket'].map((kind) => valueOf(text, 'booking_mail_failures_total', { kind })),
    webhooks: ['retrying', 'delivered'].map((outcome) => valueOf(text, 'booking_webhook_deliveries_total', { outcome })),
    pending: ['mail', 'webhook'].map((kind) => valueOf(text, 'booking_outbox_pending', { kind })),
  };
  expect(counters).toEqual({
    reservations: [3, 1],
    confirmations: [2, 1, 1],
    checkins: [2, 1, 1, 0],
    // Three confirmation mails (two by the service, one over HTTP) and two tickets, none taken.
    mailFailures: [3, 2],
    webhooks: [2, 0],
    pending: [5, 2],
  });
  expect(webhookCalls).toBe(2);
  expect(valueOf(text, 'booking_outbox_oldest_seconds', { kind: 'mail' })).toBeGreaterThanOrEqual(0);
  // The request histogram by route template and status.
  expect(
    valueOf(text, 'booking_http_request_duration_seconds_count', { method: 'POST', route: '/api/booking/reservations', status: '409' })
  ).toBe(1);
  expect(valueOf(text, 'booking_http_request_duration_seconds_count', { method: 'POST', route: '/booking/check-ins', status: '200' })).toBe(
    4
  );

  // Nothing personal, no token, no raw path: every label value is from a fixed list.
  for (const secret of [...PEOPLE.flatMap((p) => [p.name, p.email, p.email.split('@')[0]]), ...tickets, TOKEN, door.email]) {
    expect(text).not.toContain(secret);
  }
  const routes = new Set(samples(text).flatMap((s) => (s.labels.route ? [s.labels.route] : [])));
  for (const route of routes) expect(route).toMatch(/^(unmatched|\/[A-Za-z0-9/:_.-]*)$/);
  expect([...routes].some((route) => route.includes(perf.documentId))).toBe(false);

  // Readiness says the same backlog.
  const ready = await request(baseUrl).get('/api/booking/ready');
  expect(ready.status).toBe(200);
  expect(ready.body.data.outbox.pending).toBe(7);
});

test('no token or a wrong one: 401; the readiness route needs none', async () => {
  for (const header of [undefined, 'Bearer wrong-token-0123456789abcdef', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
    const req = request(baseUrl).get('/metrics');
    const res = await (header ? req.set('Authorization', header) : req);
    expect([res.status, res.body?.error?.details?.code]).toEqual([401, 'unauthorized']);
    expect(res.text).not.toContain('booking_');
  }
});

describe('an instance without BOOKING_METRICS_TOKEN', () => {
  let other: AppProcess;
  beforeAll(async () => {
    other = await startAppProcess(app.database, { BOOKING_PUBLIC_CACHE_SECONDS: '0', BOOKING_METRICS_TOKEN: '' });
  }, 120_000);
  afterAll(async () => {
    await other?.stop();
  });

  test('has no /metrics (404), and is ready without a listener to need', async () => {
    expect((await request(other.url).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);
    const ready = await request(other.url).get('/api/booking/ready');
    expect([ready.status, ready.body.data.database, ready.body.data.listener]).toEqual([200, 'up', 'off']);
  });
});
