/**
 * Waiting-list entries (`booking_waitlist_entries` and its links to the performance and to the
 * offered reservation). Raw SQL, bound to the transaction the caller passes. An entry's status
 * moves only by `move`, a conditional UPDATE on the status it expects, so a concurrent move loses
 * cleanly.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Language, WaitlistStatus } from '../constants';
import { dialectOf } from './dialect';
import { bookingTables, systemColumns } from './strapi-internals';

export interface WaitlistEntryRow {
  id: number;
  reference: string;
  waitlist_status: WaitlistStatus;
  name: string;
  email: string;
  phone: string | null;
  party_size: number;
  notes: string | null;
  language: Language;
  joined_at: string;
}

const entryFromRow = (row: Record<string, unknown>): WaitlistEntryRow => ({
  id: Number(row.id),
  reference: String(row.reference),
  waitlist_status: row.waitlist_status as WaitlistStatus,
  name: String(row.name),
  email: String(row.email),
  phone: (row.phone as string | null) ?? null,
  party_size: Number(row.party_size),
  notes: (row.notes as string | null) ?? null,
  language: row.language as Language,
  joined_at: new Date(row.joined_at as string).toISOString(),
});

export interface NewEntry {
  reference: string;
  name: string;
  email: string;
  phone: string | null;
  party_size: number;
  notes: string | null;
  language: Language;
  leave_token_hash: string;
}

export const createWaitlistEntriesData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  /** Entries of one performance, as `e`. */
  const ofPerformance = (knex: Knex, performanceId: number) => {
    const tables = t();
    return knex({ e: tables.waitlistEntries })
      .join({ ep: tables.entryPerformance.table }, `ep.${tables.entryPerformance.from}`, 'e.id')
      .where(`ep.${tables.entryPerformance.to}`, performanceId);
  };

  return {
    /** Records a waiting entry for a performance; returns its id. */
    async insert(knex: Knex, performanceId: number, entry: NewEntry, now: Date): Promise<number> {
      const tables = t();
      return dialectOf(strapi).insertWithLinks(
        knex,
        tables.waitlistEntries,
        {
          ...systemColumns(now),
          ...entry,
          label: `${entry.reference} · ${entry.name}`.slice(0, 160),
          waitlist_status: 'waiting',
          joined_at: now,
        },
        [
          {
            table: tables.entryPerformance.table,
            from: tables.entryPerformance.from,
            to: tables.entryPerformance.to,
            target: performanceId,
          },
        ]
      );
    },

    async referenceTaken(knex: Knex, reference: string): Promise<boolean> {
      return (await knex(t().waitlistEntries).where({ reference }).first('id')) !== undefined;
    },

    /** Whether this address already waits (or holds an offer) for this performance. */
    async addressWaits(knex: Knex, performanceId: number, address: string): Promise<boolean> {
      const row = await ofPerformance(knex, performanceId)
        .whereIn('e.waitlist_status', ['waiting', 'offered'])
        .andWhereRaw('lower(e.email) = ?', [address])
        .first('e.id');
      return row !== undefined;
    },

    /** Entries still waiting under an address, across performances (the per-address limit). */
    async waitingForAddress(knex: Knex, address: string): Promise<number> {
      const row = (await knex(t().waitlistEntries)
        .where('waitlist_status', 'waiting')
        .andWhereRaw('lower(email) = ?', [address])
        .count({ n: 'id' })
        .first()) as { n: unknown } | undefined;
      return Number(row?.n ?? 0);
    },

    /**
     * The entries still waiting for a performance, in the order they joined, locked: a leave of
     * one of them waits for the offers being made, and then finds it offered.
     */
    async lockWaiting(trx: Knex, performanceId: number): Promise<WaitlistEntryRow[]> {
      const rows = (await ofPerformance(trx, performanceId)
        .where('e.waitlist_status', 'waiting')
        .orderBy([
          { column: 'e.joined_at', order: 'asc' },
          { column: 'e.id', order: 'asc' },
        ])
        .select('e.*')
        .forUpdate()) as Array<Record<string, unknown>>;
      return rows.map(entryFromRow);
    },

    /** Locks the entry behind a leave link's hash and reads it, or null. */
    async lockByLeaveHash(trx: Knex, hash: string): Promise<WaitlistEntryRow | null> {
      const row = (await trx(t().waitlistEntries).where('leave_token_hash', hash).first().forUpdate()) as
        Record<string, unknown> | undefined;
      return row ? entryFromRow(row) : null;
    },

    /** Moves an entry from `from` to `to` with `fields`; returns whether this call moved it. */
    async move(
      knex: Knex,
      entryId: number,
      from: WaitlistStatus | WaitlistStatus[],
      to: WaitlistStatus,
      now: Date,
      fields: Record<string, unknown> = {}
    ): Promise<boolean> {
      const changed = await knex(t().waitlistEntries)
        .where('id', entryId)
        .whereIn('waitlist_status', Array.isArray(from) ? from : [from])
        .update({ ...fields, waitlist_status: to, updated_at: now });
      return Number(changed) === 1;
    },

    /** Links the reservation offered to an entry. */
    async linkOffer(knex: Knex, entryId: number, reservationId: number): Promise<void> {
      const link = t().entryOffer;
      await knex(link.table).insert({ [link.from]: entryId, [link.to]: reservationId });
    },

    /** The entry a reservation was offered to, or null (an ordinary reservation). */
    async byOffer(knex: Knex, reservationId: number): Promise<{ id: number; status: WaitlistStatus } | null> {
      const tables = t();
      const row: { id: number; status: WaitlistStatus } | undefined = await knex({ e: tables.waitlistEntries })
        .join({ eo: tables.entryOffer.table }, `eo.${tables.entryOffer.from}`, 'e.id')
        .where(`eo.${tables.entryOffer.to}`, reservationId)
        .first({ id: 'e.id', status: 'e.waitlist_status' });
      return row ? { id: Number(row.id), status: row.status } : null;
    },

    /** A new leave link for an entry (a retried mail has no raw token: none is stored). */
    async setLeaveHash(knex: Knex, entryId: number, hash: string): Promise<void> {
      await knex(t().waitlistEntries).where('id', entryId).update({ leave_token_hash: hash });
    },

    /** Entries still waiting (not yet offered) for a performance, and their seats. */
    async waitingCounts(knex: Knex, performanceId: number): Promise<{ entries: number; seats: number }> {
      const row: { entries: unknown; seats: unknown } | undefined = await ofPerformance(knex, performanceId)
        .where('e.waitlist_status', 'waiting')
        .first(knex.raw('count(e.id) as entries'), knex.raw('coalesce(sum(e.party_size), 0) as seats'));
      return { entries: Number(row?.entries ?? 0), seats: Number(row?.seats ?? 0) };
    },

    /**
     * The entries of an address (compared without regard to case) with their performance, for a
     * visitor's export and erasure.
     */
    async ofAddress(
      knex: Knex,
      address: string
    ): Promise<
      Array<
        WaitlistEntryRow & {
          offered_at: string | null;
          left_at: string | null;
          performance: { documentId: string; starts_at: string } | null;
        }
      >
    > {
      const tables = t();
      const rows: Array<Record<string, unknown>> = await knex({ e: tables.waitlistEntries })
        .leftJoin({ ep: tables.entryPerformance.table }, `ep.${tables.entryPerformance.from}`, 'e.id')
        .leftJoin({ p: tables.performances }, 'p.id', `ep.${tables.entryPerformance.to}`)
        .whereRaw('lower(e.email) = ?', [address.toLowerCase()])
        .orderBy('e.id')
        .select('e.*', { performanceDocumentId: 'p.document_id', performanceStartsAt: 'p.starts_at' });
      const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);
      return rows.map((row) => ({
        ...entryFromRow(row),
        offered_at: iso(row.offered_at),
        left_at: iso(row.left_at),
        performance: row.performanceDocumentId
          ? { documentId: row.performanceDocumentId as string, starts_at: new Date(row.performanceStartsAt as string).toISOString() }
          : null,
      }));
    },

    /** Ids of entries of performances that started at or before `cutoff` and still hold personal data. */
    async lapsedBefore(knex: Knex, cutoff: Date, erasedEmail: string): Promise<number[]> {
      const tables = t();
      const rows: Array<{ id: number }> = await knex({ e: tables.waitlistEntries })
        .join({ ep: tables.entryPerformance.table }, `ep.${tables.entryPerformance.from}`, 'e.id')
        .join({ p: tables.performances }, 'p.id', `ep.${tables.entryPerformance.to}`)
        .where('p.starts_at', '<=', cutoff)
        .andWhere((q) => {
          void q.whereNot('e.email', erasedEmail).orWhereNotNull('e.phone').orWhereNotNull('e.notes');
        })
        .select('e.id');
      return rows.map((row) => Number(row.id));
    },

    /**
     * Erases the personal data of these entries: a waiting one leaves the list (nobody would
     * receive its offer), the mails still owed about them are dropped. Conditional, so a second
     * run changes nothing.
     */
    async erase(knex: Knex, ids: number[], erased: { name: string; email: string }, note: string, now: Date): Promise<void> {
      if (ids.length === 0) return;
      const tables = t();
      await knex(tables.waitlistEntries)
        .whereIn('id', ids)
        .where('waitlist_status', 'waiting')
        .update({ waitlist_status: 'left', left_at: now, updated_at: now });
      await knex(tables.waitlistEntries)
        .whereIn('id', ids)
        .update({
          name: erased.name,
          email: erased.email,
          phone: null,
          notes: null,
          leave_token_hash: null,
          label: knex.raw('?? || ?', ['reference', ` · ${erased.name}`]),
          updated_at: now,
        });
      await knex(tables.outbox)
        .whereIn('id', knex(tables.outboxEntry.table).select(tables.outboxEntry.from).whereIn(tables.outboxEntry.to, ids))
        .whereIn('delivery_status', ['queued', 'retrying'])
        .update({ delivery_status: 'dropped', lease_until: null, last_error: note, updated_at: now });
    },

    /** The ids of a performance's entries, in any status. */
    async idsOfPerformance(knex: Knex, performanceId: number): Promise<number[]> {
      const rows: Array<{ id: number }> = await ofPerformance(knex, performanceId).orderBy('e.id').select('e.id');
      return rows.map((row) => Number(row.id));
    },

    /** An entry and its performance, for its mail. */
    async forMail(knex: Knex, entryId: number): Promise<(WaitlistEntryRow & { performanceId: number | null }) | null> {
      const tables = t();
      const row: Record<string, unknown> | undefined = await knex({ e: tables.waitlistEntries })
        .leftJoin({ ep: tables.entryPerformance.table }, `ep.${tables.entryPerformance.from}`, 'e.id')
        .where('e.id', entryId)
        .first('e.*', { performanceId: `ep.${tables.entryPerformance.to}` });
      if (!row) return null;
      return {
        ...entryFromRow(row),
        performanceId: row.performanceId === null || row.performanceId === undefined ? null : Number(row.performanceId),
      };
    },
  };
};

export type WaitlistEntriesData = ReturnType<typeof createWaitlistEntriesData>;
