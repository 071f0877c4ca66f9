import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';

interface Ctx {
  params: Record<string, string>;
  body: unknown;
}

const performanceController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** GET /api/booking/performances/:documentId */
  async findOne(ctx: Ctx) {
    ctx.body = {
      data: await getService(strapi, 'catalogue').performanceByDocumentId(String(ctx.params.documentId)),
    };
  },
});

export default performanceController;
