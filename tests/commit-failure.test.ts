/**
 * A COMMIT that PostgreSQL refuses. Strapi's `strapi.db.transaction` resolves anyway (knex's
 * `trx.commit()` swallows the failure and rejects only the transaction's `executionPromise`), so
 * a route built on it would answer 200 for work the database rolled back: a visitor told
 * "confirmed" for a seat nobody holds. tests/faults/postgres-restart caught it once in a while (a
 * restart landing between a confirmation's last statement and its COMMIT); here the COMMIT is
 * refused on purpose, every time, by a deferred constraint trigger raising 57P01 (the code of a
 * server shutting down) when the transaction commits.
 *
 * The plugin's `transaction()` (utils/transaction.ts) rejects instead; the public routes answer
 * 503 service_unavailable, nothing is confirmed, booked or checked in, no mail or after-commit
 * step runs, and the same request succeeds once the database accepts commits again. An
 * editor's save of the plugin's types (the Document Service) runs in one too.
 */
import request from 'supertest';
import type { Knex } from 'knex';
import type { Client } from 'pg';
import { connectToDatabaseOf, service, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance, pendingReservation, seatsOf } from './support/factories';
import { startSmtpSink, type SmtpSink } from './support/smtp';
import { transaction } from '../src/plugins/booking/server/src/utils/transaction';

let app: TestApp;
let smtp: SmtpSink;
let pg: Client;
const http = () => request(app.strapi.server.httpServer);
const tableOf = (uid: string) => app.strapi.db.metadata.get(uid).tableName;

/** Until `undo()`, every transaction that inserts into or updates `table` fails at its COMMIT. */
const refuseCommitsTouching = async (table: string) => {
  await pg.query(`
    CREATE OR REPLACE FUNCTION booking_test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'commit refused by the test' USING ERRCODE = '57P01'; END $$`);
  await pg.query(`
    CREATE CONSTRAINT TRIGGER booking_test_refuse_commit AFTER INSERT OR UPDATE ON ${table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION booking_test_refuse_commit()`);
  return { undo: () => pg.query(`DROP TRIGGER booking_test_refuse_commit ON ${table}`) };
};

/** `call`'s answer, made while every COMMIT touching `table` is refused. */
const whileRefusing = async <T>(table: string, call: () => Promise<T>): Promise<T> => {
  const refusal = await refuseCommitsTouching(table);
  try {
    return await call();
  } finally {
    await refusal.undo();
  }
};

beforeAll(async () => {
  smtp = await startSmtpSink();
  app = await startApp({
    env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), BOOKING_RATE_LIMIT_PER_MINUTE: '0' },
  });
  pg = await connectToDatabaseOf(app);
});
afterAll(async () => {
  await pg?.end();
  await app?.stop();
  await smtp?.stop();
});

test("Strapi's own transaction resolves for a COMMIT the database refused; the plugin's rejects", async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 10 });
  const table = tableOf('plugin::booking.performance');
  const refusal = await refuseCommitsTouching(table);
  const rename =
    (note: string) =>
    async ({ trx }: { trx: Knex.Transaction }) => {
      await trx(table).where({ id: perf.id }).update({ cancellation_message: note });
      return note;
    };
  try {
    // What Strapi does today: the work "succeeds", and is not in the database.
    await expect(app.strapi.db.transaction(rename('by strapi'))).resolves.toBe('by strapi');
    await expect(transaction(app.strapi, rename('by the plugin'))).rejects.toMatchObject({ code: '57P01' });
  } finally {
    await refusal.undo();
  }
  const row = await pg.query(`SELECT cancellation_message FROM ${table} WHERE id = $1`, [perf.id]);
  expect(row.rows[0].cancellation_message ?? null).toBeNull();
  // Once commits go through, the same work is kept.
  await expect(transaction(app.strapi, rename('kept'))).resolves.toBe('kept');
  const kept = await pg.query(`SELECT cancellation_message FROM ${table} WHERE id = $1`, [perf.id]);
  expect(kept.rows[0].cancellation_message).toBe('kept');
});

test("an editor's save (the Document Service) whose COMMIT fails is refused, not reported done", async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 10 });
  const save = () =>
    app.strapi
      .documents('plugin::booking.performance')
      .update({ documentId: perf.documentId, data: { is_booking_enabled: false } as never });
  await expect(whileRefusing(tableOf('plugin::booking.performance'), save)).rejects.toMatchObject({ code: '57P01' });
  const row = await pg.query(`SELECT is_booking_enabled FROM ${tableOf('plugin::booking.performance')} WHERE id = $1`, [perf.id]);
  expect(row.rows[0].is_booking_enabled).toBe(true);
  await save();
  const saved = await pg.query(`SELECT is_booking_enabled FROM ${tableOf('plugin::booking.performance')} WHERE id = $1`, [perf.id]);
  expect(saved.rows[0].is_booking_enabled).toBe(false);
});

test('a confirmation whose COMMIT fails answers 503, confirms nothing and sends no ticket; the same link works after', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 4 });
  const email = 'commit.refused@example.test';
  const created = await pendingReservation(app.strapi, { performance: perf.documentId, email, party_size: 2 });
  await service(app.strapi, 'mailer').settle();
  const before = await seatsOf(app.strapi, perf.id);
  const confirm = () => http().post('/api/booking/reservations/confirm').send({ token: created.confirmationToken });

  // An after-commit step of the confirmation, as the mail and webhook subscribers register theirs.
  const afterCommit: number[] = [];
  service(app.strapi, 'events').on('reservation.confirmed', (event) =>
    event.reservationId === created.reservation.id ? () => void afterCommit.push(event.reservationId) : undefined
  );

  const refused = await whileRefusing(tableOf('plugin::booking.reservation'), confirm);
  expect([refused.status, refused.body.error?.details?.code, refused.headers['retry-after']]).toEqual([503, 'service_unavailable', '5']);
  const row = await app.strapi.db.query('plugin::booking.reservation').findOne({ where: { id: created.reservation.id } });
  expect(row.reservation_status).toBe('pending');
  expect(await seatsOf(app.strapi, perf.id)).toEqual(before);
  await service(app.strapi, 'mailer').settle();
  await service(app.strapi, 'events').settle();
  expect(smtp.to(email).filter((m) => /biglietto/i.test(m.subject ?? ''))).toHaveLength(0);
  expect(afterCommit).toEqual([]);

  const retried = await confirm();
  expect(retried.status).toBe(200);
  expect(retried.body.data.status).toBe('confirmed');
  expect((await seatsOf(app.strapi, perf.id)).confirmedSeats).toBe(before.confirmedSeats + 2);
  await smtp.waitFor((m) => /biglietto/i.test(m.subject ?? '') && smtp.to(email).includes(m));
  expect(afterCommit).toEqual([created.reservation.id]);
});

test('a booking whose COMMIT fails answers 503 and leaves no reservation and no mail', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 4 });
  const email = 'booking.refused@example.test';
  const book = () =>
    http()
      .post('/api/booking/reservations')
      .send({ data: { performance: perf.documentId, name: 'Anna Bianchi', email, party_size: 1 } });
  const refused = await whileRefusing(tableOf('plugin::booking.reservation'), book);
  expect([refused.status, refused.body.error?.details?.code]).toEqual([503, 'service_unavailable']);
  await service(app.strapi, 'mailer').settle();
  await service(app.strapi, 'events').settle();
  expect(await app.strapi.db.query('plugin::booking.reservation').count({ where: { performance: { id: perf.id } } })).toBe(0);
  expect(smtp.to(email)).toHaveLength(0);
  expect((await book()).status).toBe(201);
});

test('a check-in whose COMMIT fails answers 503; the rescan lets the party in', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 4, startsInHours: 1 });
  const confirmed = await confirmedReservation(app.strapi, perf.documentId, 2);
  const staff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo' });
  const scan = () =>
    http()
      .post('/booking/check-ins')
      .set('Authorization', `Bearer ${staff.token}`)
      .send({ token: confirmed.checkInToken, performance: perf.documentId, source: 'qr_scan' });
  const refused = await whileRefusing(tableOf('plugin::booking.check-in'), scan);
  expect(refused.status).toBe(503);
  expect(await app.strapi.db.query('plugin::booking.check-in').count({ where: { reservation: { id: confirmed.reservation.id } } })).toBe(0);
  const rescan = await scan();
  expect([rescan.status, rescan.body.data.result]).toEqual([200, 'ok']);
});
