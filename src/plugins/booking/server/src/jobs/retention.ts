import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';

export const RETENTION_JOB = 'booking-retention';

/** Daily at 03:30 (server time), when nobody books; and once at every start. */
export const RETENTION_RULE = '0 30 3 * * *';

const running = new WeakMap<Core.Strapi, Promise<void>>();

/**
 * One sweep of the retention job (services/privacy.ts eraseLapsed), at most one at a time per
 * instance. Several instances may sweep at once: each batch is conditional and idempotent. The
 * log line holds a count, never a name or an address.
 */
export const runRetention = (strapi: Core.Strapi): Promise<void> => {
  const current = running.get(strapi);
  if (current) return current;
  const sweep = (async () => {
    try {
      const erased = await getService(strapi, 'privacy').eraseLapsed(new Date());
      if (erased > 0) strapi.log.info(`[booking] retention: personal data erased from ${erased} reservations`);
    } catch (error) {
      strapi.log.error(`[booking] retention failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  })().finally(() => running.delete(strapi));
  running.set(strapi, sweep);
  return sweep;
};

/** Starts a sweep now, without holding up the start, and schedules the daily one. */
export const scheduleRetention = (strapi: Core.Strapi) => {
  void runRetention(strapi);
  strapi.cron.add({
    [RETENTION_JOB]: { task: () => runRetention(strapi), options: { rule: RETENTION_RULE } },
  });
};

/** Removes the daily job and waits for a sweep under way (before the database closes). */
export const stopRetention = async (strapi: Core.Strapi) => {
  if (strapi.cron.jobs.some((job) => job.name === RETENTION_JOB)) strapi.cron.remove(RETENTION_JOB);
  await running.get(strapi);
};
