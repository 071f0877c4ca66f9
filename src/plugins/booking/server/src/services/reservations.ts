import type { Core } from '@strapi/strapi';
import { DEFAULT_LANGUAGE, ERROR_CODES, UID, type ReservationStatus } from '../constants';
import { dataOf } from '../data';
import type { ReservationRow } from '../data/reservations';
import { doorRecordFrom, hashToken, newRawToken, TOKEN_PATTERN } from '../data/tokens';
import { isOpenForBooking, partyFits, seatsToConfirm } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { emailKey, emailLimitKey } from '../validation/email';
import type { NewReservation, PerformanceRow } from './admission';
import { transaction } from '../utils/transaction';

export type { ReservationRow } from '../data/reservations';
export type { NewReservation, PerformanceRow } from './admission';

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

export type PreviewResult =
  | { ok: true; reservation: ReservationRow; performance: { id: number; documentId: string } }
  | TokenInvalid
  | { ok: false; code: typeof ERROR_CODES.tokenExpired };

export { newReference } from '../data/reservations';

/**
 * A reservation's life: create, confirm, expire (cancel and reduce: cancellations.ts). Every
 * status change goes through `data.reservations.transition` (the one writer, checked against
 * RESERVATION_TRANSITIONS), and every change of seats through the seat ledger (seat-ledger.ts),
 * which holds the performance row lock, so concurrent confirmations (on any number of app
 * instances sharing one PostgreSQL) queue on that row and each sees the seats the previous one
 * took. What follows a change (e-mails, cached answers) hangs on the domain events (events/).
 *
 * Row locks are always taken reservation first, then performance, so that two transactions
 * never wait on each other.
 */
const createReservationsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const events = () => getService(strapi, 'events');
  const waitlist = () => getService(strapi, 'waitlist');
  const ledger = () => getService(strapi, 'seat-ledger');
  const admission = () => getService(strapi, 'admission');

  return {
    /**
     * Records a pending reservation and its confirmation token. Holds no seat: the binding check
     * is at confirmation. Answers sold_out early, as a courtesy, when the party cannot fit now,
     * and rate_limited when the address already holds `pendingPerEmail` unexpired pending ones:
     * every reservation mails its address, and the address's owner asked for none of them.
     */
    async createReservation(input: NewReservation, now = new Date()): Promise<CreateResult> {
      const config = getConfig(strapi);
      const performance = await admission().publicPerformance(input.performance, now);
      if (!performance) return { ok: false, code: ERROR_CODES.bookingClosed };
      const { availableSeats } = performance.seats;
      if (!partyFits(input.party_size, availableSeats)) return { ok: false, code: ERROR_CODES.soldOut, availableSeats };

      const confirmationToken = newRawToken();
      const confirmBy = new Date(now.getTime() + config.confirmationTtlMinutes * 60_000);
      return transaction(strapi, async ({ trx }): Promise<CreateResult> => {
        // The address's lock; its count is a condition of the insert.
        const room = await admission().lockAddress(trx, input.email, now);
        // One statement: waits for a cancel holding the performance, and sees it (issue 22);
        // counts the address's requests; the row, its link, its confirmation token.
        const reservation = await data().reservations.insertPending(
          trx,
          {
            performance: performance.id,
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
          { hash: hashToken(confirmationToken), expiresAt: confirmBy },
          now,
          room ?? undefined
        );
        if (reservation === 'rate_limited') return { ok: false, code: ERROR_CODES.rateLimited };
        if (reservation === 'closed') return { ok: false, code: ERROR_CODES.bookingClosed };
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
     * The link, the reservation and the performance are read before any transaction, so a link
     * that is used, lapsed or closed, or a party that does not fit, is answered in two reads and
     * no transaction (half of a sold-out storm's requests). The transaction then writes only
     * through guards that see the latest committed rows: the token is marked used only if it was
     * not, the reservation moves only from pending (else `moved`: someone else changed it since
     * the read), and seats are taken only under the performance lock. Everything that does not
     * depend on the seats is written before that lock (the token, the status, the new tokens,
     * the ticket's outbox row) and rolled back if the seats turn out gone: every confirmation of
     * a performance queues on that lock, so it is held for one statement and the commit.
     */
    async confirmReservation(rawToken: string, now = new Date(), options: { partySize?: number } = {}): Promise<ConfirmResult> {
      if (!TOKEN_PATTERN.test(rawToken)) return { ok: false, code: ERROR_CODES.tokenInvalid };
      const read = strapi.db.connection;
      const found = await data().reservations.byConfirmationToken(read, hashToken(rawToken));
      if (!found) return { ok: false, code: ERROR_CODES.tokenInvalid };
      const { reservation, token, performanceId } = found;

      const status = reservation.reservation_status;
      // A waiting-list offer: its seats are held for it until held_until.
      const isOffer = reservation.held_until !== null;
      if (!token.usedAt && status === 'expired') return { ok: false, code: ERROR_CODES.tokenExpired };
      if (token.usedAt || status !== 'pending') return { ok: false, code: ERROR_CODES.tokenUsed, status };
      if (token.expiresAt && token.expiresAt.getTime() < now.getTime()) {
        await transaction(strapi, async ({ trx }) => {
          if (isOffer) {
            // Lapsed before the job saw it: its held seats pass on now, in this transaction.
            const locked = await data().reservations.lock(trx, reservation.id);
            if (locked?.reservation_status === 'pending') await waitlist().lapseOffer(trx, locked, performanceId, now);
          } else {
            await data().reservations.transition(trx, { id: reservation.id }, 'pending', 'expired', now);
          }
        });
        return { ok: false, code: ERROR_CODES.tokenExpired };
      }
      const seats = seatsToConfirm(reservation.party_size, options.partySize);
      if (seats === null) return { ok: false, code: ERROR_CODES.validation, partySize: reservation.party_size };
      const performance = await data().performances.bookingState(read, performanceId);
      if (!performance || !isOpenForBooking(performance, now)) return { ok: false, code: ERROR_CODES.bookingClosed };
      const soldOut = (availableSeats: number): ConfirmResult => ({
        ok: false,
        code: ERROR_CODES.soldOut,
        availableSeats,
        performance: performance.documentId,
      });
      // A party that does not fit now will not fit under the lock either, unless seats are freed
      // meanwhile (then the visitor's next try finds them): answer without queueing for it. An
      // offer's seats are its own.
      if (!isOffer && !partyFits(seats, performance.seats.availableSeats)) return soldOut(performance.seats.availableSeats);

      return transaction(strapi, async ({ trx, rollback }): Promise<ConfirmResult> => {
        /** Undoes what was written before the lock, and answers. */
        const refuse = async (result: ConfirmResult) => {
          await rollback();
          return result;
        };
        // The token changes first: its row lock makes a second confirmation of the same link
        // wait for this one and then find it used.
        const used = await data().tokens.markUsed(trx, token.id, now);
        if (!used) return refuse({ ok: false, code: ERROR_CODES.tokenUsed, status: 'confirmed' });
        const issued = await ledger().issueTicket(
          trx,
          {
            reservationId: reservation.id,
            performanceId,
            startsAt: performance.starts_at,
            partySize: seats,
            ...(isOffer ? { heldSeats: reservation.party_size } : {}),
            fields: seats < reservation.party_size ? { party_size: seats } : {},
            // Read with the link, and no one changes a pending reservation's name or needs but staff.
            doorRecord: doorRecordFrom(reservation),
          },
          now
        );
        if (!issued.ok) {
          if (issued.reason === 'moved') return refuse({ ok: false, code: ERROR_CODES.tokenUsed, status: 'confirmed' });
          if (issued.reason === 'closed') return refuse({ ok: false, code: ERROR_CODES.bookingClosed });
          return refuse(soldOut(issued.availableSeats));
        }
        // An accepted offer: its entry is booked.
        if (isOffer) await waitlist().offerConfirmed(trx, reservation.id, now);
        const { checkInToken, cancellationToken } = issued;
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
          availableSeats: issued.availableSeats,
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
      return transaction(strapi, async ({ trx }) => {
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

    /** Marks pending reservations whose link has lapsed as expired; returns how many. */
    async expireOverdue(now = new Date()): Promise<number> {
      return transaction(strapi, async ({ trx }) => {
        const expired = await data().reservations.transition(trx, { lapsedBefore: now }, 'pending', 'expired', now);
        if (expired.length > 0) await events().announce(trx, { type: 'reservation.expired', reservationIds: expired }, now);
        return expired.length;
      });
    },
  };
};

export type ReservationsService = ReturnType<typeof createReservationsService>;
export default createReservationsService;
