import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES } from '../constants';
import { getService } from '../utils/get-service';
import { audienceMessageInput } from '../validation/messages';
import { parseOrThrow } from '../validation/parse';
import type { BookingContext } from './context';

type Ctx = BookingContext;

const notFound = () => new errors.NotFoundError('Replica non trovata / Performance not found', { code: ERROR_CODES.performanceNotFound });

/** Writing to a performance's audience (issue 22); both routes need plugin::booking.performance.message. */
const messagesController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /booking/performances/:documentId/messages */
  async create(ctx: Ctx) {
    const input = parseOrThrow(audienceMessageInput, ctx.request.body);
    const user = (ctx.state as { user?: { id?: number; firstname?: string | null; lastname?: string | null; email?: string } }).user;
    const name = [user?.firstname, user?.lastname].filter(Boolean).join(' ') || user?.email || null;
    const result = await getService(strapi, 'audience-messages').send(String(ctx.params.documentId), input, {
      id: user?.id ?? null,
      name,
    });
    if (!result.ok) {
      if (result.code === 'performance_not_found') throw notFound();
      ctx.set('Retry-After', String(result.retryAfterSeconds));
      return ctx.tooManyRequests('Al massimo 5 messaggi al giorno per replica / At most 5 messages a day per performance', {
        code: ERROR_CODES.rateLimited,
        retry_after_seconds: result.retryAfterSeconds,
      });
    }
    ctx.status = 202;
    ctx.body = { data: { recipients: result.recipients } };
  },

  /** GET /booking/performances/:documentId/messages: what was written, and how many each audience counts now. */
  async find(ctx: Ctx) {
    const documentId = String(ctx.params.documentId);
    const service = getService(strapi, 'audience-messages');
    const messages = await service.list(documentId);
    if (!messages) throw notFound();
    ctx.body = {
      data: {
        messages,
        audience: {
          confirmed: (await service.audienceSize(documentId, 'confirmed')) ?? 0,
          confirmed_and_waiting: (await service.audienceSize(documentId, 'confirmed_and_waiting')) ?? 0,
        },
      },
    };
  },
});

export default messagesController;
