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
 * - Nor is such a show, or a venue, deleted: its performances would lose their show or venue
 *   (their tickets, reminders and door list would name neither) and nobody would be told. A
 *   translation's row deleted alone is not refused: performances link to the Italian row.
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

  /** Upcoming performances (matched by `where`, not cancelled) that hold confirmed seats, soonest first. */
  const heldUpcoming = async (where: Record<string, unknown>) => {
    const performances = (await strapi.db.query(UID.performance).findMany({
      where: { $and: [where, { starts_at: { $gt: new Date() } }, { cancelled_at: { $null: true } }] },
      select: ['id', 'label', 'starts_at'],
      orderBy: { starts_at: 'asc' },
    })) as Array<{ id: number; label: string | null; starts_at: string }>;
    if (performances.length === 0) return [];
    const seats = await getService(strapi, 'availability').forPerformances(performances.map((p) => p.id));
    return performances.map((p) => ({ ...p, confirmed: seats.get(p.id)?.confirmedSeats ?? 0 })).filter((p) => p.confirmed > 0);
  };

  /** Whose performances the refusal speaks of, in the editor's two languages. */
  const OWNER = {
    show: ['Questo spettacolo', 'This show'],
    venue: ['Questo luogo', 'This venue'],
  } as const;

  /** Refuses the write: the message names each held performance and its confirmed seats. */
  const refuseFor = (held: Awaited<ReturnType<typeof heldUpcoming>>, owner: keyof typeof OWNER, path: string): never => {
    const names = held.map((p) => `${p.label ?? new Date(p.starts_at).toISOString()} (${p.confirmed})`).join('; ');
    const [it, en] = OWNER[owner];
    throw new errors.ValidationError(
      say(
        strapi,
        `${it} ha repliche in programma con posti confermati: ${names}. Annulla o sposta prima quelle repliche.`,
        `${en} has upcoming performances with confirmed seats: ${names}. Cancel or move those performances first.`
      ),
      {
        code: ERROR_CODES.capacityBelowConfirmed,
        errors: [{ path: [path], message: 'upcoming performances with confirmed seats', name: 'ValidationError' }],
        performances: held.map((p) => ({ label: p.label, starts_at: new Date(p.starts_at).toISOString() })),
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
    // A performance links to the Italian row of its show; any locale's row names the same document.
    const held = await heldUpcoming({ show: { documentId: { $in: shows.map((show) => show.documentId) } } });
    if (held.length > 0) refuseFor(held, 'show', 'is_published');
  };

  /** Refuses to delete the rows of a venue or show (matched by `where`) that upcoming booked performances link to. */
  const refuseDelete = async (owner: keyof typeof OWNER, where: Record<string, unknown>) => {
    const rows = (await strapi.db.query(owner === 'venue' ? UID.venue : UID.show).findMany({ where, select: ['id'] })) as Array<{
      id: number;
    }>;
    if (rows.length === 0) return;
    const held = await heldUpcoming({ [owner]: { id: { $in: rows.map((row) => row.id) } } });
    if (held.length > 0) refuseFor(held, owner, 'id');
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
    async beforeDelete(event: Event) {
      await refuseDelete('show', event.params.where ?? {});
    },
    async beforeDeleteMany(event: Event) {
      await refuseDelete('show', event.params.where ?? {});
    },
  });

  strapi.db.lifecycles.subscribe({
    models: [UID.venue],
    async beforeDelete(event: Event) {
      await refuseDelete('venue', event.params.where ?? {});
    },
    async beforeDeleteMany(event: Event) {
      await refuseDelete('venue', event.params.where ?? {});
    },
  });
};
