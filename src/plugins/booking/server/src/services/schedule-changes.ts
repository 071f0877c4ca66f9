import type { Core } from '@strapi/strapi';
import { dataOf } from '../data';
import { sameSchedule, type ScheduleState } from '../data/schedule-changes';
import { checkInWindow } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';

/** How many due notices one housekeeping run sends. */
const BATCH = 20;

/**
 * A booked performance that moves (issue 22). Every write of a performance's date or venue, by
 * any path (the Content Manager, the Query Engine, a venue re-linking performances), ends in
 * `noteWrites` (lifecycles/schedule-changes.ts) with the state before it. The first change of a
 * performance with confirmed seats records what its holders were told and a due time
 * `changeNoticeMinutes` ahead; each later change moves the due time on (the notice gathers them);
 * a change back to what they were told owes nothing. The housekeeping job's `sendDue` then tells
 * each holder once: one mail (new date and place, the cancellation link, the calendar file with
 * the next SEQUENCE) and the webhook, recorded in the transaction that claims the notice, so
 * exactly once across instances.
 */
const createScheduleChangesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi).scheduleChanges;

  return {
    /** The date and venue of these performances now (for the state before a write). */
    async snapshot(performanceIds: number[]): Promise<Map<number, ScheduleState>> {
      return transaction(strapi, ({ trx }) => data().states(trx, performanceIds));
    },

    /**
     * After a write: for each performance in `before` whose date or venue changed, owes a notice
     * (or none, when it is back to what its holders were told). Runs in the write's transaction.
     */
    async noteWrites(before: Map<number, ScheduleState>, now = new Date()): Promise<void> {
      if (before.size === 0) return;
      await transaction(strapi, async ({ trx }) => {
        const after = await data().states(trx, [...before.keys()]);
        const changed = [...before.keys()].filter((id) => {
          const was = before.get(id)!;
          const is = after.get(id);
          return is !== undefined && !sameSchedule(was, is);
        });
        if (changed.length === 0) return;
        const booked = await data().withConfirmedSeats(trx, changed);
        const dueAtMs = now.getTime() + Math.round(getConfig(strapi).changeNoticeMinutes * 60_000);
        for (const id of changed) {
          if (!booked.has(id)) continue;
          const row = await data().lockRow(trx, id);
          const told = row.original ?? before.get(id)!;
          if (sameSchedule(told, after.get(id)!)) await data().clearPending(trx, id);
          else await data().setPending(trx, id, told, dueAtMs);
        }
      });
    },

    /**
     * Sends the notices due at `now` (the housekeeping job; tests pass their clock). Each is
     * claimed, and its mails and webhook recorded, in one transaction; returns how many
     * performances' holders were told.
     */
    async sendDue(now = new Date()): Promise<number> {
      const due = await data().due(strapi.db.connection, now.getTime(), BATCH);
      let told = 0;
      for (const performanceId of due) {
        const sent = await transaction(strapi, async ({ trx }) => {
          const row = await data().claimDue(trx, performanceId, now.getTime());
          if (!row) return false;
          const state = (await data().states(trx, [performanceId])).get(performanceId);
          if (!state || (row.original && sameSchedule(row.original, state))) {
            await data().clearPending(trx, performanceId);
            return false;
          }
          const version = row.scheduleVersion + 1;
          await data().clearPending(trx, performanceId, version);
          const reservationIds = await data().confirmedReservations(trx, performanceId);
          const startsAt = new Date(state.startsAtMs);
          // Old links and QR codes follow the new start; a later start gets its reminder again.
          const config = getConfig(strapi);
          const remindAgain = config.reminderHoursBefore > 0 && startsAt.getTime() - config.reminderHoursBefore * 3600_000 > now.getTime();
          await data().followNewStart(trx, reservationIds, startsAt, checkInWindow(startsAt, config).closesAt, remindAgain);
          const facts = await dataOf(strapi).performances.facts(trx, performanceId, 'it');
          await getService(strapi, 'events').announce(
            trx,
            {
              type: 'performance.rescheduled',
              performanceId,
              reservationIds,
              webhook: {
                documentId: facts?.documentId ?? '',
                starts_at: startsAt.toISOString(),
                venue: facts?.venue
                  ? { documentId: state.venue, name: facts.venue.name, address: facts.venue.address, city: facts.venue.city }
                  : null,
              },
            },
            now
          );
          return true;
        });
        if (sent) told += 1;
      }
      return told;
    },
  };
};

export type ScheduleChangesService = ReturnType<typeof createScheduleChangesService>;
export default createScheduleChangesService;
