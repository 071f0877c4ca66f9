/**
 * Messages staff wrote to a performance's audience (issue 22): `booking_performance_messages`, a
 * table of the plugin's own, outside the Content Manager, read only through the admin routes that
 * need `plugin::booking.performance.message` (a role that cannot read visitors does not list who
 * was written to, nor what). Each row keeps who wrote it, when, the text and how many mails it
 * made. Times are epoch milliseconds (bigint), the same on PostgreSQL and SQLite.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ERASED } from '../constants';
import { insertedId } from './dialect';
import { bookingTables } from './strapi-internals';

export const PERFORMANCE_MESSAGES_TABLE = 'booking_performance_messages';

export type MessageAudience = 'confirmed' | 'confirmed_and_waiting';

export interface StoredMessage {
  id: number;
  subject: string;
  body: string;
  to: MessageAudience;
  recipients: number;
  sent_by: string | null;
  sent_at: string;
}

export const createPerformanceMessagesData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  return {
    async ensureTable(knex: Knex): Promise<void> {
      if (await knex.schema.hasTable(PERFORMANCE_MESSAGES_TABLE)) return;
      await knex.schema.createTable(PERFORMANCE_MESSAGES_TABLE, (table) => {
        table.increments('id').primary();
        table.integer('performance_id').notNullable();
        table.string('subject', 150).notNullable();
        table.text('body').notNullable();
        table.string('audience', 30).notNullable();
        table.integer('recipients').notNullable().defaultTo(0);
        table.integer('sent_by_id').nullable();
        table.string('sent_by_name', 300).nullable();
        table.bigInteger('sent_at_ms').notNullable();
        table.index(['performance_id', 'sent_at_ms'], 'booking_performance_messages_by_performance');
      });
    },

    /** How many messages a performance got since `sinceMs`. */
    async countSince(knex: Knex, performanceId: number, sinceMs: number): Promise<number> {
      const row = (await knex(PERFORMANCE_MESSAGES_TABLE)
        .where('performance_id', performanceId)
        .andWhere('sent_at_ms', '>=', sinceMs)
        .count({ n: 'id' })
        .first()) as { n: unknown } | undefined;
      return Number(row?.n ?? 0);
    },

    async insert(
      knex: Knex,
      message: {
        performanceId: number;
        subject: string;
        body: string;
        to: MessageAudience;
        sentBy: { id: number | null; name: string | null };
      },
      now: Date
    ): Promise<number> {
      return insertedId(
        await knex(PERFORMANCE_MESSAGES_TABLE)
          .insert({
            performance_id: message.performanceId,
            subject: message.subject,
            body: message.body,
            audience: message.to,
            recipients: 0,
            sent_by_id: message.sentBy.id,
            sent_by_name: message.sentBy.name,
            sent_at_ms: now.getTime(),
          })
          .returning('id')
      );
    },

    async setRecipients(knex: Knex, id: number, recipients: number): Promise<void> {
      await knex(PERFORMANCE_MESSAGES_TABLE).where('id', id).update({ recipients });
    },

    /** A message's subject and body, for its mails. */
    async text(knex: Knex, id: number): Promise<{ subject: string; body: string } | null> {
      const row: { subject: string; body: string } | undefined = await knex(PERFORMANCE_MESSAGES_TABLE)
        .where('id', id)
        .first('subject', 'body');
      return row ? { subject: row.subject, body: row.body } : null;
    },

    /** A performance's messages, newest first. */
    async list(knex: Knex, performanceId: number, limit = 100): Promise<StoredMessage[]> {
      const rows: Array<Record<string, unknown>> = await knex(PERFORMANCE_MESSAGES_TABLE)
        .where('performance_id', performanceId)
        .orderBy('sent_at_ms', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .select('id', 'subject', 'body', 'audience', 'recipients', 'sent_by_name', 'sent_at_ms');
      return rows.map((row) => ({
        id: Number(row.id),
        subject: String(row.subject),
        body: String(row.body),
        to: row.audience as MessageAudience,
        recipients: Number(row.recipients),
        sent_by: (row.sent_by_name as string | null) ?? null,
        sent_at: new Date(Number(row.sent_at_ms)).toISOString(),
      }));
    },

    /** Who a message goes to: the confirmed reservations and, with `confirmed_and_waiting`, the waiting entries. */
    async audience(knex: Knex, performanceId: number, to: MessageAudience): Promise<{ reservationIds: number[]; entryIds: number[] }> {
      const tables = t();
      const rp = tables.reservationPerformance;
      const reservations: Array<{ id: number }> = await knex({ r: tables.reservations })
        .join({ rp: rp.table }, `rp.${rp.reservation}`, 'r.id')
        .where(`rp.${rp.performance}`, performanceId)
        .andWhere('r.reservation_status', 'confirmed')
        // A box-office booking without an address, or an erased one, gets no mail.
        .whereNotNull('r.email')
        .andWhereNot('r.email', '')
        .andWhereNot('r.email', ERASED.email)
        .orderBy('r.id')
        .select({ id: 'r.id' });
      let entries: Array<{ id: number }> = [];
      if (to === 'confirmed_and_waiting') {
        const ep = tables.entryPerformance;
        entries = await knex({ e: tables.waitlistEntries })
          .join({ ep: ep.table }, `ep.${ep.from}`, 'e.id')
          .where(`ep.${ep.to}`, performanceId)
          .andWhere('e.waitlist_status', 'waiting')
          .orderBy('e.id')
          .select({ id: 'e.id' });
      }
      return { reservationIds: reservations.map((row) => Number(row.id)), entryIds: entries.map((row) => Number(row.id)) };
    },
  };
};

export type PerformanceMessagesData = ReturnType<typeof createPerformanceMessagesData>;
