import type { Core } from '@strapi/strapi';
import { dialectOf } from './data/dialect';
import { scheduleRetention } from './jobs/retention';
import { registerLifecycles } from './lifecycles';
import { registerLabelLifecycles } from './lifecycles/labels';
import { registerWebhookLifecycles } from './lifecycles/webhooks';
import { registerWaitlistLifecycles } from './lifecycles/waitlist';
import { registerScheduleChangeLifecycles } from './lifecycles/schedule-changes';
import { dataOf } from './data';
import { registerEveningChangeLifecycles } from './lifecycles/evening-changes';
import { getConfig, getService } from './utils/get-service';
import { registerLocaleLifecycles, setUpLocales } from './utils/locales';
import { transaction } from './utils/transaction';

/** Serialises the setup below across app instances booting at once on one PostgreSQL. */
const SETUP_LOCK_KEY = 0x626f6f6b; // "book"

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  registerLifecycles(strapi);
  // Before the labels: a performance is relinked to the Italian rows before its label is made.
  registerLocaleLifecycles(strapi);
  registerLabelLifecycles(strapi);
  registerWebhookLifecycles(strapi);
  registerWaitlistLifecycles(strapi);
  // When the evening changes (issue 22): after the locale relinks, so a venue reads as its document.
  registerScheduleChangeLifecycles(strapi);
  registerEveningChangeLifecycles(strapi);

  await transaction(strapi, async ({ trx }) => {
    await dialectOf(strapi).lockForTransaction(trx, SETUP_LOCK_KEY);
    await getService(strapi, 'schema').ensureIndexes(trx);
    await getService(strapi, 'schema').backfillEmailKeys(trx);
    await getService(strapi, 'schema').ensureSeatCounters(trx);
    // When the evening changes (issue 22): pending change notices, messages to the audience.
    await dataOf(strapi).scheduleChanges.ensureTable(trx);
    await dataOf(strapi).performanceMessages.ensureTable(trx);
    await getService(strapi, 'public-cache').ensureTriggers(trx);
    await setUpLocales(strapi);
    await getService(strapi, 'roles').ensureDoorStaffRole();
    await getService(strapi, 'roles').ensureBoxOfficeRole();
    await getService(strapi, 'roles').grantPerformanceCancelOnce();
    await getService(strapi, 'roles').restrictEditorialRoles();
    await getService(strapi, 'roles').grantEditorialLocalesOnce();
    await getService(strapi, 'roles').grantPublicRoutesOnce();

    const demo = getService(strapi, 'demo-data');
    const seedAllowed = process.env.NODE_ENV !== 'production' && getConfig(strapi).seedDemoData;
    if (seedAllowed && (await demo.isEmpty())) {
      const created = await demo.seed();
      strapi.log.info(`[booking] demo season seeded (${created} rows)`);
    }
    // `npm run develop` only: one demo performance always has its door open (README walk-through).
    if (seedAllowed && process.env.NODE_ENV === 'development') await demo.ensureTonight();
  });

  // After the seed: rows from before labels existed, or written by raw SQL, get theirs.
  await getService(strapi, 'labels').backfill();
  await getService(strapi, 'editor-views').apply();
  await getService(strapi, 'rate-limit').init();
  await getService(strapi, 'public-cache').start();
  if (getConfig(strapi).scheduledJobs) {
    scheduleJobs(strapi);
    scheduleRetention(strapi);
  }
};

export const HOUSEKEEPING_JOB = 'booking-housekeeping';

/**
 * Every 30 s on every instance: lapsed pending reservations become expired, lapsed waiting-list
 * offers pass on, lapsed unconfirmed joins expire, due reminders are queued (each claimed once), owed e-mails and webhook
 * deliveries are retried, old rate-limit counters go. Each step is safe to run on several
 * instances at once: expiry is one conditional UPDATE, and each e-mail and webhook delivery is
 * leased by one instance before it is sent.
 */
const scheduleJobs = (strapi: Core.Strapi) => {
  strapi.cron.add({
    [HOUSEKEEPING_JOB]: {
      task: async () => {
        try {
          const now = new Date();
          await getService(strapi, 'reservations').expireOverdue(now);
          // Lapsed offers pass their held seats to the next entries within this run.
          await getService(strapi, 'waitlist').expireOverdueOffers(now);
          await getService(strapi, 'waitlist').expireUnconfirmed(now);
          await getService(strapi, 'reminders').queueDue(now);
          // A booked performance that moved: its holders told once the notice delay has passed (issue 22).
          await getService(strapi, 'schedule-changes').sendDue(now);
          await getService(strapi, 'mailer').deliverDue(now);
          await getService(strapi, 'webhooks').deliverDue(now);
          await getService(strapi, 'rate-limit').clearExpired();
        } catch (error) {
          strapi.log.error(`[booking] housekeeping failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      },
      options: { rule: '*/30 * * * * *' },
    },
  });
};

export default bootstrap;
