import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import type { ScheduleState } from '../data/schedule-changes';
import { dataOf } from '../data';
import { getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';

interface LifecycleEvent {
  params: { where?: Record<string, unknown>; data?: Record<string, unknown> };
  state: { scheduleBefore?: Map<number, ScheduleState> };
}

/** Fields of a performance that, changed, move it for its holders. */
const MOVING_FIELDS = ['starts_at', 'venue'];

/**
 * Every id and documentId named in a relation value as the Query Engine and the Document Service
 * take it: `5`, `[5, 6]`, `{ id: 5 }`, `{ documentId: '...' }`, `{ connect: [...], disconnect:
 * [...], set: [...] }`. Over-collecting is harmless: an unmoved performance owes nothing.
 */
const namedIn = (value: unknown, ids: Set<number>, documentIds: Set<string>): void => {
  if (typeof value === 'number' && Number.isInteger(value)) ids.add(value);
  else if (typeof value === 'string' && /^\d+$/.test(value)) ids.add(Number(value));
  else if (typeof value === 'string') documentIds.add(value);
  else if (Array.isArray(value)) for (const item of value) namedIn(item, ids, documentIds);
  else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if ('id' in record) namedIn(record.id, ids, new Set());
    if (typeof record.documentId === 'string') documentIds.add(record.documentId);
    for (const key of ['connect', 'disconnect', 'set']) if (key in record) namedIn(record[key], ids, documentIds);
  }
};

/**
 * When the evening changes (issue 22): a booked performance's date or venue changed by any write
 * path owes its holders a notice (services/schedule-changes.ts). The Query Engine's lifecycles
 * run for the Query Engine and the Document Service (the Content Manager) alike, from both sides
 * of the relation: a performance written with a new date or venue, many at once, and a venue
 * written with performances (re-linking them). Before the write, the state of the performances
 * it may move is read; after it, what changed is recorded in the write's transaction.
 */
export const registerScheduleChangeLifecycles = (strapi: Core.Strapi) => {
  const service = () => getService(strapi, 'schedule-changes');
  const idsWhere = async (uid: string, where: Record<string, unknown> | undefined): Promise<number[]> =>
    ((await strapi.db.query(uid as typeof UID.performance).findMany({ where: where ?? {}, select: ['id'] })) as Array<{ id: number }>).map(
      (row) => Number(row.id)
    );
  const after = async (event: LifecycleEvent) => {
    const before = event.state.scheduleBefore;
    if (before) await service().noteWrites(before);
  };

  const beforePerformanceWrite = async (event: LifecycleEvent) => {
    const data = event.params.data ?? {};
    if (!MOVING_FIELDS.some((field) => field in data)) return;
    event.state.scheduleBefore = await service().snapshot(await idsWhere(UID.performance, event.params.where));
  };
  strapi.db.lifecycles.subscribe({
    models: [UID.performance],
    beforeUpdate: beforePerformanceWrite,
    beforeUpdateMany: beforePerformanceWrite,
    afterUpdate: after,
    afterUpdateMany: after,
  });

  // The other side: a venue written with `performances` links them to itself (and away from
  // their venue), or unlinks some.
  const beforeVenueWrite = async (event: LifecycleEvent) => {
    const data = event.params.data ?? {};
    if (!('performances' in data)) return;
    const ids = new Set<number>();
    const documentIds = new Set<string>();
    namedIn(data.performances, ids, documentIds);
    if (documentIds.size > 0) {
      for (const id of await idsWhere(UID.performance, { documentId: { $in: [...documentIds] } })) ids.add(id);
    }
    if (event.params.where) {
      for (const venueId of await idsWhere(UID.venue, event.params.where)) {
        const linked = await transaction(strapi, ({ trx }) => dataOf(strapi).scheduleChanges.performancesOfVenue(trx, { id: venueId }));
        for (const id of linked) ids.add(id);
      }
    }
    event.state.scheduleBefore = await service().snapshot([...ids]);
  };
  strapi.db.lifecycles.subscribe({
    models: [UID.venue],
    beforeCreate: beforeVenueWrite,
    beforeUpdate: beforeVenueWrite,
    afterCreate: after,
    afterUpdate: after,
  });
};
