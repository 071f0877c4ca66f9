/**
 * The remembered grants of auth/strategies.ts: the Public role's grant and a staff login are read
 * from the database at most once per BOOKING_ACCESS_CACHE_SECONDS, and a revocation, a
 * deactivated user or a withdrawn role takes effect once that time has passed.
 */
import request from 'supertest';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';

const TTL_SECONDS = 1;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const afterTtl = () => sleep(TTL_SECONDS * 1000 + 250);

let app: TestApp;
let queries: string[] = [];
const countQueries = (table: string) => queries.filter((sql) => sql.includes(`"${table}"`)).length;

beforeAll(async () => {
  app = await startApp({ env: { BOOKING_ACCESS_CACHE_SECONDS: String(TTL_SECONDS) } });
  app.strapi.db.connection.on('query', (q: { sql: string }) => queries.push(q.sql));
});

afterAll(async () => {
  await app?.stop();
});

const http = () => request(app.strapi.server.httpServer);

const publicPermission = () =>
  app.strapi.db.query('plugin::users-permissions.permission').findOne({
    where: { action: 'plugin::booking.show.find', role: { type: 'public' } },
  }) as Promise<{ id: number } | null>;

test('the Public grant is read once per interval, and a revocation takes effect after it', async () => {
  await afterTtl();
  queries = [];
  const answers = await Promise.all(Array.from({ length: 30 }, () => http().get('/api/booking/shows')));
  expect(answers.map((a) => a.status)).toEqual(Array(30).fill(200));
  // Thirty visitors at once, one read of the grant.
  expect(countQueries('up_permissions')).toBe(1);

  const permission = await publicPermission();
  expect(permission).not.toBeNull();
  await app.strapi.db.query('plugin::users-permissions.permission').delete({ where: { id: permission!.id } });
  await afterTtl();
  const refused = await http().get('/api/booking/shows');
  expect(refused.status).toBe(403);
  expect(refused.body.error.name).toBe('ForbiddenError');
  // Only that route is closed: the others keep their own grants.
  expect((await http().get('/api/booking/shows/no-such-show')).status).toBe(404);

  const publicRole = (await app.strapi.db.query('plugin::users-permissions.role').findOne({ where: { type: 'public' } })) as { id: number };
  await app.strapi.db
    .query('plugin::users-permissions.permission')
    .create({ data: { action: 'plugin::booking.show.find', role: publicRole.id } });
  await afterTtl();
  expect((await http().get('/api/booking/shows')).status).toBe(200);
});

test('a request with a token is judged by Strapi’s own strategies', async () => {
  // A malformed bearer token is not a visitor: users-permissions refuses it, as before.
  const answer = await http().get('/api/booking/shows').set('authorization', 'Bearer not-a-jwt');
  expect(answer.status).toBe(401);
});

test('a staff login is remembered for the interval; deactivation and a withdrawn role take effect after it', async () => {
  const door = await createAdmin(app.strapi, { roleCode: 'booking-door-staff' });
  const asDoor = () => http().get('/booking/door/performances').set('authorization', `Bearer ${door.token}`);
  expect((await asDoor()).status).toBe(200);

  queries = [];
  const answers = await Promise.all(Array.from({ length: 20 }, () => asDoor()));
  expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
  // The session, the user and the permissions were not read again.
  expect(countQueries('strapi_sessions')).toBe(0);
  expect(countQueries('admin_users')).toBe(0);
  expect(countQueries('admin_permissions')).toBe(0);

  // A role without the door permission: refused once the remembered login has lapsed.
  const editor = (await app.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-editor' } })) as { id: number };
  await app.strapi.db.query('admin::user').update({ where: { id: door.id }, data: { roles: [editor.id] } });
  await afterTtl();
  expect((await asDoor()).status).toBe(403);

  // A deactivated user: unauthenticated once the remembered login has lapsed.
  const other = await createAdmin(app.strapi, { roleCode: 'booking-door-staff' });
  const asOther = () => http().get('/booking/door/performances').set('authorization', `Bearer ${other.token}`);
  expect((await asOther()).status).toBe(200);
  await app.strapi.db.query('admin::user').update({ where: { id: other.id }, data: { isActive: false } });
  await afterTtl();
  expect((await asOther()).status).toBe(401);
});
