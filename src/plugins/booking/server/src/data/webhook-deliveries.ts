/**
 * The webhook outbox (`booking_webhook_deliveries`): one row per event owed to one webhook. Raw
 * SQL bound to the transaction the caller passes: the rows are written in the transaction that
 * announces the event (a rolled-back change owes nothing), and each is leased by one instance at
 * a time when it is sent.
 *
 * A delivery names its webhook by id in a plain column, not through a Strapi relation: a relation
 * would mean a link-table row per delivery, and the enqueue below must stay one statement on the
 * confirmation's hot path. It copies what the body says (reference, performance, party size,
 * status) so every retry sends the same event, whatever happens to the reservation since.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { WebhookDeliveryStatus, WebhookEventType } from '../constants';
import { dialectOf } from './dialect';
import { bookingTables } from './strapi-internals';

/** A delivery with what sending it needs: the body's facts and its webhook's address and secret. */
export interface DeliveryToSend {
  id: number;
  messageId: string;
  eventType: WebhookEventType;
  occurredAt: Date;
  createdAt: Date;
  attempts: number;
  data: { reference: string | null; performance: string | null; party_size: number | null; status: string | null };
  /** An event about a performance (not a reservation): the body's `data` as written (issue 22). */
  payload?: Record<string, unknown> | null;
  webhook: { url: string; secret: string; enabled: boolean } | null;
}

/** The Content Manager's name of a delivery: `reservation.confirmed · K7Q2XM3A · delivered`. */
export const deliveryLabel = (eventType: string, reference: string | null, status: WebhookDeliveryStatus) =>
  [eventType, reference ?? '—', status].join(' · ').slice(0, 120);

/** A stored JSON payload (PostgreSQL answers it parsed, SQLite as text). */
const payloadOf = (value: unknown): Record<string, unknown> | null => {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    try {
      return JSON.parse(value) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
  return typeof value === 'object' ? (value as Record<string, unknown>) : null;
};

export const createWebhookDeliveriesData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);

  /** A delivery the retry job may take: pending or retrying, no live lease. */
  const takeable = (query: Knex.QueryBuilder, now: Date) =>
    query.whereIn('delivery_status', ['pending', 'retrying']).andWhere((q) => {
      void q.whereNull('lease_until').orWhere('lease_until', '<', now);
    });

  return {
    /**
     * Records the event `type` about each of `reservationIds` for every enabled webhook listening
     * to it (an empty or missing list hears everything), in one INSERT ... SELECT: no webhook, no
     * row, and still one statement. Returns the new deliveries' ids.
     */
    async enqueue(trx: Knex, type: WebhookEventType, reservationIds: number[], now: Date): Promise<number[]> {
      if (reservationIds.length === 0) return [];
      const tables = t();
      const rp = tables.reservationPerformance;
      // Random ids made by the database, one per row: documentId (24 of [a-z0-9], as Strapi's)
      // and the webhook-id the receiver deduplicates by (kept for every retry).
      const dialect = dialectOf(strapi);
      const [documentId, messageId, listens] = [
        dialect.sql.randomDocumentId,
        `'msg_' || ${dialect.sql.randomHex32}`,
        dialect.sql.jsonListAllowsAll('w.events'),
      ];
      const listensTo = dialect.jsonListBinding(type);
      const sql = `
        INSERT INTO ?? (document_id, created_at, updated_at, published_at, label, webhook_entry, event_type, message_id,
                        reference, performance, party_size, reservation_status, occurred_at, delivery_status, attempts, next_attempt_at)
        SELECT ${documentId}, ?, ?, ?, CAST(? AS TEXT) || ' · ' || r.reference || ' · pending', w.id, ?, ${messageId},
               r.reference, p.document_id, r.party_size, r.reservation_status, ?, 'pending', 0, ?
        FROM ?? AS w
        CROSS JOIN ?? AS r
        LEFT JOIN ?? AS rp ON rp.?? = r.id
        LEFT JOIN ?? AS p ON p.id = rp.??
        WHERE w.enabled = ? AND ${listens} AND r.id IN (${reservationIds.map(() => '?').join(', ')})
        ORDER BY r.id, w.id
        RETURNING id`;
      const bindings: Knex.RawBinding[] = [
        tables.webhookDeliveries,
        now,
        now,
        now,
        type,
        type,
        now,
        now,
        tables.webhooks,
        tables.reservations,
        rp.table,
        rp.reservation,
        tables.performances,
        rp.performance,
        true,
        listensTo,
        ...reservationIds,
      ];
      const result: { rows: Array<{ id: number }> } | Array<{ id: number }> = await trx.raw(sql, bindings);
      const rows = Array.isArray(result) ? result : result.rows;
      return rows.map((row) => Number(row.id));
    },

    /**
     * When the evening changes (issue 22): an event about a performance, not a reservation, for
     * every enabled webhook listening to it; the body's `data` is `payload` as given (nothing
     * personal, no message text). Returns the new deliveries' ids.
     */
    async enqueueAboutPerformance(
      trx: Knex,
      type: WebhookEventType,
      performanceDocumentId: string,
      payload: Record<string, unknown>,
      now: Date
    ): Promise<number[]> {
      const tables = t();
      const dialect = dialectOf(strapi);
      const sql = `
        INSERT INTO ?? (document_id, created_at, updated_at, published_at, label, webhook_entry, event_type, message_id,
                        performance, payload, occurred_at, delivery_status, attempts, next_attempt_at)
        SELECT ${dialect.sql.randomDocumentId}, ?, ?, ?, ?, w.id, ?, 'msg_' || ${dialect.sql.randomHex32},
               ?, ?, ?, 'pending', 0, ?
        FROM ?? AS w
        WHERE w.enabled = ? AND ${dialect.sql.jsonListAllowsAll('w.events')}
        ORDER BY w.id
        RETURNING id`;
      const bindings: Knex.RawBinding[] = [
        tables.webhookDeliveries,
        now,
        now,
        now,
        deliveryLabel(type, performanceDocumentId, 'pending'),
        type,
        performanceDocumentId,
        JSON.stringify(payload),
        now,
        now,
        tables.webhooks,
        true,
        dialect.jsonListBinding(type),
      ];
      const result: { rows: Array<{ id: number }> } | Array<{ id: number }> = await trx.raw(sql, bindings);
      const rows = Array.isArray(result) ? result : result.rows;
      return rows.map((row) => Number(row.id));
    },

    /** Takes the lease of a delivery until `until`; false when it is settled or leased elsewhere. */
    async lease(knex: Knex, id: number, now: Date, until: Date): Promise<boolean> {
      const changed = await takeable(knex(t().webhookDeliveries).where('id', id), now).update({ lease_until: until });
      return Number(changed) === 1;
    },

    /** Ids of the deliveries whose time has come, oldest first. */
    async due(knex: Knex, now: Date, limit: number): Promise<number[]> {
      const rows: Array<{ id: number }> = await takeable(knex(t().webhookDeliveries), now)
        .andWhere('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at', 'asc')
        .limit(limit)
        .select('id');
      return rows.map((row) => Number(row.id));
    },

    /** The delivery and its webhook's address and secret (null when the webhook is gone). */
    async loadForSending(knex: Knex, id: number): Promise<DeliveryToSend | null> {
      const tables = t();
      const row: Record<string, unknown> | undefined = await knex({ d: tables.webhookDeliveries })
        .leftJoin({ w: tables.webhooks }, 'w.id', 'd.webhook_entry')
        .where('d.id', id)
        .first({
          messageId: 'd.message_id',
          eventType: 'd.event_type',
          occurredAt: 'd.occurred_at',
          createdAt: 'd.created_at',
          attempts: 'd.attempts',
          reference: 'd.reference',
          performance: 'd.performance',
          partySize: 'd.party_size',
          status: 'd.reservation_status',
          payload: 'd.payload',
          webhookId: 'w.id',
          url: 'w.url',
          secret: 'w.secret',
          enabled: 'w.enabled',
        });
      if (!row) return null;
      const present = row.webhookId !== null && row.webhookId !== undefined;
      return {
        id,
        messageId: String(row.messageId),
        eventType: row.eventType as WebhookEventType,
        occurredAt: dialectOf(strapi).readTime(row.occurredAt),
        createdAt: dialectOf(strapi).readTime(row.createdAt),
        attempts: Number(row.attempts ?? 0),
        data: {
          reference: (row.reference as string | null) ?? null,
          performance: (row.performance as string | null) ?? null,
          party_size: row.partySize === null || row.partySize === undefined ? null : Number(row.partySize),
          status: (row.status as string | null) ?? null,
        },
        payload: payloadOf(row.payload),
        webhook: present
          ? { url: (row.url as string | null) ?? '', secret: (row.secret as string | null) ?? '', enabled: Boolean(row.enabled) }
          : null,
      };
    },

    /** Records what became of a delivery (and the label the Content Manager lists it by). */
    async settle(
      knex: Knex,
      delivery: { id: number; eventType: string; reference: string | null },
      data: Record<string, unknown> & { delivery_status: WebhookDeliveryStatus }
    ): Promise<void> {
      await knex(t().webhookDeliveries)
        .where('id', delivery.id)
        .update({ ...data, label: deliveryLabel(delivery.eventType, delivery.reference, data.delivery_status), updated_at: new Date() });
    },
  };
};

export type WebhookDeliveriesData = ReturnType<typeof createWebhookDeliveriesData>;
