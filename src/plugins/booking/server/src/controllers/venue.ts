import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const venueController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/booking/venues/:slug */
  async findOne(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'catalogue').cachedVenue(String(ctx.params.slug)) };
  },
});

export default venueController;
