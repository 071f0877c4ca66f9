import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { CAPACITY_FIELDS } from '../services/performances';
import { getService } from '../utils/get-service';

interface UpdateEvent {
  params: { data?: Record<string, unknown> };
  result?: { id?: number } | null;
}

/**
 * A performance's capacity raised (or booking switched on) frees seats: they are offered to its
 * waiting list right after the row is written, inside the Document Service's transaction (the
 * Content Manager's path), so no public booking can take them first.
 */
export const registerWaitlistLifecycles = (strapi: Core.Strapi) => {
  strapi.db.lifecycles.subscribe({
    models: [UID.performance],
    async afterUpdate(event: UpdateEvent) {
      const data = event.params.data ?? {};
      const id = event.result?.id;
      if (!id || !(CAPACITY_FIELDS.some((field) => field in data) || 'is_booking_enabled' in data)) return;
      await getService(strapi, 'seat-ledger').capacityChanged(id);
    },
  });
};
