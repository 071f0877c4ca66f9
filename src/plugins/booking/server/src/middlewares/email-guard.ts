import { ERROR_CODES } from '../constants';
import { isEmail } from '../validation/email';
import { isBookingPath } from '../utils/paths';

interface Ctx {
  path: string;
  method: string;
  status: number;
  body: unknown;
  request: { body?: unknown };
}

const WRITES = new Set(['POST', 'PUT', 'PATCH']);

/** The `email` a JSON body carries, at its top or under `data`, if it is a string. */
const emailOf = (body: unknown): string | undefined => {
  if (!body || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record.email === 'string') return record.email;
  const data = record.data;
  if (data && typeof data === 'object' && typeof (data as Record<string, unknown>).email === 'string') {
    return (data as Record<string, string>).email;
  }
  return undefined;
};

/**
 * App-level middleware, after `strapi::body` in config/middlewares.ts. Strapi's own routes that
 * take an e-mail address (users-permissions' register and forgot-password, the admin's login and
 * users) check it with yup 0.32's `.email()`, whose regular expression a hostile string keeps
 * busy for minutes, and the whole instance with it: one anonymous request would stop the box
 * office. A body whose `email` is not an address by the linear check of validation/email.ts is
 * refused here with 400; every real address goes on to the route's own checks unchanged. The
 * booking routes validate their bodies themselves.
 */
const emailGuard = () => async (ctx: Ctx, next: () => Promise<void>) => {
  if (WRITES.has(ctx.method) && !isBookingPath(ctx.path)) {
    const email = emailOf(ctx.request.body);
    if (email !== undefined && email !== '' && !isEmail(email)) {
      ctx.status = 400;
      ctx.body = {
        data: null,
        error: { status: 400, name: 'ValidationError', message: 'email must be a valid email', details: { code: ERROR_CODES.validation } },
      };
      return;
    }
  }
  await next();
};

export default { 'email-guard': emailGuard };
