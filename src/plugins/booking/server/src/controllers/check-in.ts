import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../validation/parse';
import { checkInInput } from '../validation/admin';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const checkInController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /booking/check-ins (admin; plugin::booking.check-in.create) */
  async create(ctx: Ctx) {
    const input = parseOrThrow(checkInInput, ctx.request.body);
    const answer = await getService(strapi, 'door').checkInTicket({
      text: input.token,
      reference: input.reference,
      performance: input.performance,
      // A typed reference is a manual check-in whatever the client says.
      source: input.reference !== undefined ? 'manual' : input.source,
      idempotencyKey: input.idempotency_key,
      staff: {
        id: ctx.state.user.id,
        firstname: ctx.state.user.firstname ?? null,
        lastname: ctx.state.user.lastname ?? null,
        username: ctx.state.user.username ?? null,
      },
    });
    ctx.body = { data: answer };
  },

  /** GET /booking/door/performances (admin; plugin::booking.check-in.create) */
  async doorPerformances(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'door-reports').doorPerformances() };
  },
});

export default checkInController;
