import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../constants';
import { editorLanguage } from '../utils/editor-language';
import { getService } from '../utils/get-service';
import { doorListQuery } from '../validation/box-office';
import { parseOrThrow } from '../validation/parse';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const doorListController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /booking/performances/:documentId/door-list[?q=&format=json|csv|xlsx] (admin; plugin::booking.door-list.read) */
  async find(ctx: Ctx) {
    const query = parseOrThrow(doorListQuery, { ...(ctx.query as Record<string, unknown>) });
    const documentId = String(ctx.params.documentId);
    const doorList = getService(strapi, 'door-list');
    const entries = await doorList.entries(documentId, query.q);
    const performance = await doorList.performance(documentId);
    if (!entries || !performance) throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
    // Personal data: the exports are never kept by a browser or a proxy.
    ctx.set('Cache-Control', 'no-store');
    if (query.format === 'csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment(doorList.fileName(performance, 'csv'));
      ctx.body = doorList.toCsv(entries);
      return;
    }
    if (query.format === 'xlsx') {
      ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      ctx.attachment(doorList.fileName(performance, 'xlsx'));
      ctx.body = await doorList.toXlsx(entries, performance, editorLanguage(strapi));
      return;
    }
    ctx.body = { data: entries };
  },

  /** GET /booking/performances/:documentId/confirmations-per-day (admin; plugin::booking.performance.stats) */
  async confirmationsPerDay(ctx: Ctx) {
    const days = await getService(strapi, 'door-list').confirmationsPerDay(String(ctx.params.documentId));
    if (!days) throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
    ctx.body = { data: days };
  },
});

export default doorListController;
