import type { Core } from '@strapi/strapi';
import { ERROR_CODES, type ErrorCode } from '../constants';
import { getConfig, getService } from '../utils/get-service';
import { textLanguage, type TextLanguage } from '../utils/locales';
import { parseDataEnvelope, parseOrThrow } from '../validation/parse';
import { confirmInput, reduceInput, reservationInput, resendInput, tokenInput } from '../validation/public';
import { errors } from '@strapi/utils';
import type { BookingContext } from './context';

type Ctx = BookingContext;

export type Failure = { ok: false; code: ErrorCode; availableSeats?: number; status?: string; performance?: string };

const MESSAGES: Record<string, string> = {
  [ERROR_CODES.bookingClosed]: 'Booking is closed for this performance',
  [ERROR_CODES.soldOut]: 'Not enough seats left for this party',
  [ERROR_CODES.tokenInvalid]: 'This link is not valid',
  [ERROR_CODES.tokenUsed]: 'This link has already been used',
  [ERROR_CODES.tokenExpired]: 'This link has expired',
  [ERROR_CODES.tooLate]: 'It is too late to change this booking',
  [ERROR_CODES.seatsAvailable]: 'Seats are available: book instead',
  [ERROR_CODES.alreadyWaiting]: 'This address already waits for this performance',
  [ERROR_CODES.rateLimited]:
    'Troppe prenotazioni in attesa di conferma per questo indirizzo / Too many bookings awaiting confirmation for this address',
};

/** The contract's status for each tagged failure of the reservations service. */
export const answerFailure = (ctx: Ctx, failure: Failure) => {
  const details: Record<string, unknown> = { code: failure.code };
  if (failure.availableSeats !== undefined) details.available_seats = failure.availableSeats;
  if (failure.status !== undefined) details.status = failure.status;
  if (failure.performance !== undefined) details.performance = failure.performance;
  const message = MESSAGES[failure.code] ?? failure.code;
  switch (failure.code) {
    case ERROR_CODES.tokenInvalid:
      return ctx.notFound(message, details);
    case ERROR_CODES.tokenUsed:
    case ERROR_CODES.tokenExpired:
      return ctx.gone(message, details);
    case ERROR_CODES.rateLimited:
      return ctx.tooManyRequests(message, details);
    default:
      return ctx.conflict(message, details);
  }
};

const reservationController = ({ strapi }: { strapi: Core.Strapi }) => {
  const present = (reservation: { reference: string; reservation_status: string; party_size: number }) => ({
    reference: reservation.reference,
    status: reservation.reservation_status,
    party_size: reservation.party_size,
  });
  /** The performance as the public routes show it, in the visitor's language (`?lang=`, else the booking's). */
  const publicPerformance = (documentId: string, lang: TextLanguage) =>
    getService(strapi, 'catalogue').performanceByDocumentId(documentId, new Date(), lang);
  const iso = (value: string | Date | null) => (value ? new Date(value).toISOString() : null);

  return {
    /** POST /api/booking/reservations */
    async create(ctx: Ctx) {
      const input = parseDataEnvelope(reservationInput(getConfig(strapi).maxPartySize), ctx.request.body);
      const result = await getService(strapi, 'reservations').createReservation({
        ...input,
        name: input.name.trim(),
        email: input.email.trim(),
      });
      if (!result.ok) return answerFailure(ctx, result);
      ctx.status = 201;
      ctx.body = {
        data: {
          ...present(result.reservation),
          // From the short public cache (fresh within a second, as the performance's own route): a
          // pending reservation changes no seat, and an on-sale rush asks for the same one a
          // thousand times.
          performance: await getService(strapi, 'catalogue').cachedPerformance(
            result.performance.documentId,
            textLanguage(ctx.query.lang ?? input.locale)
          ),
          confirm_by: iso(result.reservation.confirm_by),
        },
      };
    },

    /** POST /api/booking/reservations/confirm */
    async confirm(ctx: Ctx) {
      const { token, party_size } = parseOrThrow(confirmInput, ctx.request.body);
      const result = await getService(strapi, 'reservations').confirmReservation(token, new Date(), { partySize: party_size });
      if (!result.ok) {
        if (result.code === ERROR_CODES.validation) {
          throw new errors.ValidationError('party_size must not be larger than the requested party', {
            code: ERROR_CODES.validation,
            errors: [{ path: ['party_size'], message: `must be at most ${result.partySize}`, name: 'ValidationError' }],
          });
        }
        return answerFailure(ctx, result);
      }
      ctx.body = {
        data: {
          ...present(result.reservation),
          performance: await getService(strapi, 'catalogue').performanceWithSeats(
            result.performance.documentId,
            result.availableSeats,
            new Date(),
            textLanguage(ctx.query.lang)
          ),
          confirmed_at: iso(result.reservation.confirmed_at),
        },
      };
    },

    /**
     * POST /api/booking/reservations/preview: what a confirmation or cancellation link acts on.
     * Changes nothing; a link already used answers 200 with the reservation's status.
     */
    async preview(ctx: Ctx) {
      const { token } = parseOrThrow(tokenInput, ctx.request.body);
      const result = await getService(strapi, 'reservations').previewReservation(token);
      if (!result.ok) return answerFailure(ctx, result);
      // A show taken off the public site since the booking: the reservation is still the visitor's.
      const performance = await getService(strapi, 'catalogue')
        .cachedPerformance(result.performance.documentId, textLanguage(ctx.query.lang))
        .catch((error: unknown) => {
          if (error instanceof errors.NotFoundError) return null;
          throw error;
        });
      ctx.body = { data: { ...present(result.reservation), performance } };
    },

    /** POST /api/booking/reservations/reduce */
    async reduce(ctx: Ctx) {
      const { token, party_size } = parseOrThrow(reduceInput, ctx.request.body);
      const result = await getService(strapi, 'cancellations').reduceReservation(token, party_size);
      if (!result.ok) {
        if (result.code === ERROR_CODES.validation) {
          throw new errors.ValidationError('party_size must be smaller than the current party', {
            code: ERROR_CODES.validation,
            errors: [{ path: ['party_size'], message: `must be smaller than ${result.partySize}`, name: 'ValidationError' }],
          });
        }
        return answerFailure(ctx, result);
      }
      ctx.body = { data: present(result.reservation) };
    },

    /**
     * POST /api/booking/reservations/resend: always 202, whether the address is known or not,
     * so nobody learns from it who booked. The answer comes first and the lookup after it, so
     * the answer takes the same time either way (issue 18, low 11).
     */
    resend(ctx: Ctx) {
      const { email } = parseOrThrow(resendInput, ctx.request.body);
      const reservations = getService(strapi, 'reservations');
      getService(strapi, 'events').afterAnswer('lost ticket', () => reservations.resendTickets(email));
      ctx.status = 202;
      ctx.body = { data: { status: 'accepted' } };
    },

    /** POST /api/booking/reservations/cancel */
    async cancel(ctx: Ctx) {
      const { token } = parseOrThrow(tokenInput, ctx.request.body);
      const result = await getService(strapi, 'cancellations').cancelReservation(token);
      if (!result.ok) return answerFailure(ctx, result);
      ctx.body = {
        data: {
          ...present(result.reservation),
          performance: await publicPerformance(result.performance.documentId, textLanguage(ctx.query.lang)),
        },
      };
    },
  };
};

export default reservationController;
