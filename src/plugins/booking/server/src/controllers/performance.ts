import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../constants';
import { getService } from '../utils/get-service';
import { textLanguage } from '../utils/locales';
import { sendAnswer } from '../utils/public-answer';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const performanceController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/booking/performances/:documentId?lang= */
  async findOne(ctx: Ctx) {
    const performance = await getService(strapi, 'catalogue').cachedPerformance(
      String(ctx.params.documentId),
      textLanguage(ctx.query.lang)
    );
    sendAnswer(ctx, getService(strapi, 'public-cache').serialise(performance));
  },

  /** GET /booking/performances/:documentId/stats (admin; plugin::booking.performance.stats) */
  async stats(ctx: Ctx) {
    const stats = await getService(strapi, 'door-reports').statistics(String(ctx.params.documentId));
    if (!stats) throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
    ctx.body = { data: stats };
  },

  /** GET /booking/performances/:documentId/offline-conflicts (admin; plugin::booking.performance.stats) */
  async offlineConflicts(ctx: Ctx) {
    const conflicts = await getService(strapi, 'door-reports').offlineConflicts(String(ctx.params.documentId));
    if (!conflicts) throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
    ctx.body = { data: conflicts };
  },

  /** GET /booking/performances/:documentId/scans (admin; plugin::booking.performance.stats) */
  async scans(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'door-reports').recentScans(String(ctx.params.documentId)) };
  },
});

export default performanceController;
