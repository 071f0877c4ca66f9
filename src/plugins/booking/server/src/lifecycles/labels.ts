import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import { reservationLabel } from '../services/labels';
import { getService } from '../utils/get-service';

interface Event {
  params: { where?: Record<string, unknown>; data?: Record<string, unknown> };
  result?: { id?: number } | null;
}

const touches = (data: Record<string, unknown> | undefined, fields: string[]) =>
  fields.some((field) => data !== undefined && field in data);

const resultId = (event: Event): number[] => (typeof event.result?.id === 'number' ? [event.result.id] : []);

/**
 * The stored labels the Content Manager shows (a performance as 'Show · date time · Venue', a
 * reservation as 'REF · Name'), kept current on every write path: database lifecycles run for the
 * Document Service (the Content Manager) and for the plugin's Query Engine writes alike. The
 * "after" hooks run once the relations are written, so a new show or venue is already linked.
 */
export const registerLabelLifecycles = (strapi: Core.Strapi) => {
  const labels = () => getService(strapi, 'labels');

  strapi.db.lifecycles.subscribe({
    models: [UID.performance],
    async afterCreate(event: Event) {
      await labels().refreshPerformances(resultId(event));
    },
    async afterUpdate(event: Event) {
      if (touches(event.params.data, ['starts_at', 'show', 'venue', 'label'])) {
        await labels().refreshPerformances(resultId(event));
      }
    },
  });

  strapi.db.lifecycles.subscribe({
    models: [UID.show],
    async afterCreate(event: Event) {
      if (touches(event.params.data, ['performances'])) await labels().refreshForShows(resultId(event));
    },
    async afterUpdate(event: Event) {
      if (touches(event.params.data, ['title', 'performances'])) await labels().refreshForShows(resultId(event));
    },
  });

  strapi.db.lifecycles.subscribe({
    models: [UID.venue],
    async afterCreate(event: Event) {
      if (touches(event.params.data, ['performances'])) await labels().refreshForVenues(resultId(event));
    },
    async afterUpdate(event: Event) {
      if (touches(event.params.data, ['name', 'performances'])) await labels().refreshForVenues(resultId(event));
    },
  });

  strapi.db.lifecycles.subscribe({
    models: [UID.reservation],
    // Before the write, in the same statement: no extra query on the booking path.
    beforeCreate(event: Event) {
      const data = event.params.data ?? {};
      data.label = reservationLabel(data.reference, data.name);
    },
    async beforeUpdate(event: Event) {
      const data = event.params.data;
      if (!data || !touches(data, ['name', 'reference', 'label'])) return;
      let { reference, name } = data;
      if (!('reference' in data) || !('name' in data)) {
        const current = (await strapi.db.query(UID.reservation).findOne({
          where: event.params.where,
          select: ['reference', 'name'],
        })) as { reference: string; name: string } | null;
        if (!current) return;
        reference = 'reference' in data ? reference : current.reference;
        name = 'name' in data ? name : current.name;
      }
      data.label = reservationLabel(reference, name);
    },
  });
};
