import { ERROR_CODES } from '../constants';
import { isBookingPath } from '../utils/paths';

interface Ctx {
  path: string;
  status: number;
  body: unknown;
  set(header: string, value: string): void;
}

interface BodyError {
  status?: number;
  type?: string;
  code?: string;
  name?: string;
  message?: string;
}

/** PostgreSQL's connection and shutdown classes (08, 57P0x, 53300) and Node's socket errors. */
const UNREACHABLE = /^(08...|57P0[1-3]|53300|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH)$/;
// The last one: a transaction whose connection died under it.
const UNREACHABLE_MESSAGE =
  /not queryable|Connection terminated|connection error|Timeout acquiring a connection|Transaction query already complete/i;

/** Whether an error says the database cannot be reached, rather than that a request was wrong. */
export const isDatabaseUnavailable = (error: BodyError | null | undefined) =>
  Boolean(
    error &&
    (UNREACHABLE.test(String(error.code ?? '')) ||
      error.name === 'KnexTimeoutError' ||
      UNREACHABLE_MESSAGE.test(String(error.message ?? '')))
  );

const envelope = (status: number, name: string, message: string, code: string) => ({
  data: null,
  error: { status, name, message, details: { code } },
});

/**
 * App-level middleware, placed before `strapi::body` in config/middlewares.ts: a body the JSON
 * parser cannot read (not JSON, a bare string or number, over the parser's size limit) sent to
 * the booking routes answers in the contract's envelope with a stable `details.code`, like every
 * other bad input, instead of the parser's bare error. A database that cannot be reached answers
 * `503 service_unavailable` with Retry-After, not a bare 500.
 */
const bodyErrors = () => async (ctx: Ctx, next: () => Promise<void>) => {
  try {
    await next();
  } catch (error) {
    const e = error as BodyError;
    const ours = isBookingPath(ctx.path);
    if (ours && e?.status === 413) {
      ctx.status = 413;
      ctx.body = envelope(413, 'PayloadTooLargeError', 'Request body too large', ERROR_CODES.payloadTooLarge);
      return;
    }
    if (ours && e?.status === 400 && (error instanceof SyntaxError || e.type === 'entity.parse.failed')) {
      ctx.status = 400;
      ctx.body = envelope(400, 'ValidationError', 'The body must be a JSON object', ERROR_CODES.validation);
      return;
    }
    if (ours && isDatabaseUnavailable(e)) {
      // The database away for a moment (a restart, a failover): say so, and when to try again.
      ctx.status = 503;
      ctx.set('Retry-After', '5');
      ctx.body = envelope(
        503,
        'ServiceUnavailableError',
        'Temporarily unavailable: try again in a few seconds',
        ERROR_CODES.serviceUnavailable
      );
      return;
    }
    throw error;
  }
};

export default { 'body-errors': bodyErrors };
