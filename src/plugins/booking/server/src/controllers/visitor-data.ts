import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../validation/parse';
import { visitorAddress } from '../validation/visitor-data';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const visitorDataController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /booking/visitor-data?email= (admin; plugin::booking.visitor-data.manage) */
  async export(ctx: Ctx) {
    const { email } = parseOrThrow(visitorAddress, { ...(ctx.query as object) });
    ctx.body = { data: await getService(strapi, 'privacy').exportVisitor(email) };
  },

  /** POST /booking/visitor-data/erase { email } (admin; plugin::booking.visitor-data.manage) */
  async erase(ctx: Ctx) {
    const { email } = parseOrThrow(visitorAddress, ctx.request.body);
    ctx.body = { data: await getService(strapi, 'privacy').eraseVisitor(email) };
  },
});

export default visitorDataController;
