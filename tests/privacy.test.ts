/**
 * Visitors' personal data (docs/api.md, Season two, "Personal data"): the retention job erases name,
 * e-mail, phone and notes from the rows of performances that started BOOKING_RETENTION_DAYS ago,
 * and what outgoing e-mails and door scans kept of them, leaving statistics exactly as they were;
 * the visitor-data routes export and erase one address, guarded by their own permission.
 */
import request from 'supertest';
import { dataOf } from '../src/plugins/booking/server/src/data';
import { startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { createPerformance, type PerformanceFixture } from './support/factories';
import { startSmtpSink, type SmtpSink } from './support/smtp';

const PLACEHOLDER = { name: '—', email: 'erased@erased.invalid' };
const DAY = 24 * 3600_000;

let app: TestApp;
let smtp: SmtpSink;
let superAdmin: string;
let doorStaff: string;
let editor: string;
const env = (smtpPort: number, extra: Record<string, string> = {}) => ({
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtpPort),
  BOOKING_RATE_LIMIT_PER_MINUTE: '0',
  BOOKING_SCHEDULED_JOBS: 'false',
  ...extra,
});

const http = () => request(app.strapi.server.httpServer);
const service = (name: string) => app.strapi.plugin('booking').service(name);
const knex = () => app.strapi.db.connection;

interface Visitor {
  name?: string;
  email: string;
  phone?: string | null;
  notes?: string | null;
  party_size?: number;
}

/** A pending reservation, made through the reservations service. */
const pending = async (perf: PerformanceFixture, visitor: Visitor) => {
  const created = await service('reservations').createReservation({
    performance: perf.documentId,
    name: visitor.name ?? 'Maria Rossi',
    email: visitor.email,
    phone: visitor.phone ?? null,
    notes: visitor.notes ?? null,
    party_size: visitor.party_size ?? 2,
  });
  if (!created.ok) throw new Error(`could not book: ${created.code}`);
  return created;
};

/** A confirmed reservation with its tokens. */
const confirmed = async (perf: PerformanceFixture, visitor: Visitor) => {
  const created = await pending(perf, visitor);
  const done = await service('reservations').confirmReservation(created.confirmationToken);
  if (!done.ok) throw new Error(`could not confirm: ${done.code}`);
  return done;
};

/** Moves a performance's start, as time passing would (raw SQL: no editing rule applies to time). */
const startsAt = async (perf: PerformanceFixture, at: Date) => {
  await knex()('booking_performances').where({ id: perf.id }).update({ starts_at: at });
};

const stats = async (perf: PerformanceFixture) => {
  const res = await http().get(`/booking/performances/${perf.documentId}/stats`).set('Authorization', `Bearer ${superAdmin}`);
  expect(res.status).toBe(200);
  return res.body.data;
};

const reservationRows = (perf: PerformanceFixture) =>
  knex()({ r: 'booking_reservations' })
    .join({ rl: 'booking_reservations_performance_lnk' }, 'rl.reservation_id', 'r.id')
    .where('rl.performance_id', perf.id)
    .orderBy('r.id')
    .select('r.*');

const outboxRows = (reservationIds: number[]) =>
  knex()({ o: 'booking_outbox_messages' })
    .join({ ol: 'booking_outbox_messages_reservation_lnk' }, 'ol.outbox_message_id', 'o.id')
    .whereIn('ol.reservation_id', reservationIds)
    .orderBy('o.id')
    .select('o.*');

const scanRows = (reservationIds: number[]) =>
  knex()({ s: 'booking_scans' })
    .join({ sl: 'booking_scans_reservation_lnk' }, 'sl.scan_id', 's.id')
    .whereIn('sl.reservation_id', reservationIds)
    .select('s.*');

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({ env: env(smtp.port) });
  superAdmin = (await createAdmin(app.strapi)).token;
  doorStaff = (await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo' })).token;
  editor = (await createAdmin(app.strapi, { roleCode: 'strapi-editor' })).token;
});
afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

describe('retention', () => {
  test('reservations of a performance that started 30 days ago keep no name, e-mail, phone or notes; counts stay', async () => {
    const old = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 1 });
    const recent = await createPerformance(app.strapi, { room_capacity: 20, startsInHours: 1 });
    const a = await confirmed(old, {
      email: 'maria.rossi@example.test',
      phone: '+39 333 1234567',
      notes: 'sedia a rotelle',
      party_size: 3,
    });
    const b = await confirmed(old, { name: 'Luca Bianchi', email: 'luca.bianchi@example.test', party_size: 2 });
    await pending(old, { name: 'Sara Neri', email: 'sara.neri@example.test', notes: 'arrivo tardi', party_size: 4 });
    const d = await confirmed(old, { name: 'Gino Gialli', email: 'gino.gialli@example.test', party_size: 1 });
    expect((await service('cancellations').cancelReservation(d.cancellationToken)).ok).toBe(true);
    const kept = await confirmed(recent, { name: 'Anna Blu', email: 'anna.blu@example.test', phone: '051 123456', party_size: 2 });
    const scan = await http()
      .post('/booking/check-ins')
      .set('Authorization', `Bearer ${doorStaff}`)
      .send({ token: b.checkInToken, source: 'qr_scan', idempotency_key: 'retention-scan-1' });
    expect(scan.body.data).toMatchObject({ result: 'ok', ticket: { holder: 'Luca B.' } });
    await service('mailer').settle();
    // What an SMTP refusal may leave behind, and a mail still owed.
    const [aMail] = await outboxRows([a.reservation.id]);
    await knex()('booking_outbox_messages')
      .where({ id: aMail.id })
      .update({ last_error: '550 Maria Rossi <maria.rossi@example.test>: mailbox full' });
    // A ticket mail still owed (recorded, never sent), as the outbox holds one between retries.
    const owed = await app.strapi.db.transaction(({ trx }) =>
      dataOf(app.strapi).outbox.insert(trx, 'ticket', a.reservation.id, new Date())
    );

    await startsAt(old, new Date(Date.now() - 31 * DAY));
    await startsAt(recent, new Date(Date.now() - 29 * DAY));
    const before = { old: await stats(old), recent: await stats(recent) };
    const beforeRows = await reservationRows(old);
    const checkInBefore = await knex()('booking_check_ins').select('id', 'checked_in_at').orderBy('id');

    expect(await service('privacy').eraseLapsed(new Date())).toBe(4);

    const after = await reservationRows(old);
    expect(
      after.map((row) => [row.reference, row.reservation_status, row.party_size, String(row.confirmed_at), String(row.cancelled_at)])
    ).toEqual(
      beforeRows.map((row) => [row.reference, row.reservation_status, row.party_size, String(row.confirmed_at), String(row.cancelled_at)])
    );
    expect(after.map((row) => row.reservation_status)).toEqual(['confirmed', 'confirmed', 'pending', 'cancelled']);
    for (const row of after) {
      expect({ name: row.name, email: row.email, phone: row.phone, notes: row.notes }).toEqual({
        ...PLACEHOLDER,
        phone: null,
        notes: null,
      });
      // The Content Manager's label ('REF · Name') no longer names the holder either.
      expect(row.label).toBe(`${row.reference} · ${PLACEHOLDER.name}`);
    }
    expect(await knex()('booking_check_ins').select('id', 'checked_in_at').orderBy('id')).toEqual(checkInBefore);
    expect({ old: await stats(old), recent: await stats(recent) }).toEqual(before);
    expect([...(await service('availability').recount()).entries()]).toEqual([]);

    const ids = after.map((row) => Number(row.id));
    const mails = await outboxRows(ids);
    // A confirmation for each of the four, a ticket for each of the three confirmed, the fourth's
    // cancellation receipt, the owed one.
    expect(mails.length).toBe(9);
    expect(mails.find((m) => m.id === owed)).toMatchObject({ delivery_status: 'dropped', last_error: 'personal data erased' });
    expect(mails.find((m) => m.id === aMail.id)?.last_error).toBeNull();
    const scans = await scanRows(ids);
    expect(scans.length).toBe(1);
    expect(scans[0].response).toBeNull();
    const everything = JSON.stringify([after, mails, scans]);
    for (const personal of ['Maria', 'Rossi', 'example.test', '333 1234567', 'sedia', 'Luca', 'Bianchi', 'Sara', 'tardi', 'Gino']) {
      expect(everything).not.toContain(personal);
    }

    // The performance 29 days ago keeps its visitors.
    const [recentRow] = await reservationRows(recent);
    expect(recentRow).toMatchObject({ id: kept.reservation.id, name: 'Anna Blu', email: 'anna.blu@example.test', phone: '051 123456' });

    // A second sweep finds nothing left to erase.
    expect(await service('privacy').eraseLapsed(new Date())).toBe(0);
  });

  test('works in batches: 8 reservations in batches of 3 are all erased', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 20 });
    for (let i = 0; i < 8; i += 1) await pending(perf, { email: `batch${i}@example.test`, party_size: 1 });
    await startsAt(perf, new Date(Date.now() - 40 * DAY));
    expect(await service('privacy').eraseLapsed(new Date(), 3)).toBe(8);
    const rows = await reservationRows(perf);
    expect(rows.filter((row) => row.email === PLACEHOLDER.email).length).toBe(8);
  });

  test('BOOKING_RETENTION_DAYS=0 keeps everything', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 20 });
    await pending(perf, { email: 'forever@example.test', party_size: 1 });
    await startsAt(perf, new Date(Date.now() - 400 * DAY));
    app.strapi.config.set('plugin::booking.retentionDays', 0);
    try {
      expect(await service('privacy').eraseLapsed(new Date())).toBe(0);
    } finally {
      app.strapi.config.set('plugin::booking.retentionDays', 30);
    }
    expect((await reservationRows(perf))[0].email).toBe('forever@example.test');
  });
});

describe('visitor data: access and input', () => {
  test('anonymous callers get 401, admins without plugin::booking.visitor-data.manage 403', async () => {
    expect((await http().get('/booking/visitor-data?email=x@example.test')).status).toBe(401);
    expect((await http().post('/booking/visitor-data/erase').send({ email: 'x@example.test' })).status).toBe(401);
    for (const token of [doorStaff, editor]) {
      const read = await http().get('/booking/visitor-data?email=x@example.test').set('Authorization', `Bearer ${token}`);
      expect(read.status).toBe(403);
      const erase = await http()
        .post('/booking/visitor-data/erase')
        .set('Authorization', `Bearer ${token}`)
        .send({ email: 'x@example.test' });
      expect(erase.status).toBe(403);
    }
  });

  test.each([
    ['no e-mail', '', {}],
    ['an invalid e-mail', '?email=not-an-address', { email: 'not-an-address' }],
    ['the placeholder of erased data', `?email=${PLACEHOLDER.email}`, { email: PLACEHOLDER.email }],
    ['an unknown key', '?email=x@example.test&all=1', { email: 'x@example.test', all: true }],
    ['two addresses', '?email=x@example.test&email=y@example.test', { email: ['x@example.test'] }],
  ])('%s: 400 validation', async (_label, query, body) => {
    const read = await http().get(`/booking/visitor-data${query}`).set('Authorization', `Bearer ${superAdmin}`);
    expect(read.status).toBe(400);
    expect(read.body.error.details.code).toBe('validation');
    const erase = await http().post('/booking/visitor-data/erase').set('Authorization', `Bearer ${superAdmin}`).send(body);
    expect(erase.status).toBe(400);
    expect(erase.body.error.details.code).toBe('validation');
    expect(erase.body.error.details.errors.length).toBeGreaterThan(0);
  });
});

describe('visitor data: export and erasure', () => {
  const giulia = 'giulia.verdi@example.test';
  let past: PerformanceFixture;
  let upcoming: PerformanceFixture;
  let later: PerformanceFixture;

  beforeAll(async () => {
    past = await createPerformance(app.strapi, { room_capacity: 10 });
    upcoming = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 48 });
    later = await createPerformance(app.strapi, { room_capacity: 10, startsInHours: 96 });
    await confirmed(past, { name: 'Giulia Verdi', email: giulia, phone: '+39 320 0000001', notes: 'prima fila', party_size: 2 });
    await startsAt(past, new Date(Date.now() - 2 * DAY));
    await confirmed(upcoming, { name: 'Giulia Verdi', email: 'Giulia.Verdi@Example.test', party_size: 3 });
    await pending(later, { name: 'Giulia Verdi', email: giulia, party_size: 1 });
    await confirmed(upcoming, { name: 'Marco Neri', email: 'marco.neri@example.test', party_size: 4 });
    await service('mailer').settle();
  });

  test('the export answers every reservation of the address, with performance, status and times, and the e-mails sent', async () => {
    const res = await http()
      .get(`/booking/visitor-data?email=${encodeURIComponent('GIULIA.verdi@example.TEST')}`)
      .set('Authorization', `Bearer ${superAdmin}`);
    expect(res.status).toBe(200);
    const data = res.body.data;
    expect(data.waitlist_entries).toEqual([]);
    expect(data.reservations.map((r: { status: string; party_size: number }) => [r.status, r.party_size])).toEqual([
      ['pending', 1],
      ['confirmed', 3],
      ['confirmed', 2],
    ]);
    const [laterOne, upcomingOne, pastOne] = data.reservations;
    expect(laterOne.performance.documentId).toBe(later.documentId);
    expect(upcomingOne.performance.documentId).toBe(upcoming.documentId);
    expect(pastOne).toMatchObject({
      name: 'Giulia Verdi',
      email: giulia,
      phone: '+39 320 0000001',
      notes: 'prima fila',
      checked_in_at: null,
      cancelled_at: null,
      performance: {
        documentId: past.documentId,
        show_title: expect.stringMatching(/^Spettacolo /),
        venue_name: expect.stringMatching(/^Teatro /),
      },
    });
    expect(typeof pastOne.confirmed_at).toBe('string');
    expect(typeof pastOne.created_at).toBe('string');
    expect(JSON.stringify(data)).not.toContain('marco.neri');
    // A confirmation for each of the three, a ticket for each of the two confirmed.
    expect(data.emails.map((m: { kind: string }) => m.kind).sort()).toEqual([
      'confirmation',
      'confirmation',
      'confirmation',
      'ticket',
      'ticket',
    ]);
    expect(data.emails.every((m: { delivery_status: string; sent_at: string | null }) => m.delivery_status === 'sent' && m.sent_at)).toBe(
      true
    );
  });

  test('the erasure cancels upcoming reservations (seats freed), erases all three, and leaves others alone', async () => {
    const seatsBefore = await stats(upcoming);
    expect(seatsBefore).toMatchObject({ confirmed_seats: 7, available_seats: 3 });
    const pastBefore = await stats(past);
    const http_ = jest.spyOn(app.strapi.log, 'http');

    const res = await http().post('/booking/visitor-data/erase').set('Authorization', `Bearer ${superAdmin}`).send({ email: giulia });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { reservations: 3, waitlist_entries: 0, found: true } });

    expect(await stats(upcoming)).toMatchObject({ confirmed_seats: 4, available_seats: 6 });
    expect(await stats(past)).toEqual(pastBefore);
    expect([...(await service('availability').recount()).entries()]).toEqual([]);
    const statuses = async (perf: PerformanceFixture) =>
      (await reservationRows(perf)).map((row) => [row.reservation_status, row.name, row.email, row.phone, row.notes]);
    expect(await statuses(past)).toEqual([['confirmed', PLACEHOLDER.name, PLACEHOLDER.email, null, null]]);
    expect(await statuses(later)).toEqual([['cancelled', PLACEHOLDER.name, PLACEHOLDER.email, null, null]]);
    expect(await statuses(upcoming)).toEqual([
      ['cancelled', PLACEHOLDER.name, PLACEHOLDER.email, null, null],
      ['confirmed', 'Marco Neri', 'marco.neri@example.test', null, null],
    ]);
    const publicSeats = await http().get(`/api/booking/performances/${upcoming.documentId}`);
    expect(publicSeats.body.data.available_seats).toBe(6);

    // Nothing is left to find, and nothing is found twice.
    const again = await http().get(`/booking/visitor-data?email=${giulia}`).set('Authorization', `Bearer ${superAdmin}`);
    expect(again.body.data).toEqual({ email: giulia, reservations: [], waitlist_entries: [], emails: [] });
    const twice = await http().post('/booking/visitor-data/erase').set('Authorization', `Bearer ${superAdmin}`).send({ email: giulia });
    // An erasure that matches nothing says so, in both languages.
    expect(twice.body).toEqual({
      data: { reservations: 0, waitlist_entries: 0, found: false, message: expect.stringMatching(/^Nessun dato .* \/ No data /) },
    });

    // The request log writes these paths without the address.
    const logged = http_.mock.calls.map((call) => String(call[0]));
    http_.mockRestore();
    expect(logged.some((line) => line.startsWith('GET /booking/visitor-data '))).toBe(true);
    expect(logged.join('\n')).not.toMatch(/giulia/i);
  });
});

describe('the job at start', () => {
  test('an instance starting with scheduled jobs erases what has lapsed, and schedules the daily run', async () => {
    const perf = await createPerformance(app.strapi, { room_capacity: 20 });
    await pending(perf, { email: 'at-start@example.test', party_size: 1 });
    await startsAt(perf, new Date(Date.now() - 31 * DAY));
    await app.stop({ keepDatabase: true });
    app = await startApp({ database: app.database, env: env(smtp.port, { BOOKING_SCHEDULED_JOBS: 'true' }) });
    expect(app.strapi.cron.jobs.map((job) => job.name)).toContain('booking-retention');
    const deadline = Date.now() + 15_000;
    let email = '';
    while (Date.now() < deadline) {
      email = (await reservationRows(perf))[0].email;
      if (email === PLACEHOLDER.email) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(email).toBe(PLACEHOLDER.email);
  });
});
