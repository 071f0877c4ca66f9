/**
 * A booked performance moves on SQLite (the database of `npm run develop`, one connection), and
 * on PostgreSQL with a pool of one connection: the lifecycles that note the change read and write
 * only through the write's transaction, or the Content Manager's save would wait on itself and
 * fail after the 2 s acquire timeout. The holder's notice then goes as on the full pool.
 */
import request from 'supertest';
import ICAL from 'ical.js';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance } from './support/factories';
import { startSmtpSink, type SmtpSink } from './support/smtp';

const cm = (uid: string, documentId: string) => `/content-manager/collection-types/${uid}/${documentId}`;

describe.each(['sqlite', 'postgres'] as const)('a booked performance moves on %s, one connection', (client) => {
  let app: TestApp;
  let smtp: SmtpSink;
  let token: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    app = await startApp({
      client,
      env: {
        DATABASE_CONNECTION_TIMEOUT: '2000',
        DATABASE_POOL_MIN: '1',
        DATABASE_POOL_MAX: '1',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        BOOKING_RATE_LIMIT_PER_MINUTE: '0',
        BOOKING_SCHEDULED_JOBS: 'false',
        BOOKING_CHANGE_NOTICE_MINUTES: '0.5',
      },
    });
    token = (await createAdmin(app.strapi)).token;
  });
  afterAll(async () => {
    if (app) {
      await service(app.strapi, 'events').settle();
      await service(app.strapi, 'mailer').settle();
    }
    await app?.stop();
    await smtp?.stop();
  });

  test('the Content Manager saves the new date and venue; one notice, with the calendar moved', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 100 });
    const email = `holder-${client}@example.test`;
    const created = await service(app.strapi, 'reservations').createReservation({
      performance: perf.documentId,
      name: 'Luca Neri',
      email,
      party_size: 2,
    });
    if (!created.ok) throw new Error(created.code);
    const confirmed = await service(app.strapi, 'reservations').confirmReservation(created.confirmationToken);
    if (!confirmed.ok) throw new Error(confirmed.code);
    const venue = (await app.strapi.db.query('plugin::booking.venue').create({
      data: { name: 'Sala Piccola', slug: `sala-piccola-${client}-${Date.now()}`, address: 'Via Corta 2', city: 'Roma' },
    })) as { documentId: string };
    const later = new Date(new Date(perf.startsAt).getTime() + 3 * 3600_000);
    const res = await request(app.strapi.server.httpServer)
      .put(cm('plugin::booking.performance', perf.documentId))
      .set('Authorization', `Bearer ${token}`)
      .send({ starts_at: later.toISOString(), venue: { connect: [{ documentId: venue.documentId }] } });
    expect(res.status).toBe(200);

    const jobs = service(app.strapi, 'schedule-changes');
    expect(await jobs.sendDue(new Date(Date.now() + 10_000))).toBe(0);
    expect(await jobs.sendDue(new Date(Date.now() + 60_000))).toBe(1);
    await service(app.strapi, 'events').settle();
    await service(app.strapi, 'mailer').settle();
    const moved = smtp.to(email).filter((m) => /Cambio di data/.test(m.subject ?? ''));
    expect(moved).toHaveLength(1);
    const file = moved[0].attachments.find((a) => a.contentType === 'text/calendar')!;
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(file.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(`${confirmed.reservation.reference}@booking.azionelab`);
    expect(event.sequence).toBe(1);
    expect(event.location).toBe('Sala Piccola, Via Corta 2, Roma');
    expect(event.startDate.toJSDate().getTime()).toBe(Math.floor(later.getTime() / 1000) * 1000);
  });
});
