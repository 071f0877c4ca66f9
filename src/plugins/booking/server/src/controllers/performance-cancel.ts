import type { Core } from '@strapi/strapi';
import { ERROR_CODES } from '../constants';
import { getService } from '../utils/get-service';
import { parseOrThrow } from '../validation/parse';
import { performanceCancelInput } from '../validation/performance-cancel';
import type { BookingContext } from './context';

type Ctx = BookingContext;

/** Issue 22: cancel a performance (admin; plugin::booking.performance.cancel). */
const performanceCancelController = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** POST /booking/performances/:documentId/cancel { message? } */
  async cancel(ctx: Ctx) {
    const input = parseOrThrow(performanceCancelInput, ctx.request.body ?? {});
    const message = input.message && input.message.trim() !== '' ? input.message.trim() : null;
    const result = await getService(strapi, 'performance-cancel').cancel(String(ctx.params.documentId), message);
    if (!result.ok) {
      return ctx.conflict(
        result.code === ERROR_CODES.alreadyCancelled
          ? 'Questa replica è già annullata / This performance is already cancelled'
          : 'La replica è già iniziata: non si annulla più / The performance has started: it can no longer be cancelled',
        { code: result.code }
      );
    }
    ctx.body = {
      data: {
        documentId: result.documentId,
        status: 'cancelled',
        reservations_cancelled: result.reservationsCancelled,
        waitlist_entries_closed: result.waitlistEntriesClosed,
      },
    };
  },

  /** GET /booking/performances/:documentId/cancel: who a cancel would write to (the dialog's count). */
  async preview(ctx: Ctx) {
    ctx.body = { data: await getService(strapi, 'performance-cancel').preview(String(ctx.params.documentId)) };
  },
});

export default performanceCancelController;
