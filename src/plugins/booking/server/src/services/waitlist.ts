import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { DEFAULT_LANGUAGE, ERROR_CODES, UID, type WaitlistStatus } from '../constants';
import { dataOf } from '../data';
import type { ReservationRow } from '../data/reservations';
import { hashToken, newRawToken, TOKEN_PATTERN } from '../data/tokens';
import type { WaitlistEntryRow } from '../data/waitlist-entries';
import { isOpenForBooking, offerHeldUntil, partyFits, pickOffers, seatsLeft } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { emailKey } from '../validation/email';
import { newReference, type NewReservation, type PerformanceRow } from './reservations';

export type JoinResult =
  | { ok: true; entry: WaitlistEntryRow; performance: PerformanceRow }
  | { ok: false; code: typeof ERROR_CODES.bookingClosed }
  | { ok: false; code: typeof ERROR_CODES.seatsAvailable; availableSeats: number }
  | { ok: false; code: typeof ERROR_CODES.alreadyWaiting }
  | { ok: false; code: typeof ERROR_CODES.rateLimited };

export type LeaveResult =
  | { ok: true; entry: WaitlistEntryRow }
  | { ok: false; code: typeof ERROR_CODES.tokenInvalid }
  | { ok: false; code: typeof ERROR_CODES.tokenUsed; status: WaitlistStatus };

/**
 * The waiting list of a sold-out performance: join, leave, and the offers.
 *
 * An offer is a pending reservation with `held_until`: its seats are counted as held in the seat
 * counter (`booking_performance_seats.held_seats`) from the moment it is made, so no public
 * confirmation can take them, and its confirmation turns them into confirmed seats (never
 * `sold_out`). Offers are made by `offerFreedSeats`, always inside the transaction that frees
 * the seats and under the performance row lock (a cancellation, a smaller party, a capacity
 * raise, a lapsed offer), so the seats go to the waiting list before anyone else can see them.
 *
 * Lock order, as everywhere in the plugin: a reservation row, then the performance row, then
 * the waiting entries of that performance. A leave locks only its entry (and only while it is
 * waiting), so it never waits on a performance lock.
 */
const createWaitlistService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const events = () => getService(strapi, 'events');

  /**
   * Ends an offer that was not confirmed (lapsed, or cancelled by staff) whose reservation row
   * the caller has locked and moved out of pending: its held seats go back, its entry records
   * `to`, and the seats are offered on in the same transaction.
   */
  const endOffer = async (trx: Knex.Transaction, reservation: ReservationRow, performanceId: number, to: 'expired' | 'left', now: Date) => {
    await data().seats.adjustHeldSeats(trx, performanceId, -reservation.party_size);
    const entry = await data().waitlistEntries.byOffer(trx, reservation.id);
    if (entry) await data().waitlistEntries.move(trx, entry.id, 'offered', to, now, to === 'left' ? { left_at: now } : {});
    await events().announce(
      trx,
      { type: 'waitlist.offer_ended', entryId: entry?.id ?? null, reservationId: reservation.id, performanceId },
      now
    );
    await service.offerFreedSeats(trx, performanceId, now);
  };

  const service = {
    /**
     * Puts a party on the waiting list of a sold-out performance. Under the performance row
     * lock, so a join and a freeing of seats never miss each other: either the seats are free
     * now (`seats_available`: book instead) or the entry is there when they free up.
     */
    async join(input: NewReservation, now = new Date()): Promise<JoinResult> {
      const performance = await getService(strapi, 'reservations').publicPerformance(input.performance, now);
      if (!performance) return { ok: false, code: ERROR_CODES.bookingClosed };
      return strapi.db.transaction(async ({ trx }): Promise<JoinResult> => {
        // Pending reservations and waiting entries count together (BOOKING_PENDING_PER_EMAIL).
        if (!(await getService(strapi, 'reservations').addressHasRoom(trx, input.email, now))) {
          return { ok: false, code: ERROR_CODES.rateLimited };
        }
        if (await data().waitlistEntries.addressWaits(trx, performance.id, emailKey(input.email))) {
          return { ok: false, code: ERROR_CODES.alreadyWaiting };
        }
        await data().performances.lock(trx, performance.id);
        const seats = await data().seats.forPerformance(performance.id, trx);
        const available = seats?.availableSeats ?? 0;
        if (partyFits(input.party_size, available)) return { ok: false, code: ERROR_CODES.seatsAvailable, availableSeats: available };

        let reference = newReference();
        while (await data().waitlistEntries.referenceTaken(trx, reference)) reference = newReference();
        const leaveToken = newRawToken();
        const entry = {
          reference,
          name: input.name,
          email: input.email,
          phone: input.phone ?? null,
          party_size: input.party_size,
          notes: input.notes ?? null,
          language: input.locale ?? DEFAULT_LANGUAGE,
          leave_token_hash: hashToken(leaveToken),
        };
        const id = await data().waitlistEntries.insert(trx, performance.id, entry, now);
        await events().announce(
          trx,
          { type: 'waitlist.joined', entryId: id, performanceId: performance.id, tokens: { leave: leaveToken } },
          now
        );
        return {
          ok: true,
          entry: { id, ...entry, waitlist_status: 'waiting', joined_at: now.toISOString() },
          performance,
        };
      });
    },

    /**
     * Takes a waiting entry off the list by its leave link. An entry already offered, booked,
     * expired or left answers `token_used` with its status (an offer lapses by itself).
     */
    async leave(rawToken: string, now = new Date()): Promise<LeaveResult> {
      if (!TOKEN_PATTERN.test(rawToken)) return { ok: false, code: ERROR_CODES.tokenInvalid };
      return strapi.db.transaction(async ({ trx }): Promise<LeaveResult> => {
        const entry = await data().waitlistEntries.lockByLeaveHash(trx, hashToken(rawToken));
        if (!entry) return { ok: false, code: ERROR_CODES.tokenInvalid };
        if (entry.waitlist_status !== 'waiting') return { ok: false, code: ERROR_CODES.tokenUsed, status: entry.waitlist_status };
        await data().waitlistEntries.move(trx, entry.id, 'waiting', 'left', now, { left_at: now });
        return { ok: true, entry: { ...entry, waitlist_status: 'left' } };
      });
    },

    /**
     * Offers the free seats of a performance to its waiting entries, earliest first, each whose
     * party fits in what is still free (pickOffers). Call it inside the transaction that freed
     * the seats; it takes the performance row lock (again, harmlessly, if the caller holds it).
     * Nothing is offered once the performance has started or while booking is off. Returns how
     * many offers were made.
     */
    async offerFreedSeats(trx: Knex.Transaction, performanceId: number, now: Date): Promise<number> {
      const capacity = await data().performances.lock(trx, performanceId);
      const state = await data().performances.bookingState(trx, performanceId);
      if (!capacity || !state || !isOpenForBooking(state, now)) return 0;
      const free = seatsLeft({ ...capacity, confirmed_seats: state.seats.confirmedSeats, held_seats: state.seats.heldSeats });
      if (free <= 0) return 0;
      const waiting = await data().waitlistEntries.lockWaiting(trx, performanceId);
      const chosen = pickOffers(waiting, free);
      if (chosen.length === 0) return 0;
      const heldUntil = offerHeldUntil(now, state.starts_at, getConfig(strapi).waitlistOfferMinutes);
      for (const entry of chosen) {
        const reference = await data().reservations.uniqueReference(trx);
        const reservation = (await strapi.db.query(UID.reservation).create({
          data: {
            reference,
            performance: performanceId,
            reservation_status: 'pending',
            name: entry.name,
            email: entry.email,
            phone: entry.phone,
            party_size: entry.party_size,
            notes: entry.notes,
            language: entry.language,
            confirm_by: heldUntil,
            held_until: heldUntil,
          },
        })) as ReservationRow;
        await data().seats.adjustHeldSeats(trx, performanceId, entry.party_size);
        await data().waitlistEntries.move(trx, entry.id, 'waiting', 'offered', now, { offered_at: now });
        await data().waitlistEntries.linkOffer(trx, entry.id, reservation.id);
        const [confirmation] = await data().tokens.insert(trx, reservation.id, [{ purpose: 'confirmation', expiresAt: heldUntil }], now);
        await events().announce(
          trx,
          {
            type: 'waitlist.offered',
            entryId: entry.id,
            reservationId: reservation.id,
            performanceId,
            partySize: entry.party_size,
            tokens: { confirmation },
          },
          now
        );
      }
      return chosen.length;
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
      await data().performances.lock(trx, performanceId);
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
        const done = await strapi.db.transaction(async ({ trx }) => {
          const locked = await data().reservations.lock(trx, id);
          if (!locked || locked.reservation_status !== 'pending' || !locked.held_until) return false;
          if (new Date(locked.held_until).getTime() >= now.getTime()) return false;
          return this.lapseOffer(trx, locked, performanceId, now);
        });
        if (done) count += 1;
      }
      return count;
    },

    /**
     * After a performance's capacity was saved: offers what the raise freed. Inside the saving
     * transaction when there is one (the Document Service's), else right after it.
     */
    async offerAfterCapacityChange(performanceId: number, now = new Date()): Promise<number> {
      return strapi.db.transaction(async ({ trx }) => this.offerFreedSeats(trx, performanceId, now));
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
