import type { Core } from '@strapi/strapi';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { getConfig } from '../utils/get-service';

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The per-IP limit on public POSTs (rate-limiter-flexible). On PostgreSQL the counters live in a
 * table of their own, so the limit holds across every app instance behind the load balancer; on
 * SQLite (one process, development) they live in memory.
 */
const createRateLimitService = ({ strapi }: { strapi: Core.Strapi }) => {
  let limiter: RateLimiterAbstract | null = null;

  return {
    /** Creates the limiter (and its table on PostgreSQL); called once in bootstrap. */
    async init(): Promise<void> {
      const points = getConfig(strapi).rateLimitPerMinute;
      if (points === 0) {
        limiter = null;
        return;
      }
      const options = { keyPrefix: 'booking_public_post', points, duration: 60 };
      if (strapi.db.dialect.client !== 'postgres') {
        limiter = new RateLimiterMemory(options);
        return;
      }
      await new Promise<void>((resolve, reject) => {
        limiter = new RateLimiterPostgres(
          {
            ...options,
            storeClient: strapi.db.connection,
            storeType: 'knex',
            tableName: 'booking_rate_limits',
            // Its own hourly clean-up timer would keep the process (and jest) alive: the
            // plugin's scheduled job clears old rows instead.
            clearExpiredByTimeout: false,
          },
          (error?: Error) => (error ? reject(error) : resolve())
        );
      });
    },

    /** Counts one request from `key` and says whether it may go on. */
    async consume(key: string): Promise<RateDecision> {
      if (!limiter) return { allowed: true };
      try {
        await limiter.consume(key);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
        }
        throw rejection;
      }
    },

    /** Deletes expired counters (PostgreSQL); the scheduled job calls it. */
    async clearExpired(): Promise<void> {
      if (strapi.db.dialect.client !== 'postgres' || !limiter) return;
      await strapi.db.connection('booking_rate_limits').where('expire', '<', new Date(Date.now() - 3600_000)).delete();
    },
  };
};

export type RateLimitService = ReturnType<typeof createRateLimitService>;
export default createRateLimitService;
