/**
 * Abuse, proxies and secrets (API.md, season two), over HTTP against the real app behind a
 * pretend load balancer (IS_PROXIED=true, one trusted hop): client IPs from X-Forwarded-For as
 * only the trusted proxy wrote them, IPv6 clients per /64; CORS for the site on the public routes
 * only; no token in the request log; the 16 KiB body limit, chunked bodies included.
 */
import http_ from 'node:http';
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { createPerformance } from './support/factories';
import { listen } from './support/processes';

const LIMIT = 5;
const SITE = 'https://www.azionelab.test';
let app: TestApp;
let baseUrl: string;
const http = () => request(app.strapi.server.httpServer);

/** A public POST as our load balancer passes it on: whatever the client wrote, then its address. */
const cancelFrom = (forwardedFor: string) =>
  http().post('/api/booking/reservations/cancel').set('X-Forwarded-For', forwardedFor).send({ token: 'x' });

beforeAll(async () => {
  app = await startApp({
    env: {
      IS_PROXIED: 'true',
      PROXY_TRUSTED_HOPS: '1',
      BOOKING_RATE_LIMIT_PER_MINUTE: String(LIMIT),
      BOOKING_SCHEDULED_JOBS: 'false',
      SMTP_PORT: '1',
      BOOKING_ALLOWED_ORIGINS: SITE,
    },
  });
  baseUrl = await listen(app.strapi.server.httpServer);
});
afterAll(async () => {
  await app?.stop();
});

describe('behind a load balancer', () => {
  test('addresses a client writes into X-Forwarded-For are ignored: the limit holds for the real one', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) {
      // Made-up leftmost entries, the same real address appended by our proxy.
      const res = await cancelFrom(`10.${i}.0.1, 192.0.2.${i + 1}, 198.51.100.7`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(404), 429, 429]);
  });

  test('another real client is not held back by that one', async () => {
    const res = await cancelFrom('198.51.100.7, 198.51.100.8');
    expect(res.status).toBe(404);
  });

  test('IPv6 clients are limited per /64', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) {
      const res = await cancelFrom(`2001:db8:aa:bb:${(i + 1).toString(16)}::${i + 7}`);
      statuses.push(res.status);
    }
    expect(statuses).toEqual([...Array(LIMIT).fill(404), 429, 429]);
    const limited = await cancelFrom('2001:db8:aa:bb:ffff::1');
    expect(limited.status).toBe(429);
    expect(limited.body.error.details.code).toBe('rate_limited');
    expect((await cancelFrom('2001:db8:aa:bc::1')).status).toBe(404);
  });
});

describe('CORS', () => {
  const preflight = (path: string, origin = SITE) =>
    http()
      .options(path)
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type');

  test('the allowed site gets CORS on the public booking routes, without credentials', async () => {
    const res = await preflight('/api/booking/reservations');
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const get = await http().get('/api/booking/shows').set('Origin', SITE);
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe(SITE);
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
  });

  test.each(['/admin/access-token', '/admin/login', '/booking/check-ins', '/api/auth/local'])(
    'the allowed site gets no CORS header at all on %s',
    async (path) => {
      const res = await preflight(path);
      const cors = Object.keys(res.headers).filter((h) => h.startsWith('access-control-'));
      expect(cors).toEqual([]);
    }
  );

  test('an origin that is not allowed gets no CORS on the public routes either', async () => {
    const res = await preflight('/api/booking/reservations', 'https://evil.example.test');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the request log', () => {
  test('writes the path without its query: no token', async () => {
    const lines: string[] = [];
    const spies = (['http', 'info', 'debug', 'verbose', 'warn'] as const).map((level) =>
      jest.spyOn(app.strapi.log, level).mockImplementation(((message: unknown) => {
        lines.push(String(message));
        return app.strapi.log;
      }) as never)
    );
    try {
      await http().get('/site/confirm?token=SECRETTOKEN123&lang=en');
      await http().post('/api/booking/reservations/confirm?token=SECRETTOKEN456').set('X-Forwarded-For', '198.51.100.77').send({ token: 'x' });
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    const log = lines.join('\n');
    expect(log).toMatch(/GET \/site\/confirm\b/);
    expect(log).toMatch(/POST \/api\/booking\/reservations\/confirm\b/);
    expect(log).not.toMatch(/SECRETTOKEN/);
  });
});

describe('the body limit', () => {
  /** POSTs `size` bytes of a JSON body chunked (no Content-Length), as a stream would. */
  const chunkedPost = (path: string, size: number) =>
    new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
      const url = new URL(path, baseUrl);
      let sent = 0;
      const req = http_.request(
        url,
        // A connection of its own: one the server stopped reading from is never reused.
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.99' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, sent }));
        }
      );
      // The server may close the connection once it has answered: what is left unsent does not matter.
      req.on('error', (error) => (sent > 0 ? undefined : reject(error)));
      expect(req.getHeader('content-length')).toBeUndefined();
      const head = '{"data":{"name":"A","notes":"';
      const chunk = 'x'.repeat(1024);
      // Writes as fast as the socket takes it, stopping when the server has answered.
      const write = () => {
        while (sent < size && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        if (!req.destroyed) req.end('"}}');
      };
      req.write(head);
      write();
    });

  test('a chunked body of 900 KB is 413 payload_too_large, refused before it is parsed', async () => {
    const perf = await createPerformance(app.strapi);
    const before = await app.strapi.db.query('plugin::booking.reservation').count();
    const res = await chunkedPost('/api/booking/reservations', 900 * 1024);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error).toMatchObject({ status: 413, details: { code: 'payload_too_large' } });
    expect(await app.strapi.db.query('plugin::booking.reservation').count()).toBe(before);
    expect(perf.documentId).toBeTruthy();
  });

  test('a body with a Content-Length over 16 KiB is 413 too, on every public POST', async () => {
    for (const path of ['/api/booking/reservations', '/api/booking/reservations/confirm', '/api/booking/reservations/cancel']) {
      const res = await http()
        .post(path)
        .set('X-Forwarded-For', '198.51.100.98')
        .send({ token: 'x'.repeat(17 * 1024) });
      expect(res.status).toBe(413);
      expect(res.body.error.details.code).toBe('payload_too_large');
    }
  });

  test('a chunked body under the limit is read as usual', async () => {
    const res = await chunkedPost('/api/booking/reservations', 8 * 1024);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.details.code).toBe('validation');
  });
});
