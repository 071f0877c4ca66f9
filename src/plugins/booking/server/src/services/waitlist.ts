import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { DEFAULT_LANGUAGE, ERROR_CODES, type WaitlistStatus } from '../constants';
import { dataOf } from '../data';
import { newReference, type ReservationRow } from '../data/reservations';
import { hashToken, newRawToken, TOKEN_PATTERN } from '../data/tokens';
import type { WaitlistEntryRow } from '../data/waitlist-entries';
import { joinConfirmationVerdict, partyFits, queuePosition, unconfirmedCountSince } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { emailKey } from '../validation/email';
import type { NewReservation, PerformanceRow } from './admission';
import { transaction } from '../utils/transaction';

export type JoinResult =
  | { ok: true; entry: WaitlistEntryRow; performance: PerformanceRow; confirmationToken: string }
  | { ok: false; code: typeof ERROR_CODES.bookingClosed }
  | { ok: false; code: typeof ERROR_CODES.seatsAvailable; availableSeats: number }
  | { ok: false; code: typeof ERROR_CODES.alreadyWaiting }
  | { ok: false; code: typeof ERROR_CODES.rateLimited };

export type ConfirmJoinResult =
  | { ok: true; entry: WaitlistEntryRow; performanceId: number; performanceDocumentId: string; position: number }
  | { ok: false; code: typeof ERROR_CODES.tokenInvalid }
  | { ok: false; code: typeof ERROR_CODES.tokenExpired }
  | { ok: false; code: typeof ERROR_CODES.tokenUsed; status: WaitlistStatus };

export type LeaveResult =
  | { ok: true; entry: WaitlistEntryRow }
  | { ok: false; code: typeof ERROR_CODES.tokenInvalid }
  | { ok: false; code: typeof ERROR_CODES.tokenUsed; status: WaitlistStatus };

/**
 * The waiting list of a sold-out performance: join, confirm the join, leave, and the offers.
 *
 * A join is a request its address's owner has not made yet: it is `unconfirmed` until the link
 * of its first e-mail confirms it (then `waiting`, in the queue), and lapses (`expired`) after
 * BOOKING_CONFIRMATION_TTL_MINUTES. Only waiting entries get offers, so nobody holds seats with
 * an address that never confirmed. The entry's reference is its offer's and its ticket's: one
 * code from the join to the door.
 *
 * An offer is a pending reservation with `held_until`: its seats are counted as held in the seat
 * counter (`booking_performance_seats.held_seats`) from the moment it is made, so no public
 * confirmation can take them, and its confirmation turns them into confirmed seats (never
 * `sold_out`). Offers are made by the seat ledger (seat-ledger.ts `offer`), always inside the
 * transaction that frees the seats and under the performance row lock (a cancellation, a smaller
 * party, a capacity raise, a lapsed offer), so the seats go to the waiting list before anyone
 * else can see them.
 *
 * Lock order, as everywhere in the plugin: a reservation row, then the performance row, then
 * the waiting entries of that performance. A leave locks only its entry (and only while it is
 * waiting), so it never waits on a performance lock.
 */
const createWaitlistService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const events = () => getService(strapi, 'events');
  const ledger = () => getService(strapi, 'seat-ledger');

  /**
   * Ends an offer that was not confirmed (lapsed, or cancelled by staff) whose reservation row
   * the caller has locked and moved out of pending: its held seats go back, its entry records
   * `to`, and the seats are offered on in the same transaction.
   */
  const endOffer = async (trx: Knex.Transaction, reservation: ReservationRow, performanceId: number, to: 'expired' | 'left', now: Date) => {
    const entry = await data().waitlistEntries.byOffer(trx, reservation.id);
    if (entry) await data().waitlistEntries.move(trx, entry.id, 'offered', to, now, to === 'left' ? { left_at: now } : {});
    await events().announce(
      trx,
      { type: 'waitlist.offer_ended', entryId: entry?.id ?? null, reservationId: reservation.id, performanceId },
      now
    );
    await ledger().free(trx, performanceId, { held: reservation.party_size }, now);
  };

  const service = {
    /**
     * Puts a party on the waiting list of a performance whose seats left cannot take it: an
     * unconfirmed entry, and its first e-mail with the confirmation link. Under the performance
     * row lock, so a join and a freeing of seats never miss each other: either the party fits
     * now (`seats_available`: book instead) or the entry is there when seats free up.
     */
    async join(input: NewReservation, now = new Date()): Promise<JoinResult> {
      const performance = await getService(strapi, 'admission').publicPerformance(input.performance, now);
      if (!performance) return { ok: false, code: ERROR_CODES.bookingClosed };
      const config = getConfig(strapi);
      return transaction(strapi, async ({ trx }): Promise<JoinResult> => {
        // Pending reservations and unconfirmed joins count together (BOOKING_PENDING_PER_EMAIL).
        if (!(await getService(strapi, 'admission').addressHasRoom(trx, input.email, now))) {
          return { ok: false, code: ERROR_CODES.rateLimited };
        }
        const since = unconfirmedCountSince(now, config.confirmationTtlMinutes);
        if (await data().waitlistEntries.addressWaits(trx, performance.id, emailKey(input.email), since, now)) {
          return { ok: false, code: ERROR_CODES.alreadyWaiting };
        }
        // A cancel that committed while this join queued on the lock closes the list (issue 22).
        if ((await ledger().lock(trx, performance.id))?.cancelled !== false) return { ok: false, code: ERROR_CODES.bookingClosed };
        const seats = await data().seats.forPerformance(performance.id, trx);
        const available = seats?.availableSeats ?? 0;
        if (partyFits(input.party_size, available)) return { ok: false, code: ERROR_CODES.seatsAvailable, availableSeats: available };

        // Unique among entries and reservations: its offer, and then its ticket, keep it.
        let reference = newReference();
        while (
          (await data().waitlistEntries.referenceTaken(trx, reference)) ||
          (await data().reservations.referenceTaken(trx, reference))
        ) {
          reference = newReference();
        }
        const confirmationToken = newRawToken();
        const confirmBy = new Date(now.getTime() + config.confirmationTtlMinutes * 60_000);
        const entry = {
          reference,
          name: input.name,
          email: input.email,
          phone: input.phone ?? null,
          party_size: input.party_size,
          notes: input.notes ?? null,
          language: input.locale ?? DEFAULT_LANGUAGE,
          confirm_token_hash: hashToken(confirmationToken),
          confirm_by: confirmBy,
        };
        const id = await data().waitlistEntries.insert(trx, performance.id, entry, now);
        await events().announce(
          trx,
          { type: 'waitlist.joined', entryId: id, performanceId: performance.id, tokens: { confirmation: confirmationToken } },
          now
        );
        const { confirm_token_hash: _hash, ...shown } = entry;
        return {
          ok: true,
          entry: {
            id,
            ...shown,
            waitlist_status: 'unconfirmed',
            joined_at: now.toISOString(),
            confirm_by: confirmBy.toISOString(),
            confirmed_at: null,
          },
          performance,
          confirmationToken,
        };
      });
    },

    /**
     * Confirms a join by the link of its first e-mail: the entry takes its place in the queue
     * (`waiting`; its position answered), the "you are on the list" mail with the leave link
     * goes, and any free seats its party fits in are offered at once (they may have freed while
     * it was unconfirmed). `token_expired` once the link lapsed or the performance started.
     */
    async confirm(rawToken: string, now = new Date()): Promise<ConfirmJoinResult> {
      if (!TOKEN_PATTERN.test(rawToken)) return { ok: false, code: ERROR_CODES.tokenInvalid };
      return transaction(strapi, async ({ trx }): Promise<ConfirmJoinResult> => {
        const entry = await data().waitlistEntries.lockByConfirmHash(trx, hashToken(rawToken));
        if (!entry) return { ok: false, code: ERROR_CODES.tokenInvalid };
        const verdict = joinConfirmationVerdict(
          { status: entry.waitlist_status, confirmedAt: entry.confirmed_at, confirmBy: entry.confirm_by, startsAt: entry.startsAt },
          now
        );
        const closed = (await ledger().lock(trx, entry.performanceId))?.cancelled !== false;
        if (!verdict.ok || closed) {
          if (verdict.ok === false && verdict.reason === 'token_used')
            return { ok: false, code: ERROR_CODES.tokenUsed, status: entry.waitlist_status };
          if (entry.waitlist_status === 'unconfirmed') await data().waitlistEntries.move(trx, entry.id, 'unconfirmed', 'expired', now);
          return { ok: false, code: ERROR_CODES.tokenExpired };
        }
        const leaveToken = newRawToken();
        const moved = await data().waitlistEntries.move(trx, entry.id, 'unconfirmed', 'waiting', now, {
          confirmed_at: now,
          leave_token_hash: hashToken(leaveToken),
        });
        if (!moved) return { ok: false, code: ERROR_CODES.tokenUsed, status: entry.waitlist_status };
        await events().announce(
          trx,
          { type: 'waitlist.confirmed', entryId: entry.id, performanceId: entry.performanceId, tokens: { leave: leaveToken } },
          now
        );
        const position = queuePosition(await data().waitlistEntries.waitingAhead(trx, entry.performanceId, entry.id));
        await ledger().offer(trx, entry.performanceId, now);
        const { status } = (await data().waitlistEntries.byId(trx, entry.id)) ?? { status: 'waiting' as const };
        return {
          ok: true,
          entry: { ...entry, waitlist_status: status, confirmed_at: now.toISOString() },
          performanceId: entry.performanceId,
          performanceDocumentId: entry.performanceDocumentId,
          position,
        };
      });
    },

    /** Unconfirmed joins whose link lapsed are marked expired (the housekeeping job); returns how many. */
    async expireUnconfirmed(now = new Date()): Promise<number> {
      return data().waitlistEntries.lapseUnconfirmed(strapi.db.connection, now);
    },

    /**
     * Takes a waiting entry off the list by its leave link. An entry already offered, booked,
     * expired or left answers `token_used` with its status (an offer lapses by itself).
     */
    async leave(rawToken: string, now = new Date()): Promise<LeaveResult> {
      if (!TOKEN_PATTERN.test(rawToken)) return { ok: false, code: ERROR_CODES.tokenInvalid };
      return transaction(strapi, async ({ trx }): Promise<LeaveResult> => {
        const entry = await data().waitlistEntries.lockByLeaveHash(trx, hashToken(rawToken));
        if (!entry) return { ok: false, code: ERROR_CODES.tokenInvalid };
        if (entry.waitlist_status !== 'waiting') return { ok: false, code: ERROR_CODES.tokenUsed, status: entry.waitlist_status };
        await data().waitlistEntries.move(trx, entry.id, 'waiting', 'left', now, { left_at: now });
        return { ok: true, entry: { ...entry, waitlist_status: 'left' } };
      });
    },

    /**
     * An offer was confirmed (reservations.confirmReservation, same transaction): its entry is
     * booked.
     */
    async offerConfirmed(trx: Knex.Transaction, reservationId: number, now: Date): Promise<void> {
      const entry = await data().waitlistEntries.byOffer(trx, reservationId);
      if (entry) await data().waitlistEntries.move(trx, entry.id, 'offered', 'booked', now);
    },

    /**
     * Lapses an offer whose reservation row the caller has locked (pending, `held_until` passed):
     * it expires, its seats go back and on to the next entries, in this transaction.
     */
    async lapseOffer(trx: Knex.Transaction, reservation: ReservationRow, performanceId: number, now: Date): Promise<boolean> {
      await ledger().lock(trx, performanceId);
      const moved = await data().reservations.transition(trx, { id: reservation.id }, 'pending', 'expired', now);
      if (moved.length !== 1) return false;
      // Its link stays as it was, so a late click answers token_expired like any lapsed link.
      await events().announce(trx, { type: 'reservation.expired', reservationIds: [reservation.id] }, now);
      await endOffer(trx, reservation, performanceId, 'expired', now);
      return true;
    },

    /**
     * A pending offer cancelled by staff (reservations.cancel, which has moved it): the entry's
     * offer ended, its held seats go back and on.
     */
    async offerCancelled(trx: Knex.Transaction, reservation: ReservationRow, performanceId: number, now: Date): Promise<void> {
      await endOffer(trx, reservation, performanceId, 'expired', now);
    },

    /**
     * The 30-second job: every offer past `held_until` lapses, one transaction each (reservation
     * row, then performance row, as a confirmation locks them), so a lapsed offer passes to the
     * next entry within one run. Safe on several instances: the second finds it moved.
     */
    async expireOverdueOffers(now = new Date()): Promise<number> {
      const lapsed = await data().reservations.lapsedOffers(strapi.db.connection, now);
      let count = 0;
      for (const { id, performanceId } of lapsed) {
        const done = await transaction(strapi, async ({ trx }) => {
          const locked = await data().reservations.lock(trx, id);
          if (!locked || locked.reservation_status !== 'pending' || !locked.held_until) return false;
          if (new Date(locked.held_until).getTime() >= now.getTime()) return false;
          return this.lapseOffer(trx, locked, performanceId, now);
        });
        if (done) count += 1;
      }
      return count;
    },

    /** Entries still waiting for a performance, and their seats (statistics). */
    waitingCounts(performanceId: number) {
      return data().waitlistEntries.waitingCounts(strapi.db.connection, performanceId);
    },
  };
  return service;
};

export type WaitlistService = ReturnType<typeof createWaitlistService>;
export default createWaitlistService;
