/**
 * When the evening changes (issue 22), a booked performance moves: against the real app on
 * PostgreSQL, a real SMTP server and a real HTTP receiver for the webhook, with the calendar
 * files read back by ical.js. Moved three times within BOOKING_CHANGE_NOTICE_MINUTES (through the
 * Content Manager's API, the Query Engine, and a venue re-linking it), each holder gets one mail
 * with the final date and place and a calendar file with the first ticket's UID and a higher
 * SEQUENCE; moved and moved back, none. The notice job runs with the clock the test gives it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { startApp, service, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance } from './support/factories';
import { linkIn, startSmtpSink, tokenOf, type SmtpSink } from './support/smtp';

const PERFORMANCE = 'plugin::booking.performance';
const VENUE = 'plugin::booking.venue';
const cm = (uid: string, documentId?: string) => `/content-manager/collection-types/${uid}${documentId ? `/${documentId}` : ''}`;

let app: TestApp;
let smtp: SmtpSink;
let token: string;
let receiver: http.Server;
let receiverUrl: string;
const received: Array<{ type: string; data: Record<string, unknown> }> = [];
let counter = 0;

const httpApp = () => request(app.strapi.server.httpServer);
const newEmail = () => `holder${(counter += 1)}-${Date.now()}@example.test`;
const settle = async () => {
  await service(app.strapi, 'events').settle();
  await service(app.strapi, 'mailer').settle();
  await service(app.strapi, 'webhooks').settle();
};
/** The notice job as the housekeeping runs it, at `minutes` from now. */
const runNoticesIn = async (minutes: number) => {
  const told = await service(app.strapi, 'schedule-changes').sendDue(new Date(Date.now() + minutes * 60_000));
  await settle();
  return told;
};
const isMoved = (mail: ParsedMail) => /Cambio di data|New date or place/.test(mail.subject ?? '');
const isTicket = (mail: ParsedMail) => /biglietto|Your ticket/.test(mail.subject ?? '');

const calendarOf = (mail: ParsedMail) => {
  const files = mail.attachments.filter((a) => a.contentType === 'text/calendar');
  expect(files).toHaveLength(1);
  const calendar = new ICAL.Component(ICAL.parse(files[0].content.toString('utf8')));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  const event = new ICAL.Event(events[0]);
  return { event, sequence: Number(events[0].getFirstPropertyValue('sequence') ?? 0) };
};

/** A confirmed reservation through the services (its ticket mail goes to `email`). */
const book = async (performance: string, email: string) => {
  const created = await service(app.strapi, 'reservations').createReservation({ performance, name: 'Luca Neri', email, party_size: 2 });
  if (!created.ok) throw new Error(created.code);
  const confirmed = await service(app.strapi, 'reservations').confirmReservation(created.confirmationToken);
  if (!confirmed.ok) throw new Error(confirmed.code);
  return confirmed.reservation as { id: number; reference: string };
};

const newVenue = async (name: string) =>
  (await app.strapi.db.query(VENUE).create({
    data: {
      name,
      slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now()}-${(counter += 1)}`,
      address: 'Via Nuova 5',
      city: 'Milano',
    },
  })) as { id: number; documentId: string; name: string };

/** A performance with three holders whose tickets have gone; their first calendar files. */
const bookedPerformance = async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 24 * 10 });
  const holders: Array<{ email: string; reference: string; uid: string; sequence: number }> = [];
  for (let i = 0; i < 3; i += 1) {
    const email = newEmail();
    const reservation = await book(perf.documentId, email);
    await settle();
    const ticket = await smtp.waitFor((m) => m.to !== undefined && JSON.stringify(m.to).includes(email) && isTicket(m));
    const { event, sequence } = calendarOf(ticket);
    holders.push({ email, reference: reservation.reference, uid: event.uid, sequence });
  }
  return { perf, holders };
};

const movedMailsTo = (email: string) => smtp.to(email).filter(isMoved);

beforeAll(async () => {
  smtp = await startSmtpSink();
  receiver = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body) as { type: string; data: Record<string, unknown> });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  app = await startApp({
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      BOOKING_PUBLIC_URL: 'https://teatro.example.test/prenota',
      BOOKING_RATE_LIMIT_PER_MINUTE: '0',
      BOOKING_PENDING_PER_EMAIL: '0',
      // The jobs run when the test says, with the clock it gives.
      BOOKING_SCHEDULED_JOBS: 'false',
      BOOKING_CHANGE_NOTICE_MINUTES: '2',
      BOOKING_WEBHOOK_ALLOW_PRIVATE: 'true',
    },
  });
  token = (await createAdmin(app.strapi)).token;
  await app.strapi.db
    .query('plugin::booking.webhook')
    .create({ data: { url: `${receiverUrl}/hook`, events: ['performance.rescheduled'] } });
});
afterAll(async () => {
  if (app) await settle();
  await app?.stop();
  await smtp?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('a booked performance moves', () => {
  test('three moves in the Content Manager within the delay: one mail per holder, final time and place, same UID, higher SEQUENCE, the webhook', async () => {
    const { perf, holders } = await bookedPerformance();
    const elsewhere = await newVenue('Teatro Nuovo');
    const put = (data: Record<string, unknown>) =>
      httpApp().put(cm(PERFORMANCE, perf.documentId)).set('Authorization', `Bearer ${token}`).send(data);
    const day = 24 * 3600_000;
    const first = new Date(new Date(perf.startsAt).getTime() + day);
    const final = new Date(new Date(perf.startsAt).getTime() + 2 * day + 30 * 60_000);

    expect((await put({ starts_at: first.toISOString() })).status).toBe(200);
    expect(await runNoticesIn(1)).toBe(0);
    expect((await put({ venue: { connect: [{ documentId: elsewhere.documentId }] } })).status).toBe(200);
    expect((await put({ starts_at: final.toISOString() })).status).toBe(200);
    const stored = (await app.strapi.db.query(PERFORMANCE).findOne({ where: { id: perf.id }, populate: ['venue'] })) as {
      venue: { id: number };
    };
    expect(stored.venue.id).toBe(elsewhere.id);

    // Within the delay of the last edit: nothing yet.
    expect(await runNoticesIn(1.5)).toBe(0);
    for (const holder of holders) expect(movedMailsTo(holder.email)).toHaveLength(0);
    // After it: one notice for the performance, one mail per holder.
    expect(await runNoticesIn(2.5)).toBe(1);
    expect(await runNoticesIn(10)).toBe(0);
    for (const holder of holders) {
      const mails = movedMailsTo(holder.email);
      expect(mails).toHaveLength(1);
      const [mail] = mails;
      const { event, sequence } = calendarOf(mail);
      expect(event.uid).toBe(holder.uid);
      expect(holder.sequence).toBe(0);
      expect(sequence).toBeGreaterThan(holder.sequence);
      expect(event.startDate.toJSDate().getTime()).toBe(Math.floor(final.getTime() / 1000) * 1000);
      expect(event.location).toBe('Teatro Nuovo, Via Nuova 5, Milano');
      expect(mail.text).toContain('Teatro Nuovo');
      expect(mail.text).toContain(holder.reference);
      // The cancellation link works for the new date (its preview answers the booking).
      const cancel = linkIn(mail.text ?? '', 'https://teatro.example.test/prenota/cancel');
      const preview = await httpApp()
        .post('/api/booking/reservations/preview')
        .send({ token: tokenOf(cancel) });
      expect(preview.status).toBe(200);
      expect(preview.body.data.reference).toBe(holder.reference);
    }

    const hooks = received.filter((r) => r.type === 'performance.rescheduled' && r.data.documentId === perf.documentId);
    expect(hooks).toHaveLength(1);
    expect(hooks[0].data.starts_at).toBe(final.toISOString());
    expect(hooks[0].data.venue).toMatchObject({ documentId: elsewhere.documentId, name: 'Teatro Nuovo', city: 'Milano' });
    expect(JSON.stringify(hooks[0])).not.toMatch(/@example\.test|Luca/);

    // A ticket sent again after the move carries the same version: no calendar goes back.
    const resent = await httpApp().post('/api/booking/reservations/resend').send({ email: holders[0].email });
    expect(resent.status).toBe(202);
    await settle();
    const again = smtp.to(holders[0].email).filter((m) => /Di nuovo/.test(m.subject ?? ''));
    expect(again).toHaveLength(1);
    const resentCalendar = calendarOf(again[0]);
    expect(resentCalendar.event.uid).toBe(holders[0].uid);
    expect(resentCalendar.sequence).toBe(1);
  });

  test('moved and moved back (Query Engine): no mail; moved by the Query Engine: one mail each', async () => {
    const { perf, holders } = await bookedPerformance();
    const query = app.strapi.db.query(PERFORMANCE);
    const original = new Date(perf.startsAt);
    await query.update({ where: { id: perf.id }, data: { starts_at: new Date(original.getTime() + 3600_000) } });
    await query.update({ where: { id: perf.id }, data: { starts_at: original } });
    expect(await runNoticesIn(5)).toBe(0);
    for (const holder of holders) expect(movedMailsTo(holder.email)).toHaveLength(0);

    // The reminder of the first date goes (a day before it).
    const reminders = service(app.strapi, 'reminders');
    expect(await reminders.queueDue(new Date(original.getTime() - 23 * 3600_000))).toBe(3);
    await settle();
    const isReminder = (m: ParsedMail) => /Promemoria/.test(m.subject ?? '');
    for (const holder of holders) expect(smtp.to(holder.email).filter(isReminder)).toHaveLength(1);

    // Moved for good, this time through updateMany: the same notice, claimed once by three
    // instances' jobs running at the same moment.
    const later = new Date(original.getTime() + 7 * 24 * 3600_000);
    await query.updateMany({ where: { id: perf.id }, data: { starts_at: later } });
    const at = new Date(Date.now() + 5 * 60_000);
    const jobs = service(app.strapi, 'schedule-changes');
    const told = await Promise.all([jobs.sendDue(at), jobs.sendDue(at), jobs.sendDue(at)]);
    await settle();
    expect(told.reduce((a, b) => a + b, 0)).toBe(1);
    for (const holder of holders) {
      const mails = movedMailsTo(holder.email);
      expect(mails).toHaveLength(1);
      const { event, sequence } = calendarOf(mails[0]);
      expect(event.uid).toBe(holder.uid);
      expect(sequence).toBe(1);
      expect(event.startDate.toJSDate().getTime()).toBe(Math.floor(later.getTime() / 1000) * 1000);
    }
    // The reminder goes by the new time: again, a day before it, with the moved calendar file.
    expect(await reminders.queueDue(new Date(original.getTime() - 22 * 3600_000))).toBe(0);
    expect(await reminders.queueDue(new Date(later.getTime() - 23 * 3600_000))).toBe(3);
    await settle();
    for (const holder of holders) {
      const sent = smtp.to(holder.email).filter(isReminder);
      expect(sent).toHaveLength(2);
      const { event, sequence } = calendarOf(sent[1]);
      expect([event.uid, sequence]).toEqual([holder.uid, 1]);
      expect(event.startDate.toJSDate().getTime()).toBe(Math.floor(later.getTime() / 1000) * 1000);
    }
  });

  test('from the venue side: a venue saved in the Content Manager with the performance re-links it, and its holders are told', async () => {
    const { perf, holders } = await bookedPerformance();
    const hall = await newVenue('Sala Grande');
    const res = await httpApp()
      .put(cm(VENUE, hall.documentId))
      .query({ locale: 'it' })
      .set('Authorization', `Bearer ${token}`)
      .send({ performances: { connect: [{ documentId: perf.documentId }] } });
    expect(res.status).toBe(200);
    expect(await runNoticesIn(5)).toBe(1);
    for (const holder of holders) {
      const mails = movedMailsTo(holder.email);
      expect(mails).toHaveLength(1);
      expect(calendarOf(mails[0]).event.location).toBe('Sala Grande, Via Nuova 5, Milano');
    }
  });

  test('an unbooked performance moves silently; a pending booking is not a holder', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 48 });
    const email = newEmail();
    const created = await service(app.strapi, 'reservations').createReservation({
      performance: perf.documentId,
      name: 'Anna',
      email,
      party_size: 1,
    });
    expect(created.ok).toBe(true);
    await app.strapi.db.query(PERFORMANCE).update({ where: { id: perf.id }, data: { starts_at: new Date(Date.now() + 96 * 3600_000) } });
    expect(await runNoticesIn(5)).toBe(0);
    expect(movedMailsTo(email)).toHaveLength(0);
  });
});
