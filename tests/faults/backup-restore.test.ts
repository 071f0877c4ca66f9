/**
 * The backup and restore drill of README ("Backup and restore"), with the shipped commands: an
 * evening is booked, confirmed, partly checked in, with one mail still owed (the SMTP server was
 * down when it was due); `npm run backup` (pg_dump, custom format) takes it; `npm run restore`
 * (pg_restore) puts it into a new database; the app started on that database carries on: the
 * tickets scan as before (ok for the one not yet in, already_checked_in for the others, with the
 * same staff session), the seat counters and recount() agree, mails already sent are not sent
 * again, and the owed one goes exactly once.
 *
 * Needs PostgreSQL's client tools (pg_dump, pg_restore, createdb) at least as new as the server:
 * the machine's PostgreSQL and its tools in CI; skipped, saying so, elsewhere.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createAdmin } from '../support/admin';
import { databaseUrlFor, service, startApp, type TestApp } from '../support/app';
import { createPerformance, pendingReservation } from '../support/factories';
import { expectInvariants } from '../support/invariants';
import { startSmtpSink, type SmtpSink } from '../support/smtp';

const root = path.join(__dirname, '..', '..');

/** Runs a command to its end, its output drained; resolves with the exit code and the output. */
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: -1, output: error.message }));
    child.on('exit', (code) => resolve({ code: code ?? -1, output }));
  });

/** Why the drill cannot run here, or null. */
const missingTools = async (): Promise<string | null> => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return 'no TEST_DATABASE_URL';
  const dump = await run('pg_dump', ['--version']);
  if (dump.code !== 0) return 'pg_dump not installed';
  const toolsMajor = Number(/(\d+)(\.\d+)?/.exec(dump.output)?.[1]);
  const client = new Client({ connectionString: url });
  await client.connect();
  const serverMajor = Math.floor(Number((await client.query('SHOW server_version_num')).rows[0].server_version_num) / 10000);
  await client.end();
  return toolsMajor >= serverMajor ? null : `pg_dump ${toolsMajor} is older than the server (${serverMajor})`;
};

let smtp: SmtpSink;
let skipReason: string | null = null;
let work: string;
const apps: TestApp[] = [];

beforeAll(async () => {
  skipReason = await missingTools();
  if (skipReason) console.warn(`backup and restore drill skipped: ${skipReason}`);
  smtp = await startSmtpSink();
  work = mkdtempSync(path.join(os.tmpdir(), 'booking-backup-'));
});
afterAll(async () => {
  for (const app of apps) await app.stop();
  await smtp?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const recipients = () => smtp.messages.map((m) => (Array.isArray(m.to) ? m.to[0] : m.to)?.value[0].address ?? '');

test('book, confirm, check in, a mail owed; back up, restore into a new database, start on it: the evening carries on', async () => {
  if (skipReason) return;
  const env = { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), BOOKING_RATE_LIMIT_PER_MINUTE: '0' };
  const before = await startApp({ env });
  apps.push(before);
  const CAPACITY = 10;
  const perf = await createPerformance(before.strapi, { room_capacity: CAPACITY, startsInHours: 1 });
  const tickets: string[] = [];
  for (const size of [2, 1, 1]) {
    // The visitor confirms from the mail: it has gone before the link is used (a confirmation
    // mail composed after its reservation was confirmed is rightly dropped).
    const created = await pendingReservation(before.strapi, { performance: perf.documentId, party_size: size });
    await service(before.strapi, 'mailer').settle();
    const confirmed = await service(before.strapi, 'reservations').confirmReservation(created.confirmationToken);
    if (!confirmed.ok) throw new Error(`could not confirm: ${confirmed.code}`);
    tickets.push(confirmed.checkInToken);
  }
  const door = await createAdmin(before.strapi, { roleCode: 'booking-door-staff' });
  const scan = (app: TestApp, token: string) =>
    request(app.strapi.server.httpServer).post('/booking/check-ins').set('Authorization', `Bearer ${door.token}`).send({ token });
  expect((await scan(before, tickets[0])).body.data.result).toBe('ok');
  expect((await scan(before, tickets[1])).body.data.result).toBe('ok');
  await service(before.strapi, 'mailer').settle();

  // The mail server is down when the next visitor books: that confirmation mail stays owed.
  await smtp.stop();
  const owedTo = 'ritardataria@example.test';
  await pendingReservation(before.strapi, { performance: perf.documentId, party_size: 1, name: 'Ultima Arrivata', email: owedTo });
  await service(before.strapi, 'mailer').settle();
  await smtp.start();
  const sentBefore = recipients();
  expect(sentBefore).not.toContain(owedTo);
  // Three confirmation mails and three tickets went.
  expect(sentBefore).toHaveLength(6);

  // npm run backup / npm run restore, as the README has the technician run them.
  const dumpFile = path.join(work, 'evening.dump');
  const toolEnv = { ...process.env, DATABASE_CLIENT: 'postgres', DATABASE_URL: databaseUrlFor(before.database) };
  const backup = await run('npm', ['run', '--silent', 'backup', '--', dumpFile], toolEnv);
  expect(backup).toMatchObject({ code: 0 });
  expect(backup.output.trim()).toBe(dumpFile);
  expect(statSync(dumpFile).size).toBeGreaterThan(0);
  const restoredName = `${before.database}_restored`;
  const restore = await run('npm', ['run', '--silent', 'restore', '--', dumpFile, restoredName], toolEnv);
  expect(restore).toMatchObject({ code: 0 });
  // Never over an existing database.
  const again = await run('npm', ['run', '--silent', 'restore', '--', dumpFile, restoredName], toolEnv);
  expect(again.code).not.toBe(0);
  expect(again.output).toMatch(/already exists/);

  // The old database is gone; the app starts on the restored one.
  apps.splice(apps.indexOf(before), 1);
  await before.stop();
  const after = await startApp({ database: restoredName, env });
  apps.push(after);

  const ready = await request(after.strapi.server.httpServer).get('/api/booking/ready');
  expect([ready.status, ready.body.data.database]).toEqual([200, 'up']);
  expect(ready.body.data.outbox.pending).toBe(1);

  // The tickets scan as before, by the same staff member's session.
  const results = [];
  for (const token of tickets) results.push((await scan(after, token)).body.data.result);
  expect(results).toEqual(['already_checked_in', 'already_checked_in', 'ok']);
  // Counters and recount() agree; nothing half done.
  const { confirmedSeats } = await expectInvariants(after.strapi, perf.id, CAPACITY);
  expect(confirmedSeats).toBe(4);

  // The retry job, an hour on: the owed mail goes, once; nothing sent before goes again.
  await service(after.strapi, 'mailer').deliverDue(new Date(Date.now() + 3600_000));
  await service(after.strapi, 'mailer').deliverDue(new Date(Date.now() + 7200_000));
  await service(after.strapi, 'mailer').settle();
  const sentAfter = recipients().slice(sentBefore.length);
  expect(sentAfter).toEqual([owedTo]);
  const ready2 = await request(after.strapi.server.httpServer).get('/api/booking/ready');
  expect(ready2.body.data.outbox.pending).toBe(0);
});
