/**
 * Issue 22: the rules an editor's write meets when the evening changes, on every write path (the
 * Content Manager's Document Service writes and any `strapi.db.query` write fire these database
 * lifecycles alike).
 *
 * - A performance's `cancelled_at` and `cancellation_message` are written only by its cancel
 *   (services/performance-cancel.ts, raw SQL that fires no lifecycle): an editor's save that
 *   would change them is refused.
 * - A show with upcoming performances holding confirmed seats is not unpublished: its holders'
 *   show page would say the show does not exist. The refusal names those performances (cancel or
 *   move them first), as the delete of such a performance is refused.
 */
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID } from '../constants';
import { getService } from '../utils/get-service';
import { say } from '../utils/editor-language';

interface Event {
  params: { where?: Record<string, unknown>; data?: Record<string, unknown> };
}

const CANCEL_FIELDS = ['cancelled_at', 'cancellation_message'] as const;

const same = (a: unknown, b: unknown) => {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(a) || empty(b)) return empty(a) && empty(b);
  const text = (v: unknown) =>
    v instanceof Date ? v.toISOString() : typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
  const [ta, tb] = [Date.parse(text(a)), Date.parse(text(b))];
  return !Number.isNaN(ta) && !Number.isNaN(tb) ? ta === tb : text(a) === text(b);
};

/** Whether a write sets `is_published` off. */
const unpublishes = (data: Record<string, unknown>) =>
  'is_published' in data && (data.is_published === false || data.is_published === 0 || data.is_published === 'false');

export const registerEveningChangeLifecycles = (strapi: Core.Strapi) => {
  const refuseCancelFields = async (where: Record<string, unknown>, data: Record<string, unknown>, many: boolean) => {
    const touched = CANCEL_FIELDS.filter((field) => field in data);
    if (touched.length === 0) return;
    const rows = (await strapi.db.query(UID.performance).findMany({ where, select: ['id', ...CANCEL_FIELDS] })) as Array<
      Record<string, unknown>
    >;
    const changed = touched.filter((field) => many || rows.some((row) => !same(row[field], data[field])));
    if (changed.length === 0) return;
    throw new errors.ValidationError(
      say(
        strapi,
        'Una replica si annulla con l’azione «Annulla replica», che scrive a chi ha prenotato.',
        'A performance is cancelled with the “Cancel performance” action, which writes to everyone booked.'
      ),
      {
        code: ERROR_CODES.readOnly,
        errors: changed.map((field) => ({ path: [field], message: 'read-only', name: 'ValidationError' })),
      }
    );
  };

  /** Refuses to unpublish a published show (matched by `where`) while upcoming performances hold confirmed seats. */
  const refuseUnpublish = async (where: Record<string, unknown>, data: Record<string, unknown>) => {
    if (!unpublishes(data)) return;
    const shows = (await strapi.db
      .query(UID.show)
      .findMany({ where: { $and: [where, { is_published: true }] }, select: ['documentId'] })) as Array<{ documentId: string }>;
    if (shows.length === 0) return;
    const now = new Date();
    // A performance links to the Italian row of its show; any locale's row names the same document.
    const performances = (await strapi.db.query(UID.performance).findMany({
      where: {
        show: { documentId: { $in: shows.map((show) => show.documentId) } },
        starts_at: { $gt: now },
        cancelled_at: { $null: true },
      },
      select: ['id', 'label', 'starts_at'],
      orderBy: { starts_at: 'asc' },
    })) as Array<{ id: number; label: string | null; starts_at: string }>;
    if (performances.length === 0) return;
    const seats = await getService(strapi, 'availability').forPerformances(performances.map((p) => p.id));
    const held = performances.filter((p) => (seats.get(p.id)?.confirmedSeats ?? 0) > 0);
    if (held.length === 0) return;
    const names = held.map((p) => `${p.label ?? new Date(p.starts_at).toISOString()} (${seats.get(p.id)?.confirmedSeats ?? 0})`).join('; ');
    throw new errors.ValidationError(
      say(
        strapi,
        `Questo spettacolo ha repliche in programma con posti confermati: ${names}. Annulla o sposta prima quelle repliche.`,
        `This show has upcoming performances with confirmed seats: ${names}. Cancel or move those performances first.`
      ),
      {
        code: ERROR_CODES.capacityBelowConfirmed,
        errors: [{ path: ['is_published'], message: 'upcoming performances with confirmed seats', name: 'ValidationError' }],
        performances: held.map((p) => ({ label: p.label, starts_at: new Date(p.starts_at).toISOString() })),
      }
    );
  };

  strapi.db.lifecycles.subscribe({
    models: [UID.performance],
    async beforeUpdate(event: Event) {
      await refuseCancelFields(event.params.where ?? {}, event.params.data ?? {}, false);
    },
    async beforeUpdateMany(event: Event) {
      await refuseCancelFields(event.params.where ?? {}, event.params.data ?? {}, true);
    },
  });

  strapi.db.lifecycles.subscribe({
    models: [UID.show],
    async beforeUpdate(event: Event) {
      await refuseUnpublish(event.params.where ?? {}, event.params.data ?? {});
    },
    async beforeUpdateMany(event: Event) {
      await refuseUnpublish(event.params.where ?? {}, event.params.data ?? {});
    },
  });
};
