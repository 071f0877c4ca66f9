import { randomInt } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import {
  ERROR_CODES,
  RESERVATION_TRANSITIONS,
  UID,
  type Language,
  type ReservationStatus,
} from '../constants';
import { getConfig, getService } from '../utils/get-service';
import { bookingTables, SEATS_TABLE } from '../utils/tables';
import { countsOf, seatColumns } from './availability';
import { hashToken, TOKEN_PATTERN } from './tokens';

export interface ReservationRow {
  id: number;
  documentId: string;
  reference: string;
  reservation_status: ReservationStatus;
  name: string;
  email: string;
  phone: string | null;
  party_size: number;
  notes: string | null;
  language: Language;
  confirm_by: string | null;
  confirmed_at: string | null;
  qr_code_generated_at: string | null;
  cancelled_at: string | null;
}

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
}

type Closed = { ok: false; code: typeof ERROR_CODES.bookingClosed };
type SoldOut = { ok: false; code: typeof ERROR_CODES.soldOut; availableSeats: number };

export type CreateResult =
  | { ok: true; reservation: ReservationRow; performance: PerformanceRow; confirmationToken: string }
  | Closed
  | SoldOut
  | { ok: false; code: typeof ERROR_CODES.rateLimited };

export type ConfirmResult =
  | {
      ok: true;
      reservation: ReservationRow;
      performance: Pick<PerformanceRow, 'id' | 'documentId' | 'starts_at'>;
      /** Seats left once this confirmation committed. */
      availableSeats: number;
      checkInToken: string;
      cancellationToken: string;
    }
  | Closed
  | SoldOut
  | { ok: false; code: typeof ERROR_CODES.tokenInvalid }
  | { ok: false; code: typeof ERROR_CODES.tokenUsed; status: ReservationStatus }
  | { ok: false; code: typeof ERROR_CODES.tokenExpired };

export type CancelResult =
  | { ok: true; reservation: ReservationRow; performance: PerformanceRow }
  | { ok: false; code: typeof ERROR_CODES.tokenInvalid }
  | { ok: false; code: typeof ERROR_CODES.tokenUsed; status: ReservationStatus }
  | { ok: false; code: typeof ERROR_CODES.tooLate };

/** Thrown inside the confirmation's transaction to roll it back with a tagged answer. */
class Outcome {
  constructor(readonly result: ConfirmResult) {}
}

const iso = (value: unknown) => (value ? new Date(value as string).toISOString() : null);

/** A reservation as the Query Engine would return it, from a raw row. */
const reservationFromRow = (row: Record<string, unknown>): ReservationRow => ({
  id: Number(row.id),
  documentId: String(row.document_id),
  reference: String(row.reference),
  reservation_status: row.reservation_status as ReservationStatus,
  name: String(row.name),
  email: String(row.email),
  phone: (row.phone as string | null) ?? null,
  party_size: Number(row.party_size),
  notes: (row.notes as string | null) ?? null,
  language: row.language as Language,
  confirm_by: iso(row.confirm_by),
  confirmed_at: iso(row.confirmed_at),
  qr_code_generated_at: iso(row.qr_code_generated_at),
  cancelled_at: iso(row.cancelled_at),
});

/** Reference alphabet without look-alikes (0/O, 1/I/L): read out on the phone at the box office. */
const REFERENCE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const newReference = () =>
  Array.from({ length: 8 }, () => REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)]).join('');

const PERFORMANCE_POPULATE = {
  show: { select: ['id', 'title', 'slug', 'is_published'] },
  venue: { select: ['id', 'name', 'slug', 'address', 'city'] },
} as const;

export const hasStarted = (performance: Pick<PerformanceRow, 'starts_at'>, now: Date) =>
  new Date(performance.starts_at).getTime() <= now.getTime();

export const isOpenForBooking = (performance: PerformanceRow, now: Date) =>
  performance.is_booking_enabled && Boolean(performance.show?.is_published) && !hasStarted(performance, now);

/**
 * The only writer of a reservation's status. Every change of seats happens here, inside a
 * transaction that first locks the performance row, so that concurrent confirmations (on any
 * number of app instances sharing one PostgreSQL) queue on that row and each sees the seats the
 * previous one took.
 */
const createReservationsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const tokens = () => getService(strapi, 'tokens');
  const mailer = () => getService(strapi, 'mailer');
  const availability = () => getService(strapi, 'availability');

  /**
   * Row locks are always taken reservation first, then performance (the confirmation changes its
   * reservation before it locks the performance), so that two transactions never wait on each other.
   */
  const lockReservation = async (reservationId: number) => {
    await strapi.db.queryBuilder(UID.reservation).select(['id']).where({ id: reservationId }).forUpdate().first().execute();
  };

  /** SELECT ... FOR UPDATE on the performance row (SQLite has one connection: already serial). */
  const lockPerformance = async (performanceId: number) => {
    await strapi.db
      .queryBuilder(UID.performance)
      .select(['id'])
      .where({ id: performanceId })
      .forUpdate()
      .first()
      .execute();
  };

  const loadPerformance = async (where: { id: number } | { documentId: string }) =>
    (await strapi.db.query(UID.performance).findOne({
      where,
      populate: PERFORMANCE_POPULATE,
    })) as PerformanceRow | null;

  const loadReservation = async (id: number) =>
    (await strapi.db.query(UID.reservation).findOne({ where: { id } })) as ReservationRow;

  const performanceOfReservation = async (reservationId: number) => {
    const row = (await strapi.db.query(UID.reservation).findOne({
      where: { id: reservationId },
      select: ['id'],
      populate: { performance: { select: ['id'] } },
    })) as { performance: { id: number } | null } | null;
    return row?.performance?.id ?? null;
  };

  const setStatus = async (id: number, from: ReservationStatus, to: ReservationStatus, data = {}) => {
    if (!RESERVATION_TRANSITIONS[from].includes(to)) {
      throw new errors.ApplicationError(`A reservation cannot move from ${from} to ${to}`, {
        code: ERROR_CODES.forbiddenTransition,
      });
    }
    return (await strapi.db.query(UID.reservation).update({
      where: { id, reservation_status: from },
      data: { reservation_status: to, ...data },
    })) as ReservationRow;
  };

  return {
    /**
     * Records a pending reservation and its confirmation token. Holds no seat: the binding check
     * is at confirmation. Answers sold_out early, as a courtesy, when the party cannot fit now,
     * and rate_limited when the address already holds `pendingPerEmail` unexpired pending ones:
     * every reservation mails its address, and the address's owner asked for none of them.
     */
    async createReservation(input: NewReservation, now = new Date()): Promise<CreateResult> {
      const config = getConfig(strapi);
      const performance = await loadPerformance({ documentId: input.performance });
      if (!performance || !performance.show?.is_published) {
        throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
      }
      if (!isOpenForBooking(performance, now)) return { ok: false, code: ERROR_CODES.bookingClosed };
      const seats = await availability().forPerformance(performance.id);
      const availableSeats = seats?.availableSeats ?? 0;
      if (input.party_size > availableSeats) {
        return { ok: false, code: ERROR_CODES.soldOut, availableSeats };
      }

      return strapi.db.transaction(async ({ trx, onCommit }) => {
        if (config.pendingPerEmail > 0) {
          const address = input.email.trim().toLowerCase();
          // Two requests for one address at once queue here (PostgreSQL; SQLite is serial), so
          // each counts the other's reservation: never more than the limit pending.
          if (strapi.db.dialect.client === 'postgres') {
            await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`booking:pending:${address}`]);
          }
          const pending = await strapi.db.query(UID.reservation).count({
            where: { email: { $eqi: address }, reservation_status: 'pending', confirm_by: { $gt: now } },
          });
          if (pending >= config.pendingPerEmail) return { ok: false as const, code: ERROR_CODES.rateLimited };
        }
        let reference = newReference();
        while (await strapi.db.query(UID.reservation).findOne({ where: { reference }, select: ['id'] })) {
          reference = newReference();
        }
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
            language: input.locale ?? 'it',
            confirm_by: confirmBy,
          },
        })) as ReservationRow;
        const confirmationToken = await tokens().issue(reservation.id, 'confirmation', confirmBy);
        const mailId = await mailer().enqueue('confirmation', reservation.id, now);
        // The mail goes after the commit: a rolled-back booking must not send a link.
        onCommit(() => mailer().deliverLater(mailId, { confirmation: confirmationToken }));
        return { ok: true as const, reservation, performance, confirmationToken };
      });
    },

    /**
     * Confirms the reservation behind a confirmation token if its party still fits. On sold_out
     * the reservation stays pending and the token unused, so the visitor may try again until
     * confirm_by. Issues the check-in and cancellation tokens in the same transaction.
     *
     * Every confirmation of a performance queues on its row lock, so the locked section is two
     * plain SQL statements and the commit (no relation bookkeeping of the Query Engine): its
     * length is the ceiling of confirmations per second for one performance.
     */
    async confirmReservation(rawToken: string, now = new Date()): Promise<ConfirmResult> {
      if (!TOKEN_PATTERN.test(rawToken)) return { ok: false, code: ERROR_CODES.tokenInvalid };
      const config = getConfig(strapi);
      const t = bookingTables(strapi);
      const tl = t.tokenReservation;
      const rl = t.reservationPerformance;
      try {
        return await strapi.db.transaction(async ({ trx, onCommit }): Promise<ConfirmResult> => {
          // The token with its reservation and performance, in one query.
          const state = (await trx({ tk: t.tokens })
            .join({ tl: tl.table }, `tl.${tl.token}`, 'tk.id')
            .join({ r: t.reservations }, 'r.id', `tl.${tl.reservation}`)
            .join({ rl: rl.table }, `rl.${rl.reservation}`, 'r.id')
            .where({ 'tk.token_hash': hashToken(rawToken), 'tk.purpose': 'confirmation' })
            .first('r.*', { tokenId: 'tk.id', usedAt: 'tk.used_at', expiresAt: 'tk.expires_at', performanceId: `rl.${rl.performance}` })) as
            | (Record<string, unknown> & {
                id: number;
                tokenId: number;
                usedAt: unknown;
                expiresAt: string | Date | null;
                performanceId: number;
                reservation_status: ReservationStatus;
                party_size: number;
              })
            | undefined;
          if (!state) return { ok: false, code: ERROR_CODES.tokenInvalid };
          const { tokenId, usedAt, expiresAt, performanceId, ...reservationRow } = state;
          const reservationId = Number(state.id);

          // Everything that does not depend on the seats is read, and written, before the lock:
          // every confirmation of this performance queues on it, so it is held for two short
          // statements only. What is written here is rolled back if the seats turn out gone.
          const status = state.reservation_status;
          if (!usedAt && status === 'expired') return { ok: false, code: ERROR_CODES.tokenExpired };
          if (usedAt || status !== 'pending') return { ok: false, code: ERROR_CODES.tokenUsed, status };
          if (expiresAt && new Date(expiresAt).getTime() < now.getTime()) {
            await trx(t.reservations).where({ id: reservationId, reservation_status: 'pending' }).update({
              reservation_status: 'expired',
              updated_at: now,
            });
            return { ok: false, code: ERROR_CODES.tokenExpired };
          }
          // The performance, whether it is open, and its seats now, in one query.
          const performance = (await trx({ p: t.performances })
            .leftJoin({ ps: t.performanceShow.table }, `ps.${t.performanceShow.performance}`, 'p.id')
            .leftJoin({ s_: t.shows }, 's_.id', `ps.${t.performanceShow.show}`)
            .leftJoin({ s: SEATS_TABLE }, 's.performance_id', 'p.id')
            .where('p.id', performanceId)
            .first('p.id', 'p.document_id', 'p.starts_at', 'p.is_booking_enabled', 's_.is_published', ...seatColumns(trx))) as Record<
            string,
            unknown
          > & { id: number; document_id: string; starts_at: string | Date };
          const startsAt = new Date(performance.starts_at);
          if (!performance.is_booking_enabled || !performance.is_published || startsAt.getTime() <= now.getTime()) {
            return { ok: false, code: ERROR_CODES.bookingClosed };
          }
          // A party that does not fit now will not fit under the lock either (seats only go as
          // confirmations come): answer without queueing for it.
          const before = countsOf(performance);
          if (state.party_size > before.availableSeats) {
            return { ok: false, code: ERROR_CODES.soldOut, availableSeats: before.availableSeats };
          }
          const checkInCloses = new Date(startsAt.getTime() + config.checkInClosesMinutesAfter * 60_000);
          const [checkInToken, cancellationToken] = await tokens().issueInTransaction(
            trx,
            reservationId,
            [
              { purpose: 'check_in', expiresAt: checkInCloses },
              { purpose: 'cancellation', expiresAt: startsAt },
            ],
            now
          );
          const mailId = await mailer().enqueueInTransaction(trx, 'ticket', reservationId, now);
          // The token and the reservation change before the lock too: their row locks, taken here,
          // make a second confirmation of the same link wait for this one and then find it used.
          const used = await trx(t.tokens).where('id', tokenId).whereNull('used_at').update({ used_at: now, updated_at: now });
          const moved = await trx(t.reservations)
            .where({ id: reservationId, reservation_status: 'pending' })
            .update({ reservation_status: 'confirmed', confirmed_at: now, qr_code_generated_at: now, updated_at: now });
          if (Number(used) !== 1 || Number(moved) !== 1) {
            throw new Outcome({ ok: false, code: ERROR_CODES.tokenUsed, status: 'confirmed' });
          }

          // The locked section, two statements: lock the performance row and read its seats, then
          // take the party's seats if they fit, by a conditional increment of its counter, which
          // sees every confirmation committed before the lock was granted.
          const locked = (await trx(t.performances)
            .where('id', performance.id)
            .first('room_capacity', 'additional_seats', 'manually_occupied_seats')
            .forUpdate()) as Record<string, unknown>;
          const limit = countsOf({ ...locked, confirmed_seats: 0 }).availableSeats;
          const taken = await availability().takeSeats(trx, performance.id, state.party_size, limit);
          if (!taken.taken) {
            // Rolls back the tokens, the mail and the status written before the lock.
            throw new Outcome({ ok: false, code: ERROR_CODES.soldOut, availableSeats: taken.available });
          }

          onCommit(() => mailer().deliverLater(mailId, { checkIn: checkInToken, cancellation: cancellationToken }));
          return {
            ok: true as const,
            reservation: reservationFromRow({ ...reservationRow, reservation_status: 'confirmed', confirmed_at: now, qr_code_generated_at: now }),
            performance: { id: performance.id, documentId: performance.document_id, starts_at: startsAt.toISOString() },
            availableSeats: taken.available,
            checkInToken,
            cancellationToken,
          };
        });
      } catch (error) {
        // A refusal found under the lock rolls back the tokens and the mail written before it.
        if (error instanceof Outcome) return error.result;
        throw error;
      }
    },

    /**
     * Cancels the reservation behind a cancellation token and frees its seats at once. Too late
     * once the performance has started or the party has been checked in.
     */
    async cancelReservation(rawToken: string, now = new Date()): Promise<CancelResult> {
      return strapi.db.transaction(async ({ trx }): Promise<CancelResult> => {
        const token = await tokens().find(rawToken, 'cancellation');
        if (!token?.reservation) return { ok: false, code: ERROR_CODES.tokenInvalid };
        const performanceId = await performanceOfReservation(token.reservation.id);
        if (performanceId === null) return { ok: false, code: ERROR_CODES.tokenInvalid };
        await lockReservation(token.reservation.id);
        await lockPerformance(performanceId);
        const reservation = await loadReservation(token.reservation.id);
        const fresh = await tokens().find(rawToken, 'cancellation');
        if (!fresh || fresh.used_at || reservation.reservation_status !== 'confirmed') {
          return { ok: false, code: ERROR_CODES.tokenUsed, status: reservation.reservation_status };
        }
        const performance = (await loadPerformance({ id: performanceId }))!;
        const checkedIn = await strapi.db
          .query(UID.checkIn)
          .count({ where: { reservation: { id: reservation.id } } });
        if (hasStarted(performance, now) || checkedIn > 0) return { ok: false, code: ERROR_CODES.tooLate };

        const cancelled = await setStatus(reservation.id, 'confirmed', 'cancelled', { cancelled_at: now });
        await availability().adjustConfirmedSeats(trx, performanceId, -reservation.party_size);
        await tokens().revokeAll(reservation.id, now);
        return { ok: true as const, reservation: cancelled, performance };
      });
    },

    /**
     * Cancels a reservation on an editor's word (Content Manager), pending or confirmed, unless
     * the party is already inside.
     */
    async cancelByStaff(reservationId: number, now = new Date()): Promise<ReservationRow> {
      return strapi.db.transaction(async ({ trx }) => {
        const performanceId = await performanceOfReservation(reservationId);
        await lockReservation(reservationId);
        if (performanceId !== null) await lockPerformance(performanceId);
        const reservation = await loadReservation(reservationId);
        if (!reservation) {
          throw new errors.NotFoundError('Reservation not found');
        }
        if (reservation.reservation_status === 'cancelled') return reservation;
        const checkedIn = await strapi.db
          .query(UID.checkIn)
          .count({ where: { reservation: { id: reservationId } } });
        if (checkedIn > 0) {
          throw new errors.ValidationError('This party has already been checked in: it cannot be cancelled.', {
            code: ERROR_CODES.tooLate,
          });
        }
        const cancelled = await setStatus(reservationId, reservation.reservation_status, 'cancelled', {
          cancelled_at: now,
        });
        if (reservation.reservation_status === 'confirmed' && performanceId !== null) {
          await availability().adjustConfirmedSeats(trx, performanceId, -reservation.party_size);
        }
        await tokens().revokeAll(reservationId, now);
        return cancelled;
      });
    },

    /** Marks pending reservations whose link has lapsed as expired; returns how many. */
    async expireOverdue(now = new Date()): Promise<number> {
      const { count } = await strapi.db.query(UID.reservation).updateMany({
        where: { reservation_status: 'pending', confirm_by: { $lt: now } },
        data: { reservation_status: 'expired' },
      });
      return count;
    },
  };
};

export type ReservationsService = ReturnType<typeof createReservationsService>;
export default createReservationsService;
