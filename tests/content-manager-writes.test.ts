/**
 * Every Content Manager write path, over its HTTP API as a Super Admin, on SQLite (the database
 * of `npm run develop`, one connection) and on PostgreSQL with a pool of one connection. A
 * lifecycle, middleware or service that reads or writes outside the write's transaction then
 * waits for the connection the transaction holds: with a 2 s acquire timeout the write fails
 * fast (a 500) instead of freezing the app for a minute. So each write answering as it should
 * is the proof that everything it runs is bound to its transaction.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance, pendingReservation, seatsOf } from './support/factories';

const UID = {
  show: 'plugin::booking.show',
  venue: 'plugin::booking.venue',
  performance: 'plugin::booking.performance',
  reservation: 'plugin::booking.reservation',
  waitlistEntry: 'plugin::booking.waitlist-entry',
  checkIn: 'plugin::booking.check-in',
  webhook: 'plugin::booking.webhook',
} as const;

const cm = (uid: string, documentId?: string) => `/content-manager/collection-types/${uid}${documentId ? `/${documentId}` : ''}`;

/** A query outside its transaction waits this long for the one connection, then fails. */
const ACQUIRE_TIMEOUT_MS = 2000;

describe.each(['sqlite', 'postgres'] as const)('Content Manager writes on %s, one connection', (client) => {
  let app: TestApp;
  let token: string;

  const http = () => request(app.strapi.server.httpServer);
  const del = (uid: string, documentId: string) => http().delete(cm(uid, documentId)).set('Authorization', `Bearer ${token}`);

  beforeAll(async () => {
    app = await startApp({
      client,
      env: {
        DATABASE_CONNECTION_TIMEOUT: String(ACQUIRE_TIMEOUT_MS),
        // PostgreSQL gets SQLite's single connection, so it shows the same waits.
        DATABASE_POOL_MIN: '1',
        DATABASE_POOL_MAX: '1',
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: '1',
      },
    });
    token = (await createAdmin(app.strapi)).token;
  });

  afterAll(async () => {
    if (app) await service(app.strapi, 'mailer').settle();
    await app?.stop();
  });

  const exists = async (uid: string, id: number) => (await app.strapi.db.query(uid).count({ where: { id } })) === 1;

  test('a performance with no bookings is deleted at once, and the public catalogue answers meanwhile', async () => {
    const performance = await createPerformance(app.strapi);
    const deleting = del(UID.performance, performance.documentId).then((res) => res);
    await new Promise((resolve) => setImmediate(resolve));
    const [deleted, shows] = await Promise.all([deleting, http().get('/api/booking/shows')]);
    expect(deleted.status).toBe(200);
    expect(shows.status).toBe(200);
    expect(await exists(UID.performance, performance.id)).toBe(false);
  });

  test('a performance with confirmed seats is refused with the seats named, and stays', async () => {
    const performance = await createPerformance(app.strapi, { room_capacity: 5 });
    await confirmedReservation(app.strapi, performance.documentId, 2);
    const res = await del(UID.performance, performance.documentId);
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('capacity_below_confirmed');
    expect(res.body.error.message).toContain('2');
    expect(await exists(UID.performance, performance.id)).toBe(true);
    expect((await seatsOf(app.strapi, performance.id)).confirmedSeats).toBe(2);
  });

  test('a performance with a pending reservation only is deleted', async () => {
    const performance = await createPerformance(app.strapi, { room_capacity: 5 });
    await pendingReservation(app.strapi, { performance: performance.documentId, party_size: 2 });
    const res = await del(UID.performance, performance.documentId);
    expect(res.status).toBe(200);
    expect(await exists(UID.performance, performance.id)).toBe(false);
  });
});
