/**
 * How many mails one instance sends at once (issue 20, the on-sale rush): twice the SMTP
 * connections it may use (SMTP_MAX_CONNECTIONS), so each connection has the next mail leased,
 * read and rendered while one is on the wire; never more, so a slow SMTP server is not flooded.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createPerformance } from './support/factories';
import { startSmtpSink, type SmtpSink } from './support/smtp';

let app: TestApp;
let smtp: SmtpSink;

beforeAll(async () => {
  // A slow server: each mail is answered 400 ms after its data, so the sends pile up.
  smtp = await startSmtpSink({ holdMs: 400 });
  app = await startApp({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      // One connection per mail: the mails the server receives at once are the sends at once.
      SMTP_POOL: 'false',
      SMTP_MAX_CONNECTIONS: '3',
      BOOKING_RATE_LIMIT_PER_MINUTE: '0',
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

test('fifteen bookings at once: their mails go six at a time (twice SMTP_MAX_CONNECTIONS), all of them, each once', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 100 });
  const emails = Array.from({ length: 15 }, (_, i) => `pace${i}@example.test`);
  const booked = await Promise.all(
    emails.map((email) =>
      request(app.strapi.server.httpServer)
        .post('/api/booking/reservations')
        .send({ data: { performance: perf.documentId, name: 'Ospite Ritmo', email, party_size: 1 } })
    )
  );
  expect(booked.map((r) => r.status)).toEqual(Array(15).fill(201));
  await service(app.strapi, 'mailer').settle();

  expect(emails.map((email) => smtp.to(email).length)).toEqual(Array(15).fill(1));
  expect(smtp.mostAtOnce).toBe(6);
});
