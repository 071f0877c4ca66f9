/**
 * SMTP_POOL (on by default in production): a storm of bookings and confirmations reuses a few
 * SMTP connections, and every mail still arrives once, whole, with its QR ticket.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createPerformance } from './support/factories';
import { decodeQrPng } from './support/qr';
import { startSmtpSink, type SmtpSink } from './support/smtp';

let app: TestApp;
let smtp: SmtpSink;

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      SMTP_POOL: 'true',
      SMTP_MAX_CONNECTIONS: '2',
      BOOKING_RATE_LIMIT_PER_MINUTE: '0',
    },
  });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

test("twenty bookings and their confirmations: forty mails over the pool's two connections", async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 100 });
  const http = () => request(app.strapi.server.httpServer);
  const emails = Array.from({ length: 20 }, (_, i) => `pool${i}@example.test`);
  const booked = await Promise.all(
    emails.map((email) =>
      http()
        .post('/api/booking/reservations')
        .send({ data: { performance: perf.documentId, name: 'Ospite Pool', email, party_size: 1 } })
    )
  );
  expect(booked.map((r) => r.status)).toEqual(Array(20).fill(201));
  const mailer = service(app.strapi, 'mailer');
  await mailer.settle();

  const confirmations = emails.map((email) => smtp.to(email).find((m) => !/biglietto/i.test(m.subject ?? ''))!);
  expect(confirmations.every(Boolean)).toBe(true);
  const confirmed = await Promise.all(
    confirmations.map((mail) =>
      http()
        .post('/api/booking/reservations/confirm')
        .send({ token: /confirm\?token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? '')?.[1] })
    )
  );
  expect(confirmed.map((r) => r.status)).toEqual(Array(20).fill(200));
  await mailer.settle();

  for (const email of emails) {
    const mails = smtp.to(email);
    expect(mails).toHaveLength(2);
    const ticket = mails.find((m) => /biglietto/i.test(m.subject ?? ''))!;
    const qr = ticket.attachments.find((a) => a.contentType === 'image/png')!;
    expect(decodeQrPng(qr.content)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  }
  // Twenty mails at once fill the pool's two connections, which stay open for the next twenty.
  expect(smtp.connections).toBe(2);
});
