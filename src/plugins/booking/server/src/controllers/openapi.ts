import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import type { BookingContext } from './context';

/** How long browsers and proxies may keep the document: it changes only with a new release. */
const MAX_AGE_SECONDS = 300;

const openapiController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/booking/openapi.json: the document itself, not in a `{ data }` envelope. */
  document(ctx: BookingContext) {
    ctx.set('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
    ctx.body = getService(strapi, 'openapi').document();
  },
});

export default openapiController;
