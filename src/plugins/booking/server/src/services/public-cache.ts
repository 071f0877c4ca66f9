import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { dataOf } from '../data';
import { CATALOGUE_CHANGED as ALL, type NoticeClient as Client } from '../data/change-notices';
import { dialectOf } from '../data/dialect';
import { getConfig } from '../utils/get-service';
import { createMicroCache, type MicroCache } from '../utils/micro-cache';
import { transaction } from '../utils/transaction';

export { PUBLIC_CHANGES_CHANNEL } from '../data/change-notices';
/** A payload: `all` (the catalogue changed) or `seats:<performance id>`. */
export const seatsTag = (performanceId: number) => `seats:${performanceId}`;
/** The cache keys of the public answers that the fast lane (middlewares/public-answers.ts) serves. */
export const publicKeys = {
  show: (lang: string, slug: string) => `show:${lang}:${slug}`,
  performance: (lang: string, documentId: string) => `performance:${lang}:${documentId}`,
};

/** An answer's body as sent (`{ data }`, JSON) and its ETag, made once per cached value. */
export interface SerialisedAnswer {
  body: Buffer;
  etag: string;
}

/** How long to wait before listening again after the connection dropped (doubling up to 5 s). */
const RECONNECT_MS = { first: 250, max: 5000 };

/**
 * The public answers' short cache (BOOKING_PUBLIC_CACHE_SECONDS), kept fresh across instances.
 *
 * On PostgreSQL the database itself announces every committed change that a visitor could see:
 * triggers on the seat counter (`seats:<id>`) and on shows, venues, performances and their links
 * (`all`) call pg_notify, which PostgreSQL delivers only when the writing transaction commits,
 * and never for one rolled back. Every instance LISTENs on one connection of its own and drops
 * what a notice names. The triggers see every write path (the Content Manager, the Query Engine,
 * the plugin's raw SQL, a manual fix in psql), so no writer can forget to announce.
 *
 * The instance that made a change also drops its entries itself after the commit (`changed`),
 * so its own next answer never waits for the round trip of the notice. On SQLite (one instance,
 * development) that is the only way.
 *
 * While the listening connection is down (a database restart), answers are never older than
 * the cache setting; when it is back, everything cached is dropped, since notices may have been
 * missed meanwhile.
 */
const createPublicCacheService = ({ strapi }: { strapi: Core.Strapi }) => {
  let cache: MicroCache<unknown> | null = null;
  let listener: Client | null = null;
  let stopped = false;
  let reconnectTimer: NodeJS.Timeout | null = null;
  let reconnectDelay = RECONNECT_MS.first;
  let listening = false;

  /** Keyed by the cached value itself: a change makes a new value, and its bytes with it. */
  const serialised = new WeakMap<object, SerialisedAnswer>();

  const store = () => (cache ??= createMicroCache<unknown>(getConfig(strapi).publicCacheSeconds * 1000));

  const apply = (payload: string) => {
    if (payload.startsWith('seats:')) store().invalidate(payload);
    else store().invalidate();
  };

  const scheduleReconnect = () => {
    if (stopped || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void listen();
    }, reconnectDelay);
    reconnectDelay = Math.min(reconnectDelay * 2, RECONNECT_MS.max);
  };

  const dropped = (client: Client) => () => {
    if (listener !== client) return;
    listener = null;
    listening = false;
    strapi.log.warn('[booking] the public cache lost its change notices; listening again');
    scheduleReconnect();
  };

  const listen = async () => {
    if (stopped || listener) return;
    let client: Client | null = null;
    try {
      // A connection of its own, outside the pool: LISTEN belongs to one session for its life.
      client = await dataOf(strapi).changeNotices.rawConnection();
      const onDrop = dropped(client);
      client.on('error', onDrop);
      client.on('end', onDrop);
      client.on('notification', (notice) => apply(notice.payload ?? ALL));
      listener = client;
      await dataOf(strapi).changeNotices.listen(client);
      if (stopped) {
        await client.end().catch(() => undefined);
        return;
      }
      // Whatever was committed while nobody listened is unknown: start afresh.
      store().invalidate();
      listening = true;
      reconnectDelay = RECONNECT_MS.first;
    } catch (error) {
      if (client && listener === client) listener = null;
      if (client) client.end().catch(() => undefined);
      strapi.log.debug(`[booking] public cache: cannot listen yet (${error instanceof Error ? error.message : String(error)})`);
      scheduleReconnect();
    }
  };

  return {
    /** An answer from the cache, loaded when missing; `tagsOf` names the seat counters it read. */
    get<T>(key: string, load: () => Promise<T>, tagsOf?: (value: T) => readonly string[]): Promise<T> {
      return store().get(key, load, tagsOf as ((value: unknown) => readonly string[]) | undefined) as Promise<T>;
    },

    /**
     * The bytes of `{ data: value }` and their ETag, serialised once per cached value rather than
     * on every request (a show page read by thousands of visitors is the same few kilobytes).
     */
    serialise(value: object): SerialisedAnswer {
      let answer = serialised.get(value);
      if (!answer) {
        const body = Buffer.from(JSON.stringify({ data: value }));
        answer = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        serialised.set(value, answer);
      }
      return answer;
    },

    /** The answer kept for `key`, when it is loaded and fresh; loads nothing (see micro-cache). */
    peek<T>(key: string): T | undefined {
      return store().peek(key) as T | undefined;
    },

    /**
     * Says that the seats of a performance (`performanceId`) or the catalogue (no argument)
     * changed. Inside a transaction the entries go once it commits; a rollback keeps them.
     */
    changed(performanceId?: number) {
      const payload = performanceId === undefined ? ALL : seatsTag(performanceId);
      if (strapi.db.inTransaction()) {
        void transaction(strapi, ({ onCommit }) => onCommit(() => apply(payload)));
      } else {
        apply(payload);
      }
    },

    /** Whether this instance hears other instances' changes now (PostgreSQL only). */
    isListening: () => listening,

    /** Starts listening for committed changes (PostgreSQL, cache on); safe to call once per boot. */
    async start() {
      stopped = false;
      if (!dialectOf(strapi).sharedAcrossInstances || getConfig(strapi).publicCacheSeconds <= 0) return;
      await listen();
    },

    async stop() {
      stopped = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      reconnectTimer = null;
      const client = listener;
      listener = null;
      listening = false;
      if (client) await client.end().catch(() => undefined);
    },

    /**
     * Creates, idempotently, the triggers that announce committed changes (PostgreSQL; nothing on
     * SQLite): data/change-notices.ts.
     */
    async ensureTriggers(knex: Knex) {
      if (!dialectOf(strapi).postgres) return;
      await dataOf(strapi).changeNotices.ensureTriggers(knex);
    },
  };
};

export type PublicCacheService = ReturnType<typeof createPublicCacheService>;
export default createPublicCacheService;
