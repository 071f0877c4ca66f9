/**
 * Abuse, proxies and secrets (API.md, season two), over HTTP against the real app behind a
 * pretend load balancer (IS_PROXIED=true, one trusted hop): client IPs from X-Forwarded-For as
 * only the trusted proxy wrote them, IPv6 clients per /64.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';

const LIMIT = 5;
let app: TestApp;
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
    },
  });
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
