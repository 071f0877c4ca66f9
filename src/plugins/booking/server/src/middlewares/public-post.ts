import type { Core } from '@strapi/strapi';
import { ERROR_CODES } from '../constants';
import { getService } from '../utils/get-service';

/** A booking request is a few hundred bytes; anything far larger is not one. */
export const MAX_PUBLIC_BODY_BYTES = 16 * 1024;

interface Ctx {
  request: { ip: string; length?: number };
  set(header: string, value: string): void;
  payloadTooLarge(message: string, details: object): void;
  tooManyRequests(message: string, details: object): void;
}

/**
 * Route middleware of the public POSTs: the body size limit and the per-IP rate limit
 * (`429 rate_limited`, with Retry-After).
 */
const publicPost = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if ((ctx.request.length ?? 0) > MAX_PUBLIC_BODY_BYTES) {
      return ctx.payloadTooLarge('Request body too large', { code: ERROR_CODES.payloadTooLarge });
    }
    const decision = await getService(strapi, 'rate-limit').consume(ctx.request.ip);
    if (!decision.allowed) {
      ctx.set('Retry-After', String(decision.retryAfterSeconds));
      return ctx.tooManyRequests('Too many requests: try again in a minute', {
        code: ERROR_CODES.rateLimited,
        retry_after_seconds: decision.retryAfterSeconds,
      });
    }
    return next();
  };
};

/** Route middleware of the check-in route: the per-staff-member scan limit (`429 rate_limited`). */
const scanRate = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx & { state: { user?: { id: number } } }, next: () => Promise<void>) => {
    const decision = await getService(strapi, 'rate-limit').consumeScan(ctx.state.user?.id ?? 0);
    if (!decision.allowed) {
      ctx.set('Retry-After', String(decision.retryAfterSeconds));
      return ctx.tooManyRequests('Too many scans: wait a moment', {
        code: ERROR_CODES.rateLimited,
        retry_after_seconds: decision.retryAfterSeconds,
      });
    }
    return next();
  };
};

export default { 'public-post': publicPost, 'scan-rate': scanRate };
