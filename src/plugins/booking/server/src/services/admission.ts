import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { ERROR_CODES, type AccessNeed, type Language } from '../constants';
import type { SeatCounts } from '../data/seats';
import type { PublicPerformanceRow } from '../data/performances';
import { dataOf } from '../data';
import { isOpenForBooking, unconfirmedCountSince } from '../rules';
import { getConfig } from '../utils/get-service';
import { emailLimitKey } from '../validation/email';

/** A performance as the public reads load it (catalogue.ts): the booking's row, without its seats. */
export type PerformanceRow = Omit<PublicPerformanceRow, 'seats' | 'cancelled_at'> & { cancelled_at?: string | null };

/** An address's limit and the query counting its requests its owner has not confirmed (`n`). */
export interface AddressRoom {
  limit: number;
  count: Knex.QueryBuilder;
}

/** What a visitor asks for: a reservation, or a place on the waiting list. */
export interface NewReservation {
  performance: string;
  name: string;
  email: string;
  phone?: string | null;
  party_size: number;
  notes?: string | null;
  locale?: Language;
  access_needs?: AccessNeed[] | null;
}

/**
 * What a visitor's request must pass before anything is written, shared by the reservations and
 * the waiting list (so neither calls the other for it): the performance is publicly open, and
 * the address has room for one more request its owner has not confirmed.
 */
const createAdmissionService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);

  return {
    /**
     * A performance a visitor may book or wait for: a published show's, open for booking. Throws
     * NotFoundError (404 performance_not_found) for one that does not exist publicly; null when it
     * exists but is closed (booking off, or started). With its seats as they are now.
     */
    async publicPerformance(documentId: string, now: Date): Promise<(PerformanceRow & { seats: SeatCounts }) | null> {
      // One plain query (the row, its show and venue, its seats): the first thing every request
      // of an on-sale rush does, where the Query Engine's three took longer than the insert.
      const performance = await data().performances.publicRow(strapi.db.connection, documentId);
      if (!performance || !performance.show?.is_published) {
        throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
      }
      return isOpenForBooking({ ...performance, is_published: performance.show.is_published }, now) ? performance : null;
    },

    /**
     * Whether an address may make one more request its owner has not confirmed: at most
     * BOOKING_PENDING_PER_EMAIL pending reservations and unconfirmed waiting-list joins together,
     * since each mailed the address and its owner asked for none of them. Only requests of the
     * last hour at most count (unconfirmedCountSince), and none once confirmed, lapsed or past
     * its performance: whoever types a stranger's address holds them back for an hour at most.
     * Takes a lock per address, so that two requests for one address at once queue and each
     * counts the other's: never more than the limit. Call it in the transaction that then records
     * the reservation or entry.
     */
    async addressHasRoom(trx: Knex.Transaction, email: string, now: Date): Promise<boolean> {
      const room = await this.lockAddress(trx, email, now);
      return room === null || (await data().reservations.countOf(trx, room.count)) < room.limit;
    },

    /**
     * `addressHasRoom` in two halves, for a caller that checks the count in the statement that
     * writes (data/reservations.ts `insertPending`): takes the address's lock, and gives the
     * limit with the query counting its requests (`n`); null when there is no limit.
     */
    async lockAddress(trx: Knex.Transaction, email: string, now: Date): Promise<AddressRoom | null> {
      const config = getConfig(strapi);
      const limit = config.pendingPerEmail;
      if (limit <= 0) return null;
      // `name+tag@` counts as `name@`, whatever the case it was typed in (validation/email.ts).
      const address = emailLimitKey(email);
      const since = unconfirmedCountSince(now, config.confirmationTtlMinutes);
      await data().dialect.lockNameForTransaction(trx, `booking:pending:${address}`);
      // Pending reservations and unconfirmed joins together, in one statement.
      const joins = data().waitlistEntries.unconfirmedForAddressQuery(trx, address, since, now);
      return { limit, count: data().reservations.requestsOfAddressQuery(trx, address, now, since, joins) };
    },
  };
};

export type AdmissionService = ReturnType<typeof createAdmissionService>;
export default createAdmissionService;
