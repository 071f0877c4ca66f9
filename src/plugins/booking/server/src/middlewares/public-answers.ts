import type { Core } from '@strapi/strapi';
import { publicKeys } from '../services/public-cache';
import { getService } from '../utils/get-service';
import { textLanguage } from '../utils/locales';
import { sendAnswer, type AnswerCtx } from '../utils/public-answer';

interface Ctx extends AnswerCtx {
  method: string;
  path: string;
  query: Record<string, unknown>;
  request: { header: { authorization?: string } };
  /** The route template the request log and the metrics label a request with. */
  _matchedRoute?: string;
}

/** The public reads the fast lane may answer, with the Users & Permissions action each needs. */
const LANES = [
  { pattern: /^\/api\/booking\/performances\/([^/]+)$/, action: 'plugin::booking.performance.findOne', key: publicKeys.performance },
  { pattern: /^\/api\/booking\/shows\/([^/]+)$/, action: 'plugin::booking.show.findOne', key: publicKeys.show },
] as const;
const ROUTES = ['/api/booking/performances/:documentId', '/api/booking/shows/:slug'];

const paramOf = (raw: string) => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
};

/**
 * App-level middleware, right after `strapi::query`: a show page or a performance that the
 * public cache holds, loaded and fresh, is answered here from its serialised bytes, without the
 * body parser, the session, the static files, the router, the auth and the policies it would
 * otherwise pass through on every request. The same grant decides (the Public role's action,
 * read by access-cache as the route's own strategy reads it), the same bytes go out, the
 * request log and the metrics see the route's template. Anything else (a token, a miss, a
 * revoked grant, another spelling of the path) goes on to the route, which loads and caches.
 * Freshness is the cache's: an entry a change notice dropped is not found here.
 */
const publicAnswers = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    if (ctx.method !== 'GET' || ctx.request.header.authorization) return next();
    const lane = LANES.findIndex(({ pattern }) => pattern.test(ctx.path));
    if (lane === -1) return next();
    const { pattern, action, key } = LANES[lane];
    const param = paramOf(pattern.exec(ctx.path)?.[1] ?? '');
    if (param === null) return next();
    const cache = getService(strapi, 'public-cache');
    const value = cache.peek<object>(key(textLanguage(ctx.query.lang), param));
    if (value === undefined) return next();
    let granted = false;
    try {
      granted = (await getService(strapi, 'access-cache').publicActions()).has(action);
    } catch {
      // The grant cannot be read: the route's own strategy decides.
    }
    if (!granted) return next();
    ctx._matchedRoute = ROUTES[lane];
    sendAnswer(ctx, cache.serialise(value));
  };
};

export default { 'public-answers': publicAnswers };
