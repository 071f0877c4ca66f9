import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { DEFAULT_LANGUAGE, ERROR_CODES, UID, type AccessNeed, type Language } from '../constants';
import { dataOf } from '../data';
import { partyFits } from '../rules';
import { getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';

export interface BoxOfficeBooking {
  name: string;
  email?: string | null;
  phone?: string | null;
  party_size: number;
  notes?: string | null;
  access_needs?: AccessNeed[] | null;
  send_ticket?: boolean;
  language?: Language;
}

export type BoxOfficeResult =
  | { ok: true; reservation: { id: number; reference: string; party_size: number }; availableSeats: number; ticketSent: boolean }
  | { ok: false; code: typeof ERROR_CODES.bookingClosed }
  | { ok: false; code: typeof ERROR_CODES.soldOut; availableSeats: number };

/**
 * Bookings taken at the box office or on the phone: confirmed at once, under the same
 * performance row lock as the visitors' confirmations, so the seats they take and the public's
 * never add up past the room. Public booking being off does not stop the box office (a sold-out
 * show may still have a chair for the director's mother); the start does.
 *
 * The reservation is written pending and its ticket issued by the seat ledger's `issueTicket` (as
 * a visitor's confirmation), in the transaction that holds the performance lock; if the seats do
 * not fit, everything rolls back and nothing was booked. The ticket e-mail hangs on `reservation.confirmed` like a
 * visitor's, and goes only when there is an address and the clerk did not say no.
 */
const createBoxOfficeService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const ledger = () => getService(strapi, 'seat-ledger');

  return {
    /** Books and confirms a party for a performance; throws NotFoundError for an unknown one. */
    async book(performanceDocumentId: string, input: BoxOfficeBooking, now = new Date()): Promise<BoxOfficeResult> {
      const performance = (await strapi.db.query(UID.performance).findOne({
        where: { documentId: performanceDocumentId },
        select: ['id', 'starts_at'],
      })) as { id: number; starts_at: string } | null;
      if (!performance) throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
      const startsAt = new Date(performance.starts_at);
      if (startsAt.getTime() <= now.getTime()) return { ok: false, code: ERROR_CODES.bookingClosed };
      const email = input.email && input.email.trim() !== '' ? input.email.trim() : null;
      const sendTicket = email !== null && input.send_ticket !== false;

      return transaction(strapi, async ({ trx, rollback }): Promise<BoxOfficeResult> => {
        // The performance row first, unlike confirmReservation: the new reservation's link to the
        // performance takes a key-share lock on that row, and two bookings each holding one while
        // waiting for the other's FOR UPDATE would deadlock. The new reservation row is locked by
        // no one else, so this order cannot deadlock with a confirmation (reservation, then performance).
        // A cancelled performance books no one (issue 22), read under the lock.
        if ((await ledger().lock(trx, performance.id))?.cancelled !== false) return { ok: false, code: ERROR_CODES.bookingClosed };
        // Seats only go under this lock: a party that does not fit now is refused before anything is written.
        const seats = await data().seats.forPerformance(performance.id, trx);
        const available = seats?.availableSeats ?? 0;
        if (!partyFits(input.party_size, available)) return { ok: false, code: ERROR_CODES.soldOut, availableSeats: available };
        const reference = await data().reservations.uniqueReference(trx);
        const created = await data().reservations.insert({
          reference,
          performance: performance.id,
          source: 'box_office',
          name: input.name.trim(),
          email,
          phone: input.phone || null,
          party_size: input.party_size,
          notes: input.notes || null,
          access_needs: input.access_needs && input.access_needs.length > 0 ? input.access_needs : null,
          language: input.language ?? DEFAULT_LANGUAGE,
        });
        // The ledger's lock is this transaction's already: the seats are taken under it.
        const issued = await ledger().issueTicket(
          trx,
          { reservationId: created.id, performanceId: performance.id, startsAt, partySize: input.party_size, sendTicket },
          now
        );
        if (!issued.ok) {
          await rollback();
          if (issued.reason === 'closed') return { ok: false, code: ERROR_CODES.bookingClosed };
          return { ok: false, code: ERROR_CODES.soldOut, availableSeats: issued.reason === 'sold_out' ? issued.availableSeats : 0 };
        }
        return {
          ok: true,
          reservation: { id: created.id, reference, party_size: input.party_size },
          availableSeats: issued.availableSeats,
          ticketSent: sendTicket,
        };
      });
    },

    /**
     * The ticket again, on a clerk's word (the Content Manager's "Resend ticket"): the lost-ticket
     * mail (`ticket.resend_requested`, a fresh QR code and links in the visitor's language) for a
     * confirmed reservation with an address. Not counted against the visitor's hourly limit: the
     * clerk is talking to them. Throws NotFoundError for an unknown reservation.
     */
    async resendTicket(reservationDocumentId: string, now = new Date()): Promise<ResendTicketResult> {
      return transaction(strapi, async ({ trx }): Promise<ResendTicketResult> => {
        const row = (await strapi.db.query(UID.reservation).findOne({
          where: { documentId: reservationDocumentId },
          select: ['id', 'reference', 'reservation_status', 'email'],
        })) as { id: number; reference: string; reservation_status: string; email: string | null } | null;
        if (!row) throw new errors.NotFoundError('Reservation not found', { code: ERROR_CODES.reservationNotFound });
        if (row.reservation_status !== 'confirmed') return { ok: false, code: ERROR_CODES.notConfirmed };
        if (!row.email) return { ok: false, code: ERROR_CODES.noEmail };
        await getService(strapi, 'events').announce(trx, { type: 'ticket.resend_requested', reservationIds: [row.id] }, now);
        return { ok: true, reference: row.reference };
      });
    },
  };
};

export type ResendTicketResult =
  { ok: true; reference: string } | { ok: false; code: typeof ERROR_CODES.notConfirmed | typeof ERROR_CODES.noEmail };

export type BoxOfficeService = ReturnType<typeof createBoxOfficeService>;
export default createBoxOfficeService;
