/**
 * Fresh answers across instances (docs/api.md, "Fresh answers across instances"): a change committed
 * on one instance shows in every instance's public answers within one second, whatever
 * BOOKING_PUBLIC_CACHE_SECONDS says. Both instances here cache public answers for a minute, so
 * only the invalidation (PostgreSQL LISTEN/NOTIFY) can make an answer fresh in time.
 */
import request from 'supertest';
import { Client } from 'pg';
import { databaseUrlFor, startApp, type TestApp } from './support/app';
import { createAdmin } from './support/admin';
import { confirmedReservation, createPerformance } from './support/factories';
import { startAppProcess, type AppProcess } from './support/processes';

const CACHE = { BOOKING_PUBLIC_CACHE_SECONDS: '60' };
const FRESH_WITHIN_MS = 1000;
const cm = (uid: string, documentId: string) => `/content-manager/collection-types/plugin::booking.${uid}/${documentId}`;

let a: TestApp;
let b: AppProcess;
let token: string;

/** The fields of the public answers (a performance, a show) that these tests read. */
interface PublicAnswer {
  available_seats?: number;
  bookable?: boolean;
  starts_at?: string;
  is_booking_enabled?: boolean;
  title?: string;
  name?: string;
  performances?: Array<{ available_seats: number }>;
  show?: { title: string };
  venue?: { name: string };
}

const onA = (path: string) => request(a.strapi.server.httpServer).get(path);
const onB = async (path: string) => {
  const res = await fetch(`${b.url}${path}`);
  return { status: res.status, body: (await res.json()) as { data: PublicAnswer } };
};
const edit = (uid: string, documentId: string, data: Record<string, unknown>) =>
  request(a.strapi.server.httpServer).put(cm(uid, documentId)).set('Authorization', `Bearer ${token}`).send(data);

/**
 * Asks `read` until `fresh` holds, for at most a second after the change; returns how long it took.
 * The first answer is read before the change (by the caller) so that the old one is in the cache.
 */
const freshWithin = async <T>(read: () => Promise<T>, fresh: (answer: T) => boolean): Promise<number> => {
  const started = Date.now();
  for (;;) {
    const answer = await read();
    if (fresh(answer)) return Date.now() - started;
    if (Date.now() - started > FRESH_WITHIN_MS) throw new Error(`still stale after ${FRESH_WITHIN_MS} ms: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const withDb = async <T>(run: (client: Client) => Promise<T>) => {
  const client = new Client({ connectionString: databaseUrlFor(a.database) });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

beforeAll(async () => {
  a = await startApp({ env: CACHE });
  b = await startAppProcess(a.database, CACHE);
  token = (await createAdmin(a.strapi)).token;
});
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

describe('a change on one instance is fresh on the other within one second', () => {
  test('a confirmation on A shows on B', async () => {
    const perf = await createPerformance(a.strapi, { room_capacity: 5 });
    expect((await onB(`/api/booking/performances/${perf.documentId}`)).body.data.available_seats).toBe(5);
    await confirmedReservation(a.strapi, perf.documentId, 2);
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.available_seats === 3
    );
    // The show page carries the same seats.
    await freshWithin(
      () => onB(`/api/booking/shows/${perf.showSlug}`),
      (r) => r.body.data.performances?.[0]?.available_seats === 3
    );
  });

  test('a cancellation on B shows on A', async () => {
    const perf = await createPerformance(a.strapi, { room_capacity: 4 });
    const confirmed = await confirmedReservation(a.strapi, perf.documentId, 4);
    expect((await onA(`/api/booking/performances/${perf.documentId}`)).body.data).toMatchObject({ available_seats: 0, bookable: false });
    const res = await fetch(`${b.url}/api/booking/reservations/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: confirmed.cancellationToken }),
    });
    expect(res.status).toBe(200);
    await freshWithin(
      () => onA(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.available_seats === 4 && r.body.data.bookable === true
    );
  });

  test('a capacity edit in the Content Manager on A shows on B', async () => {
    const perf = await createPerformance(a.strapi, { room_capacity: 2 });
    await confirmedReservation(a.strapi, perf.documentId, 2);
    expect((await onB(`/api/booking/performances/${perf.documentId}`)).body.data.available_seats).toBe(0);
    expect((await edit('performance', perf.documentId, { additional_seats: 2 })).status).toBe(200);
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.available_seats === 2
    );
  });

  test("a show's title and its unpublishing show on B", async () => {
    const perf = await createPerformance(a.strapi);
    const show = (await a.strapi.db.query('plugin::booking.show').findOne({ where: { slug: perf.showSlug } })) as {
      documentId: string;
    };
    expect((await onB(`/api/booking/shows/${perf.showSlug}`)).status).toBe(200);
    expect((await onB(`/api/booking/performances/${perf.documentId}`)).status).toBe(200);
    expect((await edit('show', show.documentId, { title: 'Titolo nuovo' })).status).toBe(200);
    await freshWithin(
      () => onB(`/api/booking/shows/${perf.showSlug}`),
      (r) => r.body.data.title === 'Titolo nuovo'
    );
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.show?.title === 'Titolo nuovo'
    );
    expect((await edit('show', show.documentId, { is_published: false })).status).toBe(200);
    await freshWithin(
      () => onB(`/api/booking/shows/${perf.showSlug}`),
      (r) => r.status === 404
    );
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.status === 404
    );
  });

  test("a performance's time and its booking switch show on B", async () => {
    const perf = await createPerformance(a.strapi);
    expect((await onB(`/api/booking/performances/${perf.documentId}`)).body.data.bookable).toBe(true);
    const later = new Date(Date.now() + 10 * 86400_000);
    later.setUTCSeconds(0, 0);
    expect((await edit('performance', perf.documentId, { starts_at: later.toISOString() })).status).toBe(200);
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.starts_at === later.toISOString()
    );
    expect((await edit('performance', perf.documentId, { is_booking_enabled: false })).status).toBe(200);
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.is_booking_enabled === false && r.body.data.bookable === false
    );
  });

  test("a venue's name shows on B", async () => {
    const perf = await createPerformance(a.strapi);
    const venue = (await a.strapi.db.query('plugin::booking.venue').findOne({ where: { slug: perf.venueSlug } })) as {
      documentId: string;
    };
    expect((await onB(`/api/booking/venues/${perf.venueSlug}`)).status).toBe(200);
    expect((await onB(`/api/booking/performances/${perf.documentId}`)).status).toBe(200);
    expect((await edit('venue', venue.documentId, { name: 'Sala Nuova' })).status).toBe(200);
    await freshWithin(
      () => onB(`/api/booking/venues/${perf.venueSlug}`),
      (r) => r.body.data.name === 'Sala Nuova'
    );
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.venue?.name === 'Sala Nuova'
    );
  });

  test('a change committed outside the app (psql) is announced by the database itself', async () => {
    const perf = await createPerformance(a.strapi, { room_capacity: 3 });
    expect((await onB(`/api/booking/performances/${perf.documentId}`)).body.data.available_seats).toBe(3);
    expect((await onA(`/api/booking/performances/${perf.documentId}`)).body.data.available_seats).toBe(3);
    // Committed in psql, no app involved: the triggers announce it.
    await withDb((client) => client.query('UPDATE booking_performances SET room_capacity = 1 WHERE id = $1', [perf.id]));
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.available_seats === 1
    );
    await freshWithin(
      () => onA(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.available_seats === 1
    );
  });
});

describe('when the listening connection drops', () => {
  test('each instance listens again and answers are fresh again after it', async () => {
    const perf = await createPerformance(a.strapi, { room_capacity: 6 });
    expect((await onB(`/api/booking/performances/${perf.documentId}`)).body.data.available_seats).toBe(6);
    const killed = await withDb(async (client) => {
      const { rowCount } = await client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND query = 'LISTEN booking_public_changes'`
      );
      return rowCount;
    });
    expect(killed).toBe(2); // A's and B's
    // A change made while nobody listens: B learns of it when it listens again (it drops its
    // cache then), well before its one-minute cache setting.
    await confirmedReservation(a.strapi, perf.documentId, 1);
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.available_seats === 5
    );
    // Both listen again...
    const listeners = async () =>
      withDb(async (client) => {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND query = 'LISTEN booking_public_changes'`
        );
        return rows[0].n as number;
      });
    const deadline = Date.now() + 10_000;
    while ((await listeners()) < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await listeners()).toBe(2);
    // ...and a later change is fresh within a second again.
    expect((await onB(`/api/booking/performances/${perf.documentId}`)).body.data.available_seats).toBe(5);
    await confirmedReservation(a.strapi, perf.documentId, 2);
    await freshWithin(
      () => onB(`/api/booking/performances/${perf.documentId}`),
      (r) => r.body.data.available_seats === 3
    );
  });
});
