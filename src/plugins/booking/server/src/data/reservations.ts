/**
 * Reservations (`booking_reservations` and its link to the performance): the raw reads of the
 * confirmation and the door, and `transition`, the one writer of a reservation's status.
 */
import { randomInt } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import {
  ACCESS_NEEDS,
  ERASED,
  ERROR_CODES,
  UID,
  type AccessNeed,
  type Language,
  type ReservationSource,
  type ReservationStatus,
  type TokenPurpose,
} from '../constants';
import { canTransition } from '../rules';
import { withEmailKeys } from '../utils/email-keys';
import { reservationLabel } from '../utils/reservation-label';
import { emailKey } from '../validation/email';
import { dialectOf } from './dialect';
import { bookingTables, systemColumns } from './strapi-internals';

/**
 * A move that RESERVATION_TRANSITIONS does not allow: the one error every path throws, the
 * plugin's own SQL and the Content Manager's writes alike (400, `forbidden_transition`).
 */
export class ForbiddenTransitionError extends errors.ValidationError {
  constructor(from: string, to: string) {
    super(`Una prenotazione non può passare da "${from}" a "${to}". / A reservation cannot move from "${from}" to "${to}".`, {
      code: ERROR_CODES.forbiddenTransition,
    });
  }
}

/** Throws ForbiddenTransitionError unless `from` -> `to` is allowed. */
export const assertTransition = (from: ReservationStatus, to: ReservationStatus) => {
  if (!canTransition(from, to)) throw new ForbiddenTransitionError(from, to);
};

/** Reference alphabet without look-alikes (0/O, 1/I/L): read out on the phone at the box office. */
const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
/** Eight characters of REFERENCE_ALPHABET, from the CSPRNG. */
export const newReference = () => Array.from({ length: 8 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join('');

/** A reservation row as the plugin reads it. */
export interface ReservationRow {
  id: number;
  documentId: string;
  reference: string;
  reservation_status: ReservationStatus;
  name: string;
  /** '' when the box office booked without an address. */
  email: string;
  phone: string | null;
  party_size: number;
  notes: string | null;
  /** What the party needs at the door; [] when nothing was said. */
  access_needs: AccessNeed[];
  source: ReservationSource;
  language: Language;
  confirm_by: string | null;
  confirmed_at: string | null;
  qr_code_generated_at: string | null;
  cancelled_at: string | null;
  /** Set on a waiting-list offer: the pending reservation holds its seats until then. */
  held_until: string | null;
}

/** A JSON column as PostgreSQL (parsed) or SQLite (text) gives it, kept to the known needs. */
export const accessNeedsOf = (value: unknown): AccessNeed[] => {
  let list = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value);
    } catch {
      return [];
    }
  }
  return Array.isArray(list) ? ACCESS_NEEDS.filter((need) => list.includes(need)) : [];
};

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

/** A reservation from a raw row (snake_case columns). */
export const reservationFromRow = (row: Record<string, unknown>): ReservationRow => ({
  id: Number(row.id),
  documentId: String(row.document_id),
  reference: String(row.reference),
  reservation_status: row.reservation_status as ReservationStatus,
  name: String(row.name),
  email: (row.email as string | null) ?? '',
  phone: (row.phone as string | null) ?? null,
  party_size: Number(row.party_size),
  notes: (row.notes as string | null) ?? null,
  access_needs: accessNeedsOf(row.access_needs),
  source: row.source === 'box_office' ? 'box_office' : 'public',
  language: row.language as Language,
  confirm_by: iso(row.confirm_by),
  confirmed_at: iso(row.confirmed_at),
  qr_code_generated_at: iso(row.qr_code_generated_at),
  cancelled_at: iso(row.cancelled_at),
  held_until: iso(row.held_until),
});

/** One reservation of an address, as a visitor's export shows it. */
export interface VisitorReservation {
  reference: string;
  status: ReservationStatus;
  party_size: number;
  name: string;
  email: string;
  phone: string | null;
  notes: string | null;
  language: string;
  created_at: string | null;
  confirm_by: string | null;
  confirmed_at: string | null;
  cancelled_at: string | null;
  checked_in_at: string | null;
  performance: { documentId: string; starts_at: string | null; show_title: string | null; venue_name: string | null } | null;
}

/** Rows still holding something personal (an erased row never matches again). */
const holdsPersonalData = (alias: string) => (qb: Knex.QueryBuilder) => {
  void qb
    .whereNot(`${alias}.email`, ERASED.email)
    .orWhereNot(`${alias}.name`, ERASED.name)
    .orWhereNotNull(`${alias}.phone`)
    .orWhereNotNull(`${alias}.notes`);
};

/**
 * Which reservations a transition moves: one by id, or the ordinary pending ones whose link
 * lapsed (a lapsed offer frees held seats and passes them on: services/waitlist.ts, one by one).
 */
export type TransitionTarget = { id: number } | { lapsedBefore: Date };

/** The columns a new reservation is written with (always `pending`: `transition` moves it on). */
export interface NewReservationRow {
  reference: string;
  performance: number;
  name: string;
  email: string | null;
  phone: string | null;
  party_size: number;
  notes: string | null;
  language: Language;
  access_needs?: AccessNeed[] | null;
  source?: ReservationSource;
  confirm_by?: Date | null;
  held_until?: Date | null;
}

/** How many references a booking tries before giving up (each taken one is a collision). */
const REFERENCE_ATTEMPTS = 20;

export const createReservationsData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  /** Reservations whose e-mail is this address, compared by its one normalised form (`email_key`), as `r` with `p`. */
  const ofAddressQuery = (knex: Knex, email: string) => {
    const tables = t();
    const rl = tables.reservationPerformance;
    return knex({ r: tables.reservations })
      .leftJoin({ rl: rl.table }, `rl.${rl.reservation}`, 'r.id')
      .leftJoin({ p: tables.performances }, 'p.id', `rl.${rl.performance}`)
      .where('r.email_key', emailKey(email));
  };
  return {
    /**
     * The insert of a reservation row for the box office and a waiting-list offer, pending.
     * Through the Query Engine, so the db lifecycles that compute stored fields (the Content
     * Manager's label) run as for any other write; it joins the caller's `strapi.db.transaction`.
     * The public booking, the hot path of an on-sale rush, uses `insertPending` below, which
     * writes the same fields itself.
     */
    async insert(row: NewReservationRow): Promise<ReservationRow> {
      return (await strapi.db.query(UID.reservation).create({ data: { ...row, reservation_status: 'pending' } })) as ReservationRow;
    },

    /**
     * The visitor's new reservation with its confirmation token, written with plain SQL where the
     * Query Engine took six round trips (reference checks, row, link, read back) and the token two
     * more. On PostgreSQL one statement: the performance row is share-locked as the foreign key
     * would (so a cancel holding it is waited for, then seen), the reference checked against
     * reservations and waiting-list entries, the row written with what the database lifecycles
     * would add (label, e-mail keys), its performance link, the token and its link. `'closed'`
     * when the performance is gone or cancelled; with `room` (services/admission.ts `lockAddress`,
     * whose lock the caller holds), `'rate_limited'` when the address has no room, checked in
     * the same statement. Elsewhere (SQLite, one writer) the same steps one by one.
     */
    async insertPending(
      trx: Knex.Transaction,
      row: Omit<NewReservationRow, 'reference'>,
      token: { hash: string; expiresAt: Date | null },
      now: Date,
      room?: { limit: number; count: Knex.QueryBuilder }
    ): Promise<ReservationRow | 'closed' | 'rate_limited'> {
      if (!Number.isInteger(row.party_size) || row.party_size < 1) {
        throw new errors.ValidationError('party_size must be a positive integer', {
          code: ERROR_CODES.validation,
          errors: [{ path: ['party_size'], message: 'must be a positive integer', name: 'ValidationError' }],
        });
      }
      const tables = t();
      const [rl, tl] = [tables.reservationPerformance, tables.tokenReservation];
      const values = (reference: string) => ({
        ...systemColumns(now),
        reference,
        label: reservationLabel(reference, row.name),
        reservation_status: 'pending',
        name: row.name,
        ...withEmailKeys({ email: row.email }),
        phone: row.phone,
        party_size: row.party_size,
        notes: row.notes,
        access_needs: row.access_needs && row.access_needs.length > 0 ? JSON.stringify(row.access_needs) : null,
        source: row.source ?? 'public',
        language: row.language,
        confirm_by: row.confirm_by ?? null,
        held_until: row.held_until ?? null,
      });
      const tokenValues = { ...systemColumns(now), purpose: 'confirmation', token_hash: token.hash, expires_at: token.expiresAt };

      if (!dialectOf(strapi).postgres) {
        if (room && (await this.countOf(trx, room.count)) >= room.limit) return 'rate_limited';
        const performance: { cancelled_at: unknown } | undefined = await trx(tables.performances)
          .where('id', row.performance)
          .first('cancelled_at');
        if (!performance || (performance.cancelled_at !== null && performance.cancelled_at !== undefined)) return 'closed';
        const [inserted]: Array<Record<string, unknown>> = await trx(tables.reservations)
          .insert(values(await this.uniqueReference(trx)))
          .returning('*');
        const id = Number(inserted.id);
        await trx(rl.table).insert({ [rl.reservation]: id, [rl.performance]: row.performance });
        const [tokenRow]: Array<{ id: number } | number> = await trx(tables.tokens).insert(tokenValues).returning('id');
        const tokenId = Number(typeof tokenRow === 'object' ? tokenRow.id : tokenRow);
        await trx(tl.table).insert({ [tl.token]: tokenId, [tl.reservation]: id });
        return reservationFromRow(inserted);
      }

      // The address's requests, counted in the statement that writes (after its lock: this
      // statement's snapshot sees every request that held the lock before); 0 when no limit.
      const requests = room?.count ?? trx.raw('0');
      // A new reference each time one is taken (8 characters: a second try is rare).
      for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt++) {
        const reference = newReference();
        const fields = values(reference);
        const columns = Object.keys(fields);
        const tokenColumns = Object.keys(tokenValues);
        const list = (names: string[]) => names.map(() => '??').join(', ');
        const { rows }: { rows: Array<Record<string, unknown>> } = await trx.raw(
          `WITH perf AS (SELECT id FROM ?? WHERE id = ? AND cancelled_at IS NULL FOR KEY SHARE),
           r AS (
             INSERT INTO ?? (${list(columns)})
             SELECT ${columns.map(() => '?').join(', ')} FROM perf
             WHERE NOT EXISTS (SELECT 1 FROM ?? WHERE reference = ?) AND NOT EXISTS (SELECT 1 FROM ?? WHERE reference = ?)
             AND (?) < ?
             RETURNING *
           ),
           rl AS (INSERT INTO ?? (??, ??) SELECT r.id, ? FROM r),
           tok AS (INSERT INTO ?? (${list(tokenColumns)}) SELECT ${tokenColumns.map(() => '?').join(', ')} FROM r RETURNING id),
           tl AS (INSERT INTO ?? (??, ??) SELECT tok.id, r.id FROM tok, r)
           SELECT (SELECT count(*) FROM perf) AS open, (?) AS requests, (SELECT row_to_json(r) FROM r) AS reservation`,
          [
            tables.performances,
            row.performance,
            tables.reservations,
            ...columns,
            ...Object.values(fields),
            tables.reservations,
            reference,
            tables.waitlistEntries,
            reference,
            requests,
            room?.limit ?? 1,
            rl.table,
            rl.reservation,
            rl.performance,
            row.performance,
            tables.tokens,
            ...tokenColumns,
            ...Object.values(tokenValues),
            tl.table,
            tl.token,
            tl.reservation,
            requests,
          ]
        );
        const inserted = rows[0]?.reservation as Record<string, unknown> | null | undefined;
        if (inserted) return reservationFromRow(inserted);
        if (room && Number(rows[0]?.requests ?? 0) >= room.limit) return 'rate_limited';
        if (Number(rows[0]?.open ?? 0) === 0) return 'closed';
        // The reference was taken: another one.
      }
      throw new Error(`no free reference after ${REFERENCE_ATTEMPTS} tries`);
    },

    /**
     * Boot: the Content Manager's label for rows written without one (before labels existed, or
     * by raw SQL), computed by the database as services/labels.ts's reservationLabel does.
     */
    async backfillLabels(knex: Knex): Promise<number> {
      const updated = await knex(t().reservations)
        .whereNull('label')
        .update({ label: knex.raw(`substr(reference || ' · ' || coalesce(name, '?'), 1, 160)`) });
      return Number(updated);
    },

    /**
     * The one writer of a reservation's status: moves the reservations of `target` that are in
     * `from` to `to`, with `fields` (confirmed_at, cancelled_at, ...), after checking the move
     * against RESERVATION_TRANSITIONS. The WHERE on `from` makes a concurrent move lose cleanly:
     * the ids actually moved are returned, none when another transaction got there first.
     */
    async transition(
      knex: Knex,
      target: TransitionTarget,
      from: ReservationStatus,
      to: ReservationStatus,
      now: Date,
      fields: Record<string, unknown> = {}
    ): Promise<number[]> {
      assertTransition(from, to);
      let query = knex(t().reservations).where('reservation_status', from);
      query =
        'id' in target ? query.andWhere('id', target.id) : query.andWhere('confirm_by', '<', target.lapsedBefore).whereNull('held_until');
      const rows: Array<{ id: number } | number> = await query
        .update({ ...fields, reservation_status: to, updated_at: now })
        .returning('id');
      return rows.map((row) => Number(typeof row === 'object' ? row.id : row));
    },

    /** A confirmed reservation's new, smaller party (its seats are given back by the caller). */
    async resize(knex: Knex, reservationId: number, partySize: number, now: Date): Promise<boolean> {
      const changed = await knex(t().reservations)
        .where({ id: reservationId, reservation_status: 'confirmed' })
        .andWhere('party_size', '>', partySize)
        .update({ party_size: partySize, updated_at: now });
      return Number(changed) === 1;
    },

    /** Locks a reservation row and reads it (every change of this reservation queues here). */
    async lock(knex: Knex, reservationId: number): Promise<ReservationRow | null> {
      const row = (await knex(t().reservations).where('id', reservationId).first().forUpdate()) as Record<string, unknown> | undefined;
      return row ? reservationFromRow(row) : null;
    },

    /** The performance a reservation is for, or null. */
    async performanceOf(knex: Knex, reservationId: number): Promise<number | null> {
      const rl = t().reservationPerformance;
      const row: { id: number } | undefined = await knex(rl.table).where(rl.reservation, reservationId).first({ id: rl.performance });
      return row ? Number(row.id) : null;
    },

    /** The ids of a performance's reservations, in any status. */
    async idsOfPerformance(knex: Knex, performanceId: number): Promise<number[]> {
      const rl = t().reservationPerformance;
      const rows: Array<{
        id: number;
      }> = await knex(rl.table).where(rl.performance, performanceId).orderBy(rl.reservation).select({ id: rl.reservation });
      return rows.map((row) => Number(row.id));
    },

    /** Offers (pending reservations holding seats) whose `held_until` has passed, with their performance. */
    async lapsedOffers(knex: Knex, now: Date): Promise<Array<{ id: number; performanceId: number }>> {
      const tables = t();
      const rl = tables.reservationPerformance;
      const rows: Array<{ id: number; performanceId: number }> = await knex({ r: tables.reservations })
        .join({ rl: rl.table }, `rl.${rl.reservation}`, 'r.id')
        .where('r.reservation_status', 'pending')
        .whereNotNull('r.held_until')
        .andWhere('r.held_until', '<', now)
        .orderBy('r.held_until', 'asc')
        .select({ id: 'r.id', performanceId: `rl.${rl.performance}` });
      return rows.map((row) => ({ id: Number(row.id), performanceId: Number(row.performanceId) }));
    },

    /**
     * Claims the reminder of these reservations, once: a conditional UPDATE on
     * `reminder_sent_at IS NULL`; a second instance running the same job at the same moment skips
     * the rows being claimed, or finds them claimed. Returns the ids this call claimed.
     */
    async claimReminders(knex: Knex, ids: number[], now: Date): Promise<number[]> {
      if (ids.length === 0) return [];
      const table = t().reservations;
      const unclaimed = knex(table).whereIn('id', ids).where('reservation_status', 'confirmed').whereNull('reminder_sent_at');
      // PostgreSQL: rows another instance is claiming right now are skipped, not waited for
      // (theirs to send), and rows are locked in id order, so two runs never deadlock. SQLite
      // has one writer at a time: the condition alone is enough.
      const target = dialectOf(strapi).postgres
        ? knex(table).whereIn('id', unclaimed.clone().select('id').orderBy('id').forUpdate().skipLocked())
        : unclaimed;
      const rows: Array<{ id: number } | number> = await target
        .whereNull('reminder_sent_at')
        .update({ reminder_sent_at: now })
        .returning('id');
      return rows.map((row) => Number(typeof row === 'object' ? row.id : row));
    },

    /**
     * Confirmed reservations whose performance starts in `(from, to]` and that have had no
     * reminder, with their start and confirmation time.
     */
    async reminderCandidates(knex: Knex, from: Date, to: Date): Promise<Array<{ id: number; startsAt: Date; confirmedAt: Date | null }>> {
      const tables = t();
      const rl = tables.reservationPerformance;
      const rows: Array<Record<string, unknown>> = await knex({ r: tables.reservations })
        .join({ rl: rl.table }, `rl.${rl.reservation}`, 'r.id')
        .join({ p: tables.performances }, 'p.id', `rl.${rl.performance}`)
        .where('r.reservation_status', 'confirmed')
        .whereNull('r.reminder_sent_at')
        .andWhere('p.starts_at', '>', from)
        .andWhere('p.starts_at', '<=', to)
        .select({ id: 'r.id', startsAt: 'p.starts_at', confirmedAt: 'r.confirmed_at' });
      return rows.map((row) => ({
        id: Number(row.id),
        startsAt: new Date(row.startsAt as string),
        confirmedAt: row.confirmedAt ? new Date(row.confirmedAt as string) : null,
      }));
    },

    /**
     * The reservation behind a reference as a person types it (any case, spaces or dashes
     * between the characters), with its performance; null when none.
     */
    async targetOfReference(knex: Knex, typed: string): Promise<{ reservationId: number; performanceId: number | null } | null> {
      const reference = typed.replace(/[\s-]+/g, '').toUpperCase();
      if (!/^[A-Z0-9]{1,16}$/.test(reference)) return null;
      const rl = t().reservationPerformance;
      const row: { reservationId: number; performanceId: number | null } | undefined = await knex({ r: t().reservations })
        .leftJoin({ rl: rl.table }, `rl.${rl.reservation}`, 'r.id')
        .where('r.reference', reference)
        .first({ reservationId: 'r.id', performanceId: `rl.${rl.performance}` });
      return row
        ? { reservationId: Number(row.reservationId), performanceId: row.performanceId === null ? null : Number(row.performanceId) }
        : null;
    },

    /** Whether a reservation has this reference. */
    async referenceTaken(knex: Knex, reference: string): Promise<boolean> {
      return (await knex(t().reservations).where('reference', reference).first('id')) !== undefined;
    },

    /**
     * A new reservation reference that no reservation and no waiting-list entry has yet (an
     * entry's offer takes the entry's reference).
     */
    async uniqueReference(knex: Knex): Promise<string> {
      const taken = async (reference: string) =>
        (await knex(t().reservations).where('reference', reference).first('id')) !== undefined ||
        (await knex(t().waitlistEntries).where('reference', reference).first('id')) !== undefined;
      let reference = newReference();
      while (await taken(reference)) reference = newReference();
      return reference;
    },

    /**
     * Pending reservations of an address that count toward its per-address limit: made after
     * `since`, link not lapsed, not a waiting-list offer (an offer goes only to an address that
     * confirmed its join). The address by its limit key (validation/email.ts `emailLimitKey`;
     * its index serves it).
     */
    async pendingForAddress(knex: Knex, limitKey: string, now: Date, since: Date): Promise<number> {
      const row = (await this.pendingForAddressQuery(knex, limitKey, now, since).first()) as { n: unknown } | undefined;
      return Number(row?.n ?? 0);
    },

    /** `pendingForAddress` as a query counting `n`. */
    pendingForAddressQuery(knex: Knex, limitKey: string, now: Date, since: Date): Knex.QueryBuilder {
      return knex(t().reservations)
        .where('reservation_status', 'pending')
        .andWhere('confirm_by', '>', now)
        .andWhere('created_at', '>', since)
        .whereNull('held_until')
        .andWhere('email_limit_key', limitKey)
        .count({ n: 'id' });
    },

    /**
     * `pendingForAddress` plus another count of the address (`others`, a query counting `n`: its
     * unconfirmed waiting-list joins), as one query counting `n`: one statement, or a condition
     * inside the booking's insert (`insertPending`).
     */
    requestsOfAddressQuery(knex: Knex, limitKey: string, now: Date, since: Date, others: Knex.QueryBuilder): Knex.QueryBuilder {
      return knex.select(knex.raw('(?) + (?) as n', [this.pendingForAddressQuery(knex, limitKey, now, since), others]));
    },

    /** What a query counting `n` counts. */
    async countOf(knex: Knex, count: Knex.QueryBuilder): Promise<number> {
      const row = (await count.first()) as { n: unknown } | undefined;
      return Number(row?.n ?? 0);
    },

    /** Whether the party has been checked in. */
    async isCheckedIn(knex: Knex, reservationId: number): Promise<boolean> {
      const cr = t().checkInReservation;
      return (await knex(cr.table).where(cr.reservation, reservationId).first(cr.checkIn)) !== undefined;
    },

    /** The reservations of an address with their status and their performance's start, for an erasure. */
    async ofAddress(knex: Knex, email: string): Promise<Array<{ id: number; status: ReservationStatus; starts_at: string | Date | null }>> {
      const rows: Array<{ id: number; status: ReservationStatus; starts_at: string | Date | null }> = await ofAddressQuery(
        knex,
        email
      ).select({
        id: 'r.id',
        status: 'r.reservation_status',
        starts_at: 'p.starts_at',
      });
      return rows.map((row) => ({ ...row, id: Number(row.id) }));
    },

    /** The reservations of an address as its export shows them (with their ids), the latest performance first. */
    async exportOfAddress(knex: Knex, email: string): Promise<Array<VisitorReservation & { id: number }>> {
      const tables = t();
      const ps = tables.performanceShow;
      const pv = tables.performanceVenue;
      const cr = tables.checkInReservation;
      const rows: Array<Record<string, unknown>> = await ofAddressQuery(knex, email)
        .leftJoin({ ps: ps.table }, `ps.${ps.performance}`, 'p.id')
        .leftJoin({ s: tables.shows }, 's.id', `ps.${ps.show}`)
        .leftJoin({ pv: pv.table }, `pv.${pv.from}`, 'p.id')
        .leftJoin({ v: tables.venues }, 'v.id', `pv.${pv.to}`)
        .leftJoin({ cr: cr.table }, `cr.${cr.reservation}`, 'r.id')
        .leftJoin({ c: tables.checkIns }, 'c.id', `cr.${cr.checkIn}`)
        .orderBy([
          { column: 'p.starts_at', order: 'desc' },
          { column: 'r.id', order: 'asc' },
        ])
        .select({
          id: 'r.id',
          reference: 'r.reference',
          status: 'r.reservation_status',
          party_size: 'r.party_size',
          name: 'r.name',
          email: 'r.email',
          phone: 'r.phone',
          notes: 'r.notes',
          language: 'r.language',
          created_at: 'r.created_at',
          confirm_by: 'r.confirm_by',
          confirmed_at: 'r.confirmed_at',
          cancelled_at: 'r.cancelled_at',
          checked_in_at: 'c.checked_in_at',
          performance: 'p.document_id',
          starts_at: 'p.starts_at',
          show_title: 's.title',
          venue_name: 'v.name',
        });
      return rows.map((row) => ({
        id: Number(row.id),
        reference: String(row.reference),
        status: row.status as ReservationStatus,
        party_size: Number(row.party_size),
        name: String(row.name),
        email: String(row.email),
        phone: (row.phone as string | null) ?? null,
        notes: (row.notes as string | null) ?? null,
        language: String(row.language),
        created_at: iso(row.created_at),
        confirm_by: iso(row.confirm_by),
        confirmed_at: iso(row.confirmed_at),
        cancelled_at: iso(row.cancelled_at),
        checked_in_at: iso(row.checked_in_at),
        performance: row.performance
          ? {
              documentId: row.performance as string,
              starts_at: iso(row.starts_at),
              show_title: (row.show_title as string | null) ?? null,
              venue_name: (row.venue_name as string | null) ?? null,
            }
          : null,
      }));
    },

    /** Ids (after `after`, at most `limit`, in order) of a performance's reservations that still hold personal data. */
    async withPersonalData(knex: Knex, performanceId: number, after: number, limit: number): Promise<number[]> {
      const tables = t();
      const rl = tables.reservationPerformance;
      const rows: Array<{ id: number }> = await knex({ rl: rl.table })
        .join({ r: tables.reservations }, 'r.id', `rl.${rl.reservation}`)
        .where(`rl.${rl.performance}`, performanceId)
        .where('r.id', '>', after)
        .where(holdsPersonalData('r'))
        .orderBy('r.id')
        .limit(limit)
        .select('r.id');
      return rows.map((row) => Number(row.id));
    },

    /**
     * Writes the placeholder over these reservations' personal data (name, e-mail, phone, notes,
     * and the label the Content Manager lists a reservation by, 'REF · Name', which names the
     * holder too). Conditional: a row already erased no longer matches, so a second instance
     * sweeping the same batch waits, then changes nothing.
     */
    async erase(knex: Knex, ids: number[], now: Date): Promise<void> {
      const table = t().reservations;
      await knex(table)
        .whereIn('id', ids)
        .where(holdsPersonalData(table))
        .update({
          name: ERASED.name,
          ...withEmailKeys({ email: ERASED.email }),
          phone: null,
          notes: null,
          label: knex.raw('?? || ?', ['reference', ` · ${ERASED.name}`]),
          updated_at: now,
        });
    },

    /**
     * The reservation behind a confirmation token, with the token's state and the reservation's
     * performance, in one query; undefined when no such token.
     */
    async byConfirmationToken(knex: Knex, tokenHash: string) {
      return this.byToken(knex, tokenHash, ['confirmation']);
    },

    /** The reservation behind a token of one of these purposes, with the token and its performance. */
    async byToken(knex: Knex, tokenHash: string, purposes: readonly TokenPurpose[]) {
      const tables = t();
      const [tl, rl] = [tables.tokenReservation, tables.reservationPerformance];
      const row:
        | (Record<string, unknown> & {
            tokenId: number;
            tokenPurpose: TokenPurpose;
            tokenUsedAt: unknown;
            tokenExpiresAt: unknown;
            performanceId: number;
          })
        | undefined = await knex({ token: tables.tokens })
        .join({ token_link: tl.table }, `token_link.${tl.token}`, 'token.id')
        .join({ reservation: tables.reservations }, 'reservation.id', `token_link.${tl.reservation}`)
        .join({ performance_link: rl.table }, `performance_link.${rl.reservation}`, 'reservation.id')
        .where({ 'token.token_hash': tokenHash })
        .whereIn('token.purpose', purposes)
        .first('reservation.*', {
          tokenId: 'token.id',
          tokenPurpose: 'token.purpose',
          tokenUsedAt: 'token.used_at',
          tokenExpiresAt: 'token.expires_at',
          performanceId: `performance_link.${rl.performance}`,
        });
      if (!row) return undefined;
      const { tokenId, tokenPurpose, tokenUsedAt, tokenExpiresAt, performanceId, ...reservation } = row;
      return {
        reservation: reservationFromRow(reservation),
        token: {
          id: Number(tokenId),
          purpose: tokenPurpose,
          usedAt: tokenUsedAt ? new Date(tokenUsedAt as string) : null,
          expiresAt: tokenExpiresAt ? new Date(tokenExpiresAt as string) : null,
        },
        performanceId: Number(performanceId),
      };
    },
  };
};

export type ReservationsData = ReturnType<typeof createReservationsData>;
