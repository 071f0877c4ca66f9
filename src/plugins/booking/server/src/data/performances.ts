/**
 * Performances (`booking_performances` with its show and venue links): the row lock that every
 * change of seats queues on, and the joined reads of the confirmation and the door.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { SeatFigures } from '../rules';
import { countsOf, seatColumns, type SeatCounts } from './seats';
import { bookingTables, SEATS_TABLE } from './strapi-internals';

/** What the door and the ticket mail say of a performance (never sent to a public route). */
export interface PerformanceFacts {
  id: number;
  documentId: string;
  starts_at: string;
  show: { title: string; slug?: string | null; duration_minutes?: number | null } | null;
  venue: { name: string; address: string | null; city: string | null } | null;
}

/** A performance as a visitor's booking checks it: its row, its show's and venue's public fields, its seats. */
export interface PublicPerformanceRow {
  id: number;
  documentId: string;
  starts_at: string;
  room_capacity: number;
  additional_seats: number;
  manually_occupied_seats: number;
  is_booking_enabled: boolean;
  cancelled_at: string | null;
  show: { id: number; title: string; slug: string; is_published: boolean } | null;
  venue: { id: number; name: string; slug: string; address: string | null; city: string | null } | null;
  seats: SeatCounts;
}

/** A performance's capacities, and whether it was cancelled (closed for good: issue 22). */
export type Capacity = Omit<SeatFigures, 'confirmed_seats'> & { cancelled: boolean };

export const createPerformancesData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  return {
    /**
     * SELECT ... FOR UPDATE on the performance row, reading its capacities: every confirmation,
     * cancellation and capacity edit of this performance queues here, on any number of
     * instances. (SQLite has one connection: already serial.)
     */
    async lock(knex: Knex, performanceId: number): Promise<Capacity | null> {
      return this.capacity(knex, performanceId, { forUpdate: true });
    },

    /**
     * A performance's capacities; `forUpdate` takes the row lock (`lock`). Without it, for a
     * transaction that already holds the lock (services/seat-ledger.ts): capacities read again,
     * since the transaction may have changed them since (a Content Manager edit).
     */
    async capacity(knex: Knex, performanceId: number, { forUpdate = false }: { forUpdate?: boolean } = {}): Promise<Capacity | null> {
      const query = knex(t().performances)
        .where('id', performanceId)
        .first('room_capacity', 'additional_seats', 'manually_occupied_seats', 'cancelled_at');
      const row = (await (forUpdate ? query.forUpdate() : query)) as Record<string, unknown> | undefined;
      if (!row) return null;
      return {
        room_capacity: Number(row.room_capacity),
        additional_seats: Number(row.additional_seats),
        manually_occupied_seats: Number(row.manually_occupied_seats),
        cancelled: row.cancelled_at !== null && row.cancelled_at !== undefined,
      };
    },

    /** Whether it is open for booking (its show published, booking on, the start) and its seats, in one query. */
    async bookingState(
      knex: Knex,
      performanceId: number
    ): Promise<{
      documentId: string;
      starts_at: Date;
      is_booking_enabled: boolean;
      is_published: boolean;
      cancelled_at: Date | null;
      seats: SeatCounts;
    } | null> {
      const tables = t();
      const ps = tables.performanceShow;
      const row: Record<string, unknown> | undefined = await knex({ p: tables.performances })
        .leftJoin({ performance_show: ps.table }, `performance_show.${ps.performance}`, 'p.id')
        .leftJoin({ show: tables.shows }, 'show.id', `performance_show.${ps.show}`)
        .leftJoin({ s: SEATS_TABLE }, 's.performance_id', 'p.id')
        .where('p.id', performanceId)
        .first('p.id', 'p.document_id', 'p.starts_at', 'p.is_booking_enabled', 'p.cancelled_at', 'show.is_published', ...seatColumns(knex));
      if (!row) return null;
      return {
        documentId: String(row.document_id),
        starts_at: new Date(row.starts_at as string),
        is_booking_enabled: Boolean(row.is_booking_enabled),
        is_published: Boolean(row.is_published),
        cancelled_at: row.cancelled_at ? new Date(row.cancelled_at as string) : null,
        seats: countsOf(row),
      };
    },

    /**
     * A performance by its documentId with its show's and venue's public fields and its seats,
     * in one query (the visitor's booking and join check it before anything is written); null
     * when no such row.
     */
    async publicRow(knex: Knex, documentId: string): Promise<PublicPerformanceRow | null> {
      const tables = t();
      const [ps, pv] = [tables.performanceShow, tables.performanceVenue];
      const row: Record<string, unknown> | undefined = await knex({ p: tables.performances })
        .leftJoin({ ps: ps.table }, `ps.${ps.performance}`, 'p.id')
        .leftJoin({ sh: tables.shows }, 'sh.id', `ps.${ps.show}`)
        .leftJoin({ pv: pv.table }, `pv.${pv.from}`, 'p.id')
        .leftJoin({ v: tables.venues }, 'v.id', `pv.${pv.to}`)
        .leftJoin({ s: SEATS_TABLE }, 's.performance_id', 'p.id')
        .where('p.document_id', documentId)
        .orderBy('p.id')
        .first(
          'p.id',
          'p.document_id',
          'p.starts_at',
          'p.is_booking_enabled',
          'p.cancelled_at',
          { show_id: 'sh.id', show_title: 'sh.title', show_slug: 'sh.slug', show_is_published: 'sh.is_published' },
          { venue_id: 'v.id', venue_name: 'v.name', venue_slug: 'v.slug', venue_address: 'v.address', venue_city: 'v.city' },
          ...seatColumns(knex)
        );
      if (!row) return null;
      const seats = countsOf(row);
      return {
        id: Number(row.id),
        documentId: String(row.document_id),
        starts_at: new Date(row.starts_at as string).toISOString(),
        room_capacity: seats.roomCapacity,
        additional_seats: seats.additionalSeats,
        manually_occupied_seats: seats.manuallyOccupiedSeats,
        is_booking_enabled: Boolean(row.is_booking_enabled),
        cancelled_at: row.cancelled_at ? new Date(row.cancelled_at as string).toISOString() : null,
        show:
          row.show_id === null || row.show_id === undefined
            ? null
            : {
                id: Number(row.show_id),
                title: String(row.show_title),
                slug: String(row.show_slug),
                is_published: Boolean(row.show_is_published),
              },
        venue:
          row.venue_id === null || row.venue_id === undefined
            ? null
            : {
                id: Number(row.venue_id),
                name: String(row.venue_name),
                slug: String(row.venue_slug),
                address: (row.venue_address as string | null) ?? null,
                city: (row.venue_city as string | null) ?? null,
              },
        seats,
      };
    },

    /**
     * What the door and the ticket mail say of a performance (start, show, venue), or null. A
     * performance links to the Italian row of its show and venue; with `lang` 'en' each text of
     * their English copy (same document, locale 'en') that is not empty replaces the Italian.
     */
    async facts(knex: Knex, performanceId: number, lang: 'it' | 'en' = 'it'): Promise<PerformanceFacts | null> {
      const tables = t();
      const english = lang === 'en';
      /** The English copy of a row `base` of `table`: at most one row (one per document and locale). */
      const copyOf = (base: string, alias: string) => (join: Knex.JoinClause) =>
        join.on(`${alias}.document_id`, `${base}.document_id`).andOn(`${alias}.locale`, knex.raw('?', ['en']));
      const text = (base: string, alias: string, column: string) =>
        english ? knex.raw(`coalesce(nullif(??, ''), ??)`, [`${alias}.${column}`, `${base}.${column}`]) : `${base}.${column}`;
      let query = knex({ p: tables.performances })
        .leftJoin({ ps: tables.performanceShow.table }, `ps.${tables.performanceShow.performance}`, 'p.id')
        .leftJoin({ s: tables.shows }, 's.id', `ps.${tables.performanceShow.show}`)
        .leftJoin({ pv: tables.performanceVenue.table }, `pv.${tables.performanceVenue.from}`, 'p.id')
        .leftJoin({ v: tables.venues }, 'v.id', `pv.${tables.performanceVenue.to}`);
      if (english) query = query.leftJoin({ se: tables.shows }, copyOf('s', 'se')).leftJoin({ ve: tables.venues }, copyOf('v', 've'));
      const row: Record<string, unknown> | undefined = await query.where('p.id', performanceId).first({
        id: 'p.id',
        documentId: 'p.document_id',
        startsAt: 'p.starts_at',
        showTitle: text('s', 'se', 'title'),
        showSlug: 's.slug',
        showDuration: 's.duration_minutes',
        venueName: text('v', 've', 'name'),
        venueAddress: text('v', 've', 'address'),
        venueCity: text('v', 've', 'city'),
      });
      if (!row) return null;
      return {
        id: Number(row.id),
        documentId: String(row.documentId),
        starts_at: new Date(row.startsAt as string).toISOString(),
        show: row.showTitle
          ? {
              title: row.showTitle as string,
              slug: (row.showSlug as string | null) ?? null,
              duration_minutes: row.showDuration === null || row.showDuration === undefined ? null : Number(row.showDuration),
            }
          : null,
        venue: row.venueName
          ? {
              name: row.venueName as string,
              address: (row.venueAddress as string | null) ?? null,
              city: (row.venueCity as string | null) ?? null,
            }
          : null,
      };
    },

    /** Ids of the performances that started at or before `cutoff`, in order. */
    async startedBy(knex: Knex, cutoff: Date): Promise<number[]> {
      const rows: Array<{ id: number }> = await knex(t().performances).where('starts_at', '<=', cutoff).orderBy('id').select('id');
      return rows.map((row) => Number(row.id));
    },

    /**
     * Points every performance linked to a copy of a show or venue in another locale than `base`
     * at the `base` row of the same document instead (a link already held to that row: the link to
     * the copy goes). One pass per link table, on the caller's transaction; returns how many links
     * moved.
     */
    async relinkToBaseRows(trx: Knex, base: string): Promise<number> {
      const tables = t();
      const links = [
        {
          table: tables.performanceShow.table,
          from: tables.performanceShow.performance,
          column: tables.performanceShow.show,
          target: tables.shows,
        },
        {
          table: tables.performanceVenue.table,
          from: tables.performanceVenue.from,
          column: tables.performanceVenue.to,
          target: tables.venues,
        },
      ];
      let moved = 0;
      for (const link of links) {
        // Each link to a copy, with the base row of the copy's document (none: left alone).
        const stray: Array<{ id: number; performance: number; base: number }> = await trx({ l: link.table })
          .join({ c: link.target }, 'c.id', `l.${link.column}`)
          .join({ b: link.target }, (join) => join.on('b.document_id', 'c.document_id').andOn('b.locale', trx.raw('?', [base])))
          .whereNot('c.locale', base)
          .select({ id: 'l.id', performance: `l.${link.from}`, base: 'b.id' });
        for (const row of stray) {
          const held = await trx(link.table)
            .where({ [link.from]: row.performance, [link.column]: row.base })
            .first('id');
          // Already linked to the base row too: the link to the copy goes.
          if (held) await trx(link.table).where('id', row.id).delete();
          else
            await trx(link.table)
              .where('id', row.id)
              .update({ [link.column]: row.base });
          moved += 1;
        }
      }
      return moved;
    },

    /**
     * Issue 22: closes a performance for good (`cancelled_at`, the editor's message), under the
     * row lock the caller holds (the seat ledger's). True when this call closed it.
     */
    async markCancelled(trx: Knex, performanceId: number, now: Date, message: string | null): Promise<boolean> {
      const changed = await trx(t().performances)
        .where('id', performanceId)
        .whereNull('cancelled_at')
        .update({ cancelled_at: now, cancellation_message: message, updated_at: now });
      return Number(changed) === 1;
    },

    /** Issue 22: the editor's message of a cancelled performance, for its mails (null when none). */
    async cancellationMessage(knex: Knex, performanceId: number): Promise<string | null> {
      const row: { message: string | null } | undefined = await knex(t().performances)
        .where('id', performanceId)
        .first({ message: 'cancellation_message' });
      return row?.message ?? null;
    },

    /** The internal id of a performance by its documentId, or null. */
    async idOf(knex: Knex, documentId: string): Promise<number | null> {
      const row: { id: number } | undefined = await knex(t().performances).where('document_id', documentId).first('id');
      return row ? Number(row.id) : null;
    },
  };
};

export type PerformancesData = ReturnType<typeof createPerformancesData>;
