import type { Core } from '@strapi/strapi';
import { ERROR_CODES } from '../constants';
import { getService } from '../utils/get-service';

interface Ctx {
  status: number;
  request: { ip: string; body?: unknown };
  set(header: string, value: string): void;
  tooManyRequests(message: string, details: object): void;
}

const emailOf = (body: unknown): string => {
  const email = body && typeof body === 'object' ? (body as Record<string, unknown>).email : undefined;
  return typeof email === 'string' ? email.trim().toLowerCase() : '';
};

/**
 * Route middleware of the admin login (`POST /admin/login`), in place of Strapi's own
 * (`admin::rateLimit`: five tries per exact IP and e-mail, in each instance's memory, so that a
 * /64 of IPv6 addresses or a second instance gave fresh tries). Counts every attempt per e-mail
 * address typed and per client address, in the database shared by all instances
 * (ADMIN_LOGIN_LIMITS); one over is `429 rate_limited` with Retry-After. A login that succeeds
 * gives its attempt back. Wired to the route by auth/admin-login.ts.
 */
const adminLogin = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const limits = getService(strapi, 'rate-limit');
    const email = emailOf(ctx.request.body);
    const decision = await limits.consumeAdminLogin(email, ctx.request.ip);
    if (!decision.allowed) {
      ctx.set('Retry-After', String(decision.retryAfterSeconds));
      return ctx.tooManyRequests('Troppi tentativi: riprova tra qualche minuto / Too many attempts: try again in a few minutes', {
        code: ERROR_CODES.rateLimited,
        retry_after_seconds: decision.retryAfterSeconds,
      });
    }
    await next();
    if (ctx.status >= 200 && ctx.status < 300) await limits.forgiveAdminLogin(email, ctx.request.ip);
  };
};

export default { 'admin-login': adminLogin };
