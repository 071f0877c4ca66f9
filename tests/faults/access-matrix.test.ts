/**
 * Every route of the plugin, and the generic routes to its types, tried as four callers:
 * anonymous, an end user (users-permissions JWT), an admin lacking the permission, and the right
 * one. Public answers hold exactly the keys of docs/api.md's shapes.
 */
import request from 'supertest';
import { startApp, type TestApp } from '../support/app';
import { createAdmin } from '../support/admin';
import { confirmedReservation, createPerformance } from '../support/factories';

let app: TestApp;
const http = () => request(app.strapi.server.httpServer);
let callers: Record<'anonymous' | 'endUser' | 'editor' | 'doorStaff' | 'superAdmin', string | null>;
let perf: Awaited<ReturnType<typeof createPerformance>>;

beforeAll(async () => {
  app = await startApp({ env: { BOOKING_RATE_LIMIT_PER_MINUTE: '0' } });
  perf = await createPerformance(app.strapi, { startsInHours: 1 });
  await confirmedReservation(app.strapi, perf.documentId, 2);
  const signup = await http()
    .post('/api/auth/local/register')
    .send({ username: 'matrix', email: 'matrix@example.test', password: 'Secret-password-123' });
  callers = {
    anonymous: null,
    endUser: signup.body.jwt,
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
    { method: 'post', path: '/api/booking/reservations/confirm', body: { token: 'x' }, expect: visitors([404]) },
    { method: 'post', path: '/api/booking/reservations/cancel', body: { token: 'x' }, expect: visitors([404]) },
    { method: 'post', path: '/api/booking/reservations/reduce', body: { token: 'x', party_size: 1 }, expect: visitors([404]) },
    // The same answer whoever asks, known address or not.
    { method: 'post', path: '/api/booking/reservations/resend', body: { email: 'nobody@example.test' }, expect: visitors([202]) },
    { method: 'post', path: '/api/booking/waitlist', body: { data: {} }, expect: visitors([400]) },
    { method: 'post', path: '/api/booking/waitlist/leave', body: { token: 'x' }, expect: visitors([404]) },
    { method: 'get', path: '/api/booking/openapi.json', expect: visitors([200]) },
    { method: 'post', path: '/booking/check-ins', body: { token: 'x' }, expect: adminOnly([200], [403]) },
    { method: 'get', path: '/booking/door/performances', expect: adminOnly([200], [403]) },
    { method: 'get', path: `/booking/performances/${perf.documentId}/stats`, expect: adminOnly([200], [403]) },
    { method: 'get', path: `/booking/performances/${perf.documentId}/scans`, expect: adminOnly([200], [403]) },
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
  const performanceKeys = ['available_seats', 'bookable', 'documentId', 'is_booking_enabled', 'starts_at', 'venue', 'waitlist_open'];
  const venueKeys = ['address', 'city', 'name', 'slug'];
  const list = await http().get('/api/booking/shows');
  for (const show of list.body.data) {
    expect(Object.keys(show).sort()).toEqual(['documentId', 'next_performance_at', 'poster_image', 'slug', 'summary', 'title']);
  }
  const detail = await http().get(`/api/booking/shows/${perf.showSlug}`);
  expect(Object.keys(detail.body.data).sort()).toEqual(
    ['description', 'documentId', 'next_performance_at', 'performances', 'poster_image', 'slug', 'summary', 'title'].sort()
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
