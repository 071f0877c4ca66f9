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
        // The webhooks below point at a closed local port (issue 18's private-address guard).
        BOOKING_WEBHOOK_ALLOW_PRIVATE: 'true',
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

  /**
   * A performance with no confirmed seat but with a pending reservation, a cancelled one and a
   * waiting-list entry, each holding a visitor's details. Answers what a deletion must leave.
   */
  const unconfirmedBookings = async () => {
    const performance = await createPerformance(app.strapi, { room_capacity: 2 });
    const booking = (email: string, party_size: number) =>
      service(app.strapi, 'reservations').createReservation({
        performance: performance.documentId,
        name: 'Nora Gialli',
        email,
        phone: '+39 333 1234567',
        notes: 'arriva tardi',
        party_size,
      });
    const pending = await booking(`nora-${client}-${Date.now()}@example.test`, 2);
    const cancelled = await booking(`nora2-${client}-${Date.now()}@example.test`, 1);
    if (!pending.ok || !cancelled.ok) throw new Error('not booked');
    await app.strapi.db
      .query(UID.reservation)
      .update({ where: { id: cancelled.reservation.id }, data: { reservation_status: 'cancelled' } });
    // Two seats free, a party of three does not fit: it waits.
    const joined = await service(app.strapi, 'waitlist').join({
      performance: performance.documentId,
      name: 'Ivo Viola',
      email: `ivo-${client}-${Date.now()}@example.test`,
      phone: '+39 347 7654321',
      notes: 'sedia a rotelle',
      party_size: 3,
    });
    if (!joined.ok) throw new Error(`not joined: ${joined.code}`);
    // Only a join whose address confirmed it is offered seats.
    expect((await service(app.strapi, 'waitlist').confirm(joined.confirmationToken)).ok).toBe(true);
    const reservationIds = [pending.reservation.id, cancelled.reservation.id];
    return {
      performance,
      /** What is left of the visitors' details, and whether the pending link still confirms. */
      async remains() {
        const reservations = (await app.strapi.db.query(UID.reservation).findMany({
          where: { id: { $in: reservationIds } },
          select: ['name', 'email', 'phone', 'notes', 'label'],
          orderBy: { id: 'asc' },
        })) as Array<Record<string, unknown>>;
        const entry = (await app.strapi.db
          .query(UID.waitlistEntry)
          .findOne({ where: { id: joined.entry.id }, select: ['name', 'email', 'phone', 'notes', 'waitlist_status'] })) as Record<
          string,
          unknown
        >;
        return { reservations, entry };
      },
      confirm: () => service(app.strapi, 'reservations').confirmReservation(pending.confirmationToken),
      references: [pending.reservation.reference, cancelled.reservation.reference],
    };
  };

  const erased = (references: string[]) => ({
    reservations: references.map((reference) => ({
      name: '—',
      email: 'erased@erased.invalid',
      phone: null,
      notes: null,
      label: `${reference} · —`,
    })),
    entry: { name: '—', email: 'erased@erased.invalid', phone: null, notes: null, waitlist_status: 'left' },
  });

  test('deleting a performance erases its unconfirmed reservations and waiting entries with it (Content Manager)', async () => {
    const bookings = await unconfirmedBookings();
    const res = await del(UID.performance, bookings.performance.documentId);
    expect(res.status).toBe(200);
    expect(await exists(UID.performance, bookings.performance.id)).toBe(false);
    expect(await bookings.remains()).toEqual(erased(bookings.references));
    expect(await bookings.confirm()).toMatchObject({ ok: false });
  });

  test('the same through the Query Engine: delete and deleteMany', async () => {
    for (const remove of [
      (id: number) => app.strapi.db.query(UID.performance).delete({ where: { id } }),
      (id: number) => app.strapi.db.query(UID.performance).deleteMany({ where: { id: { $in: [id] } } }),
    ]) {
      const bookings = await unconfirmedBookings();
      await remove(bookings.performance.id);
      expect(await exists(UID.performance, bookings.performance.id)).toBe(false);
      expect(await bookings.remains()).toEqual(erased(bookings.references));
    }
  });

  test('a confirmed seat refuses the delete on every path, and nothing is erased', async () => {
    const bookings = await unconfirmedBookings();
    await confirmedReservation(app.strapi, bookings.performance.documentId, 1);
    const before = await bookings.remains();
    expect(before.reservations[0]).toMatchObject({ name: 'Nora Gialli', phone: '+39 333 1234567' });
    const refused = await del(UID.performance, bookings.performance.documentId);
    expect([refused.status, refused.body.error.details.code]).toEqual([400, 'capacity_below_confirmed']);
    await expect(app.strapi.db.query(UID.performance).delete({ where: { id: bookings.performance.id } })).rejects.toMatchObject({
      details: { code: 'capacity_below_confirmed' },
    });
    await expect(app.strapi.db.query(UID.performance).deleteMany({ where: { id: bookings.performance.id } })).rejects.toMatchObject({
      details: { code: 'capacity_below_confirmed' },
    });
    expect(await exists(UID.performance, bookings.performance.id)).toBe(true);
    expect(await bookings.remains()).toEqual(before);
  });

  const put = (uid: string, documentId: string, data: Record<string, unknown>) =>
    http().put(cm(uid, documentId)).set('Authorization', `Bearer ${token}`).send(data);
  const post = (path: string, data: Record<string, unknown>) => http().post(path).set('Authorization', `Bearer ${token}`).send(data);
  const byDocument = async <T>(uid: string, documentId: string, populate?: Record<string, unknown>) =>
    (await app.strapi.db.query(uid).findOne({ where: { documentId }, populate })) as T;

  test('shows and venues: create, rename (the performance labels follow), delete', async () => {
    const stamp = `${client}-${Date.now()}`;
    const show = await post(cm(UID.show), { title: 'Nuovo', slug: `nuovo-${stamp}`, is_published: true });
    expect(show.status).toBe(201);
    const venue = await post(cm(UID.venue), { name: 'Sala Nuova', slug: `sala-nuova-${stamp}`, city: 'Bologna' });
    expect(venue.status).toBe(201);
    const performance = await post(cm(UID.performance), {
      show: { connect: [{ documentId: show.body.data.documentId }] },
      venue: { connect: [{ documentId: venue.body.data.documentId }] },
      starts_at: new Date(Date.now() + 5 * 24 * 3600_000).toISOString(),
      room_capacity: 10,
      additional_seats: 0,
      manually_occupied_seats: 0,
      is_booking_enabled: true,
    });
    expect(performance.status).toBe(201);
    const label = async () => (await byDocument<{ label: string }>(UID.performance, performance.body.data.documentId)).label;
    expect(await label()).toMatch(/^Nuovo · .* · Sala Nuova$/);

    expect((await put(UID.show, show.body.data.documentId, { title: 'Rinominato' })).status).toBe(200);
    expect((await put(UID.venue, venue.body.data.documentId, { name: 'Sala Rinominata' })).status).toBe(200);
    expect(await label()).toMatch(/^Rinominato · .* · Sala Rinominata$/);

    expect((await del(UID.performance, performance.body.data.documentId)).status).toBe(200);
    expect((await del(UID.show, show.body.data.documentId)).status).toBe(200);
    expect((await del(UID.venue, venue.body.data.documentId)).status).toBe(200);
    expect(await app.strapi.db.query(UID.show).count({ where: { documentId: show.body.data.documentId } })).toBe(0);
  });

  test('performances: edit the start and the capacity, refuse a capacity below the confirmed seats', async () => {
    const performance = await createPerformance(app.strapi, { room_capacity: 4 });
    await confirmedReservation(app.strapi, performance.documentId, 3);
    const starts = new Date(Date.now() + 9 * 24 * 3600_000);
    expect((await put(UID.performance, performance.documentId, { starts_at: starts.toISOString() })).status).toBe(200);
    const row = await byDocument<{ starts_at: string; label: string }>(UID.performance, performance.documentId);
    expect(new Date(row.starts_at).getTime()).toBe(starts.getTime());
    expect((await put(UID.performance, performance.documentId, { room_capacity: 6 })).status).toBe(200);
    const below = await put(UID.performance, performance.documentId, { room_capacity: 2 });
    expect(below.status).toBe(400);
    expect(below.body.error.details.code).toBe('capacity_below_confirmed');
    expect(await seatsOf(app.strapi, performance.id)).toMatchObject({ roomCapacity: 6, confirmedSeats: 3, availableSeats: 3 });
  });

  test('a capacity raised on a sold-out performance offers the seats to its waiting list, in the same write', async () => {
    const performance = await createPerformance(app.strapi, { room_capacity: 2 });
    await confirmedReservation(app.strapi, performance.documentId, 2);
    const joined = await service(app.strapi, 'waitlist').join({
      performance: performance.documentId,
      name: 'Lia Verdi',
      email: `lia-${client}@example.test`,
      party_size: 1,
    });
    if (!joined.ok) throw new Error(`not joined: ${joined.code}`);
    // Only a join whose address confirmed it is offered seats.
    expect((await service(app.strapi, 'waitlist').confirm(joined.confirmationToken)).ok).toBe(true);
    expect((await put(UID.performance, performance.documentId, { room_capacity: 3 })).status).toBe(200);
    expect(await seatsOf(app.strapi, performance.id)).toMatchObject({ confirmedSeats: 2, heldSeats: 1, availableSeats: 0 });
    const entry = (await app.strapi.db.query(UID.waitlistEntry).findOne({ where: { id: joined.entry.id } })) as { waitlist_status: string };
    expect(entry.waitlist_status).toBe('offered');
    // The offer holds the seat: no path deletes it (it is cancelled or lapses), nor a confirmed one.
    const offer = (await app.strapi.db
      .query(UID.reservation)
      .findOne({ where: { performance: { id: performance.id }, reservation_status: 'pending' }, select: ['id', 'documentId'] })) as {
      id: number;
      documentId: string;
    };
    const refusedDeletes = [
      () => app.strapi.db.query(UID.reservation).delete({ where: { id: offer.id } }),
      () => app.strapi.db.query(UID.reservation).deleteMany({ where: { performance: { id: performance.id } } }),
      () => app.strapi.documents(UID.reservation).delete({ documentId: offer.documentId }),
    ];
    for (const remove of refusedDeletes) await expect(remove()).rejects.toMatchObject({ details: { code: 'read_only' } });
    expect(await app.strapi.db.query(UID.reservation).count({ where: { performance: { id: performance.id } } })).toBe(2);
    expect(await seatsOf(app.strapi, performance.id)).toMatchObject({ confirmedSeats: 2, heldSeats: 1 });
    expect([...(await service(app.strapi, 'availability').recount())]).toEqual([]);
  });

  test('the bulk delete of performances deletes the free ones and refuses one with tickets', async () => {
    const free = await createPerformance(app.strapi);
    const sold = await createPerformance(app.strapi, { room_capacity: 3 });
    await confirmedReservation(app.strapi, sold.documentId, 1);
    const freed = await post(`${cm(UID.performance)}/actions/bulkDelete`, { documentIds: [free.documentId] });
    expect(freed.status).toBe(200);
    expect(await exists(UID.performance, free.id)).toBe(false);
    const refused = await post(`${cm(UID.performance)}/actions/bulkDelete`, { documentIds: [sold.documentId] });
    expect(refused.status).toBe(400);
    expect(await exists(UID.performance, sold.id)).toBe(true);
  });

  test('reservations: correct a name (the label follows), cancel one (seats go to the waiting list and a webhook), delete a pending one', async () => {
    const performance = await createPerformance(app.strapi, { room_capacity: 2 });
    const confirmed = await confirmedReservation(app.strapi, performance.documentId, 2);
    const joined = await service(app.strapi, 'waitlist').join({
      performance: performance.documentId,
      name: 'Ugo Blu',
      email: `ugo-${client}@example.test`,
      party_size: 2,
    });
    if (!joined.ok) throw new Error(`not joined: ${joined.code}`);
    // Only a join whose address confirmed it is offered seats.
    expect((await service(app.strapi, 'waitlist').confirm(joined.confirmationToken)).ok).toBe(true);
    const hook = await post(cm(UID.webhook), {
      url: 'http://127.0.0.1:9/hook',
      events: ['reservation.cancelled'],
      secret: '',
      enabled: true,
    });
    expect(hook.status).toBe(201);

    const documentId = confirmed.reservation.documentId;
    expect((await put(UID.reservation, documentId, { name: 'Maria Rossini' })).status).toBe(200);
    expect((await byDocument<{ label: string }>(UID.reservation, documentId)).label).toBe(
      `${confirmed.reservation.reference} · Maria Rossini`
    );

    const cancelled = await put(UID.reservation, documentId, { reservation_status: 'cancelled' });
    expect(cancelled.status).toBe(200);
    expect((await byDocument<{ reservation_status: string }>(UID.reservation, documentId)).reservation_status).toBe('cancelled');
    expect(await seatsOf(app.strapi, performance.id)).toMatchObject({ confirmedSeats: 0, heldSeats: 2, availableSeats: 0 });
    const entry = (await app.strapi.db.query(UID.waitlistEntry).findOne({ where: { id: joined.entry.id } })) as { waitlist_status: string };
    expect(entry.waitlist_status).toBe('offered');
    // The webhook heard the cancellation in the same transaction: one delivery queued for it.
    const hookId = (await byDocument<{ id: number }>(UID.webhook, hook.body.data.documentId)).id;
    const deliveries = await app.strapi.db.query('plugin::booking.webhook-delivery').count({ where: { webhook_entry: hookId } });
    expect(deliveries).toBe(1);

    // The Content Manager offers no delete of a reservation; the Document Service's (plugin
    // code) takes a pending one, through the same middleware, in its transaction.
    const pending = await pendingReservation(app.strapi, { performance: (await createPerformance(app.strapi)).documentId, party_size: 1 });
    expect((await del(UID.reservation, pending.reservation.documentId)).status).toBe(403);
    expect(await exists(UID.reservation, pending.reservation.id)).toBe(true);
    await app.strapi.documents(UID.reservation).delete({ documentId: pending.reservation.documentId });
    expect(await exists(UID.reservation, pending.reservation.id)).toBe(false);

    expect((await del(UID.webhook, hook.body.data.documentId)).status).toBe(200);
    expect([...(await service(app.strapi, 'availability').recount())]).toEqual([]);
  });

  test('a check-in at the door, and the system records refused in the Content Manager', async () => {
    const performance = await createPerformance(app.strapi, { room_capacity: 2, startsInHours: 1 });
    const confirmed = await confirmedReservation(app.strapi, performance.documentId, 1);
    const scan = await post('/booking/check-ins', { token: confirmed.checkInToken });
    expect(scan.status).toBe(200);
    expect(scan.body.data.result).toBe('ok');
    const checkIn = (await app.strapi.db.query(UID.checkIn).findOne({ where: { reservation: { id: confirmed.reservation.id } } })) as {
      documentId: string;
    };
    // Refused before any write: the Content Manager offers no edit of what the system records.
    const refusals = async (uid: string, documentId: string, data: Record<string, unknown>) => [
      (await put(uid, documentId, data)).status,
      (await del(uid, documentId)).status,
    ];
    expect(await refusals(UID.checkIn, checkIn.documentId, { checked_in_at: new Date().toISOString() })).toEqual([403, 403]);

    const sold = await createPerformance(app.strapi, { room_capacity: 1 });
    await confirmedReservation(app.strapi, sold.documentId, 1);
    const joined = await service(app.strapi, 'waitlist').join({
      performance: sold.documentId,
      name: 'Eva Neri',
      email: `eva-${client}@example.test`,
      party_size: 1,
    });
    if (!joined.ok) throw new Error(`not joined: ${joined.code}`);
    // Only a join whose address confirmed it is offered seats.
    expect((await service(app.strapi, 'waitlist').confirm(joined.confirmationToken)).ok).toBe(true);
    const entry = (await app.strapi.db.query(UID.waitlistEntry).findOne({ where: { id: joined.entry.id } })) as { documentId: string };
    expect(await refusals(UID.waitlistEntry, entry.documentId, { name: 'Altro' })).toEqual([403, 403]);
    expect(await app.strapi.db.query(UID.checkIn).count({ where: { documentId: checkIn.documentId } })).toBe(1);
    expect(await app.strapi.db.query(UID.waitlistEntry).count({ where: { id: joined.entry.id, name: 'Eva Neri' } })).toBe(1);
  });

  test('publish, unpublish and discard on types without drafts answer 400 read_only, not 500, and change nothing', async () => {
    const performance = await createPerformance(app.strapi);
    const before = await byDocument<Record<string, unknown>>(UID.performance, performance.documentId);
    const answers = [];
    for (const path of [
      `${cm(UID.performance, performance.documentId)}/actions/publish`,
      `${cm(UID.performance, performance.documentId)}/actions/unpublish`,
      `${cm(UID.performance, performance.documentId)}/actions/discard`,
      `${cm(UID.show)}/actions/bulkPublish`,
      `${cm(UID.show)}/actions/bulkUnpublish`,
    ]) {
      const res = await post(path, { documentIds: [performance.documentId] });
      answers.push([path.split('/').pop(), res.status, res.body.error?.details?.code]);
    }
    expect(answers).toEqual(
      ['publish', 'unpublish', 'discard', 'bulkPublish', 'bulkUnpublish'].map((action) => [action, 400, 'read_only'])
    );
    expect(await byDocument<Record<string, unknown>>(UID.performance, performance.documentId)).toEqual(before);
  });

  test('webhooks: create, edit, delete', async () => {
    const hook = await post(cm(UID.webhook), { url: 'http://127.0.0.1:9/a', events: [], secret: '', enabled: true });
    expect(hook.status).toBe(201);
    expect((await put(UID.webhook, hook.body.data.documentId, { url: 'http://127.0.0.1:9/b', enabled: false })).status).toBe(200);
    expect((await byDocument<{ url: string }>(UID.webhook, hook.body.data.documentId)).url).toBe('http://127.0.0.1:9/b');
    expect((await del(UID.webhook, hook.body.data.documentId)).status).toBe(200);
  });
});
