/**
 * The e-mail outbox (`booking_outbox_messages` and its link to the reservation). Raw SQL, bound
 * to the transaction the caller passes: a message is recorded in the transaction that makes it
 * owed, and leased by one instance at a time when it is sent.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Language, MailKind } from '../constants';
import { outboxLabel } from '../services/labels';
import { dialectOf } from './dialect';
import { SCHEDULE_CHANGES_TABLE } from './schedule-changes';
import { bookingTables, systemColumns } from './strapi-internals';

export type DeliveryStatus = 'queued' | 'retrying' | 'sent' | 'dropped' | 'failed';

/** A message with the reservation it is about, as the mail is composed from it. */
export interface MessageForMail {
  message: { id: number; kind: MailKind; attempts: number; performanceMessage?: number | null };
  reservation: {
    id: number;
    reference: string;
    reservation_status: string;
    name: string;
    email: string;
    party_size: number;
    language: Language;
    confirm_by: string | null;
    held_until: string | null;
    performanceId: number | null;
    /** How many times its holders were told the performance moved: the calendar's SEQUENCE. */
    scheduleVersion?: number;
  } | null;
}

/** A mail sent (or owed) for a reservation, as a visitor's export shows it. */
export interface VisitorEmail {
  reservation: string;
  kind: string;
  delivery_status: string;
  attempts: number;
  created_at: string | null;
  sent_at: string | null;
}

const iso = (value: unknown) => (value ? new Date(value as string | Date).toISOString() : null);

/** Columns some kinds add: the staff message a `message` mail carries (issue 22). */
export interface OutboxExtra {
  performance_message?: number;
}

/** A new message's row, owed now. */
const queued = (kind: MailKind, now: Date, extra: OutboxExtra) => ({
  ...systemColumns(now),
  label: outboxLabel(kind, null, 'queued'),
  kind,
  delivery_status: 'queued',
  attempts: 0,
  next_attempt_at: now,
  ...extra,
});

export const createOutboxData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  /** A message the retry job may take: queued or retrying, its time come, no live lease. */
  const takeable = (query: Knex.QueryBuilder, now: Date) =>
    query.whereIn('delivery_status', ['queued', 'retrying']).andWhere((q) => {
      void q.whereNull('lease_until').orWhere('lease_until', '<', now);
    });

  return {
    /**
     * What is still owed to the outside, one statement over the two partial indexes of the rows
     * still owed: mails (queued, retrying) and webhook deliveries (pending, retrying), each kind's
     * count and oldest creation.
     */
    async backlog(knex: Knex): Promise<Array<{ kind: 'mail' | 'webhook'; pending: number | string; oldest: unknown }>> {
      return (await knex
        .select(knex.raw("'mail' AS kind"), knex.raw('COUNT(*) AS pending'), knex.raw('MIN(created_at) AS oldest'))
        .from(t().outbox)
        .whereIn('delivery_status', ['queued', 'retrying'])
        .unionAll((q) => {
          void q
            .select(knex.raw("'webhook' AS kind"), knex.raw('COUNT(*) AS pending'), knex.raw('MIN(created_at) AS oldest'))
            .from(t().webhookDeliveries)
            .whereIn('delivery_status', ['pending', 'retrying']);
        })) as Array<{ kind: 'mail' | 'webhook'; pending: number | string; oldest: unknown }>;
    },

    /** Records a mail owed for a reservation; returns its id. */
    async insert(knex: Knex, kind: MailKind, reservationId: number, now: Date, extra: OutboxExtra = {}): Promise<number> {
      const tables = t();
      // The message and its link to the reservation: one statement on PostgreSQL.
      return dialectOf(strapi).insertWithLinks(knex, tables.outbox, queued(kind, now, extra), [
        {
          table: tables.outboxReservation.table,
          from: tables.outboxReservation.message,
          to: tables.outboxReservation.reservation,
          target: reservationId,
        },
      ]);
    },

    /** Records a mail owed about a waiting-list entry (its link: one statement on PostgreSQL); returns its id. */
    async insertForEntry(knex: Knex, kind: MailKind, entryId: number, now: Date, extra: OutboxExtra = {}): Promise<number> {
      const link = t().outboxEntry;
      return dialectOf(strapi).insertWithLinks(knex, t().outbox, queued(kind, now, extra), [
        { table: link.table, from: link.from, to: link.to, target: entryId },
      ]);
    },

    /** The waiting-list entry a message is about, or null. */
    async entryOf(knex: Knex, messageId: number): Promise<number | null> {
      const link = t().outboxEntry;
      const row: { id: number } | undefined = await knex(link.table).where(link.from, messageId).first({ id: link.to });
      return row ? Number(row.id) : null;
    },

    /**
     * Messages of `kind` about the reservations of an address (its limit key, validation/email.ts)
     * recorded since `since`: the lost-ticket limit counts them.
     */
    async countForAddress(knex: Knex, kind: MailKind, limitKey: string, since: Date): Promise<number> {
      const tables = t();
      const ol = tables.outboxReservation;
      const row = (await knex({ o: tables.outbox })
        .join({ ol: ol.table }, `ol.${ol.message}`, 'o.id')
        .join({ r: tables.reservations }, 'r.id', `ol.${ol.reservation}`)
        .where('o.kind', kind)
        .andWhere('o.created_at', '>=', since)
        .andWhere('r.email_limit_key', limitKey)
        .count({ n: 'o.id' })
        .first()) as { n: unknown } | undefined;
      return Number(row?.n ?? 0);
    },

    /** Takes the lease of a message until `until`; false when it is sent, dropped or leased. */
    async lease(knex: Knex, messageId: number, now: Date, until: Date): Promise<boolean> {
      const changed = await takeable(knex(t().outbox).where('id', messageId), now).update({ lease_until: until });
      return Number(changed) === 1;
    },

    /** Records what became of a message (and the label the Content Manager lists it by). */
    async settle(
      knex: Knex,
      message: { id: number; kind: MailKind },
      reference: string | null,
      data: Record<string, unknown> & { delivery_status: DeliveryStatus }
    ) {
      await knex(t().outbox)
        .where('id', message.id)
        .update({ ...data, label: outboxLabel(message.kind, reference, data.delivery_status), updated_at: new Date() });
    },

    /**
     * The mails of these reservations lose what may name their holder: the ones still owed are
     * dropped (they would go to the erased placeholder: no longer anyone's to receive), and an
     * error text, which may quote the address, becomes `note`.
     */
    async dropForReservations(knex: Knex, reservationIds: number[], note: string, now: Date): Promise<void> {
      const tables = t();
      const ol = tables.outboxReservation;
      const messages = knex(ol.table).select(ol.message).whereIn(ol.reservation, reservationIds);
      await knex(tables.outbox)
        .whereIn('id', messages)
        .whereIn('delivery_status', ['queued', 'retrying'])
        .update({ delivery_status: 'dropped', lease_until: null, last_error: note, updated_at: now });
      await knex(tables.outbox)
        .whereIn('id', knex(ol.table).select(ol.message).whereIn(ol.reservation, reservationIds))
        .whereNotNull('last_error')
        .whereNot('last_error', note)
        .update({ last_error: null, updated_at: now });
    },

    /** The mails of these reservations (by id, in `references`), oldest first, as a visitor's export shows them. */
    async ofReservations(knex: Knex, references: Map<number, string>): Promise<VisitorEmail[]> {
      if (references.size === 0) return [];
      const tables = t();
      const ol = tables.outboxReservation;
      const mails: Array<Record<string, unknown>> = await knex({ o: tables.outbox })
        .join({ ol: ol.table }, `ol.${ol.message}`, 'o.id')
        .whereIn(`ol.${ol.reservation}`, [...references.keys()])
        .orderBy('o.id')
        .select({
          reservation: `ol.${ol.reservation}`,
          kind: 'o.kind',
          delivery_status: 'o.delivery_status',
          attempts: 'o.attempts',
          created_at: 'o.created_at',
          sent_at: 'o.sent_at',
        });
      return mails.map((mail) => ({
        reservation: references.get(Number(mail.reservation)) ?? '',
        kind: String(mail.kind),
        delivery_status: String(mail.delivery_status),
        attempts: Number(mail.attempts ?? 0),
        created_at: iso(mail.created_at),
        sent_at: iso(mail.sent_at),
      }));
    },

    /** Ids of the messages whose time has come, oldest first. */
    async due(knex: Knex, now: Date, limit: number): Promise<number[]> {
      const rows: Array<{ id: number }> = await takeable(knex(t().outbox), now)
        .andWhere('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at', 'asc')
        .limit(limit)
        .select('id');
      return rows.map((row) => Number(row.id));
    },

    /** The message and the reservation it is about, in one query. */
    async loadForMail(knex: Knex, messageId: number): Promise<MessageForMail | null> {
      const tables = t();
      const [ol, rl] = [tables.outboxReservation, tables.reservationPerformance];
      const row: Record<string, unknown> | undefined = await knex({ o: tables.outbox })
        .leftJoin({ ol: ol.table }, `ol.${ol.message}`, 'o.id')
        .leftJoin({ r: tables.reservations }, 'r.id', `ol.${ol.reservation}`)
        .leftJoin({ rl: rl.table }, `rl.${rl.reservation}`, 'r.id')
        // Read with the message rather than once more for each ticket (issue 22's SEQUENCE).
        .leftJoin({ sc: SCHEDULE_CHANGES_TABLE }, 'sc.performance_id', `rl.${rl.performance}`)
        .where('o.id', messageId)
        .first({
          kind: 'o.kind',
          attempts: 'o.attempts',
          performanceMessage: 'o.performance_message',
          id: 'r.id',
          reference: 'r.reference',
          status: 'r.reservation_status',
          name: 'r.name',
          email: 'r.email',
          partySize: 'r.party_size',
          language: 'r.language',
          confirmBy: 'r.confirm_by',
          heldUntil: 'r.held_until',
          performanceId: `rl.${rl.performance}`,
          scheduleVersion: 'sc.schedule_version',
        });
      if (!row) return null;
      const message = {
        id: messageId,
        kind: row.kind as MailKind,
        attempts: Number(row.attempts ?? 0),
        performanceMessage: row.performanceMessage === null || row.performanceMessage === undefined ? null : Number(row.performanceMessage),
      };
      if (row.id === null || row.id === undefined) return { message, reservation: null };
      return {
        message,
        reservation: {
          id: Number(row.id),
          reference: String(row.reference),
          reservation_status: String(row.status),
          name: String(row.name),
          email: String(row.email),
          party_size: Number(row.partySize),
          language: row.language as Language,
          confirm_by: row.confirmBy ? new Date(row.confirmBy as string).toISOString() : null,
          held_until: row.heldUntil ? new Date(row.heldUntil as string).toISOString() : null,
          performanceId: row.performanceId === null || row.performanceId === undefined ? null : Number(row.performanceId),
          scheduleVersion: Number(row.scheduleVersion ?? 0),
        },
      };
    },
  };
};

export type OutboxData = ReturnType<typeof createOutboxData>;
