/**
 * The rate-limit counters on PostgreSQL (`booking_rate_limits`, made and written by
 * rate-limiter-flexible, services/rate-limit.ts): only their clean-up is the plugin's own SQL.
 */
import type { Knex } from 'knex';

export const RATE_LIMITS_TABLE = 'booking_rate_limits';

export const createRateLimitsData = () => ({
  /** Deletes the counters that expired before `before` (ms since the epoch, as the library writes it). */
  async clearExpired(knex: Knex, before: number): Promise<void> {
    await knex(RATE_LIMITS_TABLE).where('expire', '<', before).delete();
  },
});

export type RateLimitsData = ReturnType<typeof createRateLimitsData>;
