import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { DEFAULT_LANGUAGE, ERROR_CODES, UID, type AccessNeed, type Language, type ReservationStatus } from '../constants';
import { dataOf } from '../data';
import { ForbiddenTransitionError, type ReservationRow } from '../data/reservations';
import { hashToken, TOKEN_PATTERN } from '../data/tokens';
import {
  cancellationVerdict,
  checkInWindow,
  isOpenForBooking,
  partyFits,
  reductionVerdict,
  seatsToConfirm,
  unconfirmedCountSince,
} from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { emailKey, emailLimitKey } from '../validation/email';

export type { ReservationRow } from '../data/reservations';

export interface PerformanceRow {
  id: number;
  documentId: string;
  starts_at: string;
  room_capacity: number;
  additional_seats: number;
  manually_occupied_seats: number;
  is_booking_enabled: boolean;
  show: { id: number; title: string; slug: string; is_published: boolean } | null;
  venue: { id: number; name: string; slug: string; address: string | null; city: string | null } | null;
}

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

type Closed = { ok: false; code: typeof ERROR_CODES.bookingClosed };
/** `performance` (its documentId) where the visitor may be pointed to its waiting list. */
type SoldOut = { ok: false; code: typeof ERROR_CODES.soldOut; availableSeats: number; performance?: string };
type TokenInvalid = { ok: false; code: typeof ERROR_CODES.tokenInvalid };
type TokenUsed = { ok: false; code: typeof ERROR_CODES.tokenUsed; status: ReservationStatus };

export type CreateResult =
  | { ok: true; reservation: ReservationRow; performance: PerformanceRow; confirmationToken: string }
  | Closed
  | SoldOut
  | { ok: false; code: typeof ERROR_CODES.rateLimited };

export type ConfirmResult =
  | {
      ok: true;
      reservation: ReservationRow;
      performance: { id: number; documentId: string; starts_at: string };
      /** Seats left once this confirmation committed. */
      availableSeats: number;
      checkInToken: string;
      cancellationToken: string;
    }
  | Closed
  | SoldOut
  | TokenInvalid
  | TokenUsed
  | { ok: false; code: typeof ERROR_CODES.tokenExpired }
  | { ok: false; code: typeof ERROR_CODES.validation; partySize: number };

export type ReduceResult =
  | { ok: true; reservation: ReservationRow }
  | TokenInvalid
  | TokenUsed
  | { ok: false; code: typeof ERROR_CODES.tooLate }
  | { ok: false; code: typeof ERROR_CODES.validation; partySize: number };

export type PreviewResult =
  | { ok: true; reservation: ReservationRow; performance: { id: number; documentId: string } }
  | TokenInvalid
  | { ok: false; code: typeof ERROR_CODES.tokenExpired };

export type CancelResult =
  | { ok: true; reservation: ReservationRow; performance: { id: number; documentId: string } }
  | TokenInvalid
  | TokenUsed
  | { ok: false; code: typeof ERROR_CODES.tooLate };

export { newReference } from '../data/reservations';

const PERFORMANCE_POPULATE = {
  show: { select: ['id', 'title', 'slug', 'is_published'] },
  venue: { select: ['id', 'name', 'slug', 'address', 'city'] },
} as const;

/**
 * A reservation's life: create, confirm, cancel, expire. Every status change goes through
 * `data.reservations.transition` (the one writer, checked against RESERVATION_TRANSITIONS), and
 * every change of seats happens inside a transaction that holds the performance row lock, so
 * concurrent confirmations (on any number of app instances sharing one PostgreSQL) queue on that
 * row and each sees the seats the previous one took. What follows a change (e-mails, cached
 * answers) hangs on the domain events announced here (events/).
 *
 * Row locks are always taken reservation first, then performance, so that two transactions
 * never wait on each other.
 */
const createReservationsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const events = () => getService(strapi, 'events');
  const waitlist = () => getService(strapi, 'waitlist');

  const loadPerformance = async (where: { id: number } | { documentId: string }) =>
    (await strapi.db.query(UID.performance).findOne({ where, populate: PERFORMANCE_POPULATE })) as PerformanceRow | null;

  /**
   * The confirmation's locked section, two statements: lock the performance row reading its
   * capacities, then take the party's seats if they fit, by a conditional increment of the
   * counter, which sees every confirmation committed before the lock was granted.
   */
  const takeSeatsUnderLock = async (trx: Knex.Transaction, performanceId: number, partySize: number) =>
    data().seats.takeSeats(trx, performanceId, partySize, await data().performances.lockOffered(trx, performanceId));

  /**
   * Cancels one reservation (visitor or staff) under the reservation and performance locks, if
   * the rules allow it: its status moves, its seats are freed, its open tokens closed.
   */
  const cancel = async (
    trx: Knex.Transaction,
    reservationId: number,
    by: 'visitor' | 'staff',
    now: Date
  ): Promise<
    | { ok: true; reservation: ReservationRow; performance: { id: number; documentId: string } }
    | { ok: false; reason: 'not_cancellable' | 'too_late' | 'gone' }
  > => {
    const performanceId = await data().reservations.performanceOf(trx, reservationId);
    const locked = await data().reservations.lock(trx, reservationId);
    if (!locked || performanceId === null) return { ok: false, reason: 'gone' };
    await data().performances.lock(trx, performanceId);
    const performance = await data().performances.bookingState(trx, performanceId);
    if (!performance) return { ok: false, reason: 'gone' };
    const verdict = cancellationVerdict(
      {
        status: locked.reservation_status,
        startsAt: performance.starts_at,
        checkedIn: await data().reservations.isCheckedIn(trx, reservationId),
      },
      now,
      by
    );
    if (!verdict.ok) return verdict;
    await data().reservations.transition(trx, { id: reservationId }, locked.reservation_status, 'cancelled', now, { cancelled_at: now });
    const freedSeats = verdict.frees ? locked.party_size : 0;
    if (freedSeats > 0) await data().seats.adjustConfirmedSeats(trx, performanceId, -freedSeats);
    await data().tokens.revokeAll(trx, reservationId, now);
    await events().announce(trx, { type: 'reservation.cancelled', reservationId, performanceId, freedSeats, by }, now);
    // Freed seats go to the waiting list in this transaction, before any public booking sees
    // them; a cancelled offer (staff) gives back the seats it held, and they go on the same way.
    if (locked.reservation_status === 'pending' && locked.held_until) {
      await waitlist().offerCancelled(trx, locked, performanceId, now);
    } else if (freedSeats > 0) {
      await waitlist().offerFreedSeats(trx, performanceId, now);
    }
    return {
      ok: true,
      reservation: { ...locked, reservation_status: 'cancelled', cancelled_at: now.toISOString() },
      performance: { id: performanceId, documentId: performance.documentId },
    };
  };

  return {
    /**
     * A performance a visitor may book or wait for: a published show's, open for booking. Throws
     * NotFoundError (404 performance_not_found) for one that does not exist publicly; null when it
     * exists but is closed (booking off, or started).
     */
    async publicPerformance(documentId: string, now: Date): Promise<PerformanceRow | null> {
      const performance = await loadPerformance({ documentId });
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
      const config = getConfig(strapi);
      const limit = config.pendingPerEmail;
      if (limit <= 0) return true;
      // `name+tag@` counts as `name@`, whatever the case it was typed in (validation/email.ts).
      const address = emailLimitKey(email);
      const since = unconfirmedCountSince(now, config.confirmationTtlMinutes);
      await data().dialect.lockNameForTransaction(trx, `booking:pending:${address}`);
      const pending = await data().reservations.pendingForAddress(trx, address, now, since);
      const unconfirmed = await data().waitlistEntries.unconfirmedForAddress(trx, address, since, now);
      return pending + unconfirmed < limit;
    },

    /**
     * Records a pending reservation and its confirmation token. Holds no seat: the binding check
     * is at confirmation. Answers sold_out early, as a courtesy, when the party cannot fit now,
     * and rate_limited when the address already holds `pendingPerEmail` unexpired pending ones:
     * every reservation mails its address, and the address's owner asked for none of them.
     */
    async createReservation(input: NewReservation, now = new Date()): Promise<CreateResult> {
      const config = getConfig(strapi);
      const performance = await this.publicPerformance(input.performance, now);
      if (!performance) return { ok: false, code: ERROR_CODES.bookingClosed };
      const seats = await data().seats.forPerformance(performance.id);
      const availableSeats = seats?.availableSeats ?? 0;
      if (!partyFits(input.party_size, availableSeats)) return { ok: false, code: ERROR_CODES.soldOut, availableSeats };

      return strapi.db.transaction(async ({ trx }): Promise<CreateResult> => {
        if (!(await this.addressHasRoom(trx, input.email, now))) return { ok: false, code: ERROR_CODES.rateLimited };
        const reference = await data().reservations.uniqueReference(trx);
        const confirmBy = new Date(now.getTime() + config.confirmationTtlMinutes * 60_000);
        const reservation = (await strapi.db.query(UID.reservation).create({
          data: {
            reference,
            performance: performance.id,
            reservation_status: 'pending',
            name: input.name,
            email: input.email,
            phone: input.phone ?? null,
            party_size: input.party_size,
            notes: input.notes ?? null,
            access_needs: input.access_needs && input.access_needs.length > 0 ? input.access_needs : null,
            source: 'public',
            language: input.locale ?? DEFAULT_LANGUAGE,
            confirm_by: confirmBy,
          },
        })) as ReservationRow;
        const [confirmationToken] = await data().tokens.insert(
          trx,
          reservation.id,
          [{ purpose: 'confirmation', expiresAt: confirmBy }],
          now
        );
        await events().announce(
          trx,
          {
            type: 'reservation.created',
            reservationId: reservation.id,
            performanceId: performance.id,
            tokens: { confirmation: confirmationToken },
          },
          now
        );
        return { ok: true as const, reservation, performance, confirmationToken };
      });
    },

    /**
     * Confirms the reservation behind a confirmation token if its party still fits, or fewer
     * seats (`partySize`, from 1 to the requested party) when the visitor asks: the reservation
     * becomes that party. On sold_out the reservation stays pending and the token unused, so the
     * visitor may try again (or with fewer) until confirm_by. Issues the check-in and
     * cancellation tokens in the same transaction. A waiting-list offer confirmed for fewer
     * gives the rest of its held seats back, and they go on to the next entries.
     *
     * Everything that does not depend on the seats is read and written before the performance
     * lock (the token, the status, the new tokens, the ticket's outbox row), and rolled back if
     * the seats turn out gone: every confirmation of a performance queues on that lock, so it is
     * held for two short statements only, the ceiling of confirmations per second.
     */
    async confirmReservation(rawToken: string, now = new Date(), options: { partySize?: number } = {}): Promise<ConfirmResult> {
      if (!TOKEN_PATTERN.test(rawToken)) return { ok: false, code: ERROR_CODES.tokenInvalid };
      const config = getConfig(strapi);
      return strapi.db.transaction(async ({ trx, rollback }): Promise<ConfirmResult> => {
        /** Undoes what was written before the lock, and answers. */
        const refuse = async (result: ConfirmResult) => {
          await rollback();
          return result;
        };
        const found = await data().reservations.byConfirmationToken(trx, hashToken(rawToken));
        if (!found) return { ok: false, code: ERROR_CODES.tokenInvalid };
        const { reservation, token, performanceId } = found;

        const status = reservation.reservation_status;
        // A waiting-list offer: its seats are held for it until held_until.
        const isOffer = reservation.held_until !== null;
        if (!token.usedAt && status === 'expired') return { ok: false, code: ERROR_CODES.tokenExpired };
        if (token.usedAt || status !== 'pending') return { ok: false, code: ERROR_CODES.tokenUsed, status };
        if (token.expiresAt && token.expiresAt.getTime() < now.getTime()) {
          if (isOffer) {
            // Lapsed before the job saw it: its held seats pass on now, in this transaction.
            const locked = await data().reservations.lock(trx, reservation.id);
            if (locked?.reservation_status === 'pending') await waitlist().lapseOffer(trx, locked, performanceId, now);
          } else {
            await data().reservations.transition(trx, { id: reservation.id }, 'pending', 'expired', now);
          }
          return { ok: false, code: ERROR_CODES.tokenExpired };
        }
        const seats = seatsToConfirm(reservation.party_size, options.partySize);
        if (seats === null) return { ok: false, code: ERROR_CODES.validation, partySize: reservation.party_size };
        const performance = await data().performances.bookingState(trx, performanceId);
        if (!performance || !isOpenForBooking(performance, now)) return { ok: false, code: ERROR_CODES.bookingClosed };
        const soldOut = (availableSeats: number): ConfirmResult => ({
          ok: false,
          code: ERROR_CODES.soldOut,
          availableSeats,
          performance: performance.documentId,
        });
        // A party that does not fit now will not fit under the lock either (seats only go as
        // confirmations come): answer without queueing for it. An offer's seats are its own.
        if (!isOffer && !partyFits(seats, performance.seats.availableSeats)) return soldOut(performance.seats.availableSeats);

        // The token and the reservation change before the lock: their row locks, taken here, make
        // a second confirmation of the same link wait for this one and then find it used.
        const used = await data().tokens.markUsed(trx, token.id, now);
        const moved = await data().reservations.transition(trx, { id: reservation.id }, 'pending', 'confirmed', now, {
          confirmed_at: now,
          qr_code_generated_at: now,
          ...(seats < reservation.party_size ? { party_size: seats } : {}),
        });
        if (!used || moved.length !== 1) return refuse({ ok: false, code: ERROR_CODES.tokenUsed, status: 'confirmed' });
        const [checkInToken, cancellationToken] = await data().tokens.insert(
          trx,
          reservation.id,
          [
            { purpose: 'check_in', expiresAt: checkInWindow(performance.starts_at, config).closesAt },
            { purpose: 'cancellation', expiresAt: performance.starts_at },
          ],
          now
        );
        await events().announce(
          trx,
          {
            type: 'reservation.confirmed',
            reservationId: reservation.id,
            performanceId,
            partySize: seats,
            tokens: { checkIn: checkInToken, cancellation: cancellationToken },
          },
          now
        );

        let taken: { taken: boolean; available: number };
        if (isOffer) {
          // The held seats become confirmed seats: an offer confirmed in time never answers sold_out.
          const limit = await data().performances.lockOffered(trx, performanceId);
          let available = await data().seats.confirmHeldSeats(trx, performanceId, seats, limit);
          await waitlist().offerConfirmed(trx, reservation.id, now);
          if (seats < reservation.party_size) {
            // Fewer than offered: the rest of the hold goes back and on to the next entries.
            await data().seats.adjustHeldSeats(trx, performanceId, seats - reservation.party_size);
            await waitlist().offerFreedSeats(trx, performanceId, now);
            available = (await data().seats.forPerformance(performanceId, trx))?.availableSeats ?? 0;
          }
          taken = { taken: true, available };
        } else {
          taken = await takeSeatsUnderLock(trx, performanceId, seats);
        }
        if (!taken.taken) return refuse(soldOut(taken.available));
        return {
          ok: true as const,
          reservation: {
            ...reservation,
            party_size: seats,
            reservation_status: 'confirmed',
            confirmed_at: now.toISOString(),
            qr_code_generated_at: now.toISOString(),
          },
          performance: { id: performanceId, documentId: performance.documentId, starts_at: performance.starts_at.toISOString() },
          availableSeats: taken.available,
          checkInToken,
          cancellationToken,
        };
      });
    },

    /**
     * What a confirmation or cancellation link acts on, before the visitor presses: the
     * reservation as it is now (a used link shows its status, so the page offers no button).
     * Reads only: no lock, no token used, no status moved, even for a link that has lapsed
     * (`token_expired`; the housekeeping job or the confirmation marks it expired).
     */
    async previewReservation(rawToken: string, now = new Date()): Promise<PreviewResult> {
      if (!TOKEN_PATTERN.test(rawToken)) return { ok: false, code: ERROR_CODES.tokenInvalid };
      const found = await data().reservations.byToken(strapi.db.connection, hashToken(rawToken), ['confirmation', 'cancellation']);
      if (!found) return { ok: false, code: ERROR_CODES.tokenInvalid };
      const { reservation, token, performanceId } = found;
      const lapsed = !token.usedAt && token.expiresAt !== null && token.expiresAt.getTime() < now.getTime();
      const expired = token.purpose === 'confirmation' && !token.usedAt && reservation.reservation_status === 'expired';
      if (lapsed || expired) return { ok: false, code: ERROR_CODES.tokenExpired };
      const performance = await data().performances.bookingState(strapi.db.connection, performanceId);
      if (!performance) return { ok: false, code: ERROR_CODES.tokenInvalid };
      return { ok: true, reservation, performance: { id: performanceId, documentId: performance.documentId } };
    },

    /**
     * Cancels the reservation behind a cancellation token and frees its seats at once. Too late
     * once the performance has started or the party has been checked in.
     */
    async cancelReservation(rawToken: string, now = new Date()): Promise<CancelResult> {
      return strapi.db.transaction(async ({ trx }): Promise<CancelResult> => {
        const token = await data().tokens.find(trx, rawToken, 'cancellation');
        if (!token) return { ok: false, code: ERROR_CODES.tokenInvalid };
        const result = await cancel(trx, token.reservationId, 'visitor', now);
        if (result.ok) return result;
        if (result.reason === 'gone') return { ok: false, code: ERROR_CODES.tokenInvalid };
        if (result.reason === 'too_late') return { ok: false, code: ERROR_CODES.tooLate };
        const current = await data().reservations.lock(trx, token.reservationId);
        return { ok: false, code: ERROR_CODES.tokenUsed, status: current?.reservation_status ?? 'cancelled' };
      });
    },

    /**
     * Makes a confirmed party smaller by its cancellation link: the seats given back are free at
     * once and offered to the waiting list in the same transaction. Too late once the performance
     * has started or the party is inside; `token_used` when the reservation is no longer
     * confirmed; `validation` unless the new size is smaller than the current one.
     */
    async reduceReservation(rawToken: string, partySize: number, now = new Date()): Promise<ReduceResult> {
      return strapi.db.transaction(async ({ trx }): Promise<ReduceResult> => {
        const token = await data().tokens.find(trx, rawToken, 'cancellation');
        if (!token) return { ok: false, code: ERROR_CODES.tokenInvalid };
        const performanceId = await data().reservations.performanceOf(trx, token.reservationId);
        const locked = await data().reservations.lock(trx, token.reservationId);
        if (!locked || performanceId === null) return { ok: false, code: ERROR_CODES.tokenInvalid };
        await data().performances.lock(trx, performanceId);
        const performance = await data().performances.bookingState(trx, performanceId);
        if (!performance) return { ok: false, code: ERROR_CODES.tokenInvalid };
        const verdict = reductionVerdict(
          {
            status: locked.reservation_status,
            startsAt: performance.starts_at,
            checkedIn: await data().reservations.isCheckedIn(trx, locked.id),
            partySize: locked.party_size,
          },
          partySize,
          now
        );
        if (!verdict.ok) {
          if (verdict.reason === 'not_confirmed') return { ok: false, code: ERROR_CODES.tokenUsed, status: locked.reservation_status };
          if (verdict.reason === 'too_late') return { ok: false, code: ERROR_CODES.tooLate };
          return { ok: false, code: ERROR_CODES.validation, partySize: locked.party_size };
        }
        if (!(await data().reservations.resize(trx, locked.id, partySize, now))) {
          return { ok: false, code: ERROR_CODES.tokenUsed, status: locked.reservation_status };
        }
        await data().seats.adjustConfirmedSeats(trx, performanceId, -verdict.frees);
        await events().announce(
          trx,
          { type: 'reservation.reduced', reservationId: locked.id, performanceId, freedSeats: verdict.frees, partySize },
          now
        );
        await waitlist().offerFreedSeats(trx, performanceId, now);
        return { ok: true, reservation: { ...locked, party_size: partySize } };
      });
    },

    /**
     * A lost ticket: one e-mail with a fresh QR code and cancellation link for each confirmed
     * reservation of the address whose performance has not started, at most
     * `resendPerHour` e-mails per address per hour. Says nothing of whether the address is known
     * (the caller answers the same either way). Returns how many e-mails are owed.
     */
    async resendTickets(email: string, now = new Date()): Promise<number> {
      const limit = getConfig(strapi).resendPerHour;
      if (limit <= 0) return 0;
      // The limit counts `name+tag@` as `name@`; the tickets are the address's own (validation/email.ts).
      const limitKey = emailLimitKey(email);
      return strapi.db.transaction(async ({ trx }) => {
        // Two requests for one address at once queue here, so each counts the other's mails.
        await data().dialect.lockNameForTransaction(trx, `booking:resend:${limitKey}`);
        const sent = await data().outbox.countForAddress(trx, 'resend', limitKey, new Date(now.getTime() - 3600_000));
        if (sent >= limit) return 0;
        const rows = (await strapi.db.query(UID.reservation).findMany({
          where: { email_key: emailKey(email), reservation_status: 'confirmed', performance: { starts_at: { $gt: now } } },
          select: ['id'],
          orderBy: { id: 'asc' },
          limit: limit - sent,
        })) as Array<{ id: number }>;
        if (rows.length === 0) return 0;
        await events().announce(trx, { type: 'ticket.resend_requested', reservationIds: rows.map((row) => row.id) }, now);
        return rows.length;
      });
    },

    /**
     * Cancels a reservation on an editor's word (Content Manager), pending or confirmed, unless
     * the party is already inside. Cancelling a cancelled reservation changes nothing.
     */
    async cancelByStaff(reservationId: number, now = new Date()): Promise<ReservationRow> {
      return strapi.db.transaction(async ({ trx }) => {
        const result = await cancel(trx, reservationId, 'staff', now);
        if (result.ok) return result.reservation;
        const current = await data().reservations.lock(trx, reservationId);
        if (!current) throw new errors.NotFoundError('Reservation not found');
        if (current.reservation_status === 'cancelled') return current;
        if (result.reason === 'too_late') {
          throw new errors.ValidationError('This party has already been checked in: it cannot be cancelled.', {
            code: ERROR_CODES.tooLate,
          });
        }
        // Expired: nothing leaves it.
        throw new ForbiddenTransitionError(current.reservation_status, 'cancelled');
      });
    },

    /** Marks pending reservations whose link has lapsed as expired; returns how many. */
    async expireOverdue(now = new Date()): Promise<number> {
      return strapi.db.transaction(async ({ trx }) => {
        const expired = await data().reservations.transition(trx, { lapsedBefore: now }, 'pending', 'expired', now);
        if (expired.length > 0) await events().announce(trx, { type: 'reservation.expired', reservationIds: expired }, now);
        return expired.length;
      });
    },
  };
};

export type ReservationsService = ReturnType<typeof createReservationsService>;
export default createReservationsService;
