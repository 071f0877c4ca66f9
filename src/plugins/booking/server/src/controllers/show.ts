import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../constants';
import { getService } from '../utils/get-service';
import { textLanguage } from '../utils/locales';
import { sendAnswer } from '../utils/public-answer';
import { showListQuery } from '../validation/public';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const showController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/booking/shows?page=&pageSize=&lang= */
  async find(ctx: Ctx) {
    const unknown = Object.keys(ctx.query).filter((key) => key !== 'page' && key !== 'pageSize' && key !== 'lang');
    const valid = unknown.length === 0 && showListQuery.isValidSync(ctx.query, { strict: true });
    if (!valid) {
      throw new errors.ValidationError('Invalid query: page and pageSize (1 to 100), lang (it or en) only', {
        code: ERROR_CODES.invalidQuery,
      });
    }
    const page = Number(ctx.query.page ?? 1);
    const pageSize = Number(ctx.query.pageSize ?? 25);
    const { data, pagination } = await getService(strapi, 'catalogue').cachedListShows(page, pageSize, textLanguage(ctx.query.lang));
    ctx.body = { data, meta: { pagination } };
  },

  /** GET /api/booking/shows/:slug?lang= (`en`: the English texts where there are; anything else: Italian) */
  async findOne(ctx: Ctx) {
    const show = await getService(strapi, 'catalogue').cachedShowBySlug(String(ctx.params.slug), textLanguage(ctx.query.lang));
    sendAnswer(ctx, getService(strapi, 'public-cache').serialise(show));
  },
});

export default showController;
