import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { ERROR_CODES, type ReservationStatus } from '../constants';
import { dataOf } from '../data';
import { ForbiddenTransitionError, type ReservationRow } from '../data/reservations';
import { cancellationVerdict, reductionVerdict } from '../rules';
import { getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';

type TokenInvalid = { ok: false; code: typeof ERROR_CODES.tokenInvalid };
type TokenUsed = { ok: false; code: typeof ERROR_CODES.tokenUsed; status: ReservationStatus };

export type ReduceResult =
  | { ok: true; reservation: ReservationRow }
  | TokenInvalid
  | TokenUsed
  | { ok: false; code: typeof ERROR_CODES.tooLate }
  | { ok: false; code: typeof ERROR_CODES.validation; partySize: number };

export type CancelResult =
  | { ok: true; reservation: ReservationRow; performance: { id: number; documentId: string } }
  | TokenInvalid
  | TokenUsed
  | { ok: false; code: typeof ERROR_CODES.tooLate };

/**
 * A reservation cancelled (by its link or by staff) or made smaller: the status moves under the
 * reservation row lock, and the seats are freed through the seat ledger (seat-ledger.ts), which
 * offers them to the waiting list in the same transaction. Row locks: reservation, then
 * performance. The reservations service answers for these (its API is unchanged).
 */
const createCancellationsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const events = () => getService(strapi, 'events');
  const waitlist = () => getService(strapi, 'waitlist');
  const ledger = () => getService(strapi, 'seat-ledger');

  /**
   * Cancels one reservation (visitor or staff) under the reservation and performance locks, if
   * the rules allow it: its status moves, its seats are freed, its open tokens closed.
   */
  const cancel = async (
    trx: Knex.Transaction,
    reservationId: number,
    by: 'visitor' | 'staff',
    now: Date,
    notify = false
  ): Promise<
    | { ok: true; reservation: ReservationRow; performance: { id: number; documentId: string } }
    | { ok: false; reason: 'not_cancellable' | 'too_late' | 'gone' }
  > => {
    const performanceId = await data().reservations.performanceOf(trx, reservationId);
    const locked = await data().reservations.lock(trx, reservationId);
    if (!locked || performanceId === null) return { ok: false, reason: 'gone' };
    await ledger().lock(trx, performanceId);
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
    await data().tokens.revokeAll(trx, reservationId, now);
    await events().announce(
      trx,
      { type: 'reservation.cancelled', reservationId, performanceId, freedSeats, by, ...(notify ? { notify } : {}) },
      now
    );
    // Freed seats go to the waiting list in this transaction, before any public booking sees
    // them; a cancelled offer (staff) gives back the seats it held, and they go on the same way.
    if (locked.reservation_status === 'pending' && locked.held_until) {
      await waitlist().offerCancelled(trx, locked, performanceId, now);
    } else if (freedSeats > 0) {
      await ledger().free(trx, performanceId, { confirmed: freedSeats }, now);
    }
    return {
      ok: true,
      reservation: { ...locked, reservation_status: 'cancelled', cancelled_at: now.toISOString() },
      performance: { id: performanceId, documentId: performance.documentId },
    };
  };

  return {
    /**
     * Cancels the reservation behind a cancellation token and frees its seats at once. Too late
     * once the performance has started or the party has been checked in.
     */
    async cancelReservation(rawToken: string, now = new Date()): Promise<CancelResult> {
      return transaction(strapi, async ({ trx }): Promise<CancelResult> => {
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
      return transaction(strapi, async ({ trx }): Promise<ReduceResult> => {
        const token = await data().tokens.find(trx, rawToken, 'cancellation');
        if (!token) return { ok: false, code: ERROR_CODES.tokenInvalid };
        const performanceId = await data().reservations.performanceOf(trx, token.reservationId);
        const locked = await data().reservations.lock(trx, token.reservationId);
        if (!locked || performanceId === null) return { ok: false, code: ERROR_CODES.tokenInvalid };
        await ledger().lock(trx, performanceId);
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
        await events().announce(
          trx,
          { type: 'reservation.reduced', reservationId: locked.id, performanceId, freedSeats: verdict.frees, partySize },
          now
        );
        await ledger().free(trx, performanceId, { confirmed: verdict.frees }, now);
        return { ok: true, reservation: { ...locked, party_size: partySize } };
      });
    },

    /**
     * Cancels a reservation on an editor's word (Content Manager), pending or confirmed, unless
     * the party is already inside. Cancelling a cancelled reservation changes nothing. The holder
     * of a confirmed one is told by mail (issue 22 item 4), unless `notify` is false (an erasure
     * the visitor asked for).
     */
    async cancelByStaff(reservationId: number, now = new Date(), { notify = true }: { notify?: boolean } = {}): Promise<ReservationRow> {
      return transaction(strapi, async ({ trx }) => {
        const result = await cancel(trx, reservationId, 'staff', now, notify);
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
  };
};

export type CancellationsService = ReturnType<typeof createCancellationsService>;
export default createCancellationsService;
