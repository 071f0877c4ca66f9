import type { Core } from '@strapi/strapi';
import { bookingTables } from '../data/strapi-internals';
import { dialectOf } from '../data/dialect';
import { getConfig, getService } from '../utils/get-service';

export type OutboxKind = 'mail' | 'webhook';

/** What is owed and not yet gone, per kind: e-mails queued or retrying, webhook deliveries pending or retrying. */
export interface Backlog {
  pending: number;
  oldest_seconds: number;
}

export type ListenerState = 'up' | 'down' | 'off';

export interface Readiness {
  ready: boolean;
  data: {
    database: 'up' | 'down';
    /** `off`: no listening connection is needed (SQLite, or the public cache turned off). */
    listener: ListenerState;
    outbox: Backlog;
  };
}

/** How long the readiness probe waits for the database before calling it down. */
export const READY_TIMEOUT_MS = 2000;

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'the database call failed'));
      }
    );
  });

const toDate = (value: unknown): Date | null => {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(typeof value === 'number' || typeof value === 'string' ? value : NaN);
  return Number.isNaN(date.getTime()) ? null : date;
};

/**
 * What an operator and a load balancer ask of one instance: can it serve bookings now (the
 * database answers, the change notices arrive), and how much is owed to the outside (mails and
 * webhook deliveries not yet gone, and how long the oldest has waited).
 *
 * The backlog is one statement over two partial indexes (services/schema.ts) that hold only the
 * rows still owed, so a probe every few seconds costs a few index pages.
 */
const createOperationsService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async backlog(now = new Date()): Promise<Record<OutboxKind, Backlog>> {
    const t = bookingTables(strapi);
    const knex = strapi.db.connection;
    const rows = (await knex
      .select(knex.raw("'mail' AS kind"), knex.raw('COUNT(*) AS pending'), knex.raw('MIN(created_at) AS oldest'))
      .from(t.outbox)
      .whereIn('delivery_status', ['queued', 'retrying'])
      .unionAll((q) => {
        void q
          .select(knex.raw("'webhook' AS kind"), knex.raw('COUNT(*) AS pending'), knex.raw('MIN(created_at) AS oldest'))
          .from(t.webhookDeliveries)
          .whereIn('delivery_status', ['pending', 'retrying']);
      })) as Array<{ kind: OutboxKind; pending: number | string; oldest: unknown }>;
    const result: Record<OutboxKind, Backlog> = { mail: { pending: 0, oldest_seconds: 0 }, webhook: { pending: 0, oldest_seconds: 0 } };
    for (const row of rows) {
      const oldest = toDate(row.oldest);
      result[row.kind] = {
        pending: Number(row.pending),
        oldest_seconds: oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : 0,
      };
    }
    return result;
  },

  /** The state of the connection that hears other instances' changes (public-cache.ts). */
  listenerState(): ListenerState {
    if (!dialectOf(strapi).sharedAcrossInstances || getConfig(strapi).publicCacheSeconds <= 0) return 'off';
    return getService(strapi, 'public-cache').isListening() ? 'up' : 'down';
  },

  /**
   * Ready: the database answered the backlog query within READY_TIMEOUT_MS and the listening
   * connection (when one is needed) is up. A long backlog does not make an instance unready: every
   * instance shares it, and taking them all out of the balancer would help no one; it is a metric
   * to alert on.
   */
  async readiness(now = new Date()): Promise<Readiness> {
    let database: 'up' | 'down' = 'up';
    let outbox: Backlog = { pending: 0, oldest_seconds: 0 };
    try {
      const backlog = await withTimeout(this.backlog(now), READY_TIMEOUT_MS);
      outbox = {
        pending: backlog.mail.pending + backlog.webhook.pending,
        oldest_seconds: Math.max(backlog.mail.oldest_seconds, backlog.webhook.oldest_seconds),
      };
    } catch {
      database = 'down';
    }
    const listener = this.listenerState();
    return { ready: database === 'up' && listener !== 'down', data: { database, listener, outbox } };
  },
});

export type OperationsService = ReturnType<typeof createOperationsService>;
export default createOperationsService;
