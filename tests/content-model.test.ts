/**
 * The content model and its rules on every write path: the Content Manager API (as an editor
 * would use the admin panel), and the plugin's own services through the Query Engine. Runs on
 * PostgreSQL.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance, pendingReservation, seatsOf } from './support/factories';

const PERFORMANCE = 'plugin::booking.performance';
const RESERVATION = 'plugin::booking.reservation';
const CHECK_IN = 'plugin::booking.check-in';
const cm = (uid: string, documentId?: string) => `/content-manager/collection-types/${uid}${documentId ? `/${documentId}` : ''}`;

let app: TestApp;
let token: string;
const http = () => request(app.strapi.server.httpServer);
const stored = (id: number) =>
  app.strapi.db.query(PERFORMANCE).findOne({
    where: { id },
    select: ['room_capacity', 'additional_seats', 'manually_occupied_seats'],
  });

beforeAll(async () => {
  app = await startApp();
  token = (await createAdmin(app.strapi)).token;
});
afterAll(async () => {
  await app?.stop();
});

describe('performance capacity rules through the Content Manager', () => {
  test('a new performance with a negative capacity is refused and nothing is created', async () => {
    const { id: anyPerformance } = await createPerformance(app.strapi);
    const source = await app.strapi.db.query(PERFORMANCE).findOne({
      where: { id: anyPerformance },
      populate: { show: true, venue: true },
    });
    const before = await app.strapi.db.query(PERFORMANCE).count();
    const res = await http()
      .post(cm(PERFORMANCE))
      .set('Authorization', `Bearer ${token}`)
      .send({
        show: { connect: [{ documentId: source.show.documentId }] },
        venue: { connect: [{ documentId: source.venue.documentId }] },
        starts_at: new Date(Date.now() + 86400_000).toISOString(),
        room_capacity: -5,
        additional_seats: 0,
        manually_occupied_seats: 0,
        is_booking_enabled: true,
      });
    expect(res.status).toBe(400);
    expect(await app.strapi.db.query(PERFORMANCE).count()).toBe(before);
  });

  test('more manually occupied seats than seats is refused, naming the field, and nothing changes', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 40, additional_seats: 5 });
    const res = await http()
      .put(cm(PERFORMANCE, perf.documentId))
      .set('Authorization', `Bearer ${token}`)
      .send({ manually_occupied_seats: 46 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('capacity_invalid');
    expect(res.body.error.details.errors[0].path).toEqual(['manually_occupied_seats']);
    expect(await stored(perf.id)).toEqual({ room_capacity: 40, additional_seats: 5, manually_occupied_seats: 0 });
  });

  test('an edit leaving fewer seats than are confirmed is refused with a clear message; nothing changes', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 20 });
    await confirmedReservation(app.strapi, perf.documentId, 4);
    await confirmedReservation(app.strapi, perf.documentId, 3);

    const res = await http()
      .put(cm(PERFORMANCE, perf.documentId))
      .set('Authorization', `Bearer ${token}`)
      .send({ room_capacity: 10, manually_occupied_seats: 4 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('capacity_below_confirmed');
    // No preference and no Accept-Language: Italian, the company's language; one language only.
    expect(res.body.error.message).toContain('7 sono già confermati');
    expect(res.body.error.message).not.toContain('already confirmed');
    expect(res.body.error.details.errors.map((e: { path: string[] }) => e.path[0]).sort()).toEqual([
      'manually_occupied_seats',
      'room_capacity',
    ]);
    expect(await stored(perf.id)).toEqual({ room_capacity: 20, additional_seats: 0, manually_occupied_seats: 0 });
  });

  test('an edit that still holds every confirmed seat is saved', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 20 });
    await confirmedReservation(app.strapi, perf.documentId, 5);
    const res = await http()
      .put(cm(PERFORMANCE, perf.documentId))
      .set('Authorization', `Bearer ${token}`)
      .send({ room_capacity: 8, additional_seats: 2, manually_occupied_seats: 5 });
    expect(res.status).toBe(200);
    expect(await stored(perf.id)).toEqual({ room_capacity: 8, additional_seats: 2, manually_occupied_seats: 5 });
  });

  test('a performance with confirmed seats cannot be deleted', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    await confirmedReservation(app.strapi, perf.documentId, 1);
    const res = await http().delete(cm(PERFORMANCE, perf.documentId)).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(400);
    expect(await app.strapi.db.query(PERFORMANCE).count({ where: { id: perf.id } })).toBe(1);
  });
});

describe('performance capacity rules through the Query Engine', () => {
  test('the same refusals hold for plugin code writing with strapi.db.query', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    await confirmedReservation(app.strapi, perf.documentId, 6);
    const update = (data: Record<string, number>) => app.strapi.db.query(PERFORMANCE).update({ where: { id: perf.id }, data });

    await expect(update({ room_capacity: 5 })).rejects.toMatchObject({ details: { code: 'capacity_below_confirmed' } });
    await expect(update({ additional_seats: -1 })).rejects.toMatchObject({ details: { code: 'capacity_invalid' } });
    await expect(update({ manually_occupied_seats: 11 })).rejects.toMatchObject({ details: { code: 'capacity_invalid' } });
    await expect(app.strapi.db.query(PERFORMANCE).create({ data: { starts_at: new Date(), room_capacity: -1 } })).rejects.toMatchObject({
      details: { code: 'capacity_invalid' },
    });
    expect(await stored(perf.id)).toEqual({ room_capacity: 10, additional_seats: 0, manually_occupied_seats: 0 });
  });
});

describe('reservations and check-ins in the Content Manager', () => {
  test('an editor cannot confirm a pending reservation', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const created = await pendingReservation(app.strapi, {
      performance: perf.documentId,
      name: 'Luca Bianchi',
      email: 'luca@example.test',
      party_size: 2,
    });
    const res = await http()
      .put(cm(RESERVATION, created.reservation.documentId))
      .set('Authorization', `Bearer ${token}`)
      .send({ reservation_status: 'confirmed' });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('forbidden_transition');
    const after = await app.strapi.db.query(RESERVATION).findOne({ where: { id: created.reservation.id } });
    expect(after.reservation_status).toBe('pending');
    expect(after.confirmed_at).toBeNull();
  });

  test('an editor cannot change the party size or the performance of a reservation', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const { reservation } = await confirmedReservation(app.strapi, perf.documentId, 2);
    const res = await http().put(cm(RESERVATION, reservation.documentId)).set('Authorization', `Bearer ${token}`).send({ party_size: 9 });
    expect(res.status).toBe(400);
    expect(res.body.error.details.code).toBe('read_only');
    const after = await app.strapi.db.query(RESERVATION).findOne({ where: { id: reservation.id } });
    expect(after.party_size).toBe(2);
  });

  test('an editor may correct contact details and cancel a confirmed reservation, which frees its seats', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const { reservation } = await confirmedReservation(app.strapi, perf.documentId, 3);
    expect((await seatsOf(app.strapi, perf.id)).availableSeats).toBe(7);

    const res = await http()
      .put(cm(RESERVATION, reservation.documentId))
      .set('Authorization', `Bearer ${token}`)
      .send({ reservation_status: 'cancelled', phone: '+39 051 000000' });
    expect(res.status).toBe(200);
    const after = await app.strapi.db.query(RESERVATION).findOne({ where: { id: reservation.id } });
    expect(after.reservation_status).toBe('cancelled');
    expect(after.cancelled_at).not.toBeNull();
    expect(after.phone).toBe('+39 051 000000');
    expect((await seatsOf(app.strapi, perf.id)).availableSeats).toBe(10);

    const again = await http()
      .put(cm(RESERVATION, reservation.documentId))
      .set('Authorization', `Bearer ${token}`)
      .send({ reservation_status: 'confirmed' });
    expect(again.status).toBe(400);
  });

  test('an editor cannot create a reservation or forge a check-in', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const reservationsBefore = await app.strapi.db.query(RESERVATION).count();
    const createReservation = await http()
      .post(cm(RESERVATION))
      .set('Authorization', `Bearer ${token}`)
      .send({
        reference: 'FORGED01',
        performance: { connect: [{ documentId: perf.documentId }] },
        reservation_status: 'confirmed',
        name: 'X',
        email: 'x@example.test',
        party_size: 1,
        language: 'it',
      });
    // No admin role holds these Content Manager actions (auth/editor-permissions.ts): 403.
    expect(createReservation.status).toBe(403);
    expect(await app.strapi.db.query(RESERVATION).count()).toBe(reservationsBefore);

    const { reservation } = await confirmedReservation(app.strapi, perf.documentId, 1);
    const forged = await http()
      .post(cm(CHECK_IN))
      .set('Authorization', `Bearer ${token}`)
      .send({
        reservation: { connect: [{ documentId: reservation.documentId }] },
        checked_in_at: new Date().toISOString(),
        source: 'manual',
      });
    expect(forged.status).toBe(403);
    expect(await app.strapi.db.query(CHECK_IN).count()).toBe(0);
    // Past the Content Manager, the document rules refuse the same write with read_only.
    await expect(
      app.strapi.documents(CHECK_IN as never).create({ data: { checked_in_at: new Date().toISOString() } as never })
    ).rejects.toMatchObject({ details: { code: 'read_only' } });
  });

  test('token hashes never reach the Content Manager: the token type is hidden and private', async () => {
    const res = await http().get('/content-manager/content-types').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    const tokenType = res.body.data.find((ct: { uid: string }) => ct.uid === 'plugin::booking.reservation-token');
    expect(tokenType.isDisplayed).toBe(false);
    expect(tokenType.attributes.token_hash.private).toBe(true);
  });
});

describe("relations and visitors' data", () => {
  // Strapi's admin sanitizer lets any role populate, filter and pick through an attribute hidden
  // from the Content Manager, and lets a role that reads a type populate its visible relations
  // whatever their target: so no relation may lead from what editors read to visitors' data.
  const VISITOR_DATA = [
    'plugin::booking.reservation',
    'plugin::booking.reservation-token',
    'plugin::booking.check-in',
    'plugin::booking.scan',
    'plugin::booking.outbox-message',
    'plugin::booking.waitlist-entry',
    'plugin::booking.webhook',
    'plugin::booking.webhook-delivery',
  ];
  const relations = () =>
    Object.entries(app.strapi.contentTypes)
      .filter(([uid]) => uid.startsWith('plugin::booking.'))
      .flatMap(([uid, type]) =>
        Object.entries(type.attributes as Record<string, { type: string; target?: string; visible?: boolean }>)
          .filter(([, a]) => a.type === 'relation')
          .map(([name, a]) => ({ uid, name, target: a.target ?? '', visible: a.visible }))
      );

  test('no booking type has a relation of its own hidden from the Content Manager', () => {
    // createdBy, updatedBy and localizations are Strapi's, on every type.
    const own = relations().filter((r) => !['createdBy', 'updatedBy', 'localizations'].includes(r.name));
    expect(own.length).toBeGreaterThan(0);
    expect(own.filter((r) => r.visible === false)).toEqual([]);
  });

  test("no relation leads from a show, venue or performance to a type that holds visitors' data or to staff", () => {
    const open = relations().filter((r) => !VISITOR_DATA.includes(r.uid));
    expect(open.map((r) => r.uid)).toEqual(expect.arrayContaining(['plugin::booking.show', 'plugin::booking.performance']));
    // createdBy and updatedBy are Strapi's own (names of the editor who made the entry).
    const leading = open.filter((r) => !['createdBy', 'updatedBy'].includes(r.name));
    expect(leading.filter((r) => VISITOR_DATA.includes(r.target) || r.target === 'admin::user').map((r) => `${r.uid}.${r.name}`)).toEqual(
      []
    );
  });

  test('the reservation is reached only from its own side: no inverse links to tokens, check-in or from the performance', () => {
    const names = relations().map((r) => `${r.uid}.${r.name}`);
    for (const gone of [
      'plugin::booking.performance.reservations',
      'plugin::booking.reservation.tokens',
      'plugin::booking.reservation.check_in',
    ]) {
      expect(names).not.toContain(gone);
    }
    for (const kept of [
      'plugin::booking.reservation.performance',
      'plugin::booking.reservation-token.reservation',
      'plugin::booking.check-in.reservation',
    ]) {
      expect(names).toContain(kept);
    }
  });
});

describe('database constraints', () => {
  test('exist after the schema sync and again after a restart on the same database', async () => {
    const expected = service(app.strapi, 'schema')
      .indexes()
      .map((i: { name: string }) => i.name)
      .sort();
    expect(await service(app.strapi, 'schema').presentIndexes()).toEqual(expected);
    // The tests' default: no housekeeping timer firing mid-test (support/app.ts).
    expect(app.strapi.cron.jobs.map((job) => job.name)).not.toContain('booking-housekeeping');

    const database = app.database;
    await app.stop({ keepDatabase: true });
    // Restarted as production runs it, with the housekeeping job (the tests' opt-in).
    app = await startApp({ database, env: { BOOKING_SCHEDULED_JOBS: 'true' } });
    token = (await createAdmin(app.strapi)).token;
    expect(await service(app.strapi, 'schema').presentIndexes()).toEqual(expected);
    expect(app.strapi.cron.jobs.map((job) => job.name)).toContain('booking-housekeeping');
  });

  test('a reservation can hold only one check-in, whatever the code does', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const { reservation } = await confirmedReservation(app.strapi, perf.documentId, 1);
    const makeCheckIn = () => app.strapi.db.query(CHECK_IN).create({ data: { checked_in_at: new Date(), source: 'manual' } });
    const first = await makeCheckIn();
    const second = await makeCheckIn();
    // The link row is what ties a check-in to its reservation: write it as raw SQL would.
    const { name, joinColumn, inverseJoinColumn } = (
      app.strapi.db.metadata.get(CHECK_IN) as unknown as {
        attributes: { reservation: { joinTable: { name: string; joinColumn: { name: string }; inverseJoinColumn: { name: string } } } };
      }
    ).attributes.reservation.joinTable;
    const link = (checkInId: number) =>
      app.strapi.db.connection(name).insert({ [joinColumn.name]: checkInId, [inverseJoinColumn.name]: reservation.id });
    await link(first.id);
    await expect(link(second.id)).rejects.toThrow(/booking_check_ins_one_per_reservation/);
  });

  test('two tokens cannot share a hash', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const { reservation } = await confirmedReservation(app.strapi, perf.documentId, 1);
    const data = { reservation: reservation.id, purpose: 'check_in', token_hash: 'a'.repeat(64) };
    await app.strapi.db.query('plugin::booking.reservation-token').create({ data });
    await expect(app.strapi.db.query('plugin::booking.reservation-token').create({ data })).rejects.toThrow(
      /booking_reservation_tokens_hash_unique|unique/i
    );
  });

  test('raw tokens are 256-bit base64url and only their SHA-256 is stored', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const confirmed = await confirmedReservation(app.strapi, perf.documentId, 1);
    expect(confirmed.checkInToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await app.strapi.db
      .query('plugin::booking.reservation-token')
      .findMany({ where: { reservation: { id: confirmed.reservation.id } } });
    expect(rows.map((r: { purpose: string }) => r.purpose).sort()).toEqual(['cancellation', 'check_in', 'confirmation']);
    const { createHash } = await import('node:crypto');
    const hash = createHash('sha256').update(confirmed.checkInToken).digest('hex');
    expect(rows.some((r: { token_hash: string }) => r.token_hash === hash)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(confirmed.checkInToken);
  });
});

describe('roles and demo data', () => {
  test('the Door staff role holds exactly the check-in, statistics and door-list permissions', async () => {
    const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'booking-door-staff' } });
    const permissions = await app.strapi.db.query('admin::permission').findMany({ where: { role: { id: role.id } }, select: ['action'] });
    expect(permissions.map((p: { action: string }) => p.action).sort()).toEqual([
      'plugin::booking.check-in.create',
      'plugin::booking.door-list.read',
      'plugin::booking.performance.stats',
    ]);
  });

  test('seeding the demo season twice creates nothing the second time', async () => {
    const demo = service(app.strapi, 'demo-data');
    // Italian rows (the shows and venues) and their English versions (Strapi i18n's `en` rows).
    const count = async () => ({
      shows: await app.strapi.db.query('plugin::booking.show').count({ where: { locale: 'it' } }),
      venues: await app.strapi.db.query('plugin::booking.venue').count({ where: { locale: 'it' } }),
      englishShows: await app.strapi.db.query('plugin::booking.show').count({ where: { locale: 'en' } }),
      englishVenues: await app.strapi.db.query('plugin::booking.venue').count({ where: { locale: 'en' } }),
      performances: await app.strapi.db.query(PERFORMANCE).count(),
    });
    const before = await count();
    const created = await demo.seed();
    const afterFirst = await count();
    expect(afterFirst.shows - before.shows).toBe(4);
    expect(afterFirst.venues - before.venues).toBe(3);
    // The three published shows and the two venues whose city has an English name.
    expect(afterFirst.englishShows - before.englishShows).toBe(3);
    expect(afterFirst.englishVenues - before.englishVenues).toBe(2);
    // The demo season's eleven performances and two box-office parties (demo-data.ts), and seed()
    // counts every row it made.
    expect(afterFirst.performances - before.performances).toBe(11);
    expect(created).toBe(4 + 3 + 11 + 2 + 3 + 2);

    expect(await demo.seed()).toBe(0);
    expect(await count()).toEqual(afterFirst);

    const unpublished = await app.strapi.db
      .query('plugin::booking.show')
      .count({ where: { slug: 'studio-su-medea', is_published: false, locale: 'it' } });
    expect(unpublished).toBe(1);
    const past = await app.strapi.db.query(PERFORMANCE).count({
      where: { starts_at: { $lt: new Date() }, show: { slug: 'il-giardino-dei-ciliegi' } },
    });
    expect(past).toBe(1);
    const closed = await app.strapi.db.query(PERFORMANCE).count({
      where: { is_booking_enabled: false, show: { slug: 'sei-personaggi-in-cerca-d-autore' } },
    });
    expect(closed).toBe(1);
    // One sold out by real bookings, so its waiting list is open at once (and a cancellation offers seats).
    const shown = await request(app.strapi.server.httpServer).get('/api/booking/shows/la-locandiera');
    const soldOut = shown.body.data.performances.filter((p: { waitlist_open: boolean; available_seats: number }) => p.waitlist_open);
    expect(soldOut).toHaveLength(1);
    expect(soldOut[0].available_seats).toBe(0);
    expect(shown.body.data.description_html).toContain('<em>musiche dal vivo</em>');
  });

  test('development keeps one demo performance with its door open: made once, moved on a later day, left alone while open', async () => {
    const demo = app.strapi.plugin('booking').service('demo-data');
    const door = app.strapi.plugin('booking').service('door-reports');
    const performances = async () => app.strapi.db.query(PERFORMANCE).count();
    const before = await performances();
    const tonight: string = await demo.ensureTonight();
    expect(await performances()).toBe(before + 1);
    const open = async (at: Date) => (await door.doorPerformances(at)).find((p: { documentId: string }) => p.documentId === tonight);
    expect((await open(new Date()))?.check_in_open).toBe(true);
    const startsAt = async () =>
      new Date((await app.strapi.db.query(PERFORMANCE).findOne({ where: { documentId: tonight } })).starts_at).getTime();
    const first = await startsAt();

    // The next start on the same evening leaves it where it is.
    expect(await demo.ensureTonight(new Date(Date.now() + 10 * 60_000))).toBe(tonight);
    expect(await startsAt()).toBe(first);
    // Three days later it moves to that evening, and no new performance is made.
    const later = new Date(Date.now() + 3 * 24 * 3600_000);
    expect(await demo.ensureTonight(later)).toBe(tonight);
    expect(await performances()).toBe(before + 1);
    expect((await open(later))?.check_in_open).toBe(true);
  });
});
