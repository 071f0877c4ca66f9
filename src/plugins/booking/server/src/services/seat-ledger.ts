import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { dataOf } from '../data';
import type { DoorRecord } from '../../../shared/door-snapshot';
import { checkInWindow, isOpenForBooking, offerHeldUntil, pickOffers, seatsLeft, seatsOffered } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';

/** The performances each transaction has locked: one FOR UPDATE per performance per transaction. */
const lockedBy = new WeakMap<Knex.Transaction, Set<number>>();

export interface TicketToIssue {
  reservationId: number;
  performanceId: number;
  startsAt: Date;
  /** The seats the ticket is for (fewer than the reservation's party when the visitor asked). */
  partySize: number;
  /** A waiting-list offer: the seats it holds, which become confirmed ones (never `sold_out`). */
  heldSeats?: number;
  /** Written with the move to confirmed (the smaller party). */
  fields?: Record<string, unknown>;
  /** false: no ticket e-mail (box office). Left out of the event when not given. */
  sendTicket?: boolean;
  /** What the door may see, when the caller has just read the reservation (one read fewer). */
  doorRecord?: DoorRecord;
}

export type IssueResult =
  | { ok: true; checkInToken: string; cancellationToken: string; availableSeats: number }
  | { ok: false; reason: 'moved' }
  /** The performance was cancelled (issue 22): seen under its lock, so never after the cancel committed. */
  | { ok: false; reason: 'closed' }
  | { ok: false; reason: 'sold_out'; availableSeats: number };

/**
 * The seat ledger: the only code that locks a performance row and moves its seat counters
 * (`booking_performance_seats`: confirmed and held seats). Seats change only here:
 *
 * - take: a confirmation or a box-office booking, if the party fits;
 * - hold: a waiting-list offer (made only here, by `offer`);
 * - confirmHold: an accepted offer, its held seats become confirmed (fewer: the rest freed);
 * - free: a cancellation, a smaller party, a lapsed or cancelled offer;
 * - capacityChanged: a performance's capacity saved;
 * - close: a cancelled performance's reservations and offers, their seats freed at once and
 *   offered to no one (issue 22).
 *
 * Freed seats are offered to the waiting list here, in the same transaction, every time, before
 * any public booking can see them. Each transaction locks a performance once (remembered per
 * transaction), always in the plugin's order: a reservation row, then the performance row, then
 * the waiting entries of that performance. The box office is the one exception, and it is
 * deadlock-free: it locks the performance before writing its new reservation row, which no one
 * else can lock (box-office.ts, commit b92c1b7).
 */
const createSeatLedgerService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const events = () => getService(strapi, 'events');

  const ledger = {
    /**
     * Locks the performance row for this transaction (once: a second call reads its capacities
     * again without a second FOR UPDATE) and answers its capacities, or null when it is gone.
     */
    async lock(trx: Knex.Transaction, performanceId: number) {
      let locked = lockedBy.get(trx);
      if (!locked) lockedBy.set(trx, (locked = new Set()));
      if (locked.has(performanceId)) return data().performances.capacity(trx, performanceId);
      const capacity = await data().performances.lock(trx, performanceId);
      locked.add(performanceId);
      return capacity;
    },

    /** `lock`, answering the seats the public may ever take (0 for a performance that is gone). */
    async lockOffered(trx: Knex.Transaction, performanceId: number): Promise<number> {
      const capacity = await ledger.lock(trx, performanceId);
      return capacity ? Math.max(0, seatsOffered(capacity)) : 0;
    },

    /**
     * Takes a party's seats if they fit: lock, then one conditional increment of the counter,
     * which sees every confirmation committed before the lock was granted.
     */
    async take(trx: Knex.Transaction, performanceId: number, seats: number) {
      let locked = lockedBy.get(trx);
      if (!locked) lockedBy.set(trx, (locked = new Set()));
      if (data().dialect.postgres && !locked.has(performanceId)) {
        // The lock and the take in one statement: one round trip under the lock (issue 20).
        const fused = await data().seats.lockAndTake(trx, performanceId, seats);
        locked.add(performanceId);
        if (!fused.capacity || fused.capacity.cancelled) return { taken: false, available: 0, closed: true };
        const limit = Math.max(0, seatsOffered(fused.capacity));
        if (fused.counts) return { taken: true, available: Math.max(0, limit - fused.counts.confirmed - fused.counts.held), closed: false };
        return { ...(await data().seats.takeSeats(trx, performanceId, seats, limit)), closed: false };
      }
      const capacity = await ledger.lock(trx, performanceId);
      // A cancelled performance takes no seat (issue 22), read with the lock: no extra statement.
      if (!capacity || capacity.cancelled) return { taken: false, available: 0, closed: true };
      return { ...(await data().seats.takeSeats(trx, performanceId, seats, Math.max(0, seatsOffered(capacity)))), closed: false };
    },

    /**
     * An offer accepted for `seats` of its `held`: the held seats become confirmed in one
     * statement; the rest of the hold (fewer confirmed) is freed and offered on. Returns the
     * seats left.
     */
    async confirmHold(trx: Knex.Transaction, performanceId: number, seats: number, held: number, now: Date): Promise<number> {
      const limit = await ledger.lockOffered(trx, performanceId);
      const available = await data().seats.confirmHeldSeats(trx, performanceId, seats, limit);
      if (seats >= held) return available;
      await ledger.free(trx, performanceId, { held: held - seats }, now);
      return (await data().seats.forPerformance(performanceId, trx))?.availableSeats ?? 0;
    },

    /**
     * Frees confirmed and/or held seats (a cancellation, a smaller party, an offer that lapsed or
     * was cancelled) and offers them to the waiting list. Returns how many offers were made.
     */
    async free(trx: Knex.Transaction, performanceId: number, freed: { confirmed?: number; held?: number }, now: Date) {
      await ledger.lock(trx, performanceId);
      if (freed.confirmed) await data().seats.adjustConfirmedSeats(trx, performanceId, -freed.confirmed);
      if (freed.held) await data().seats.adjustHeldSeats(trx, performanceId, -freed.held);
      return ledger.offer(trx, performanceId, now);
    },

    /**
     * Offers the free seats of a performance to its waiting entries, earliest first, each whose
     * party fits in what is still free (pickOffers): each offer is a pending reservation with
     * `held_until`, and its seats are held from this moment. Nothing is offered once the
     * performance has started or while booking is off. Returns how many offers were made.
     */
    async offer(trx: Knex.Transaction, performanceId: number, now: Date): Promise<number> {
      const capacity = await ledger.lock(trx, performanceId);
      const state = await data().performances.bookingState(trx, performanceId);
      if (!capacity || !state || !isOpenForBooking(state, now)) return 0;
      const free = seatsLeft({ ...capacity, confirmed_seats: state.seats.confirmedSeats, held_seats: state.seats.heldSeats });
      if (free <= 0) return 0;
      const waiting = await data().waitlistEntries.lockWaiting(trx, performanceId);
      const chosen = pickOffers(waiting, free);
      if (chosen.length === 0) return 0;
      const heldUntil = offerHeldUntil(now, state.starts_at, getConfig(strapi).waitlistOfferMinutes);
      for (const entry of chosen) {
        // The entry's own code, so the visitor meets one code from the join to the door (an entry
        // from before references were unique across both keeps its code unless a booking has it).
        const reference = (await data().reservations.referenceTaken(trx, entry.reference))
          ? await data().reservations.uniqueReference(trx)
          : entry.reference;
        const reservation = await data().reservations.insert({
          reference,
          performance: performanceId,
          name: entry.name,
          email: entry.email,
          phone: entry.phone,
          party_size: entry.party_size,
          notes: entry.notes,
          language: entry.language,
          confirm_by: heldUntil,
          held_until: heldUntil,
        });
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
     * Issue 22: a performance cancelled. Under its lock (taken here if the caller has not), gives
     * back at once the confirmed and held seats of every reservation the caller has cancelled, in
     * two statements, and offers nothing: the performance is closed for good. The caller has
     * already marked it cancelled in this transaction, so `offer` would find it closed anyway.
     */
    async close(trx: Knex.Transaction, performanceId: number, freed: { confirmed: number; held: number }): Promise<void> {
      await ledger.lock(trx, performanceId);
      if (freed.confirmed > 0) await data().seats.adjustConfirmedSeats(trx, performanceId, -freed.confirmed);
      if (freed.held > 0) await data().seats.adjustHeldSeats(trx, performanceId, -freed.held);
    },

    /**
     * After a performance's capacity was saved: offers what a raise freed. Inside the saving
     * transaction when there is one (the Document Service's), else in one of its own.
     */
    async capacityChanged(performanceId: number, now = new Date()): Promise<number> {
      return transaction(strapi, async ({ trx }) => ledger.offer(trx, performanceId, now));
    },

    /**
     * Issues a ticket for a pending reservation whose row this transaction may write: moves it to
     * confirmed, issues its check-in and cancellation tokens, announces `reservation.confirmed`
     * (the ticket e-mail hangs on it), and last takes its seats under the performance lock (or
     * confirms the offer's hold). The one path of the public confirmation, an accepted offer and
     * the box office. On `moved` (another transaction got there first) or `sold_out` the caller
     * rolls back what was written.
     */
    async issueTicket(trx: Knex.Transaction, ticket: TicketToIssue, now: Date): Promise<IssueResult> {
      const { reservationId, performanceId, partySize } = ticket;
      const moved = await data().reservations.transition(trx, { id: reservationId }, 'pending', 'confirmed', now, {
        confirmed_at: now,
        qr_code_generated_at: now,
        ...ticket.fields,
      });
      if (moved.length !== 1) return { ok: false, reason: 'moved' };
      const [checkInToken, cancellationToken] = await data().tokens.insert(
        trx,
        reservationId,
        [
          { purpose: 'check_in', expiresAt: checkInWindow(ticket.startsAt, getConfig(strapi)).closesAt },
          { purpose: 'cancellation', expiresAt: ticket.startsAt },
        ],
        now,
        ticket.doorRecord
      );
      await events().announce(
        trx,
        {
          type: 'reservation.confirmed',
          reservationId,
          performanceId,
          partySize,
          tokens: { checkIn: checkInToken, cancellation: cancellationToken },
          ...(ticket.sendTicket === undefined ? {} : { sendTicket: ticket.sendTicket }),
        },
        now
      );
      // A cancelled performance takes no seat, read under its lock: a confirmation that queued
      // behind the cancel finds it closed and rolls back (issue 22).
      if (ticket.heldSeats !== undefined) {
        if ((await ledger.lock(trx, performanceId))?.cancelled !== false) return { ok: false, reason: 'closed' };
        const availableSeats = await ledger.confirmHold(trx, performanceId, partySize, ticket.heldSeats, now);
        return { ok: true, checkInToken, cancellationToken, availableSeats };
      }
      const taken = await ledger.take(trx, performanceId, partySize);
      if (taken.closed) return { ok: false, reason: 'closed' };
      if (!taken.taken) return { ok: false, reason: 'sold_out', availableSeats: taken.available };
      return { ok: true, checkInToken, cancellationToken, availableSeats: taken.available };
    },
  };
  return ledger;
};

export type SeatLedgerService = ReturnType<typeof createSeatLedgerService>;
export default createSeatLedgerService;
