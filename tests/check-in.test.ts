/**
 * The door: every result code of docs/api.md over HTTP, with the admin JWT of real admin users; the
 * access matrix; idempotent retries; recorded scans; and 20 simultaneous scans of one ticket split
 * across two app processes on one PostgreSQL giving exactly one `ok`.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { service, startApp, type TestApp } from './support/app';
import { createAdmin, createEndUser } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';
import { listen, startAppProcess, type AppProcess } from './support/processes';

let app: TestApp;
let baseUrl: string;
let superAdmin: string;
let doorStaff: { id: number; token: string };
let editor: string;
const env = { BOOKING_RATE_LIMIT_PER_MINUTE: '0' };

const scan = (body: Record<string, unknown>, token = doorStaff.token, url = baseUrl) =>
  request(url).post('/booking/check-ins').set('Authorization', `Bearer ${token}`).send(body);

/** A confirmed ticket for a performance starting `startsInHours` from now (in its window by default). */
const ticket = async (options: { startsInHours?: number; partySize?: number } = {}) => {
  const perf = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: options.startsInHours ?? 1 });
  const confirmed = await confirmedReservation(app.strapi, perf.documentId, options.partySize ?? 2);
  return { perf, token: confirmed.checkInToken as string, reservation: confirmed.reservation };
};

beforeAll(async () => {
  app = await startApp({ env });
  baseUrl = await listen(app.strapi.server.httpServer);
  superAdmin = (await createAdmin(app.strapi)).token;
  doorStaff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo' });
  editor = (await createAdmin(app.strapi, { roleCode: 'strapi-editor' })).token;
});
afterAll(async () => {
  await app?.stop();
});

describe('result codes', () => {
  test('ok: checked in now, with the ticket view and no personal data; the counts go up', async () => {
    const { perf, token, reservation } = await ticket({ partySize: 3 });
    const res = await scan({ token, performance: perf.documentId, source: 'qr_scan' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ result: 'ok', checked_in_by: 'Paolo R.' });
    expect(Object.keys(res.body.data.ticket).sort()).toEqual(
      ['access_needs', 'holder', 'party_size', 'reference', 'show_title', 'starts_at', 'venue_name'].sort()
    );
    expect(res.body.data.ticket).toMatchObject({ holder: 'Maria R.', party_size: 3, reference: reservation.reference });
    expect(JSON.stringify(res.body)).not.toMatch(/maria\.rossi@|Rossi|notes|phone/);

    const checkIn = await app.strapi.db.query('plugin::booking.check-in').findOne({
      where: { reservation: { id: reservation.id } },
      populate: { checked_in_by: true },
    });
    expect(checkIn.source).toBe('qr_scan');
    expect(checkIn.checked_in_by.id).toBe(doorStaff.id);
    expect(new Date(checkIn.checked_in_at).toISOString()).toBe(res.body.data.checked_in_at);

    const stats = await request(baseUrl)
      .get(`/booking/performances/${perf.documentId}/stats`)
      .set('Authorization', `Bearer ${doorStaff.token}`);
    expect(stats.status).toBe(200);
    expect(stats.body.data).toEqual({
      room_capacity: 20,
      additional_seats: 0,
      manually_occupied_seats: 0,
      confirmed_seats: 3,
      pending_seats: 0,
      available_seats: 17,
      checked_in_seats: 3,
      checked_in_reservations: 1,
      held_seats: 0,
      waiting_entries: 0,
      waiting_seats: 0,
      offline_conflicts: 0,
    });
  });

  test('the whole scanned URL works as well as the bare token', async () => {
    const { token } = await ticket();
    const res = await scan({ token: `https://teatro.example.test/ticket?ref=x&token=${token}`, source: 'qr_scan' });
    expect(res.body.data.result).toBe('ok');
  });

  test("already_checked_in answers the first scan's time and staff member, and changes nothing", async () => {
    const { token, reservation } = await ticket();
    const first = await scan({ token }, superAdmin);
    expect(first.body.data.result).toBe('ok');
    const second = await scan({ token });
    expect(second.body.data).toMatchObject({
      result: 'already_checked_in',
      checked_in_at: first.body.data.checked_in_at,
      checked_in_by: first.body.data.checked_in_by,
    });
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: reservation.id } } })).toBe(1);
  });

  test('not_confirmed for a cancelled reservation', async () => {
    const { token, reservation } = await ticket();
    await service(app.strapi, 'cancellations').cancelByStaff(reservation.id);
    const res = await scan({ token });
    expect(res.body.data.result).toBe('not_confirmed');
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: reservation.id } } })).toBe(0);
  });

  test('a cancelled ticket of another evening is not_confirmed first, not "this ticket is for Thursday"', async () => {
    const { token, reservation } = await ticket({ startsInHours: 72 });
    const tonight = await createPerformance(app.strapi, { startsInHours: 1 });
    // Live, it is for another evening; cancelled, it is no good on any.
    expect((await scan({ token, performance: tonight.documentId })).body.data.result).toBe('wrong_performance');
    await service(app.strapi, 'cancellations').cancelByStaff(reservation.id);
    const res = await scan({ token, performance: tonight.documentId });
    expect(res.body.data.result).toBe('not_confirmed');
    expect(res.body.data).not.toHaveProperty('check_in_opens_at');
  });

  test('invalid for an unknown or malformed code, and the scanner may go on', async () => {
    for (const text of [randomBytes(32).toString('base64url'), 'hello', 'https://evil.example/?token=abc', "' OR 1=1 --"]) {
      const res = await scan({ token: text });
      expect(res.status).toBe(200);
      expect(res.body.data).toEqual({ result: 'invalid' });
    }
  });

  test('wrong_performance when the ticket is for another performance', async () => {
    const { token, reservation } = await ticket();
    const other = await createPerformance(app.strapi, { startsInHours: 1 });
    const res = await scan({ token, performance: other.documentId });
    expect(res.body.data.result).toBe('wrong_performance');
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: reservation.id } } })).toBe(0);
  });

  test('too_early before the window opens, too_late after it closes', async () => {
    const early = await ticket({ startsInHours: 3 }); // opens 120 minutes before
    expect((await scan({ token: early.token })).body.data.result).toBe('too_early');

    const late = await ticket({ startsInHours: 1 });
    await app.strapi.db.query('plugin::booking.performance').update({
      where: { id: late.perf.id },
      data: { starts_at: new Date(Date.now() - 5 * 3600_000) }, // closes 240 minutes after
    });
    expect((await scan({ token: late.token })).body.data.result).toBe('too_late');
    expect(
      await app.strapi.db.query('plugin::booking.check-in').count({
        where: { reservation: { id: { $in: [early.reservation.id, late.reservation.id] } } },
      })
    ).toBe(0);
  });

  test('a malformed body is 400 validation', async () => {
    for (const body of [
      {},
      { token: 5 },
      { token: 'x', source: 'laser' },
      { token: 'x', extra: true },
      { token: 'x', idempotency_key: 'a b' },
    ]) {
      const res = await scan(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details.code).toBe('validation');
    }
  });
});

describe('retries and the record of scans', () => {
  test('a retried scan with the same idempotency key returns the first answer and counts once', async () => {
    const { token, reservation } = await ticket();
    const key = randomBytes(12).toString('base64url');
    const answers = await Promise.all([1, 2, 3].map(() => scan({ token, idempotency_key: key })));
    for (const res of answers) expect(res.body.data.result).toBe('ok');
    expect(new Set(answers.map((r) => r.body.data.checked_in_at)).size).toBe(1);
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: reservation.id } } })).toBe(1);
    // Another scan without the key is a new scan: already checked in.
    expect((await scan({ token })).body.data.result).toBe('already_checked_in');
  });

  test('failed scans are recorded for the performance, with who and when, and the overview lists them', async () => {
    const { perf, token } = await ticket();
    await scan({ token: 'garbage', performance: perf.documentId, source: 'manual' });
    await scan({ token, performance: perf.documentId });
    await scan({ token, performance: perf.documentId });
    const res = await request(baseUrl).get(`/booking/performances/${perf.documentId}/scans`).set('Authorization', `Bearer ${superAdmin}`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((s: { result: string }) => s.result)).toEqual(['already_checked_in', 'ok', 'invalid']);
    expect(res.body.data[2]).toMatchObject({ source: 'manual', scanned_by: 'Paolo R.' });
  });

  test('the scanner lists the performances around now, with the open window marked', async () => {
    const { perf } = await ticket({ startsInHours: 1 });
    const res = await request(baseUrl).get('/booking/door/performances').set('Authorization', `Bearer ${doorStaff.token}`);
    expect(res.status).toBe(200);
    expect(res.body.data.find((p: { documentId: string }) => p.documentId === perf.documentId)).toMatchObject({ check_in_open: true });
  });

  test('the pickers reach the whole season: those to come soonest first (tonight at the top), then the past ones, latest first', async () => {
    const twelveDays = await createPerformance(app.strapi, { startsInHours: 12 * 24 });
    const season = await createPerformance(app.strapi, { startsInHours: 90 * 24 });
    const lastWeek = await createPerformance(app.strapi, { startsInHours: -7 * 24 });
    const lastMonth = await createPerformance(app.strapi, { startsInHours: -30 * 24 });
    const tonight = await createPerformance(app.strapi, { startsInHours: 0.5 });
    const res = await request(baseUrl).get('/booking/door/performances').set('Authorization', `Bearer ${doorStaff.token}`);
    expect(res.status).toBe(200);
    const list = res.body.data as Array<{ documentId: string; starts_at: string; past: boolean; show_slug: string }>;
    const position = (documentId: string) => list.findIndex((p) => p.documentId === documentId);
    const mine = [tonight, twelveDays, season, lastWeek, lastMonth].map((p) => p.documentId);
    // Whatever the other tests made, mine keep this order among them.
    expect(mine.map(position).every((at, i, all) => at >= 0 && (i === 0 || at > all[i - 1]))).toBe(true);
    expect(list.find((p) => p.documentId === twelveDays.documentId)).toMatchObject({ past: false, show_slug: twelveDays.showSlug });
    expect(list.find((p) => p.documentId === lastWeek.documentId)).toMatchObject({ past: true, check_in_open: false });
    // Every one to come is before every past one, and each part is in its order.
    const firstPast = list.findIndex((p) => p.past);
    expect(list.slice(firstPast).every((p) => p.past)).toBe(true);
    const times = list.map((p) => Date.parse(p.starts_at));
    expect(times.slice(0, firstPast)).toEqual([...times.slice(0, firstPast)].sort((a, b) => a - b));
    expect(times.slice(firstPast)).toEqual([...times.slice(firstPast)].sort((a, b) => b - a));
  });
});

describe('who may scan', () => {
  test('anonymous 401; an end-user JWT 401; an admin without the permission 403; Door staff allowed', async () => {
    const { token } = await ticket();
    expect((await request(baseUrl).post('/booking/check-ins').send({ token })).status).toBe(401);

    const endUser = (await createEndUser(app.strapi, 'visitor1')).jwt;
    expect((await scan({ token }, endUser)).status).toBe(401);
    expect((await request(baseUrl).get('/booking/door/performances').set('Authorization', `Bearer ${endUser}`)).status).toBe(401);

    expect((await scan({ token }, editor)).status).toBe(403);
    expect((await scan({ token }, doorStaff.token)).body.data.result).toBe('ok');
  });

  test('Door staff is refused by the Content Manager', async () => {
    const res = await request(baseUrl)
      .get('/content-manager/collection-types/plugin::booking.reservation')
      .set('Authorization', `Bearer ${doorStaff.token}`);
    expect(res.status).toBe(403);
  });
});

describe('two app processes sharing one database', () => {
  let second: AppProcess;
  beforeAll(async () => {
    second = await startAppProcess(app.database, env);
  });
  afterAll(async () => {
    await second?.stop();
  });

  test('20 simultaneous scans of one ticket, split across both, give exactly one ok', async () => {
    const { token, reservation } = await ticket();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => scan({ token, source: 'qr_scan' }, doorStaff.token, i % 2 ? second.url : baseUrl))
    );
    const results = answers.map((r) => r.body.data.result);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r === 'already_checked_in')).toHaveLength(19);
    expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: reservation.id } } })).toBe(1);
  });
});
