/**
 * The ticket's other mails, against the real app on PostgreSQL and a real SMTP server: the
 * calendar file (read back with ical.js), the reminder exactly once with two instances' jobs
 * running (the clock injected), the lost ticket (the same answer for known and unknown
 * addresses, at most BOOKING_RESEND_PER_HOUR mails), the cancellation receipt, and the links'
 * language.
 */
import request from 'supertest';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { startApp, type TestApp } from './support/app';
import { createPerformance } from './support/factories';
import { startAppProcess, type AppProcess } from './support/processes';
import { decodeQrPng } from './support/qr';
import { linkIn, startSmtpSink, type SmtpSink } from './support/smtp';

const PUBLIC_URL = 'https://teatro.example.test/prenota';
let app: TestApp;
let smtp: SmtpSink;
const http = () => request(app.strapi.server.httpServer);
const service = (name: string) => app.strapi.plugin('booking').service(name);
let counter = 0;
const newEmail = (tag = 'mail') => `${tag}${(counter += 1)}@example.test`;
const settle = async () => {
  await service('events').settle();
  await service('mailer').settle();
};
const resend = (email: unknown) => http().post('/api/booking/reservations/resend').send({ email });

const env = () => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtp.port),
  BOOKING_PUBLIC_URL: PUBLIC_URL,
  BOOKING_RATE_LIMIT_PER_MINUTE: '0',
  BOOKING_REMINDER_HOURS_BEFORE: '24',
  BOOKING_RESEND_PER_HOUR: '3',
});

/** A confirmed reservation through the services; returns its id and tokens. */
const book = async (performance: string, email: string, party_size = 2, locale: 'it' | 'en' = 'it') => {
  const created = await service('reservations').createReservation({
    performance,
    name: 'Luca Neri',
    email,
    party_size,
    locale,
    notes: 'allergico',
  });
  if (!created.ok) throw new Error(created.code);
  const confirmed = await service('reservations').confirmReservation(created.confirmationToken);
  if (!confirmed.ok) throw new Error(confirmed.code);
  return confirmed as { reservation: { id: number; reference: string }; cancellationToken: string; checkInToken: string };
};

const calendarOf = (mail: ParsedMail) => {
  const files = mail.attachments.filter((a) => a.contentType === 'text/calendar');
  expect(files).toHaveLength(1);
  const text = files[0].content.toString('utf8');
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return { text, event: new ICAL.Event(events[0]) };
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  // This instance runs no job of its own: the tests call the jobs with the clock they choose.
  app = await startApp({ env: { ...env(), BOOKING_SCHEDULED_JOBS: 'false' } });
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

describe('the calendar file', () => {
  test('the ticket carries one VEVENT: start, start + duration, title, place, a UID stable for the reservation, nothing personal', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const performance = await app.strapi.db
      .query('plugin::booking.performance')
      .findOne({ where: { id: perf.id }, populate: ['show', 'venue'] });
    const email = newEmail();
    const { reservation } = await book(perf.documentId, email);
    await settle();
    const ticket = smtp.to(email).find((m) => (m.subject ?? '').includes('biglietto'))!;
    const { text, event } = calendarOf(ticket);
    // iCalendar times have whole seconds.
    const startSecond = Math.floor(new Date(performance.starts_at).getTime() / 1000) * 1000;
    expect(event.startDate.toJSDate().getTime()).toBe(startSecond);
    expect(text).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(120 * 60_000);
    expect(event.summary).toBe(performance.show.title);
    expect(event.location).toBe(`${performance.venue.name}, Via Roma 1, Bologna`);
    expect(event.uid).toBe(`${reservation.reference}@booking.azionelab`);
    for (const personal of [email, 'Luca', 'Neri', 'allergico']) expect(text).not.toContain(personal);
    // The files are named in the visitor's language, the calendar after the show.
    expect(ticket.attachments.map((a) => a.filename).sort()).toEqual([`${performance.show.slug}.ics`, 'biglietto.png'].sort());

    // The show's duration, when given; the same UID when the ticket comes again.
    await app.strapi.db.query('plugin::booking.show').update({ where: { id: performance.show.id }, data: { duration_minutes: 95 } });
    expect((await resend(email)).status).toBe(202);
    await settle();
    const again = smtp.to(email).find((m) => (m.subject ?? '').includes('Di nuovo'))!;
    const second = calendarOf(again).event;
    expect(second.uid).toBe(event.uid);
    expect(second.endDate.toJSDate().getTime() - second.startDate.toJSDate().getTime()).toBe(95 * 60_000);
  });
});

describe('the lost ticket', () => {
  test('202 accepted alike for known and unknown addresses; one mail per upcoming confirmed reservation with a fresh QR; at most 3 an hour', async () => {
    const soon = await createPerformance(app.strapi, { room_capacity: 10 });
    const later = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 200 });
    const past = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 100 });
    const email = newEmail('lost');
    const first = await book(soon.documentId, email);
    await book(later.documentId, email);
    await book(past.documentId, email);
    // The third performance has started: no ticket is sent for it.
    await app.strapi.db
      .query('plugin::booking.performance')
      .update({ where: { id: past.id }, data: { starts_at: new Date(Date.now() - 3600_000) } });
    await settle();
    const before = smtp.to(email).length;

    const known = await resend(email.toUpperCase());
    const unknown = await resend(newEmail('nobody'));
    expect([known.status, known.body]).toEqual([202, { data: { status: 'accepted' } }]);
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    await settle();
    const copies = () => smtp.to(email).filter((m) => (m.subject ?? '').includes('Di nuovo'));
    expect(copies()).toHaveLength(2);
    expect(smtp.to(email).length - before).toBe(2);

    // A fresh check-in token in the QR code; the first one keeps working.
    const qr = decodeQrPng(copies()[0].attachments.find((a) => a.contentType === 'image/png')!.content);
    expect(qr).not.toBe(first.checkInToken);
    expect(copies()[0].text).toContain(`${PUBLIC_URL}/cancel?token=`);

    // Three an hour per address: the second request gets one more, the third none, all 202.
    expect((await resend(email)).status).toBe(202);
    expect((await resend(email)).status).toBe(202);
    await settle();
    expect(copies()).toHaveLength(3);
    // An hour later the allowance is back (clock injected).
    expect(await service('reservations').resendTickets(email, new Date(Date.now() + 3601_000))).toBe(2);
  });

  test('a malformed address is 400 validation; an unknown one sends nothing', async () => {
    for (const bad of ['not-an-address', '', 42, null]) {
      const res = await resend(bad);
      expect([res.status, res.body.error.details.code]).toEqual([400, 'validation']);
    }
    const extra = await http().post('/api/booking/reservations/resend').send({ email: newEmail(), more: 1 });
    expect(extra.status).toBe(400);
  });
});

describe("the cancellation receipt and the links' language", () => {
  test('a cancellation is confirmed by e-mail; English links carry lang=en, Italian ones none; the HTML declares utf-8', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const en = newEmail('en');
    const it = newEmail('it');
    const english = await book(perf.documentId, en, 1, 'en');
    await book(perf.documentId, it, 1, 'it');
    await settle();
    const enTicket = smtp.to(en).find((m) => (m.subject ?? '').startsWith('Your ticket'))!;
    expect(linkIn(enTicket.text ?? '', `${PUBLIC_URL}/cancel?token=`)).toMatch(/&lang=en$/);
    expect(String(enTicket.html)).toContain('<meta charset="utf-8">');
    const itTicket = smtp.to(it).find((m) => (m.subject ?? '').startsWith('Il tuo biglietto'))!;
    expect(linkIn(itTicket.text ?? '', `${PUBLIC_URL}/cancel?token=`)).not.toContain('lang=');

    expect((await http().post('/api/booking/reservations/cancel').send({ token: english.cancellationToken })).status).toBe(200);
    await settle();
    const receipts = smtp.to(en).filter((m) => (m.subject ?? '').startsWith('Booking cancelled'));
    expect(receipts).toHaveLength(1);
    expect(receipts[0].text).toContain(english.reservation.reference);
  });
});

describe('a smaller party', () => {
  test('a reduction sends the ticket again with the new number of seats; the ticket mail says its link can also reduce', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const email = newEmail('fewer');
    const booked = await book(perf.documentId, email, 4, 'en');
    await settle();
    const ticket = smtp.to(email).find((m) => (m.subject ?? '').startsWith('Your ticket'))!;
    expect(ticket.text).toContain('Seats: 4');
    expect(ticket.text).toContain('This link cancels the booking or reduces the seats');
    expect(ticket.attachments.map((a) => a.filename)).toContain('ticket.png');

    const res = await http().post('/api/booking/reservations/reduce').send({ token: booked.cancellationToken, party_size: 2 });
    expect(res.status).toBe(200);
    await settle();
    const updated = smtp.to(email).filter((m) => (m.subject ?? '').startsWith('Booking updated'));
    expect(updated).toHaveLength(1);
    expect(updated[0].text).toContain('your booking is now for 2 seats');
    expect(updated[0].text).toContain('Seats: 2');
    expect(updated[0].text).not.toContain('Seats: 4');
    expect(linkIn(updated[0].text ?? '', `${PUBLIC_URL}/cancel?token=`)).toMatch(/&lang=en$/);
    // A fresh QR code, and the first one still admits the party.
    const qr = decodeQrPng(updated[0].attachments.find((a) => a.contentType === 'image/png')!.content);
    expect(qr).not.toBe(booked.checkInToken);
    calendarOf(updated[0]);
    expect(
      await app.strapi.db
        .query('plugin::booking.outbox-message')
        .count({ where: { kind: 'reduced', reservation: { id: booked.reservation.id } } })
    ).toBe(1);

    // A refused reduction (not smaller) sends nothing.
    expect((await http().post('/api/booking/reservations/reduce').send({ token: booked.cancellationToken, party_size: 2 })).status).toBe(
      400
    );
    await settle();
    expect(smtp.to(email).filter((m) => (m.subject ?? '').startsWith('Booking updated'))).toHaveLength(1);
  });
});

describe('the reminder', () => {
  let second: AppProcess;
  beforeAll(async () => {
    // A second instance whose own 30-second job runs with the real clock.
    second = await startAppProcess(app.database, { ...env(), BOOKING_SCHEDULED_JOBS: 'true' });
  });
  afterAll(async () => {
    await second?.stop();
  });

  test('exactly one reminder per reservation, with QR and calendar, whatever the instances and runs', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 10 });
    const far = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 60 });
    const emails = [newEmail('rem'), newEmail('rem'), newEmail('rem')];
    const ids: number[] = [];
    for (const email of emails) ids.push((await book(perf.documentId, email)).reservation.id);
    const lateEmail = newEmail('late');
    await book(perf.documentId, lateEmail); // confirmed inside the window: its ticket is fresh
    const farEmail = newEmail('far');
    const farBooking = await book(far.documentId, farEmail);
    // Confirmed three days ago, before the 24-hour window opened.
    await app.strapi.db
      .connection('booking_reservations')
      .whereIn('id', [...ids, farBooking.reservation.id])
      .update({ confirmed_at: new Date(Date.now() - 72 * 3600_000) });
    await settle();

    // Five runs at once on this instance (five pool connections), while the other instance's job runs too.
    const now = new Date();
    const claimed = await Promise.all(Array.from({ length: 5 }, () => service('reminders').queueDue(now)));
    const claimedHere = claimed.reduce((a: number, b: number) => a + b, 0);
    expect(claimedHere).toBeLessThanOrEqual(3);
    // Until the other instance's next run (every 30 s) has passed, so both instances' jobs ran.
    const nextRun = Math.ceil((Date.now() + 1) / 30_000) * 30_000;
    await new Promise((resolve) => setTimeout(resolve, nextRun - Date.now() + 3000));
    expect(await service('reminders').queueDue(new Date(Date.now() + 3600_000))).toBe(0);
    await settle();

    const reminders = (email: string) => smtp.to(email).filter((m) => (m.subject ?? '').startsWith('Promemoria'));
    await smtp.waitFor(() => emails.every((email) => reminders(email).length >= 1), 20_000);
    for (const email of emails) {
      expect(reminders(email)).toHaveLength(1);
      const mail = reminders(email)[0];
      expect(mail.attachments.some((a) => a.contentType === 'image/png')).toBe(true);
      calendarOf(mail);
    }
    expect(reminders(lateEmail)).toHaveLength(0);
    expect(reminders(farEmail)).toHaveLength(0);
    const rows = await app.strapi.db.query('plugin::booking.outbox-message').count({ where: { kind: 'reminder' } });
    expect(rows).toBe(3);

    // The far performance's turn comes with the clock: once.
    const dayLater = new Date(Date.now() + 37 * 3600_000);
    const runs = await Promise.all([service('reminders').queueDue(dayLater), service('reminders').queueDue(dayLater)]);
    expect(runs.reduce((a: number, b: number) => a + b, 0)).toBe(1);
  });
});

describe('the English texts of the show in English mails', () => {
  test("an English visitor's ticket names the show and venue in English where they exist; an Italian visitor's in Italian", async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    for (const [uid, slug, texts] of [
      ['plugin::booking.show', perf.showSlug, { title: 'The Seagull' }],
      ['plugin::booking.venue', perf.venueSlug, { name: 'Studio Theatre' }],
    ] as const) {
      const base = (await app.strapi.db.query(uid).findOne({ where: { slug, locale: 'it' } })) as Record<string, unknown>;
      // Through the Document Service, as the Content Manager adds a locale.
      await app.strapi.documents(uid).update({ documentId: String(base.documentId), locale: 'en', data: { ...texts, slug } as never });
    }
    const en = newEmail('en');
    const it = newEmail('it');
    await book(perf.documentId, en, 1, 'en');
    await book(perf.documentId, it, 1, 'it');
    await settle();
    const enTicket = smtp.to(en).find((m) => (m.subject ?? '').startsWith('Your ticket'))!;
    expect(`${enTicket.subject} ${enTicket.text}`).toContain('The Seagull');
    expect(enTicket.text).toContain('Studio Theatre');
    expect(calendarOf(enTicket).event.summary).toContain('The Seagull');
    const itTicket = smtp.to(it).find((m) => (m.subject ?? '').startsWith('Il tuo biglietto'))!;
    expect(`${itTicket.subject} ${itTicket.text}`).toMatch(/Spettacolo /);
    expect(`${itTicket.subject} ${itTicket.text}`).not.toContain('The Seagull');
  });
});
