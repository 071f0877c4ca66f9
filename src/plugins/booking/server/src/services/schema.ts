import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { dataOf } from '../data';
import type { IndexSpec } from '../data/schema';
import { bookingTables } from '../data/strapi-internals';

export type { IndexSpec } from '../data/schema';

/**
 * What Strapi's schema sync cannot express. Created after the sync, in bootstrap, because
 * `database/migrations` run before it (a fresh database has no tables then). The sync leaves
 * indexes it did not create alone, so these survive restarts; CREATE ... IF NOT EXISTS makes
 * every boot idempotent on PostgreSQL and SQLite.
 */
const createSchemaService = ({ strapi }: { strapi: Core.Strapi }) => ({
  indexes(): IndexSpec[] {
    const t = bookingTables(strapi);
    return [
      {
        name: 'booking_check_ins_one_per_reservation',
        table: t.checkInReservation.table,
        columns: [t.checkInReservation.reservation],
        unique: true,
        why: 'a reservation has at most one check-in, even if two scans race past the row lock',
      },
      {
        name: 'booking_check_ins_one_reservation_each',
        table: t.checkInReservation.table,
        columns: [t.checkInReservation.checkIn],
        unique: true,
        why: 'a check-in belongs to one reservation',
      },
      {
        name: 'booking_reservation_tokens_hash_unique',
        table: t.tokens,
        columns: ['token_hash'],
        unique: true,
        why: 'a token hash identifies one token; lookups by hash are indexed',
      },
      {
        name: 'booking_reservations_reference_unique',
        table: t.reservations,
        columns: ['reference'],
        unique: true,
        why: 'the reference printed on a ticket names one reservation',
      },
      {
        name: 'booking_reservations_performance_seats',
        table: t.reservationPerformance.table,
        columns: [t.reservationPerformance.performance, t.reservationPerformance.reservation],
        why: 'availability reads the reservations of one performance from this index alone',
      },
      {
        name: 'booking_reservations_status_seats',
        table: t.reservations,
        columns: ['id', 'reservation_status', 'party_size'],
        why: 'availability sums party sizes by status without reading the reservation rows',
      },
      {
        name: 'booking_scans_idempotency_key_unique',
        table: t.scans,
        columns: ['idempotency_key'],
        unique: true,
        why: 'a retried scan with the same idempotency key is answered once, never counted twice',
      },
      {
        name: 'booking_reservations_pending_expiry',
        table: t.reservations,
        columns: ['confirm_by'],
        where: "reservation_status = 'pending'",
        why: 'the expiry job finds lapsed pending reservations without a scan',
      },
      {
        name: 'booking_reservations_email_key',
        table: t.reservations,
        columns: ['email_key'],
        why: 'a lost ticket, an export or an erasure finds the reservations of an address without a scan',
      },
      {
        name: 'booking_reservations_email_limit_key',
        table: t.reservations,
        columns: ['email_limit_key'],
        why: "a booking counts its address's pending reservations (BOOKING_PENDING_PER_EMAIL) without a scan",
      },
      {
        name: 'booking_waitlist_entries_email_key',
        table: t.waitlistEntries,
        columns: ['email_key'],
        why: 'a join, an export or an erasure finds the waiting entries of an address without a scan',
      },
      {
        name: 'booking_waitlist_entries_email_limit_key',
        table: t.waitlistEntries,
        columns: ['email_limit_key'],
        why: 'a booking or a join counts the waiting entries of its address without a scan',
      },
      {
        name: 'booking_waitlist_entries_performance_order',
        table: t.entryPerformance.table,
        columns: [t.entryPerformance.to, t.entryPerformance.from],
        why: 'the offers read the entries of one performance from this index alone',
      },
      {
        name: 'booking_waitlist_entries_leave_token_unique',
        table: t.waitlistEntries,
        columns: ['leave_token_hash'],
        unique: true,
        why: 'a leave link names one entry; lookups by its hash are indexed',
      },
      {
        name: 'booking_waitlist_entries_confirm_token_unique',
        table: t.waitlistEntries,
        columns: ['confirm_token_hash'],
        unique: true,
        why: "a join's confirmation link names one entry; lookups by its hash are indexed",
      },
      {
        name: 'booking_waitlist_entries_offer_unique',
        table: t.entryOffer.table,
        columns: [t.entryOffer.to],
        unique: true,
        why: 'an offered reservation belongs to one waiting-list entry',
      },
      {
        name: 'booking_outbox_messages_owed',
        table: t.outbox,
        columns: ['created_at'],
        where: "delivery_status IN ('queued', 'retrying')",
        why: 'the readiness probe and the metrics count the mails still owed, and their age, from this small index alone',
      },
      {
        name: 'booking_outbox_messages_dedupe_key',
        table: t.outbox,
        columns: ['dedupe_key'],
        unique: true,
        why: 'a mail owed once (a cancelled performance: one per person) is recorded once, however often its change is tried',
      },
      {
        name: 'booking_webhook_deliveries_owed',
        table: t.webhookDeliveries,
        columns: ['created_at'],
        where: "delivery_status IN ('pending', 'retrying')",
        why: 'the readiness probe and the metrics count the deliveries still owed, and their age, from this small index alone',
      },
    ];
  },

  /**
   * Creates the confirmed-seat counter table and a row for every performance that lacks one,
   * counted from its confirmed reservations (data/seats.ts `ensureCounters`).
   */
  async ensureSeatCounters(knex: Knex = strapi.db.connection): Promise<void> {
    await dataOf(strapi).seats.ensureCounters(knex);
  },

  /**
   * Fills `email_key` and `email_limit_key` (validation/email.ts) of rows written before those
   * columns existed, in batches; a row that has them is never read again, so every boot after
   * the first finds nothing to do. Computed in JavaScript, never by SQL lower() (issue 18, low 3).
   */
  async backfillEmailKeys(knex: Knex = strapi.db.connection): Promise<number> {
    const t = bookingTables(strapi);
    return dataOf(strapi).schema.backfillEmailKeys(knex, [t.reservations, t.waitlistEntries]);
  },

  /** Creates every missing index; safe to run on each boot and from several instances. */
  async ensureIndexes(knex: Knex = strapi.db.connection): Promise<void> {
    // Replaced by the indexes on the stored normalised address (email_key, email_limit_key).
    await dataOf(strapi).schema.dropIndexes(knex, ['booking_reservations_email_lower', 'booking_waitlist_entries_email_lower']);
    await dataOf(strapi).schema.createIndexes(knex, this.indexes());
  },

  /** The names of the plugin's indexes present in the database (for tests and health checks). */
  async presentIndexes(): Promise<string[]> {
    const names = this.indexes().map((index) => index.name);
    return (await dataOf(strapi).schema.presentIndexes(strapi.db.connection, names)).sort();
  },
});

export type SchemaService = ReturnType<typeof createSchemaService>;
export default createSchemaService;
