/**
 * When a booked performance moves (issue 22): `booking_schedule_changes`, a table of the plugin's
 * own, one row per performance whose date or venue was ever changed while it had confirmed
 * reservations. It holds what the holders were last told (`original_*`, while a notice is
 * pending), when the notice is due (`due_at_ms`, null when none is owed) and how many notices
 * have gone (`schedule_version`: the calendar file's SEQUENCE, durable). Times are epoch
 * milliseconds in bigint columns: the same on PostgreSQL and SQLite, no time-zone conversion.
 * Raw SQL bound to the transaction the caller passes.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { dialectOf } from './dialect';
import { bookingTables, SEATS_TABLE } from './strapi-internals';

export const SCHEDULE_CHANGES_TABLE = 'booking_schedule_changes';

/** Where and when a performance is: what a holder is told. `venue` is the venue's documentId. */
export interface ScheduleState {
  startsAtMs: number;
  venue: string | null;
}

export interface ScheduleRow {
  performanceId: number;
  scheduleVersion: number;
  original: ScheduleState | null;
  dueAtMs: number | null;
}

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export const sameSchedule = (a: ScheduleState, b: ScheduleState) => a.startsAtMs === b.startsAtMs && a.venue === b.venue;

export const createScheduleChangesData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  const rowOf = (row: Record<string, unknown>): ScheduleRow => {
    const originalStart = num(row.original_starts_at_ms);
    return {
      performanceId: Number(row.performance_id),
      scheduleVersion: Number(row.schedule_version ?? 0),
      original: originalStart === null ? null : { startsAtMs: originalStart, venue: (row.original_venue as string | null) ?? null },
      dueAtMs: num(row.due_at_ms),
    };
  };

  return {
    /** Creates the table (bootstrap; idempotent, safe from several instances under the setup lock). */
    async ensureTable(knex: Knex): Promise<void> {
      if (await knex.schema.hasTable(SCHEDULE_CHANGES_TABLE)) return;
      await knex.schema.createTable(SCHEDULE_CHANGES_TABLE, (table) => {
        table.integer('performance_id').primary();
        table.integer('schedule_version').notNullable().defaultTo(0);
        table.bigInteger('original_starts_at_ms').nullable();
        table.string('original_venue', 64).nullable();
        table.bigInteger('due_at_ms').nullable().index('booking_schedule_changes_due');
      });
    },

    /** The date and venue (documentId) of these performances now; missing ones are left out. */
    async states(knex: Knex, performanceIds: number[]): Promise<Map<number, ScheduleState>> {
      const result = new Map<number, ScheduleState>();
      if (performanceIds.length === 0) return result;
      const tables = t();
      const pv = tables.performanceVenue;
      const rows: Array<{ id: number; starts_at: unknown; venue: string | null }> = await knex({ p: tables.performances })
        .leftJoin({ pv: pv.table }, `pv.${pv.from}`, 'p.id')
        .leftJoin({ v: tables.venues }, 'v.id', `pv.${pv.to}`)
        .whereIn('p.id', performanceIds)
        .select({ id: 'p.id', starts_at: 'p.starts_at', venue: 'v.document_id' });
      for (const row of rows) {
        const startsAtMs = dialectOf(strapi).readTime(row.starts_at).getTime();
        result.set(Number(row.id), { startsAtMs, venue: row.venue ?? null });
      }
      return result;
    },

    /** The performances (ids) linked to a venue document, any of its locales. */
    async performancesOfVenue(knex: Knex, venueWhere: { id?: number; documentId?: string }): Promise<number[]> {
      const tables = t();
      const pv = tables.performanceVenue;
      const query = knex({ pv: pv.table }).join({ v: tables.venues }, 'v.id', `pv.${pv.to}`);
      if (venueWhere.documentId) void query.where('v.document_id', venueWhere.documentId);
      else void query.where('v.id', venueWhere.id ?? -1);
      const rows: Array<{ id: number }> = await query.distinct({ id: `pv.${pv.from}` });
      return rows.map((row) => Number(row.id));
    },

    /** Which of these performances have confirmed seats (the seat counter's truth). */
    async withConfirmedSeats(knex: Knex, performanceIds: number[]): Promise<Set<number>> {
      if (performanceIds.length === 0) return new Set();
      const rows: Array<{ performance_id: number }> = await knex(SEATS_TABLE)
        .whereIn('performance_id', performanceIds)
        .andWhere('confirmed_seats', '>', 0)
        .select('performance_id');
      return new Set(rows.map((row) => Number(row.performance_id)));
    },

    /** The row of a performance, locked for the transaction (made first if missing). */
    async lockRow(knex: Knex, performanceId: number): Promise<ScheduleRow> {
      await knex(SCHEDULE_CHANGES_TABLE)
        .insert({ performance_id: performanceId, schedule_version: 0 })
        .onConflict('performance_id')
        .ignore();
      const query = knex(SCHEDULE_CHANGES_TABLE).where('performance_id', performanceId);
      if (dialectOf(strapi).postgres) void query.forUpdate();
      const row = (await query.first()) as Record<string, unknown>;
      return rowOf(row);
    },

    /** The version (notices sent so far) of a performance: the calendar file's SEQUENCE. */
    async version(knex: Knex, performanceId: number): Promise<number> {
      const row: { schedule_version: unknown } | undefined = await knex(SCHEDULE_CHANGES_TABLE)
        .where('performance_id', performanceId)
        .first('schedule_version');
      return Number(row?.schedule_version ?? 0);
    },

    /** A notice owed at `dueAtMs`, telling what changed since `original`. */
    async setPending(knex: Knex, performanceId: number, original: ScheduleState, dueAtMs: number): Promise<void> {
      await knex(SCHEDULE_CHANGES_TABLE).where('performance_id', performanceId).update({
        original_starts_at_ms: original.startsAtMs,
        original_venue: original.venue,
        due_at_ms: dueAtMs,
      });
    },

    /** No notice owed (sent, or the performance is back where the holders were told it is). */
    async clearPending(knex: Knex, performanceId: number, version?: number): Promise<void> {
      await knex(SCHEDULE_CHANGES_TABLE)
        .where('performance_id', performanceId)
        .update({
          original_starts_at_ms: null,
          original_venue: null,
          due_at_ms: null,
          ...(version === undefined ? {} : { schedule_version: version }),
        });
    },

    /** Performances whose notice is due at `nowMs`, earliest first. */
    async due(knex: Knex, nowMs: number, limit: number): Promise<number[]> {
      const rows: Array<{ performance_id: number }> = await knex(SCHEDULE_CHANGES_TABLE)
        .whereNotNull('due_at_ms')
        .andWhere('due_at_ms', '<=', nowMs)
        .orderBy('due_at_ms', 'asc')
        .limit(limit)
        .select('performance_id');
      return rows.map((row) => Number(row.performance_id));
    },

    /**
     * Takes a due notice for this transaction: the row locked (PostgreSQL: skipped when another
     * instance holds it, which then sends it), or null when it is not due any more.
     */
    async claimDue(knex: Knex, performanceId: number, nowMs: number): Promise<ScheduleRow | null> {
      const query = knex(SCHEDULE_CHANGES_TABLE)
        .where('performance_id', performanceId)
        .whereNotNull('due_at_ms')
        .andWhere('due_at_ms', '<=', nowMs);
      if (dialectOf(strapi).postgres) void query.forUpdate().skipLocked();
      const row = (await query.first()) as Record<string, unknown> | undefined;
      return row ? rowOf(row) : null;
    },

    /** The confirmed reservations of a performance (ids, oldest first). */
    async confirmedReservations(knex: Knex, performanceId: number): Promise<number[]> {
      const tables = t();
      const rp = tables.reservationPerformance;
      const rows: Array<{ id: number }> = await knex({ r: tables.reservations })
        .join({ rp: rp.table }, `rp.${rp.reservation}`, 'r.id')
        .where(`rp.${rp.performance}`, performanceId)
        .andWhere('r.reservation_status', 'confirmed')
        .orderBy('r.id')
        .select({ id: 'r.id' });
      return rows.map((row) => Number(row.id));
    },

    /**
     * The tickets of these reservations follow the new start: their unused cancellation links
     * work until it, their QR codes until its check-in window closes (`checkInClosesAt`); and,
     * with `remindAgain`, the reminder goes again before the new start.
     */
    async followNewStart(knex: Knex, reservationIds: number[], startsAt: Date, checkInClosesAt: Date, remindAgain: boolean): Promise<void> {
      if (reservationIds.length === 0) return;
      const tables = t();
      const tr = tables.tokenReservation;
      const tokensOf = (purpose: string) =>
        knex(tables.tokens)
          .whereIn('id', knex(tr.table).whereIn(tr.reservation, reservationIds).select(tr.token))
          .andWhere('purpose', purpose)
          .whereNull('used_at');
      await tokensOf('cancellation').update({ expires_at: startsAt });
      await tokensOf('check_in').update({ expires_at: checkInClosesAt });
      if (remindAgain) await knex(tables.reservations).whereIn('id', reservationIds).update({ reminder_sent_at: null });
    },
  };
};

export type ScheduleChangesData = ReturnType<typeof createScheduleChangesData>;
