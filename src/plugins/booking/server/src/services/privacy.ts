import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { ERASED, ERROR_CODES } from '../constants';
import { getConfig, getService } from '../utils/get-service';
import { dataOf } from '../data';
import type { VisitorEmail } from '../data/outbox';
import type { VisitorReservation } from '../data/reservations';
import { emailKey } from '../validation/email';
import { transaction } from '../utils/transaction';

export type { VisitorEmail } from '../data/outbox';
export type { VisitorReservation } from '../data/reservations';

/** Reservations erased per statement: short transactions that never keep other writers waiting. */
export const ERASE_BATCH = 500;

/** What a dropped outgoing e-mail says instead of the error it may have quoted. */
export const ERASED_MAIL_NOTE = 'personal data erased';

const DAY_MS = 24 * 3600_000;

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
  const data = () => dataOf(strapi);

  /**
   * Erases the personal data of these reservations (at most ERASE_BATCH) in one transaction: the
   * caller's when it passes one, else its own.
   */
  const eraseRows = async (ids: number[], now: Date, outer?: Knex.Transaction) => {
    if (ids.length === 0) return;
    const inTransaction = (work: (trx: Knex.Transaction) => Promise<void>) =>
      outer ? work(outer) : transaction(strapi, ({ trx }) => work(trx));
    await inTransaction(async (trx) => {
      // The condition again: a second instance sweeping the same batch waits, then changes nothing.
      await data().reservations.erase(trx, ids, now);
      // A mail still owed would go to the placeholder: it is no longer anyone's to receive.
      await data().outbox.dropForReservations(trx, ids, ERASED_MAIL_NOTE, now);
      // A scan keeps the door's answer for idempotent retries; its ticket names the holder.
      await data().scans.forgetAnswers(trx, ids, now);
      // The offline door's sealed records name the holder too.
      await data().tokens.forgetDoorRecords(trx, ids, now);
    });
  };

  const eraseInBatches = async (ids: number[], now: Date) => {
    for (let start = 0; start < ids.length; start += ERASE_BATCH) {
      await eraseRows(ids.slice(start, start + ERASE_BATCH), now);
    }
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
      const cutoff = new Date(now.getTime() - days * DAY_MS);
      const performances = await data().performances.startedBy(strapi.db.connection, cutoff);
      let erased = 0;
      // Waiting-list entries of those performances go the same way (they are not counted here).
      const entries = await data().waitlistEntries.lapsedBefore(strapi.db.connection, cutoff, ERASED.email);
      for (let start = 0; start < entries.length; start += batchSize) {
        const batch = entries.slice(start, start + batchSize);
        await transaction(strapi, ({ trx }) => data().waitlistEntries.erase(trx, batch, ERASED, ERASED_MAIL_NOTE, now));
      }
      for (const performanceId of performances) {
        let after = 0;
        for (;;) {
          const ids = await data().reservations.withPersonalData(strapi.db.connection, performanceId, after, batchSize);
          if (ids.length === 0) break;
          await eraseRows(ids, now);
          erased += ids.length;
          after = ids[ids.length - 1];
          if (ids.length < batchSize) break;
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
      const reservations = await data().reservations.idsOfPerformance(trx, performanceId);
      for (let start = 0; start < reservations.length; start += ERASE_BATCH) {
        await eraseRows(reservations.slice(start, start + ERASE_BATCH), now, trx);
      }
      for (const id of reservations) await data().tokens.revokeAll(trx, id, now);
      const entries = await data().waitlistEntries.idsOfPerformance(trx, performanceId);
      await data().waitlistEntries.erase(trx, entries, ERASED, ERASED_MAIL_NOTE, now);
      return { reservations: reservations.length, waitlist_entries: entries.length };
    },

    /** Everything stored about one address: its reservations and the e-mails sent for them. */
    async exportVisitor(email: string): Promise<VisitorExport> {
      assertAddress(email);
      const rows = await data().reservations.exportOfAddress(strapi.db.connection, email);
      const references = new Map(rows.map((row) => [row.id, row.reference]));
      return {
        email,
        reservations: rows.map(({ id: _id, ...reservation }) => reservation),
        waitlist_entries: (await data().waitlistEntries.ofAddress(strapi.db.connection, email)).map((entry) => ({
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
        emails: await data().outbox.ofReservations(strapi.db.connection, references),
      };
    },

    /**
     * Erases one address: its upcoming pending and confirmed reservations are cancelled by the
     * reservations service (seats freed, counter kept), unless the party is already inside; then
     * every reservation of the address loses its personal data. Answers the counts touched.
     */
    async eraseVisitor(email: string, now = new Date()): Promise<ErasureCounts> {
      assertAddress(email);
      const rows = await data().reservations.ofAddress(strapi.db.connection, email);
      // Cancelled on the visitor's own request: no notice races the erasure to their address.
      const cancellations = getService(strapi, 'cancellations');
      for (const row of rows) {
        const upcoming = row.starts_at !== null && new Date(row.starts_at).getTime() > now.getTime();
        if (!upcoming || (row.status !== 'pending' && row.status !== 'confirmed')) continue;
        try {
          await cancellations.cancelByStaff(Number(row.id), now, { notify: false });
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
      const entries = (await data().waitlistEntries.ofAddress(strapi.db.connection, email)).map((entry) => entry.id);
      await transaction(strapi, ({ trx }) => data().waitlistEntries.erase(trx, entries, ERASED, ERASED_MAIL_NOTE, now));
      const found = rows.length + entries.length > 0;
      return { reservations: rows.length, waitlist_entries: entries.length, found, ...(found ? {} : { message: NOTHING_TO_ERASE }) };
    },
  };
};

export type PrivacyService = ReturnType<typeof createPrivacyService>;
export default createPrivacyService;
