import { posix } from 'node:path';
import { ERROR_CODES } from '../constants';
import { isBookingPath } from '../utils/paths';

interface Ctx {
  path: string;
  status: number;
  body: unknown;
}

/**
 * C0 controls (NUL included), DEL and C1 controls. No path of the app holds one, and PostgreSQL
 * refuses NUL in any text value (`invalid byte sequence for encoding "UTF8": 0x00`).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The path as the router hands its parameters to a route (percent-decoded), or null if it cannot be decoded. */
const decoded = (path: string): string | null => {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
};

/**
 * App-level middleware, right after `strapi::errors` in config/middlewares.ts: a path whose
 * decoded form holds a control character, or that is not valid percent-encoded UTF-8, is
 * `400 validation` in the contract's envelope, for every route at once (the booking routes,
 * Strapi's Content Manager and admin routes), before any route passes a parameter such as
 * `:documentId` to the database, where a NUL was a 500.
 */
const pathGuard = () => async (ctx: Ctx, next: () => Promise<void>) => {
  const path = decoded(ctx.path);
  if (path === null || CONTROL.test(path)) {
    ctx.status = 400;
    ctx.body = {
      data: null,
      error: {
        status: 400,
        name: 'ValidationError',
        message: 'Il percorso contiene caratteri non validi / The path holds characters that are not allowed',
        details: { code: ERROR_CODES.validation },
      },
    };
    return;
  }
  // A path that is a booking route's only once decoded or normalised (`/api/%62ooking/...`,
  // `//api/booking/...`, `/api/booking%2F...`) reaches no route, but would be read as any other
  // path is (the 1 MB body limit, Strapi's bare 405): it is the booking area's 404, in its envelope.
  if (!isBookingPath(ctx.path) && isBookingPath(posix.normalize(path))) {
    ctx.status = 404;
    ctx.body = {
      data: null,
      error: {
        status: 404,
        name: 'NotFoundError',
        message: 'Percorso sconosciuto / No such route',
        details: { code: ERROR_CODES.routeNotFound },
      },
    };
    return;
  }
  await next();
};

export default { 'path-guard': pathGuard };
