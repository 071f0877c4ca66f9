import type { Core } from '@strapi/strapi';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { ADMIN_LOGIN_LIMITS } from '../constants';
import { getConfig } from '../utils/get-service';
import { dialectOf } from '../data/dialect';
import { dataOf } from '../data';
import { RATE_LIMITS_TABLE } from '../data/rate-limits';

/**
 * An address as a proxy may write it into X-Forwarded-For with the client's source port
 * (`1.2.3.4:5678`, `[2001:db8::1]:443`, also `[2001:db8::1]` alone): the address without it, or
 * every new connection of one client would count under a key of its own. A bare IPv6 address
 * (`2001:db8::1`) has colons too but no brackets, and is kept whole.
 */
const withoutPort = (ip: string): string => {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) return bracketed[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(ip);
  return v4 ? v4[1] : ip;
};

/**
 * The key a client's public POSTs are counted under: an IPv4 address as it is, an IPv6 address
 * by its /64. One IPv6 subscriber usually holds a whole /64, so counting single addresses would
 * give them 2^64 fresh limits. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as its IPv4.
 */
export const clientKey = (ip: string): string => {
  const address = withoutPort(ip.trim()).replace(/%.*$/, ''); // no zone id (fe80::1%eth0)
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail] = address.split('::');
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
  // A dotted IPv4 tail stands for two groups.
  const width = (groups: string[]) => groups.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
  const left = groupsOf(head);
  const right = groupsOf(tail);
  const groups = [...left, ...Array<string>(8 - width(left) - width(right)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
};

/**
 * The key an admin login's e-mail address is counted under: a hash of it as typed, trimmed and
 * in lower case (as Strapi looks it up), so that the counters' table holds no staff address.
 */
const loginEmailHash = (email: string): string => createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('hex');

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * The per-IP limit on public POSTs (rate-limiter-flexible). On PostgreSQL the counters live in a
 * table of their own, so the limit holds across every app instance behind the load balancer; on
 * SQLite (one process, development) they live in memory.
 */
const createRateLimitService = ({ strapi }: { strapi: Core.Strapi }) => {
  let limiter: RateLimiterAbstract | null = null;
  let scanLimiter: RateLimiterAbstract | null = null;

  let loginByEmail: RateLimiterAbstract | null = null;
  let loginByAddress: RateLimiterAbstract | null = null;

  const build = async (keyPrefix: string, points: number, duration = 60): Promise<RateLimiterAbstract | null> => {
    if (points === 0) return null;
    const options = { keyPrefix, points, duration };
    if (!dialectOf(strapi).sharedAcrossInstances) return new RateLimiterMemory(options);
    return new Promise<RateLimiterAbstract>((resolve, reject) => {
      const created: RateLimiterAbstract = new RateLimiterPostgres(
        {
          ...options,
          storeClient: strapi.db.connection,
          storeType: 'knex',
          tableName: RATE_LIMITS_TABLE,
          // Its own hourly clean-up timer would keep the process (and jest) alive: the
          // plugin's scheduled job clears old rows instead.
          clearExpiredByTimeout: false,
        },
        (error?: Error) => (error ? reject(error) : resolve(created))
      );
    });
  };

  const consumeFrom = async (target: RateLimiterAbstract | null, key: string): Promise<RateDecision> => {
    if (!target) return { allowed: true };
    try {
      await target.consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
      throw rejection;
    }
  };

  return {
    /** Creates the limiters (and their table on PostgreSQL); called once in bootstrap. */
    async init(): Promise<void> {
      const config = getConfig(strapi);
      limiter = await build('booking_public_post', config.rateLimitPerMinute);
      scanLimiter = await build('booking_check_in', config.checkInRateLimitPerMinute);
      const { perEmail, perAddress, windowSeconds } = ADMIN_LOGIN_LIMITS;
      loginByEmail = await build('booking_admin_login_email', perEmail, windowSeconds);
      loginByAddress = await build('booking_admin_login_address', perAddress, windowSeconds);
    },

    /** Counts one public POST from a client IP (IPv6 by its /64) and says whether it may go on. */
    consume(ip: string): Promise<RateDecision> {
      return consumeFrom(limiter, clientKey(ip));
    },

    /** Counts one scan by a staff member: guessing tickets from a stolen session stays slow. */
    consumeScan(staffId: number): Promise<RateDecision> {
      return consumeFrom(scanLimiter, `staff:${staffId}`);
    },

    /**
     * Counts one admin login attempt for the address typed and for the client address (IPv6 by
     * its /64), on every instance at once; refused when either has used up its window.
     */
    async consumeAdminLogin(email: string, ip: string): Promise<RateDecision> {
      const decisions = await Promise.all([
        consumeFrom(loginByAddress, clientKey(ip)),
        email ? consumeFrom(loginByEmail, loginEmailHash(email)) : Promise.resolve<RateDecision>({ allowed: true }),
      ]);
      const waits = decisions.flatMap((d) => (d.allowed ? [] : [d.retryAfterSeconds]));
      return waits.length ? { allowed: false, retryAfterSeconds: Math.max(...waits) } : { allowed: true };
    },

    /** A login that succeeded: its attempt does not count, and the address typed starts afresh. */
    async forgiveAdminLogin(email: string, ip: string): Promise<void> {
      await Promise.all([loginByAddress?.reward(clientKey(ip), 1), email ? loginByEmail?.delete(loginEmailHash(email)) : undefined]);
    },

    /** Deletes expired counters (PostgreSQL); the scheduled job calls it. */
    async clearExpired(): Promise<void> {
      if (!dialectOf(strapi).sharedAcrossInstances) return;
      await dataOf(strapi).rateLimits.clearExpired(strapi.db.connection, Date.now() - 3600_000);
    },
  };
};

export type RateLimitService = ReturnType<typeof createRateLimitService>;
export default createRateLimitService;
