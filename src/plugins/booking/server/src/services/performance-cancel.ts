import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID } from '../constants';
import { dataOf } from '../data';
import { hasStarted, performanceStatus } from '../rules';
import { getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';

export type CancelPerformanceResult =
  | { ok: true; documentId: string; reservationsCancelled: number; waitlistEntriesClosed: number }
  | { ok: false; code: typeof ERROR_CODES.alreadyCancelled | typeof ERROR_CODES.tooLate };

/** PostgreSQL's "deadlock detected": the transaction was rolled back whole, so it may run again. */
const isDeadlock = (error: unknown) => (error as { code?: unknown } | null)?.code === '40P01';
const ATTEMPTS = 3;

/**
 * Issue 22: a performance cancelled, in one transaction. The lock order is the plugin's (a
 * reservation row, then the performance row, then the waiting entries): the performance's live
 * reservations are locked first (in id order), so a confirmation under way, which holds its
 * reservation and waits for the performance, finishes before; then the performance, under the
 * seat ledger's lock, is marked cancelled; reservations written meanwhile (a booking whose link
 * to the performance waited for nothing) are locked too; then its open entries. Every pending
 * and confirmed reservation becomes cancelled, every entry ends, the seats they held are given
 * back at once and offered to no one (ledger.close). A confirmation that queued behind the cancel
 * finds the performance closed under the lock and rolls back; a booking or a join after it is
 * `booking_closed`. The mails and webhooks hang on `performance.cancelled` (events/subscribers/
 * performance-cancelled.ts), recorded in this transaction under dedupe keys.
 *
 * A transaction that takes its locks in another order (the join's confirmation: its entry, then
 * the performance) can meet the cancel in a deadlock, which PostgreSQL breaks by rolling one
 * back: the cancel then runs again, from the start.
 */
const createPerformanceCancelService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const ledger = () => getService(strapi, 'seat-ledger');

  const idOf = async (documentId: string): Promise<number> => {
    const id = /^[a-z0-9]{1,64}$/.test(documentId) ? await data().performances.idOf(strapi.db.connection, documentId) : null;
    if (id === null) throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
    return id;
  };

  const cancelIn = async (trx: Knex.Transaction, performanceId: number, message: string | null, now: Date) => {
    const cancel = data().performanceCancel;
    const first = await cancel.lockLiveReservations(trx, performanceId);
    const capacity = await ledger().lock(trx, performanceId);
    const state = await data().performances.bookingState(trx, performanceId);
    if (!capacity || !state) throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
    if (capacity.cancelled) return { ok: false as const, code: ERROR_CODES.alreadyCancelled };
    if (hasStarted(state.starts_at, now)) return { ok: false as const, code: ERROR_CODES.tooLate };
    await data().performances.markCancelled(trx, performanceId, now, message);
    const live = [
      ...first,
      ...(await cancel.lockLiveReservations(
        trx,
        performanceId,
        first.map((r) => r.id)
      )),
    ];
    const entries = await cancel.lockOpenEntries(trx, performanceId);

    const ids = (status: 'pending' | 'confirmed') => live.filter((r) => r.status === status).map((r) => r.id);
    const confirmed = new Set(await cancel.cancelReservations(trx, ids('confirmed'), 'confirmed', now));
    const pending = new Set(await cancel.cancelReservations(trx, ids('pending'), 'pending', now));
    const seatsOf = (rows: typeof live) => rows.reduce((sum, r) => sum + r.party_size, 0);
    await ledger().close(trx, performanceId, {
      confirmed: seatsOf(live.filter((r) => confirmed.has(r.id))),
      held: seatsOf(live.filter((r) => pending.has(r.id) && r.held)),
    });
    const closed = await cancel.endEntries(
      trx,
      entries.map((e) => e.id),
      now
    );
    const reservationIds = [...confirmed, ...pending].sort((a, b) => a - b);
    await getService(strapi, 'events').announce(
      trx,
      {
        type: 'performance.cancelled',
        performanceId,
        reservationIds,
        holderReservationIds: [...confirmed].sort((a, b) => a - b),
        // Waiting and offered parties; an unconfirmed join's address was never confirmed: not written to.
        entryIds: entries.filter((e) => e.status === 'waiting' || e.status === 'offered').map((e) => e.id),
      },
      now
    );
    return {
      ok: true as const,
      documentId: state.documentId,
      reservationsCancelled: reservationIds.length,
      waitlistEntriesClosed: closed,
    };
  };

  return {
    /**
     * Cancels a performance (`message`: the editor's words for the mails, up to 1000 characters).
     * Throws NotFoundError for an unknown one; `already_cancelled` the second time; `too_late`
     * once it has started.
     */
    async cancel(documentId: string, message: string | null, now = new Date()): Promise<CancelPerformanceResult> {
      const performanceId = await idOf(documentId);
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await transaction(strapi, ({ trx }) => cancelIn(trx, performanceId, message, now));
        } catch (error) {
          if (!isDeadlock(error) || attempt >= ATTEMPTS) throw error;
          strapi.log.warn(`[booking] cancel of performance ${documentId} met a deadlock; trying again (${attempt})`);
        }
      }
    },

    /**
     * What the Content Manager's cancel dialog shows: the status, whether it has started, and how
     * many people a cancel would write to now (confirmed holders, waiting and offered parties).
     */
    async preview(documentId: string, now = new Date()) {
      const performanceId = await idOf(documentId);
      const row = (await strapi.db.query(UID.performance).findOne({
        where: { id: performanceId },
        select: ['starts_at', 'cancelled_at'],
      })) as { starts_at: string; cancelled_at: string | null };
      const { holders, waiting } = await data().performanceCancel.recipientsOf(strapi.db.connection, performanceId);
      return {
        documentId,
        status: performanceStatus(row),
        started: hasStarted(row.starts_at, now),
        holders,
        waiting,
        recipients: holders + waiting,
      };
    },
  };
};

export type PerformanceCancelService = ReturnType<typeof createPerformanceCancelService>;
export default createPerformanceCancelService;
