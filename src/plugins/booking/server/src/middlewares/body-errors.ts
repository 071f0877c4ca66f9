import { ERROR_CODES } from '../constants';

interface Ctx {
  path: string;
  status: number;
  body: unknown;
}

interface BodyError {
  status?: number;
  type?: string;
}

const envelope = (status: number, name: string, message: string, code: string) => ({
  data: null,
  error: { status, name, message, details: { code } },
});

/**
 * App-level middleware, placed before `strapi::body` in config/middlewares.ts: a body the JSON
 * parser cannot read (not JSON, a bare string or number, over the parser's size limit) sent to
 * the booking routes answers in the contract's envelope with a stable `details.code`, like every
 * other bad input, instead of the parser's bare error.
 */
const bodyErrors = () => async (ctx: Ctx, next: () => Promise<void>) => {
  try {
    await next();
  } catch (error) {
    const e = error as BodyError;
    const ours = ctx.path.startsWith('/api/booking/') || ctx.path.startsWith('/booking/');
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
    throw error;
  }
};

export default { 'body-errors': bodyErrors };
