/**
 * The public cache's listening connection across a PostgreSQL restart: the instance listens
 * again by itself, empties its cache when it does (notices sent meanwhile are lost), and changes
 * are fresh within a second again afterwards. Its cache is set to a minute, so only the listener
 * can make answers fresh in time. Runs on a PostgreSQL of its own, since it stops it.
 */
import request from 'supertest';
import { Client } from 'pg';
import { databaseUrlFor, service, startApp, useDatabaseServer, type TestApp } from '../support/app';
import { createPerformance } from '../support/factories';
import { startPostgresProcess, type PostgresProcess } from '../support/pg-process';

let pg: PostgresProcess;
let app: TestApp;

const seats = async (documentId: string) =>
  (await request(app.strapi.server.httpServer).get(`/api/booking/performances/${documentId}`)).body.data?.available_seats;
const sql = async (text: string, values: unknown[]) => {
  const client = new Client({ connectionString: databaseUrlFor(app.database) });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
};
/** Polls until `expected`; returns the milliseconds it took, or throws after `withinMs`. */
const freshWithin = async (documentId: string, expected: number, withinMs: number) => {
  const started = Date.now();
  for (;;) {
    const now = await seats(documentId).catch(() => undefined);
    if (now === expected) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`seats still ${now}, not ${expected}, after ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

beforeAll(async () => {
  pg = await startPostgresProcess();
  useDatabaseServer(pg.url);
  app = await startApp({
    env: { BOOKING_PUBLIC_CACHE_SECONDS: '60', DATABASE_CONNECTION_TIMEOUT: '20000' },
  });
});
afterAll(async () => {
  await app?.stop();
  useDatabaseServer(null);
  await pg?.stop();
});

test('after a database restart the instance listens again, and answers are fresh again', async () => {
  const perf = await createPerformance(app.strapi, { room_capacity: 5 });
  const cache = service(app.strapi, 'public-cache');
  expect(cache.isListening()).toBe(true);
  expect(await seats(perf.documentId)).toBe(5);

  await pg.restart(1500);
  // A change committed right after the restart, perhaps before the instance listens again.
  await sql('UPDATE booking_performances SET room_capacity = 3 WHERE id = $1', [perf.id]);
  const tookMs = await freshWithin(perf.documentId, 3, 8000);
  console.log(`fresh ${tookMs} ms after a change made right after the restart (cache setting: 60 s)`);
  for (let waited = 0; !cache.isListening() && waited < 10_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  expect(cache.isListening()).toBe(true);

  // Listening again: the next change is fresh within a second.
  expect(await seats(perf.documentId)).toBe(3);
  await sql('UPDATE booking_performances SET room_capacity = 4 WHERE id = $1', [perf.id]);
  await freshWithin(perf.documentId, 4, 1000);
});
