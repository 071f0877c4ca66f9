import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { ERASED, ERROR_CODES, type ReservationStatus } from '../constants';
import { getConfig, getService } from '../utils/get-service';
import { bookingTables } from '../data/strapi-internals';
import { dataOf } from '../data';
import { withEmailKeys } from '../utils/email-keys';
import { emailKey } from '../validation/email';

/** Reservations erased per statement: short transactions that never keep other writers waiting. */
export const ERASE_BATCH = 500;

/** What a dropped outgoing e-mail says instead of the error it may have quoted. */
export const ERASED_MAIL_NOTE = 'personal data erased';

const DAY_MS = 24 * 3600_000;

const iso = (value: unknown) => (value ? new Date(value as string | Date).toISOString() : null);

/** One reservation of an address, as the export shows it. */
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

export interface VisitorEmail {
  reservation: string;
  kind: string;
  delivery_status: string;
  attempts: number;
  created_at: string | null;
  sent_at: string | null;
}

/** One waiting-list entry of an address, as the export shows it. */
export interface VisitorWaitlistEntry {
  reference: string;
  status: string;
  party_size: number;
  name: string;
  email: string;
  phone: string | null;
  notes: string | null;
  language: string;
  joined_at: string;
  offered_at: string | null;
  left_at: string | null;
  performance: { documentId: string; starts_at: string } | null;
}

export interface VisitorExport {
  email: string;
  reservations: VisitorReservation[];
  waitlist_entries: VisitorWaitlistEntry[];
  emails: VisitorEmail[];
}

export interface ErasureCounts {
  reservations: number;
  waitlist_entries: number;
  /** Whether anything was stored under the address; when not, `message` says so. */
  found: boolean;
  message?: string;
}

/** What an erasure that matched nothing answers (a typo must not pass for an erasure). */
export const NOTHING_TO_ERASE =
  'Nessun dato registrato per questo indirizzo: non è stato cancellato nulla. / No data is stored for this address: nothing was erased.';

/**
 * Visitors' personal data: how long it stays, what one address can ask for, and how it goes.
 *
 * Erasing writes over the rows themselves (name, e-mail, phone, notes; what the door recorded of
 * the holder's name in a scan's stored answer; the error text of an outgoing e-mail, which may
 * quote an address) and drops e-mails still owed to those reservations. It never touches a
 * status, a party size, a reference, a check-in or the seat counter, so statistics stay as they
 * were. It never locks a performance row: confirmations queue on that lock, and erasure must not
 * join the queue. Each batch is one short transaction of conditional UPDATEs, so any number of
 * instances may run it at once: a row already erased no longer matches, and a second writer of
 * the same value changes nothing.
 */
const createPrivacyService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;

  /** Rows still holding something personal (an erased row never matches again). */
  const holdsPersonalData = (alias: string) => (qb: Knex.QueryBuilder) => {
    void qb
      .whereNot(`${alias}.email`, ERASED.email)
      .orWhereNot(`${alias}.name`, ERASED.name)
      .orWhereNotNull(`${alias}.phone`)
      .orWhereNotNull(`${alias}.notes`);
  };

  /**
   * Erases the personal data of these reservations (at most ERASE_BATCH) in one transaction: the
   * caller's when it passes one, else its own.
   */
  const eraseRows = async (ids: number[], now: Date, outer?: Knex.Transaction) => {
    if (ids.length === 0) return;
    const t = bookingTables(strapi);
    const ol = t.outboxReservation;
    const sr = t.scanReservation;
    const inTransaction = (work: (trx: Knex.Transaction) => Promise<void>) =>
      outer ? work(outer) : strapi.db.transaction(({ trx }) => work(trx));
    await inTransaction(async (trx) => {
      // The condition again: a second instance sweeping the same batch waits, then changes nothing.
      await trx(t.reservations)
        .whereIn('id', ids)
        .where(holdsPersonalData(t.reservations))
        // The label the Content Manager lists a reservation by ('REF · Name') names the holder too.
        .update({
          name: ERASED.name,
          ...withEmailKeys({ email: ERASED.email }),
          phone: null,
          notes: null,
          label: trx.raw('?? || ?', ['reference', ` · ${ERASED.name}`]),
          updated_at: now,
        });
      const messages = trx(ol.table).select(ol.message).whereIn(ol.reservation, ids);
      // A mail still owed would go to the placeholder: it is no longer anyone's to receive.
      await trx(t.outbox)
        .whereIn('id', messages)
        .whereIn('delivery_status', ['queued', 'retrying'])
        .update({ delivery_status: 'dropped', lease_until: null, last_error: ERASED_MAIL_NOTE, updated_at: now });
      await trx(t.outbox)
        .whereIn('id', trx(ol.table).select(ol.message).whereIn(ol.reservation, ids))
        .whereNotNull('last_error')
        .whereNot('last_error', ERASED_MAIL_NOTE)
        .update({ last_error: null, updated_at: now });
      // A scan keeps the door's answer for idempotent retries; its ticket names the holder.
      await trx(t.scans)
        .whereIn('id', trx(sr.table).select(sr.from).whereIn(sr.to, ids))
        .whereNotNull('response')
        .update({ response: null, updated_at: now });
      // The offline door's sealed records name the holder too.
      await dataOf(strapi).tokens.forgetDoorRecords(trx, ids, now);
    });
  };

  const eraseInBatches = async (ids: number[], now: Date) => {
    for (let start = 0; start < ids.length; start += ERASE_BATCH) {
      await eraseRows(ids.slice(start, start + ERASE_BATCH), now);
    }
  };

  /** Reservations whose e-mail is this address, compared by its one normalised form (`email_key`). */
  const ofAddress = (email: string) => {
    const t = bookingTables(strapi);
    const rl = t.reservationPerformance;
    return knex()({ r: t.reservations })
      .leftJoin({ rl: rl.table }, `rl.${rl.reservation}`, 'r.id')
      .leftJoin({ p: t.performances }, 'p.id', `rl.${rl.performance}`)
      .where('r.email_key', emailKey(email));
  };

  const assertAddress = (email: string) => {
    if (emailKey(email) === emailKey(ERASED.email)) {
      throw new errors.ValidationError('Invalid input', {
        code: ERROR_CODES.validation,
        errors: [{ path: ['email'], message: 'is the placeholder of erased data', name: 'ValidationError' }],
      });
    }
  };

  return {
    /**
     * The retention job: reservations of performances that started at least `retentionDays`
     * days before `now` lose their personal data, performance by performance, in batches of
     * `batchSize`. Returns how many reservations it erased; 0 when retention is off.
     */
    async eraseLapsed(now = new Date(), batchSize = ERASE_BATCH): Promise<number> {
      const days = getConfig(strapi).retentionDays;
      if (days <= 0) return 0;
      const t = bookingTables(strapi);
      const rl = t.reservationPerformance;
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      const performances: Array<{ id: number }> = await knex()(t.performances).where('starts_at', '<=', cutoff).orderBy('id').select('id');
      let erased = 0;
      // Waiting-list entries of those performances go the same way (they are not counted here).
      const entries = await dataOf(strapi).waitlistEntries.lapsedBefore(knex(), cutoff, ERASED.email);
      for (let start = 0; start < entries.length; start += batchSize) {
        const batch = entries.slice(start, start + batchSize);
        await strapi.db.transaction(({ trx }) => dataOf(strapi).waitlistEntries.erase(trx, batch, ERASED, ERASED_MAIL_NOTE, now));
      }
      for (const { id: performanceId } of performances) {
        let after = 0;
        for (;;) {
          const rows: Array<{ id: number }> = await knex()({ rl: rl.table })
            .join({ r: t.reservations }, 'r.id', `rl.${rl.reservation}`)
            .where(`rl.${rl.performance}`, performanceId)
            .where('r.id', '>', after)
            .where(holdsPersonalData('r'))
            .orderBy('r.id')
            .limit(batchSize)
            .select('r.id');
          if (rows.length === 0) break;
          const ids = rows.map((row) => Number(row.id));
          await eraseRows(ids, now);
          erased += ids.length;
          after = ids[ids.length - 1];
          if (rows.length < batchSize) break;
        }
      }
      return erased;
    },

    /**
     * A performance is being deleted (in `trx`, after the check that none of its seats is
     * confirmed): its reservations and waiting-list entries would stay behind with no performance,
     * where retention never finds them. Their personal data goes now, in the delete's
     * transaction; their links stop working, the mails still owed are dropped.
     */
    async eraseForPerformance(
      trx: Knex.Transaction,
      performanceId: number,
      now = new Date()
    ): Promise<Pick<ErasureCounts, 'reservations' | 'waitlist_entries'>> {
      const data = dataOf(strapi);
      const reservations = await data.reservations.idsOfPerformance(trx, performanceId);
      for (let start = 0; start < reservations.length; start += ERASE_BATCH) {
        await eraseRows(reservations.slice(start, start + ERASE_BATCH), now, trx);
      }
      for (const id of reservations) await data.tokens.revokeAll(trx, id, now);
      const entries = await data.waitlistEntries.idsOfPerformance(trx, performanceId);
      await data.waitlistEntries.erase(trx, entries, ERASED, ERASED_MAIL_NOTE, now);
      return { reservations: reservations.length, waitlist_entries: entries.length };
    },

    /** Everything stored about one address: its reservations and the e-mails sent for them. */
    async exportVisitor(email: string): Promise<VisitorExport> {
      assertAddress(email);
      const t = bookingTables(strapi);
      const ps = t.performanceShow;
      const pv = t.performanceVenue;
      const cr = t.checkInReservation;
      const rows: Array<Record<string, unknown>> = await ofAddress(email)
        .leftJoin({ ps: ps.table }, `ps.${ps.performance}`, 'p.id')
        .leftJoin({ s: t.shows }, 's.id', `ps.${ps.show}`)
        .leftJoin({ pv: pv.table }, `pv.${pv.from}`, 'p.id')
        .leftJoin({ v: t.venues }, 'v.id', `pv.${pv.to}`)
        .leftJoin({ cr: cr.table }, `cr.${cr.reservation}`, 'r.id')
        .leftJoin({ c: t.checkIns }, 'c.id', `cr.${cr.checkIn}`)
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
      const ol = t.outboxReservation;
      const references = new Map(rows.map((row) => [Number(row.id), String(row.reference)]));
      const mails: Array<Record<string, unknown>> =
        rows.length === 0
          ? []
          : await knex()({ o: t.outbox })
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
      return {
        email,
        reservations: rows.map((row) => ({
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
        })),
        waitlist_entries: (await dataOf(strapi).waitlistEntries.ofAddress(knex(), email)).map((entry) => ({
          reference: entry.reference,
          status: entry.waitlist_status,
          party_size: entry.party_size,
          name: entry.name,
          email: entry.email,
          phone: entry.phone,
          notes: entry.notes,
          language: entry.language,
          joined_at: entry.joined_at,
          offered_at: entry.offered_at,
          left_at: entry.left_at,
          performance: entry.performance,
        })),
        emails: mails.map((mail) => ({
          reservation: references.get(Number(mail.reservation)) ?? '',
          kind: String(mail.kind),
          delivery_status: String(mail.delivery_status),
          attempts: Number(mail.attempts ?? 0),
          created_at: iso(mail.created_at),
          sent_at: iso(mail.sent_at),
        })),
      };
    },

    /**
     * Erases one address: its upcoming pending and confirmed reservations are cancelled by the
     * reservations service (seats freed, counter kept), unless the party is already inside; then
     * every reservation of the address loses its personal data. Answers the counts touched.
     */
    async eraseVisitor(email: string, now = new Date()): Promise<ErasureCounts> {
      assertAddress(email);
      const rows: Array<{ id: number; status: ReservationStatus; starts_at: string | Date | null }> = await ofAddress(email).select({
        id: 'r.id',
        status: 'r.reservation_status',
        starts_at: 'p.starts_at',
      });
      const reservations = getService(strapi, 'reservations');
      for (const row of rows) {
        const upcoming = row.starts_at !== null && new Date(row.starts_at).getTime() > now.getTime();
        if (!upcoming || (row.status !== 'pending' && row.status !== 'confirmed')) continue;
        try {
          await reservations.cancelByStaff(Number(row.id), now);
        } catch (error) {
          // Checked in before the start: the party is inside; its data goes all the same.
          const code = (error as { details?: { code?: string } }).details?.code;
          if (!(error instanceof errors.ValidationError) || code !== ERROR_CODES.tooLate) throw error;
        }
      }
      await eraseInBatches(
        rows.map((row) => Number(row.id)),
        now
      );
      // Its waiting-list entries leave the list (an offer already made is one of the reservations
      // above, cancelled and erased with them) and lose their personal data.
      const entries = (await dataOf(strapi).waitlistEntries.ofAddress(knex(), email)).map((entry) => entry.id);
      await strapi.db.transaction(({ trx }) => dataOf(strapi).waitlistEntries.erase(trx, entries, ERASED, ERASED_MAIL_NOTE, now));
      const found = rows.length + entries.length > 0;
      return { reservations: rows.length, waitlist_entries: entries.length, found, ...(found ? {} : { message: NOTHING_TO_ERASE }) };
    },
  };
};

export type PrivacyService = ReturnType<typeof createPrivacyService>;
export default createPrivacyService;
