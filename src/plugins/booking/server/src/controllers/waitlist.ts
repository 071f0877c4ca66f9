import type { Core } from '@strapi/strapi';
import { getConfig, getService } from '../utils/get-service';
import { textLanguage } from '../utils/locales';
import { parseDataEnvelope, parseOrThrow } from '../validation/parse';
import { reservationInput, tokenInput } from '../validation/public';
import type { BookingContext } from './context';
import { answerFailure } from './reservation';

type Ctx = BookingContext;

/**
 * The public waiting list: join a performance's list (unconfirmed), confirm the join by the
 * mailed link (then it waits, with its place in the queue), leave it by the next mail's link.
 */
const waitlistController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /api/booking/waitlist (the reservation's body and validation) */
  async join(ctx: Ctx) {
    const input = parseDataEnvelope(reservationInput(getConfig(strapi).maxPartySize), ctx.request.body);
    const result = await getService(strapi, 'waitlist').join({ ...input, name: input.name.trim(), email: input.email.trim() });
    if (!result.ok) return answerFailure(ctx, result);
    ctx.status = 201;
    ctx.body = {
      data: {
        reference: result.entry.reference,
        status: result.entry.waitlist_status,
        party_size: result.entry.party_size,
        performance: await getService(strapi, 'catalogue').performanceByDocumentId(
          result.performance.documentId,
          new Date(),
          textLanguage(ctx.query.lang ?? input.locale)
        ),
        // Until when the e-mailed link confirms the join (then it lapses).
        confirm_by: result.entry.confirm_by,
      },
    };
  },

  /** POST /api/booking/waitlist/confirm */
  async confirm(ctx: Ctx) {
    const { token } = parseOrThrow(tokenInput, ctx.request.body);
    const result = await getService(strapi, 'waitlist').confirm(token);
    if (!result.ok) return answerFailure(ctx, result);
    const performance = await getService(strapi, 'catalogue').performanceByDocumentId(
      result.performanceDocumentId,
      new Date(),
      textLanguage(ctx.query.lang)
    );
    ctx.body = {
      data: {
        reference: result.entry.reference,
        // `waiting`, or `offered` when free seats were offered to it at once.
        status: result.entry.waitlist_status,
        party_size: result.entry.party_size,
        position: result.position,
        performance,
      },
    };
  },

  /** POST /api/booking/waitlist/leave */
  async leave(ctx: Ctx) {
    const { token } = parseOrThrow(tokenInput, ctx.request.body);
    const result = await getService(strapi, 'waitlist').leave(token);
    if (!result.ok) return answerFailure(ctx, result);
    ctx.body = { data: { reference: result.entry.reference, status: result.entry.waitlist_status } };
  },
});

export default waitlistController;
