import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import { textLanguage } from '../utils/locales';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const venueController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/booking/venues/:slug?lang= */
  async findOne(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'catalogue').cachedVenue(String(ctx.params.slug), textLanguage(ctx.query.lang)) };
  },
});

export default venueController;
