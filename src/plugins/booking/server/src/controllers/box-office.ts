import type { Core } from '@strapi/strapi';
import { ERROR_CODES } from '../constants';
import { getService } from '../utils/get-service';
import { boxOfficeInput } from '../validation/box-office';
import { parseOrThrow } from '../validation/parse';
import type { CreateBoxOfficeBooking } from '../../../shared/contracts';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const boxOfficeController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /booking/performances/:documentId/reservations (admin; plugin::booking.box-office.create) */
  async create(ctx: Ctx) {
    const input = parseOrThrow(boxOfficeInput, ctx.request.body);
    const result = await getService(strapi, 'box-office').book(String(ctx.params.documentId), input);
    if (!result.ok) {
      if (result.code === ERROR_CODES.soldOut) {
        return ctx.conflict('Posti insufficienti / Not enough seats left for this party', {
          code: result.code,
          available_seats: result.availableSeats,
        });
      }
      return ctx.conflict(
        'Prenotazioni chiuse: la replica è iniziata o annullata / Booking is closed: the performance has started or was cancelled',
        {
          code: result.code,
        }
      );
    }
    const body: CreateBoxOfficeBooking.Response = {
      data: {
        reference: result.reservation.reference,
        status: 'confirmed',
        party_size: result.reservation.party_size,
        source: 'box_office',
      },
    };
    ctx.status = 201;
    ctx.body = body;
  },

  /** POST /booking/reservations/:documentId/resend-ticket (admin; plugin::booking.box-office.create) */
  async resendTicket(ctx: Ctx) {
    const result = await getService(strapi, 'box-office').resendTicket(String(ctx.params.documentId));
    if (!result.ok) {
      return ctx.conflict(
        result.code === ERROR_CODES.noEmail
          ? 'La prenotazione non ha un indirizzo e-mail / The reservation has no e-mail address'
          : 'Solo una prenotazione confermata ha un biglietto / Only a confirmed reservation has a ticket',
        { code: result.code }
      );
    }
    ctx.status = 202;
    ctx.body = { data: { reference: result.reference, ticket_queued: true } };
  },
});

export default boxOfficeController;
