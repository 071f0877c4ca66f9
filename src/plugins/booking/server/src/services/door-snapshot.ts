import type { Core } from '@strapi/strapi';
import { dataOf } from '../data';
import { checkInWindow } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import type { DoorSnapshot } from '../../../shared/door-snapshot';

/**
 * How far back a cursor reaches before the answer it came with. A change is stamped with its
 * transaction's time but seen only at its commit: a check-in stamped 20:00:00.900 that commits at
 * 20:00:01.100 is missed by a snapshot read at 20:00:01.000 that answered "changes after now".
 * Reaching back a minute covers any transaction shorter than that and the clocks of the app
 * instances drifting apart by less. Entries are states, not deltas, so one sent twice is harmless.
 */
export const CURSOR_OVERLAP_MS = 60_000;

/**
 * The offline door's snapshot of a performance (API.md, "The door when the network drops"): one
 * entry per check-in token of its reservations, keyed by the token's stored hash, with its party,
 * status and check-in time in clear and the rest sealed with a key only that ticket's raw token
 * derives (sealed at issue: the server keeps no raw token, data/tokens.ts). With `since`, only
 * the entries changed from that cursor on (new and resent tickets, cancellations, smaller
 * parties, check-ins, erasures). A read only: nothing here slows the check-in.
 */
const createDoorSnapshotService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The snapshot, or null when there is no such performance. */
  async snapshot(performanceDocumentId: string, since: number | null, now = new Date()): Promise<DoorSnapshot | null> {
    const knex = strapi.db.connection;
    const performanceId = await dataOf(strapi).performances.idOf(knex, performanceDocumentId);
    if (performanceId === null) return null;
    // The cursor is taken before the read: whatever commits while the rows are read comes again next time.
    const cursor = String(now.getTime() - CURSOR_OVERLAP_MS);
    const performance = await getService(strapi, 'catalogue').performanceFacts(performanceId);
    if (!performance) return null;
    const tickets = await dataOf(strapi).doorSnapshot.entries(knex, performanceId, since === null ? null : new Date(since));
    const window = checkInWindow(performance.starts_at, getConfig(strapi));
    return {
      performance: {
        documentId: performance.documentId,
        starts_at: new Date(performance.starts_at).toISOString(),
        show_title: performance.show?.title ?? '',
        venue_name: performance.venue?.name ?? '',
        check_in_opens_at: window.opensAt.toISOString(),
        check_in_closes_at: window.closesAt.toISOString(),
      },
      cursor,
      tickets,
    };
  },
});

export type DoorSnapshotService = ReturnType<typeof createDoorSnapshotService>;
export default createDoorSnapshotService;
