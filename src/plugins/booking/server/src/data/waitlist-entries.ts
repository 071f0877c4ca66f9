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
import { withEmailKeys } from '../utils/email-keys';
import { emailKey } from '../validation/email';

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
  /** When the address confirmed the join (null: not yet, or an entry from before confirmation). */
  confirmed_at: string | null;
  /** When an unconfirmed join lapses. */
  confirm_by: string | null;
}

const isoOrNull = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

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
  confirmed_at: isoOrNull(row.confirmed_at),
  confirm_by: isoOrNull(row.confirm_by),
});

/** The order of a waiting list: when the address confirmed (older entries: when they joined). */
const QUEUE_ORDER = 'coalesce(e.confirmed_at, e.joined_at)';

export interface NewEntry {
  reference: string;
  name: string;
  email: string;
  phone: string | null;
  party_size: number;
  notes: string | null;
  language: Language;
  /** The SHA-256 of the confirmation link's token (its first e-mail). */
  confirm_token_hash: string;
  confirm_by: Date;
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
    /** Records an unconfirmed entry for a performance; returns its id. */
    async insert(knex: Knex, performanceId: number, entry: NewEntry, now: Date): Promise<number> {
      const tables = t();
      return dialectOf(strapi).insertWithLinks(
        knex,
        tables.waitlistEntries,
        {
          ...systemColumns(now),
          ...withEmailKeys({ ...entry }),
          label: `${entry.reference} · ${entry.name}`.slice(0, 160),
          waitlist_status: 'unconfirmed',
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

    /**
     * Whether this address (its `emailKey`) already waits (or holds an offer) for this
     * performance, or joined it unconfirmed after `since` and before its link lapsed (then a
     * second join would mail again).
     */
    async addressWaits(knex: Knex, performanceId: number, key: string, since: Date, now: Date): Promise<boolean> {
      const row = await ofPerformance(knex, performanceId)
        .andWhere('e.email_key', key)
        .andWhere((q) => {
          void q.whereIn('e.waitlist_status', ['waiting', 'offered']).orWhere((u) => {
            void u.where('e.waitlist_status', 'unconfirmed').andWhere('e.joined_at', '>', since).andWhere('e.confirm_by', '>', now);
          });
        })
        .first('e.id');
      return row !== undefined;
    },

    /**
     * Unconfirmed joins of an address (its limit key) that count toward its per-address limit: made after
     * `since`, link not lapsed, performance not started. A confirmed entry no longer counts.
     */
    async unconfirmedForAddress(knex: Knex, limitKey: string, since: Date, now: Date): Promise<number> {
      const row = (await this.unconfirmedForAddressQuery(knex, limitKey, since, now).first()) as { n?: unknown } | undefined;
      return Number(row?.n ?? 0);
    },

    /** `unconfirmedForAddress` as a query counting `n`, for a caller that adds it to another count in one statement. */
    unconfirmedForAddressQuery(knex: Knex, limitKey: string, since: Date, now: Date): Knex.QueryBuilder {
      const tables = t();
      return knex({ e: tables.waitlistEntries })
        .join({ ep: tables.entryPerformance.table }, `ep.${tables.entryPerformance.from}`, 'e.id')
        .join({ p: tables.performances }, 'p.id', `ep.${tables.entryPerformance.to}`)
        .where('e.waitlist_status', 'unconfirmed')
        .andWhere('e.joined_at', '>', since)
        .andWhere('e.confirm_by', '>', now)
        .andWhere('p.starts_at', '>', now)
        .andWhere('e.email_limit_key', limitKey)
        .count({ n: 'e.id' });
    },

    /** Locks the entry behind a join confirmation link's hash and reads it with its performance's start, or null. */
    async lockByConfirmHash(
      trx: Knex,
      hash: string
    ): Promise<(WaitlistEntryRow & { performanceId: number; performanceDocumentId: string; startsAt: string }) | null> {
      const tables = t();
      const found: { id: number } | undefined = await trx(tables.waitlistEntries).where('confirm_token_hash', hash).first('id');
      if (!found) return null;
      await trx(tables.waitlistEntries).where('id', found.id).forUpdate().first('id');
      const row: Record<string, unknown> | undefined = await trx({ e: tables.waitlistEntries })
        .join({ ep: tables.entryPerformance.table }, `ep.${tables.entryPerformance.from}`, 'e.id')
        .join({ p: tables.performances }, 'p.id', `ep.${tables.entryPerformance.to}`)
        .where('e.id', found.id)
        .first('e.*', { performanceId: 'p.id', performanceDocumentId: 'p.document_id', startsAt: 'p.starts_at' });
      if (!row) return null;
      return {
        ...entryFromRow(row),
        performanceId: Number(row.performanceId),
        performanceDocumentId: String(row.performanceDocumentId),
        startsAt: new Date(row.startsAt as string).toISOString(),
      };
    },

    /** A new confirmation link for an unconfirmed entry (a retried mail has no raw token). */
    async setConfirmHash(knex: Knex, entryId: number, hash: string): Promise<void> {
      await knex(t().waitlistEntries).where('id', entryId).update({ confirm_token_hash: hash });
    },

    /** The entries still waiting ahead of this one in its performance's list. */
    async waitingAhead(knex: Knex, performanceId: number, entryId: number): Promise<number> {
      const tables = t();
      const row: { n?: unknown } | undefined = await ofPerformance(knex, performanceId)
        .where('e.waitlist_status', 'waiting')
        .whereNot('e.id', entryId)
        .andWhereRaw(`(${QUEUE_ORDER}, e.id) < (select coalesce(x.confirmed_at, x.joined_at), x.id from ?? as x where x.id = ?)`, [
          tables.waitlistEntries,
          entryId,
        ])
        .count({ n: 'e.id' })
        .first();
      return Number(row?.n ?? 0);
    },

    /** Unconfirmed joins whose link lapsed become `expired`; returns how many. */
    async lapseUnconfirmed(knex: Knex, now: Date): Promise<number> {
      const changed = await knex(t().waitlistEntries)
        .where('waitlist_status', 'unconfirmed')
        .andWhere('confirm_by', '<=', now)
        .update({ waitlist_status: 'expired', updated_at: now });
      return Number(changed);
    },

    /**
     * The entries still waiting for a performance, in the order they joined, locked: a leave of
     * one of them waits for the offers being made, and then finds it offered.
     */
    async lockWaiting(trx: Knex, performanceId: number): Promise<WaitlistEntryRow[]> {
      const rows = (await ofPerformance(trx, performanceId)
        .where('e.waitlist_status', 'waiting')
        .orderByRaw(`${QUEUE_ORDER} asc, e.id asc`)
        .select('e.*')
        .forUpdate()) as Array<Record<string, unknown>>;
      return rows.map(entryFromRow);
    },

    /** An entry's status, or null. */
    async byId(knex: Knex, entryId: number): Promise<{ status: WaitlistStatus } | null> {
      const row: { waitlist_status: WaitlistStatus } | undefined = await knex(t().waitlistEntries)
        .where('id', entryId)
        .first('waitlist_status');
      return row ? { status: row.waitlist_status } : null;
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
        .where('e.email_key', emailKey(address))
        .orderBy('e.id')
        .select('e.*', { performanceDocumentId: 'p.document_id', performanceStartsAt: 'p.starts_at' });
      return rows.map((row) => ({
        ...entryFromRow(row),
        offered_at: isoOrNull(row.offered_at),
        left_at: isoOrNull(row.left_at),
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
        .whereIn('waitlist_status', ['waiting', 'unconfirmed'])
        .update({ waitlist_status: 'left', left_at: now, updated_at: now });
      await knex(tables.waitlistEntries)
        .whereIn('id', ids)
        .update({
          name: erased.name,
          ...withEmailKeys({ email: erased.email }),
          phone: null,
          notes: null,
          leave_token_hash: null,
          confirm_token_hash: null,
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
