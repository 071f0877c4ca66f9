/**
 * Who sees visitors in the admin panel (docs/api.md, Season two, "Personal data"): Strapi's default
 * Editor and Author roles lose the Content Manager on the types holding visitors' data, at every
 * start; the "Box office" role reads reservations, statistics and the door, and nothing else.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';

const VISITOR_TYPES = [
  'plugin::booking.reservation',
  'plugin::booking.reservation-token',
  'plugin::booking.check-in',
  'plugin::booking.scan',
  'plugin::booking.outbox-message',
  'plugin::booking.waitlist-entry',
];

let app: TestApp;
const http = () => request(app.strapi.server.httpServer);
const list = (uid: string, token: string) => http().get(`/content-manager/collection-types/${uid}`).set('Authorization', `Bearer ${token}`);

const permissionsOf = async (code: string) =>
  (await app.strapi.db.query('admin::permission').findMany({
    where: { role: { code } },
    select: ['action', 'subject'],
  })) as Array<{ action: string; subject: string | null }>;

beforeAll(async () => {
  app = await startApp({ env: { BOOKING_SCHEDULED_JOBS: 'false' } });
});
afterAll(async () => {
  await app?.stop();
});

describe('Editor and Author', () => {
  test.each(['strapi-editor', 'strapi-author'])('%s: 403 on the Content Manager of every visitor type, 200 on shows', async (roleCode) => {
    const { token } = await createAdmin(app.strapi, { roleCode });
    for (const uid of VISITOR_TYPES) {
      const res = await list(uid, token);
      expect([uid, res.status]).toEqual([uid, 403]);
    }
    expect((await list('plugin::booking.show', token)).status).toBe(200);
    expect((await list('plugin::booking.performance', token)).status).toBe(200);
    const visitorGrants = (await permissionsOf(roleCode)).filter((p) => VISITOR_TYPES.includes(String(p.subject)));
    expect(visitorGrants).toEqual([]);
  });

  test('taking the grants away is idempotent: one given back goes again, the rest of the role stays', async () => {
    const editor = (await app.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } })) as { id: number };
    await app.strapi.db.query('admin::permission').create({
      data: {
        action: 'plugin::content-manager.explorer.read',
        subject: 'plugin::booking.reservation',
        properties: {},
        conditions: [],
        role: editor.id,
      },
    });
    const showGrants = (await permissionsOf('strapi-editor')).filter((p) => p.subject === 'plugin::booking.show').length;
    expect(showGrants).toBeGreaterThan(0);
    expect(await app.strapi.plugin('booking').service('roles').restrictEditorialRoles()).toBe(1);
    expect(await app.strapi.plugin('booking').service('roles').restrictEditorialRoles()).toBe(0);
    const after = await permissionsOf('strapi-editor');
    expect(after.filter((p) => VISITOR_TYPES.includes(String(p.subject)))).toEqual([]);
    expect(after.filter((p) => p.subject === 'plugin::booking.show').length).toBe(showGrants);
  });
});

describe('Editor on a new database: shows and venues in both languages', () => {
  test('the Editor writes the Italian and the English version of a show and a venue in the Content Manager', async () => {
    const fixture = await createPerformance(app.strapi);
    const { token } = await createAdmin(app.strapi, { roleCode: 'strapi-editor' });
    for (const [uid, slug, texts] of [
      ['plugin::booking.show', fixture.showSlug, { title: 'Prova generale', summary: 'In italiano' }],
      ['plugin::booking.venue', fixture.venueSlug, { name: 'Teatro Nuovo', city: 'Bologna' }],
    ] as const) {
      const { documentId } = (await app.strapi.db.query(uid).findOne({ where: { slug, locale: 'it' }, select: ['documentId'] })) as {
        documentId: string;
      };
      const url = (locale: string) => `/content-manager/collection-types/${uid}/${documentId}?locale=${locale}`;
      const italian = await http().put(url('it')).set('Authorization', `Bearer ${token}`).send(texts);
      expect([uid, italian.status]).toEqual([uid, 200]);
      const english = await http()
        .put(url('en'))
        .set('Authorization', `Bearer ${token}`)
        .send({ ...('title' in texts ? { title: 'Dress rehearsal' } : { name: 'New Theatre' }), slug });
      expect([uid, english.status, english.body.data?.locale]).toEqual([uid, 200, 'en']);
      const read = await http().get(url('en')).set('Authorization', `Bearer ${token}`);
      expect([uid, read.status]).toEqual([uid, 200]);
    }
    const show = await http().get(`/api/booking/shows/${fixture.showSlug}?lang=en`);
    expect(show.body.data).toMatchObject({ title: 'Dress rehearsal', summary: 'In italiano' });
    expect(show.body.data.performances[0].venue).toMatchObject({ name: 'New Theatre', city: 'Bologna' });
  });
});

describe('Box office', () => {
  test('reads reservations, statistics and the door; nothing else of the visitors, nothing of the shows', async () => {
    const role = (await app.strapi.db.query('admin::role').findOne({ where: { code: 'booking-box-office' } })) as { name: string } | null;
    expect(role?.name).toBe('Box office');
    const grants = (await permissionsOf('booking-box-office')).map((p) => `${p.action} ${p.subject ?? ''}`.trim()).sort();
    expect(grants).toEqual([
      'plugin::booking.box-office.create',
      'plugin::booking.check-in.create',
      'plugin::booking.door-list.read',
      // Writing to a performance's audience (issue 22).
      'plugin::booking.performance.message',
      'plugin::booking.performance.stats',
      'plugin::content-manager.explorer.read plugin::booking.reservation',
      // Who may see reservations sees the waiting list too.
      'plugin::content-manager.explorer.read plugin::booking.waitlist-entry',
    ]);

    const { token } = await createAdmin(app.strapi, { roleCode: 'booking-box-office' });
    const perf = await createPerformance(app.strapi, { room_capacity: 10 });
    const confirmed = await confirmedReservation(app.strapi, perf.documentId, 2);
    const reservations = await list('plugin::booking.reservation', token);
    expect(reservations.status).toBe(200);
    expect(reservations.body.results.map((r: { reference: string; name: string }) => [r.reference, r.name])).toEqual([
      [confirmed.reservation.reference, 'Maria Rossi'],
    ]);
    expect((await list('plugin::booking.waitlist-entry', token)).status).toBe(200);
    for (const uid of VISITOR_TYPES.filter((uid) => uid !== 'plugin::booking.reservation' && uid !== 'plugin::booking.waitlist-entry')) {
      expect([uid, (await list(uid, token)).status]).toEqual([uid, 403]);
    }
    expect((await list('plugin::booking.show', token)).status).toBe(403);
    const stats = await http().get(`/booking/performances/${perf.documentId}/stats`).set('Authorization', `Bearer ${token}`);
    expect(stats.status).toBe(200);
    expect(stats.body.data.confirmed_seats).toBe(2);
    const door = await http().get('/booking/door/performances').set('Authorization', `Bearer ${token}`);
    expect(door.status).toBe(200);
    const visitorData = await http().get('/booking/visitor-data?email=maria.rossi@example.test').set('Authorization', `Bearer ${token}`);
    expect(visitorData.status).toBe(403);
    // Editing a reservation is not reading it.
    const edit = await http()
      .put(`/content-manager/collection-types/plugin::booking.reservation/${confirmed.reservation.documentId}`)
      .set('Authorization', `Bearer ${token}`)
      .send({ notes: 'x' });
    expect(edit.status).toBe(403);
  });

  test('only Super Admin holds plugin::booking.visitor-data.manage', async () => {
    const holders = (await app.strapi.db.query('admin::permission').findMany({
      where: { action: 'plugin::booking.visitor-data.manage' },
      populate: { role: { select: ['code'] } },
    })) as Array<{ role: { code: string } | null }>;
    expect(holders.map((p) => p.role?.code)).toEqual(['strapi-super-admin']);
  });
});

describe('Door staff', () => {
  test('holds check-in, statistics and the door list; an install from before the door list gets it at boot, once', async () => {
    const grants = async () => (await permissionsOf('booking-door-staff')).map((p) => p.action).sort();
    expect(await grants()).toEqual([
      'plugin::booking.check-in.create',
      'plugin::booking.door-list.read',
      'plugin::booking.performance.stats',
    ]);

    // An install from before issue 15: the role without door-list.read, nothing remembered.
    const role = (await app.strapi.db.query('admin::role').findOne({ where: { code: 'booking-door-staff' } })) as { id: number };
    await app.strapi.db
      .query('admin::permission')
      .deleteMany({ where: { action: 'plugin::booking.door-list.read', role: { id: role.id } } });
    const store = app.strapi.store({ type: 'plugin', name: 'booking' });
    await store.delete({ key: `permission-added:${role.id}:plugin::booking.door-list.read` });
    const roles = app.strapi.plugin('booking').service('roles');
    await roles.ensureDoorStaffRole();
    expect(await grants()).toEqual([
      'plugin::booking.check-in.create',
      'plugin::booking.door-list.read',
      'plugin::booking.performance.stats',
    ]);

    // An administrator who then takes it away keeps it taken away at the next start.
    await app.strapi.db
      .query('admin::permission')
      .deleteMany({ where: { action: 'plugin::booking.door-list.read', role: { id: role.id } } });
    await roles.ensureDoorStaffRole();
    expect(await grants()).toEqual(['plugin::booking.check-in.create', 'plugin::booking.performance.stats']);
  });
});
