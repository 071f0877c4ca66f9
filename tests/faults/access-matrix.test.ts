/**
 * Every route of the plugin, and the generic routes to its types, tried as four callers:
 * anonymous, an end user (users-permissions JWT), an admin lacking the permission, and the right
 * one. Public answers hold exactly the keys of docs/api.md's shapes.
 *
 * Then the Content Manager as each shipped admin role (Editor, Author, Door staff, Box office,
 * Super Admin): every type, list and single, `populate` nested along every relation the schemas
 * have, `*` and named fields, filters through relations used as an oracle, and the relation
 * pickers. Nothing a role may not read (visitors' data, token hashes, staff e-mails, the ids of
 * rows of types it cannot open) may come back.
 */
import request from 'supertest';
import { service, startApp, type TestApp } from '../support/app';
import { createAdmin, createEndUser } from '../support/admin';
import { confirmedReservation, createPerformance, pendingReservation } from '../support/factories';

let app: TestApp;
const http = () => request(app.strapi.server.httpServer);
let callers: Record<'anonymous' | 'endUser' | 'editor' | 'doorStaff' | 'superAdmin', string | null>;
let perf: Awaited<ReturnType<typeof createPerformance>>;

beforeAll(async () => {
  app = await startApp({ env: { BOOKING_RATE_LIMIT_PER_MINUTE: '0' } });
  perf = await createPerformance(app.strapi, { startsInHours: 1 });
  await confirmedReservation(app.strapi, perf.documentId, 2);
  callers = {
    anonymous: null,
    endUser: (await createEndUser(app.strapi, 'matrix')).jwt,
    editor: (await createAdmin(app.strapi, { roleCode: 'strapi-editor' })).token,
    doorStaff: (await createAdmin(app.strapi, { roleCode: 'booking-door-staff' })).token,
    superAdmin: (await createAdmin(app.strapi)).token,
  };
});
afterAll(async () => {
  await app?.stop();
});

const call = (method: 'get' | 'post', path: string, caller: string | null, body?: object) => {
  const req = http()[method](path);
  if (caller) req.set('Authorization', `Bearer ${caller}`);
  return body ? req.send(body) : req;
};

type Expect = Record<keyof typeof callers, number[]>;
const everyone = (statuses: number[]): Expect => ({
  anonymous: statuses,
  endUser: statuses,
  editor: statuses,
  doorStaff: statuses,
  superAdmin: statuses,
});
/** Visitors, logged in to the site or not; an admin token is no credential for the content API. */
const visitors = (statuses: number[]): Expect => ({
  anonymous: statuses,
  endUser: statuses,
  editor: [401],
  doorStaff: [401],
  superAdmin: [401],
});
const adminOnly = (ok: number[], forEditor: number[]): Expect => ({
  anonymous: [401],
  endUser: [401],
  editor: forEditor,
  doorStaff: ok,
  superAdmin: ok,
});

test('each route answers each caller as it must', async () => {
  const routes: Array<{ method: 'get' | 'post'; path: string; body?: object; expect: Expect }> = [
    { method: 'get', path: '/api/booking/shows', expect: visitors([200]) },
    { method: 'get', path: `/api/booking/shows/${perf.showSlug}`, expect: visitors([200]) },
    { method: 'get', path: `/api/booking/performances/${perf.documentId}`, expect: visitors([200]) },
    { method: 'get', path: `/api/booking/venues/${perf.venueSlug}`, expect: visitors([200]) },
    { method: 'post', path: '/api/booking/reservations', body: { data: {} }, expect: visitors([400]) },
    { method: 'post', path: '/api/booking/reservations/preview', body: { token: 'x' }, expect: visitors([404]) },
    { method: 'post', path: '/api/booking/reservations/confirm', body: { token: 'x' }, expect: visitors([404]) },
    { method: 'post', path: '/api/booking/reservations/cancel', body: { token: 'x' }, expect: visitors([404]) },
    { method: 'post', path: '/api/booking/reservations/reduce', body: { token: 'x', party_size: 1 }, expect: visitors([404]) },
    // The same answer whoever asks, known address or not.
    { method: 'post', path: '/api/booking/reservations/resend', body: { email: 'nobody@example.test' }, expect: visitors([202]) },
    { method: 'post', path: '/api/booking/waitlist', body: { data: {} }, expect: visitors([400]) },
    { method: 'post', path: '/api/booking/waitlist/leave', body: { token: 'x' }, expect: visitors([404]) },
    { method: 'post', path: '/api/booking/waitlist/confirm', body: { token: 'x' }, expect: visitors([404]) },
    { method: 'get', path: '/api/booking/openapi.json', expect: visitors([200]) },
    { method: 'post', path: '/booking/check-ins', body: { token: 'x' }, expect: adminOnly([200], [403]) },
    { method: 'get', path: '/booking/door/performances', expect: adminOnly([200], [403]) },
    // The scanner's service worker: public on purpose (a browser fetches a worker without a token); code, no data.
    { method: 'get', path: '/booking/door/service-worker.js', expect: everyone([200]) },
    { method: 'get', path: `/booking/performances/${perf.documentId}/stats`, expect: adminOnly([200], [403]) },
    { method: 'get', path: `/booking/performances/${perf.documentId}/scans`, expect: adminOnly([200], [403]) },
    // The offline door: its snapshot (check-in.create) and the conflicts the overview lists (stats).
    { method: 'get', path: `/booking/performances/${perf.documentId}/door-snapshot`, expect: adminOnly([200], [403]) },
    { method: 'get', path: `/booking/performances/${perf.documentId}/offline-conflicts`, expect: adminOnly([200], [403]) },
    // The door list: Door staff and above (plugin::booking.door-list.read), CSV and XLSX alike.
    { method: 'get', path: `/booking/performances/${perf.documentId}/door-list`, expect: adminOnly([200], [403]) },
    { method: 'get', path: `/booking/performances/${perf.documentId}/door-list?format=csv`, expect: adminOnly([200], [403]) },
    { method: 'get', path: `/booking/performances/${perf.documentId}/door-list?q=ab`, expect: adminOnly([400], [403]) },
    // The box office: not Door staff (plugin::booking.box-office.create); a bad body is 400 for the one who may book.
    {
      method: 'post',
      path: `/booking/performances/${perf.documentId}/reservations`,
      body: { party_size: 0 },
      expect: { anonymous: [401], endUser: [401], editor: [403], doorStaff: [403], superAdmin: [400] },
    },
    // The ticket again, from a reservation in the Content Manager: who may book (box-office.create).
    {
      method: 'post',
      path: '/booking/reservations/nosuchreservation/resend-ticket',
      expect: { anonymous: [401], endUser: [401], editor: [403], doorStaff: [403], superAdmin: [404] },
    },
    // A visitor's data: Super Admin only (plugin::booking.visitor-data.manage).
    {
      method: 'get',
      path: '/booking/visitor-data?email=nobody@example.test',
      expect: { anonymous: [401], endUser: [401], editor: [403], doorStaff: [403], superAdmin: [200] },
    },
    {
      method: 'post',
      path: '/booking/visitor-data/erase',
      body: { email: 'nobody@example.test' },
      expect: { anonymous: [401], endUser: [401], editor: [403], doorStaff: [403], superAdmin: [200] },
    },
    // Writing to a performance's audience (issue 22): Super Admin and Box office
    // (plugin::booking.performance.message); a bad body is 400 for who may write.
    {
      method: 'post',
      path: `/booking/performances/${perf.documentId}/messages`,
      body: { subject: '' },
      expect: { anonymous: [401], endUser: [401], editor: [403], doorStaff: [403], superAdmin: [400] },
    },
    {
      method: 'get',
      path: `/booking/performances/${perf.documentId}/messages`,
      expect: { anonymous: [401], endUser: [401], editor: [403], doorStaff: [403], superAdmin: [200] },
    },
  ];
  for (const uid of [
    'reservation',
    'reservation-token',
    'check-in',
    'scan',
    'outbox-message',
    'webhook',
    'webhook-delivery',
    'waitlist-entry',
  ]) {
    // No generic content API for the plugin's private types, for anyone.
    routes.push({ method: 'get', path: `/api/${uid}s`, expect: everyone([401, 404]) });
    routes.push({ method: 'get', path: `/api/booking/${uid}s`, expect: everyone([401, 404, 405]) });
  }
  for (const uid of [
    'reservation',
    'check-in',
    'scan',
    'outbox-message',
    'reservation-token',
    'webhook',
    'webhook-delivery',
    'waitlist-entry',
  ]) {
    // The Content Manager: admins with the Content Manager's permissions only; never Door staff,
    // never Strapi's Editor (people who edit shows do not see visitors).
    routes.push({
      method: 'get',
      path: `/content-manager/collection-types/plugin::booking.${uid}`,
      expect: { anonymous: [401], endUser: [401], editor: [403], doorStaff: [403], superAdmin: [200, 403] },
    });
  }
  const failures: string[] = [];
  for (const route of routes) {
    for (const [name, token] of Object.entries(callers) as Array<[keyof typeof callers, string | null]>) {
      const res = await call(route.method, route.path, token, route.body);
      if (!route.expect[name].includes(res.status)) {
        failures.push(`${route.method.toUpperCase()} ${route.path} as ${name}: ${res.status}, expected ${route.expect[name].join('/')}`);
      }
    }
  }
  expect(failures).toEqual([]);
});

test('public answers hold exactly the keys of the contract', async () => {
  const performanceKeys = [
    'available_seats',
    'bookable',
    'documentId',
    'is_booking_enabled',
    'starts_at',
    'status',
    'venue',
    'waitlist_open',
  ];
  const venueKeys = ['address', 'city', 'name', 'slug'];
  const list = await http().get('/api/booking/shows');
  for (const show of list.body.data) {
    expect(Object.keys(show).sort()).toEqual(['documentId', 'next_performance_at', 'poster_image', 'slug', 'summary', 'title']);
  }
  const detail = await http().get(`/api/booking/shows/${perf.showSlug}`);
  expect(Object.keys(detail.body.data).sort()).toEqual(
    [
      'description',
      'description_html',
      'documentId',
      'next_performance_at',
      'performances',
      'poster_image',
      'slug',
      'summary',
      'title',
    ].sort()
  );
  for (const p of detail.body.data.performances) {
    expect(Object.keys(p).sort()).toEqual(performanceKeys);
    expect(Object.keys(p.venue).sort()).toEqual(venueKeys);
  }
  const single = await http().get(`/api/booking/performances/${perf.documentId}`);
  expect(Object.keys(single.body.data).sort()).toEqual([...performanceKeys, 'show'].sort());
  expect(Object.keys(single.body.data.show).sort()).toEqual(['slug', 'title']);
  const venue = await http().get(`/api/booking/venues/${perf.venueSlug}`);
  expect(Object.keys(venue.body.data).sort()).toEqual(venueKeys);
});

describe('the Content Manager as each shipped role: no way round a missing read permission', () => {
  const BOOKING_TYPES = [
    'show',
    'venue',
    'performance',
    'reservation',
    'reservation-token',
    'check-in',
    'scan',
    'outbox-message',
    'waitlist-entry',
    'webhook',
    'webhook-delivery',
  ].map((name) => `plugin::booking.${name}`);
  const ADMIN_USER = 'admin::user';
  const CM_READ = 'plugin::content-manager.explorer.read';
  // `scansOnly`: no shipped role, one an administrator might make (the door's records without the
  // visitors): Content Manager read on scans, check-ins and outgoing e-mails, not on reservations.
  type Role = 'editor' | 'author' | 'doorStaff' | 'boxOffice' | 'superAdmin' | 'scansOnly';
  const staff = {} as Record<Role, { id: number; email: string; token: string }>;
  /** What each type's rows give away: strings that must not reach a role that cannot read the type. */
  const secrets = new Map<string, string[]>();
  /** One documentId per booking type, for single reads and pickers. */
  const oneOf = new Map<string, string>();
  const visitor = {
    name: 'Ottavia Riservata',
    email: 'ottavia.riservata@example.test',
    phone: '+39 333 000 4242',
    notes: 'Nota-riservata-ottavia',
  };
  const waiting = { name: 'Settimio Atteso', email: 'settimio.atteso@example.test' };

  const attributesOf = (uid: string) =>
    (app.strapi.getModel as (uid: string) => { attributes: Record<string, { type: string; target?: string }> })(uid).attributes;
  const relationsOf = (uid: string): Array<[string, string]> => {
    const attributes = attributesOf(uid);
    return Object.entries(attributes)
      .filter(([name, a]) => a.type === 'relation' && a.target && !['createdBy', 'updatedBy', 'localizations'].includes(name))
      .map(([name, a]) => [name, a.target as string]);
  };
  /** `populate` along every relation the schemas have (hidden ones included), each type once per path. */
  const deepPopulate = (uid: string, seen: string[] = [uid]): Record<string, unknown> | '*' => {
    const nested: Record<string, unknown> = {};
    for (const [name, target] of relationsOf(uid)) {
      if (seen.includes(target)) continue;
      nested[name] = target.startsWith('plugin::booking.') ? { populate: deepPopulate(target, [...seen, target]) } : true;
    }
    return Object.keys(nested).length === 0 ? '*' : nested;
  };
  /** Every path of relations (each type once) from `uid` to a type that holds an e-mail address. */
  const emailPaths = (uid: string, seen: string[] = [uid], path: string[] = []): string[][] => {
    const found: string[][] = [];
    for (const [name, target] of relationsOf(uid)) {
      if (seen.includes(target)) continue;
      const here = [...path, name];
      if ([`plugin::booking.reservation`, `plugin::booking.waitlist-entry`, ADMIN_USER].includes(target)) found.push(here);
      if (target.startsWith('plugin::booking.')) found.push(...emailPaths(target, [...seen, target], here));
    }
    return found;
  };
  /** Bracket notation, as the admin panel's `qs` writes it. */
  const toQuery = (value: unknown, prefix = ''): string[] => {
    if (Array.isArray(value)) return value.flatMap((item, i) => toQuery(item, `${prefix}[${i}]`));
    if (value !== null && typeof value === 'object') {
      return Object.entries(value).flatMap(([key, item]) => toQuery(item, prefix ? `${prefix}[${key}]` : key));
    }
    return [`${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`];
  };
  const get = (path: string, role: Role, query: object = {}) => {
    const qs = toQuery(query).join('&');
    return http()
      .get(qs ? `${path}?${qs}` : path)
      .set('Authorization', `Bearer ${staff[role].token}`);
  };
  /** The types a role may open in the Content Manager (Super Admin: all). */
  const readable = async (role: Role): Promise<Set<string>> => {
    if (role === 'superAdmin') return new Set([...BOOKING_TYPES, ADMIN_USER]);
    const user = (await app.strapi.db.query('admin::user').findOne({ where: { id: staff[role].id }, populate: ['roles'] })) as {
      roles: Array<{ id: number }>;
    };
    const granted = (await app.strapi.db
      .query('admin::permission')
      .findMany({ where: { action: CM_READ, role: { id: { $in: user.roles.map((r) => r.id) } } }, select: ['subject'] })) as Array<{
      subject: string;
    }>;
    return new Set(granted.map((p) => p.subject));
  };
  /** The strings of types the role may not read that appear in an answer. */
  const leaks = (body: unknown, allowed: Set<string>): string[] => {
    const text = JSON.stringify(body);
    const found: string[] = [];
    for (const [uid, values] of secrets) {
      if (allowed.has(uid)) continue;
      for (const value of values) if (value && text.includes(value)) found.push(`${uid}: ${value}`);
    }
    return found;
  };
  const ROLES: Role[] = ['editor', 'author', 'doorStaff', 'boxOffice', 'superAdmin', 'scansOnly'];

  beforeAll(async () => {
    staff.editor = await createAdmin(app.strapi, { roleCode: 'strapi-editor' });
    staff.author = await createAdmin(app.strapi, { roleCode: 'strapi-author' });
    staff.doorStaff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Portiere' });
    staff.boxOffice = await createAdmin(app.strapi, { roleCode: 'booking-box-office' });
    staff.superAdmin = await createAdmin(app.strapi);
    const roles = app.strapi.service('admin::role') as unknown as {
      create(attributes: object): Promise<{ id: number }>;
      assignPermissions(id: number, permissions: object[]): Promise<unknown>;
    };
    const custom = await roles.create({ name: 'Registro porta', code: 'matrix-scans-only', description: 'scans, no visitors' });
    const read = (app.strapi.service('admin::permission') as unknown as { actionProvider: { get(id: string): object } }).actionProvider.get(
      CM_READ
    );
    const subjects = ['scan', 'check-in', 'outbox-message', 'show', 'performance'].map((name) => `plugin::booking.${name}`);
    await roles.assignPermissions(
      custom.id,
      (
        app.strapi.service('admin::content-type') as unknown as { getPermissionsWithNestedFields(actions: object[]): object[] }
      ).getPermissionsWithNestedFields([{ ...read, subjects }])
    );
    staff.scansOnly = await createAdmin(app.strapi, { roleCode: 'matrix-scans-only' });

    // A performance the Author made (Strapi's Author reads only what they created), with a
    // visitor who booked, was checked in at the door by Door staff, and one on the waiting list.
    const made = await createPerformance(app.strapi, { startsInHours: 1 });
    const performance = (await app.strapi.db
      .query('plugin::booking.performance')
      .findOne({ where: { id: made.id }, populate: { show: { select: ['id'] }, venue: { select: ['id'] } } })) as {
      show: { id: number };
      venue: { id: number };
    };
    for (const [uid, id] of [
      ['plugin::booking.performance', made.id],
      ['plugin::booking.show', performance.show.id],
      ['plugin::booking.venue', performance.venue.id],
    ] as const) {
      await app.strapi.db.query(uid).update({ where: { id }, data: { createdBy: staff.author.id, updatedBy: staff.author.id } });
    }
    const pending = await pendingReservation(app.strapi, {
      performance: made.documentId,
      ...visitor,
      party_size: 2,
    } as Parameters<typeof pendingReservation>[1]);
    await app.strapi.db.query('plugin::booking.reservation').update({
      where: { id: pending.reservation.id },
      data: { phone: visitor.phone, notes: visitor.notes, access_needs: ['wheelchair'] },
    });
    const confirmed = await service(app.strapi, 'reservations').confirmReservation(pending.confirmationToken);
    if (!confirmed.ok) throw new Error(`could not confirm: ${confirmed.code}`);
    const scanned = await http()
      .post('/booking/check-ins')
      .set('Authorization', `Bearer ${staff.doorStaff.token}`)
      .send({ token: confirmed.checkInToken });
    expect(scanned.body.data?.result ?? scanned.body.result).toBe('ok');
    await app.strapi.db.query('plugin::booking.waitlist-entry').create({
      data: {
        reference: 'WAITMATRIX1',
        performance: made.id,
        waitlist_status: 'waiting',
        ...waiting,
        party_size: 2,
        language: 'it',
        joined_at: new Date(),
        leave_token_hash: 'f'.repeat(64),
      },
    });

    const rows = async (uid: string, fields: string[]) =>
      (await app.strapi.db.query(uid as never).findMany({ select: ['documentId', ...fields] })) as Array<Record<string, string>>;
    for (const uid of BOOKING_TYPES) {
      const found = await rows(uid, []);
      if (found[0]) oneOf.set(uid, found[0].documentId);
    }
    secrets.set('plugin::booking.reservation', [
      ...Object.values(visitor),
      ...(await rows('plugin::booking.reservation', [])).map((r) => r.documentId),
    ]);
    secrets.set('plugin::booking.waitlist-entry', [
      ...Object.values(waiting),
      'f'.repeat(64),
      ...(await rows('plugin::booking.waitlist-entry', [])).map((r) => r.documentId),
    ]);
    secrets.set(
      'plugin::booking.reservation-token',
      (await rows('plugin::booking.reservation-token', ['token_hash'])).flatMap((r) => [r.token_hash, r.documentId])
    );
    for (const uid of ['plugin::booking.check-in', 'plugin::booking.scan', 'plugin::booking.outbox-message']) {
      secrets.set(
        uid,
        (await rows(uid, [])).map((r) => r.documentId)
      );
    }
    secrets.set(ADMIN_USER, [staff.doorStaff.email]);
    for (const uid of [
      'plugin::booking.reservation',
      'plugin::booking.reservation-token',
      'plugin::booking.check-in',
      'plugin::booking.scan',
    ]) {
      expect(secrets.get(uid)?.length).toBeGreaterThan(0);
    }
  });

  test('the secrets are there to be found: Super Admin reads them where it may', async () => {
    // Guards the test itself: the same look-up finds them when the role may see them.
    const res = await get(`/content-manager/collection-types/plugin::booking.reservation`, 'superAdmin', {
      populate: { performance: true },
      filters: { email: { $eq: visitor.email } },
    });
    expect(res.status).toBe(200);
    expect(leaks(res.body, new Set())).toEqual(expect.arrayContaining([`plugin::booking.reservation: ${visitor.email}`]));
  });

  test('what a role may not follow is refused with 403 forbidden, or left out; what it may read still comes', async () => {
    const refused = await get('/content-manager/collection-types/plugin::booking.scan', 'scansOnly', { populate: { reservation: '*' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.details).toEqual({ code: 'forbidden', paths: ['reservation'] });
    const oracle = await get('/content-manager/collection-types/plugin::booking.check-in', 'scansOnly', {
      filters: { reservation: { email: { $eq: visitor.email } } },
    });
    expect({ status: oracle.status, code: oracle.body.error?.details?.code }).toEqual({ status: 403, code: 'forbidden' });
    const picker = await get('/content-manager/relations/plugin::booking.scan/reservation', 'scansOnly');
    expect({ status: picker.status, code: picker.body.error?.details?.code }).toEqual({ status: 403, code: 'forbidden' });
    const editorPicker = await get('/content-manager/relations/plugin::booking.reservation/performance', 'editor');
    expect({ status: editorPicker.status, code: editorPicker.body.error?.details?.code }).toEqual({ status: 403, code: 'forbidden' });

    // The list as the admin panel asks it: scans with their performance, without the reservation.
    const scans = await get('/content-manager/collection-types/plugin::booking.scan', 'scansOnly', { populate: { performance: true } });
    expect(scans.status).toBe(200);
    expect(scans.body.results.length).toBeGreaterThan(0);
    for (const scan of scans.body.results) {
      expect(scan).not.toHaveProperty('reservation');
      expect(scan).not.toHaveProperty('scanned_by');
    }
    // (A scan of an unknown ticket has no performance.)
    expect(scans.body.results.some((scan: { performance: { documentId?: string } | null }) => scan.performance?.documentId)).toBe(true);
    // Box office reads reservations with their performance, and the waiting list with its offers.
    const reservations = await get('/content-manager/collection-types/plugin::booking.reservation', 'boxOffice', {
      populate: { performance: true },
      filters: { email: { $eq: visitor.email } },
    });
    expect(reservations.status).toBe(200);
    expect(
      reservations.body.results.map((r: { email: string; performance: { documentId: string } }) => [
        r.email,
        typeof r.performance.documentId,
      ])
    ).toEqual([[visitor.email, 'string']]);
    // An editor still lists a show's performances and their venues.
    const shows = await get('/content-manager/collection-types/plugin::booking.show', 'editor', {
      populate: { performances: { populate: { venue: true } } },
    });
    expect(shows.status).toBe(200);
    expect(
      shows.body.results.some((show: { performances: Array<{ venue: { name: string } }> }) => show.performances.some((p) => p.venue.name))
    ).toBe(true);
  });

  test.each(ROLES)('%s: populate, list and single, nested, * and named fields, reveals nothing it may not read', async (role) => {
    const allowed = await readable(role);
    const failures: string[] = [];
    for (const uid of BOOKING_TYPES) {
      const variants: Array<[string, object]> = [
        ['no query', {}],
        ['*', { populate: '*' }],
        ['nested', { populate: deepPopulate(uid) }],
        // Named fields on each relation, and the relations the issue named, whether the schema has them or not.
        ...relationsOf(uid).map(([name, target]): [string, object] => {
          const scalars = Object.entries(attributesOf(target))
            .filter(([, a]) => !['relation', 'component', 'dynamiczone', 'media'].includes(a.type))
            .map(([field]) => field);
          return [`${name} fields`, { populate: { [name]: { fields: scalars } } }];
        }),
        ['reservations.email', { populate: { reservations: { fields: ['email', 'name', 'phone', 'notes'] } } }],
        ['reservations.tokens', { populate: { reservations: { populate: { tokens: '*', check_in: { populate: '*' } } } } }],
        ['performances.reservations', { populate: { performances: { populate: { reservations: { populate: { tokens: '*' } } } } } }],
        ['tokens', { populate: { tokens: '*' } }],
        ['check_in.checked_in_by', { populate: { check_in: { populate: { checked_in_by: true } } } }],
        ['offer.tokens', { populate: { offer: { populate: { tokens: '*', check_in: { populate: '*' } } } } }],
      ];
      for (const [name, query] of variants) {
        const list = await get(`/content-manager/collection-types/${uid}`, role, { pageSize: 100, ...query });
        const single = oneOf.has(uid) ? await get(`/content-manager/collection-types/${uid}/${oneOf.get(uid)}`, role, query) : null;
        for (const [kind, res] of [
          ['list', list],
          ['single', single],
        ] as const) {
          if (!res) continue;
          if (res.status >= 500) failures.push(`${uid} ${kind} ${name}: ${res.status}`);
          for (const leak of leaks(res.body, allowed)) failures.push(`${uid} ${kind} populate ${name}: ${leak}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  test.each(ROLES)('%s: a filter through a relation is no oracle for what it may not read', async (role) => {
    const allowed = await readable(role);
    const failures: string[] = [];
    const named = [['reservations'], ['performances', 'reservations'], ['offer'], ['reservation'], ['check_in', 'checked_in_by']];
    for (const uid of BOOKING_TYPES) {
      const paths = [...emailPaths(uid), ...named];
      for (const path of paths) {
        const target = path.join('.');
        const secret =
          path[path.length - 1] === 'checked_in_by'
            ? staff.doorStaff.email
            : path.includes('offer') || path.includes('waitlist_entry')
              ? waiting.email
              : visitor.email;
        const targetType =
          secret === staff.doorStaff.email
            ? ADMIN_USER
            : secret === waiting.email
              ? 'plugin::booking.waitlist-entry'
              : 'plugin::booking.reservation';
        if (allowed.has(targetType)) continue;
        const nest = (value: unknown) => path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), { email: { $eq: value } });
        const totals: Array<number | string> = [];
        for (const value of [secret, 'nobody.at.all@example.test']) {
          const res = await get(`/content-manager/collection-types/${uid}`, role, { filters: nest(value) });
          if (res.status >= 500) failures.push(`${uid} filter ${target}: ${res.status}`);
          totals.push(res.status === 200 ? res.body.pagination.total : `status ${res.status}`);
        }
        if (totals[0] !== totals[1])
          failures.push(`${uid} filters[${target}][email]: ${totals[0]} for the address, ${totals[1]} for another`);
      }
    }
    expect(failures).toEqual([]);
  });

  test.each(ROLES)('%s: the relation pickers list nothing it may not read', async (role) => {
    const allowed = await readable(role);
    const failures: string[] = [];
    for (const uid of BOOKING_TYPES) {
      const fields = new Set([...relationsOf(uid).map(([name]) => name), 'reservations', 'tokens', 'check_in']);
      for (const field of fields) {
        const answers = [await get(`/content-manager/relations/${uid}/${field}`, role, { pageSize: 100 })];
        if (oneOf.has(uid))
          answers.push(await get(`/content-manager/relations/${uid}/${oneOf.get(uid)}/${field}`, role, { pageSize: 100 }));
        for (const res of answers) {
          if (res.status >= 500) failures.push(`${uid} picker ${field}: ${res.status}`);
          for (const leak of leaks(res.body, allowed)) failures.push(`${uid} picker ${field}: ${leak}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
