/**
 * The plugin's data access: one module per table for its raw reads and writes, each function
 * taking the knex to run on (the caller's transaction, or the connection). Strapi's internal
 * columns and link tables are resolved in strapi-internals.ts; what differs between PostgreSQL
 * and SQLite is in dialect.ts.
 */
import type { Core } from '@strapi/strapi';
import { createChangeNoticesData } from './change-notices';
import { createCheckInsData } from './check-ins';
import { dialectOf } from './dialect';
import { createDoorSnapshotData } from './door-snapshot';
import { createOutboxData } from './outbox';
import { createPerformanceMessagesData } from './performance-messages';
import { createPerformanceCancelData } from './performance-cancel';
import { createPerformancesData } from './performances';
import { createRateLimitsData } from './rate-limits';
import { createReservationsData } from './reservations';
import { createScansData } from './scans';
import { createSchemaData } from './schema';
import { createScheduleChangesData } from './schedule-changes';
import { createSeatsData } from './seats';
import { createTokensData } from './tokens';
import { createWebhookDeliveriesData } from './webhook-deliveries';
import { createWaitlistEntriesData } from './waitlist-entries';

const createData = (strapi: Core.Strapi) => ({
  dialect: dialectOf(strapi),
  changeNotices: createChangeNoticesData(strapi),
  checkIns: createCheckInsData(strapi),
  doorSnapshot: createDoorSnapshotData(strapi),
  outbox: createOutboxData(strapi),
  performances: createPerformancesData(strapi),
  /** Issue 22: a performance's cancel. */
  performanceCancel: createPerformanceCancelData(strapi),
  rateLimits: createRateLimitsData(),
  reservations: createReservationsData(strapi),
  scans: createScansData(strapi),
  schema: createSchemaData(strapi),
  seats: createSeatsData(strapi),
  tokens: createTokensData(strapi),
  webhookDeliveries: createWebhookDeliveriesData(strapi),
  waitlistEntries: createWaitlistEntriesData(strapi),
  // When the evening changes (issue 22).
  scheduleChanges: createScheduleChangesData(strapi),
  performanceMessages: createPerformanceMessagesData(strapi),
});

export type BookingData = ReturnType<typeof createData>;

const made = new WeakMap<Core.Strapi, BookingData>();
/** The data modules of an app instance, made once. */
export const dataOf = (strapi: Core.Strapi): BookingData => {
  let data = made.get(strapi);
  if (!data) made.set(strapi, (data = createData(strapi)));
  return data;
};
