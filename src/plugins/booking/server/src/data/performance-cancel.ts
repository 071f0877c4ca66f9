/**
 * Issue 22: the raw reads and writes of a performance's cancel, bound to the cancel's transaction:
 * its live reservations and open waiting entries, locked and ended together, and the mails owed
 * for it recorded once each (the outbox's dedupe key). Row locks are taken in id order, so two
 * cancels, or a cancel and the expiry job, queue instead of deadlocking.
 *
 * What the cancel takes after it holds the performance row it never waits for (PostgreSQL's SKIP
 * LOCKED; SQLite has one writer at a time): a confirmation holds its token and reservation rows
 * while it waits for the performance, so waiting for them there would be a deadlock. What is
 * skipped is closed all the same: a token whose reservation is cancelled opens nothing (every
 * token's use reads its reservation's status), a join being confirmed finds the performance
 * closed under its lock and lapses, a reservation written by a booking between the two scans and
 * being confirmed finds it closed and stays pending until its link lapses.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { MailKind, ReservationStatus, WaitlistStatus } from '../constants';
import { outboxLabel } from '../services/labels';
import { dialectOf } from './dialect';
import { assertTransition } from './reservations';
import { bookingTables, systemColumns } from './strapi-internals';

/** A live reservation of the performance being cancelled. */
export interface LiveReservation {
  id: number;
  status: 'pending' | 'confirmed';
  party_size: number;
  /** An offer to a waiting entry: its seats are held. */
  held: boolean;
}

/** An entry of the list that has not ended: unconfirmed, waiting or offered. */
export interface OpenEntry {
  id: number;
  status: WaitlistStatus;
}

export const OPEN_ENTRY_STATUSES: WaitlistStatus[] = ['unconfirmed', 'waiting', 'offered'];

export const createPerformanceCancelData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  const postgres = () => dialectOf(strapi).postgres;
  return {
    /**
     * The pending and confirmed reservations of a performance, locked (FOR UPDATE, in id order),
     * leaving out `known` (already locked by this transaction).
     */
    async lockLiveReservations(trx: Knex, performanceId: number, known: number[] = []): Promise<LiveReservation[]> {
      const tables = t();
      const rl = tables.reservationPerformance;
      let query = trx(tables.reservations)
        .whereIn('id', trx(rl.table).select(rl.reservation).where(rl.performance, performanceId))
        .whereIn('reservation_status', ['pending', 'confirmed']);
      if (known.length > 0) query = query.whereNotIn('id', known);
      query = query.orderBy('id', 'asc').select('id', 'reservation_status', 'party_size', 'held_until').forUpdate();
      // The second scan, under the performance lock: rows another transaction holds are skipped.
      if (known.length > 0 && postgres()) query = query.skipLocked();
      const rows: Array<{ id: number; reservation_status: string; party_size: number; held_until: unknown }> = await query;
      return rows.map((row) => ({
        id: Number(row.id),
        status: row.reservation_status as 'pending' | 'confirmed',
        party_size: Number(row.party_size),
        held: row.held_until !== null && row.held_until !== undefined,
      }));
    },

    /** Moves these reservations from `from` to cancelled, their open tokens closed; returns the ids moved. */
    async cancelReservations(trx: Knex, ids: number[], from: ReservationStatus, now: Date): Promise<number[]> {
      if (ids.length === 0) return [];
      assertTransition(from, 'cancelled');
      const tables = t();
      const rows: Array<{ id: number } | number> = await trx(tables.reservations)
        .whereIn('id', ids)
        .where('reservation_status', from)
        .update({ reservation_status: 'cancelled', cancelled_at: now, updated_at: now })
        .returning('id');
      const moved = rows.map((row) => Number(typeof row === 'object' ? row.id : row));
      const tl = tables.tokenReservation;
      if (moved.length > 0) {
        const open = trx(tables.tokens)
          .whereIn('id', trx(tl.table).select(tl.token).whereIn(tl.reservation, moved))
          .whereNull('used_at')
          .select('id')
          .forUpdate();
        await trx(tables.tokens)
          .whereIn('id', postgres() ? open.skipLocked() : open)
          .update({ used_at: now, updated_at: now });
      }
      return moved;
    },

    /** The entries of a performance that have not ended, locked in id order (those another transaction holds skipped). */
    async lockOpenEntries(trx: Knex, performanceId: number): Promise<OpenEntry[]> {
      const tables = t();
      const ep = tables.entryPerformance;
      const query = trx(tables.waitlistEntries)
        .whereIn('id', trx(ep.table).select(ep.from).where(ep.to, performanceId))
        .whereIn('waitlist_status', OPEN_ENTRY_STATUSES)
        .orderBy('id', 'asc')
        .select('id', 'waitlist_status')
        .forUpdate();
      const rows: Array<{ id: number; waitlist_status: WaitlistStatus }> = await (postgres() ? query.skipLocked() : query);
      return rows.map((row) => ({ id: Number(row.id), status: row.waitlist_status }));
    },

    /** Ends these entries (`expired`: the list is closed for good); returns how many moved. */
    async endEntries(trx: Knex, ids: number[], now: Date): Promise<number> {
      if (ids.length === 0) return 0;
      const changed = await trx(t().waitlistEntries)
        .whereIn('id', ids)
        .whereIn('waitlist_status', OPEN_ENTRY_STATUSES)
        .update({ waitlist_status: 'expired', updated_at: now });
      return Number(changed);
    },

    /**
     * Records a mail owed about a reservation or an entry under a dedupe key: a second record with
     * the same key is ignored (the unique index `booking_outbox_messages_dedupe_key`), so however
     * many times the owing change is tried, on however many instances, one mail is owed. Returns
     * the new message's id, or null when the key was there already.
     */
    async insertMailOnce(
      trx: Knex,
      kind: MailKind,
      about: { reservationId: number } | { entryId: number },
      dedupeKey: string,
      now: Date
    ): Promise<number | null> {
      const tables = t();
      const rows: Array<{ id: number } | number> = await trx(tables.outbox)
        .insert({
          ...systemColumns(now),
          label: outboxLabel(kind, null, 'queued'),
          kind,
          dedupe_key: dedupeKey,
          delivery_status: 'queued',
          attempts: 0,
          next_attempt_at: now,
        })
        .onConflict('dedupe_key')
        .ignore()
        .returning('id');
      const id = rows.length > 0 ? Number(typeof rows[0] === 'object' ? rows[0].id : rows[0]) : null;
      if (id === null) return null;
      if ('reservationId' in about) {
        const link = tables.outboxReservation;
        await trx(link.table).insert({ [link.message]: id, [link.reservation]: about.reservationId });
      } else {
        const link = tables.outboxEntry;
        await trx(link.table).insert({ [link.from]: id, [link.to]: about.entryId });
      }
      return id;
    },

    /**
     * `performance.cancelled` for every enabled webhook listening to it, in one INSERT ... SELECT
     * (as the reservations' events): the performance's documentId and `cancelled`, no reference, no
     * party, and never the editor's message. Returns the new deliveries' ids.
     */
    async enqueuePerformanceCancelled(trx: Knex, performanceId: number, now: Date): Promise<number[]> {
      const tables = t();
      const dialect = dialectOf(strapi);
      const type = 'performance.cancelled';
      const sql = `
        INSERT INTO ?? (document_id, created_at, updated_at, published_at, label, webhook_entry, event_type, message_id,
                        reference, performance, party_size, reservation_status, occurred_at, delivery_status, attempts, next_attempt_at)
        SELECT ${dialect.sql.randomDocumentId}, ?, ?, ?, CAST(? AS TEXT) || ' · ' || p.document_id || ' · pending', w.id, ?,
               'msg_' || ${dialect.sql.randomHex32}, NULL, p.document_id, NULL, 'cancelled', ?, 'pending', 0, ?
        FROM ?? AS w
        CROSS JOIN ?? AS p
        WHERE w.enabled = ? AND ${dialect.sql.jsonListAllowsAll('w.events')} AND p.id = ?
        ORDER BY w.id
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
        tables.performances,
        true,
        dialect.jsonListBinding(type),
        performanceId,
      ];
      const result: { rows: Array<{ id: number }> } | Array<{ id: number }> = await trx.raw(sql, bindings);
      return (Array.isArray(result) ? result : result.rows).map((row) => Number(row.id));
    },

    /**
     * Whether a performance is cancelled (or gone), read under a key-share lock of its row: the
     * lock a new reservation's link to it takes anyway, which waits for a cancel holding the
     * performance and then sees what it committed. For a booking about to write its row.
     */
    async cancelledForNewRow(trx: Knex, performanceId: number): Promise<boolean> {
      const row = (await trx(t().performances).where('id', performanceId).first('cancelled_at').forKeyShare()) as
        { cancelled_at: unknown } | undefined;
      return !row || (row.cancelled_at !== null && row.cancelled_at !== undefined);
    },

    /** Who a cancel would write to now: confirmed holders and waiting (or offered) parties. */
    async recipientsOf(knex: Knex, performanceId: number): Promise<{ holders: number; waiting: number }> {
      const tables = t();
      const rl = tables.reservationPerformance;
      const ep = tables.entryPerformance;
      const holders = (await knex(tables.reservations)
        .whereIn('id', knex(rl.table).select(rl.reservation).where(rl.performance, performanceId))
        .where('reservation_status', 'confirmed')
        .count({ n: 'id' })
        .first()) as { n: unknown } | undefined;
      const waiting = (await knex(tables.waitlistEntries)
        .whereIn('id', knex(ep.table).select(ep.from).where(ep.to, performanceId))
        .whereIn('waitlist_status', ['waiting', 'offered'])
        .count({ n: 'id' })
        .first()) as { n: unknown } | undefined;
      return { holders: Number(holders?.n ?? 0), waiting: Number(waiting?.n ?? 0) };
    },
  };
};

export type PerformanceCancelData = ReturnType<typeof createPerformanceCancelData>;
