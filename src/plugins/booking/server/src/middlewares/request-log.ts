import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { getService } from '../utils/get-service';
import type { MetricsService } from '../services/metrics';

interface Ctx {
  method: string;
  path: string;
  status: number;
  body: unknown;
  /** The matched route's template (@koa/router), e.g. `/api/booking/performances/:documentId`. */
  _matchedRoute?: string;
  state: Record<string, unknown>;
  get(name: string): string;
  set(name: string, value: string): void;
}

/** An incoming X-Request-Id is kept only when it is a short token of safe characters (a UUID, a proxy's id). */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

export const requestIdOf = (incoming: string | undefined): string => (incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID());

const errorCodeOf = (body: unknown): unknown =>
  (body as { error?: { details?: { code?: unknown } } } | null)?.error?.details?.code ?? 'other';

/**
 * The refusals of the routes whose outcomes are counted. What committed is counted by the domain
 * events (events/subscribers/metrics.ts); a refusal changes nothing and announces nothing, so it
 * is read here from the answer: the error's `details.code`, or the door's result.
 */
const OUTCOMES: Record<string, (metrics: MetricsService, status: number, body: unknown) => void> = {
  'POST /api/booking/reservations': (metrics, status, body) => {
    if (status >= 400) metrics.reservation(String(errorCodeOf(body)));
  },
  'POST /api/booking/reservations/confirm': (metrics, status, body) => {
    if (status >= 400) metrics.confirmation(String(errorCodeOf(body)));
  },
  'POST /booking/check-ins': (metrics, status, body) => {
    if (status >= 400) return metrics.checkIn(String(errorCodeOf(body)));
    const result = (body as { data?: { result?: unknown } } | null)?.data?.result;
    // `ok` is a check-in that committed: counted by its event, not twice.
    if (typeof result === 'string' && result !== 'ok') metrics.checkIn(result);
  },
};

/**
 * App-level middleware in place of `strapi::logger`, which writes `ctx.url` with its query: the
 * confirmation and cancellation links carry their single-use token there (/site/confirm?token=),
 * and whoever reads the logs could use it. This one writes the path without its query, with the
 * request id it answers as X-Request-Id, the matched route's template, the status and the
 * duration; with LOG_FORMAT=json these are fields of one JSON line (config/logger.ts), and an
 * e-mail address in a path is redacted there.
 * It also times the request for the metrics, by route template and status (bounded labels).
 */
const requestLog = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const started = process.hrtime.bigint();
    const requestId = requestIdOf(ctx.get('X-Request-Id'));
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = ctx._matchedRoute ?? null;
      const durationMs = Math.round(seconds * 1000);
      strapi.log.http(`${ctx.method} ${ctx.path} ${ctx.status} (${durationMs} ms)`, {
        request_id: requestId,
        method: ctx.method,
        route,
        status: ctx.status,
        duration_ms: durationMs,
      });
      const metrics = getService(strapi, 'metrics');
      metrics.request(ctx.method, route ?? 'unmatched', ctx.status, seconds);
      if (route) OUTCOMES[`${ctx.method} ${route}`]?.(metrics, ctx.status, ctx.body);
    }
  };
};

export default { 'request-log': requestLog };
