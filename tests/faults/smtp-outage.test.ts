/**
 * The SMTP server refusing for a while during bookings and confirmations: every mail arrives
 * exactly once after it returns, and the bookings never wait for it.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from '../support/app';
import { createPerformance } from '../support/factories';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from '../support/smtp';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
let app: TestApp;
let smtp: SmtpSink;
const mailer = () => service(app.strapi, 'mailer');
let hours = 0;
/** A moment past every back-off so far: each call is an hour after the last. */
const later = () => new Date(Date.now() + (hours += 1) * 3600_000);

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), BOOKING_PUBLIC_URL: PUBLIC_URL, BOOKING_RATE_LIMIT_PER_MINUTE: '0' },
  });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

test('20 bookings and their confirmations while SMTP is down: each mail arrives exactly once when it is back', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 100 });
  const emails = Array.from({ length: 20 }, (_, i) => `outage${i}@example.test`);
  await smtp.stop();
  const booked = await Promise.all(
    emails.map((email) =>
      request(app.strapi.server.httpServer)
        .post('/api/booking/reservations')
        .send({ data: { performance: perf.documentId, name: 'Anna Verdi', email, party_size: 2 } })
    )
  );
  expect(booked.every((r) => r.status === 201)).toBe(true);
  await mailer().settle();
  await mailer().deliverDue(later()); // still down: retried, kept
  expect(await app.strapi.db.query('plugin::booking.outbox-message').count({ where: { delivery_status: 'retrying' } })).toBe(20);

  await smtp.start();
  await mailer().deliverDue(later());
  await mailer().deliverDue(later());
  for (const email of emails) expect(smtp.to(email)).toHaveLength(1);

  // Down again while every visitor confirms.
  await smtp.stop();
  for (const email of emails) {
    const token = tokenOf(linkIn(smtp.to(email)[0].text ?? '', `${PUBLIC_URL}/confirm?token=`));
    const res = await request(app.strapi.server.httpServer).post('/api/booking/reservations/confirm').send({ token });
    expect(res.status).toBe(200);
  }
  await mailer().settle();
  await smtp.start();
  await mailer().deliverDue(later());
  await mailer().deliverDue(later());
  for (const email of emails) {
    expect(smtp.to(email).map((m) => m.subject?.split(':')[0])).toEqual(['Conferma la tua prenotazione', 'Il tuo biglietto']);
  }
  expect(await app.strapi.db.query('plugin::booking.outbox-message').count({ where: { delivery_status: { $ne: 'sent' } } })).toBe(0);
});
