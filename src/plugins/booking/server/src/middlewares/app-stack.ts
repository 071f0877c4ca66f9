import type { Core } from '@strapi/strapi';
import { getConfig } from '../utils/get-service';
import { isVisitorPath } from '../utils/paths';

type Entry = string | { name?: string; resolve?: string; config?: Record<string, unknown> };
type Origin = string | string[] | ((ctx: { path: string }) => string | string[] | Promise<string | string[]>);

/** Strapi's own list when an app has no config/middlewares (register-middlewares.ts in @strapi/core). */
const STRAPI_DEFAULT: Entry[] = [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  'strapi::cors',
  'strapi::poweredBy',
  'strapi::session',
  'strapi::query',
  'strapi::body',
  'strapi::favicon',
  'strapi::public',
];

const nameOf = (entry: Entry) => (typeof entry === 'string' ? entry : (entry.name ?? entry.resolve ?? ''));
const ours = (name: string) => `plugin::booking.${name}`;

/** The widget's two module files answer any origin: public, holding nothing. */
export const widgetFiles = (pagesPath: string) => new Set([`${pagesPath}/widget.js`, `${pagesPath}/booking-core.js`]);

/**
 * The origins a visitor's browser may call the public routes and the pages from: the app's own,
 * and `allowedOrigins`, or when that is empty the origin of `publicUrl` (the static site).
 */
export const bookingOrigins = (strapi: Core.Strapi): string[] => {
  const { allowedOrigins, publicUrl } = getConfig(strapi);
  const url = strapi.config.get<string>('server.url', '');
  const own = url.startsWith('http') ? url : `http://localhost:${strapi.config.get<number>('server.port', 1337)}`;
  return [...new Set([new URL(own).origin, ...(allowedOrigins.length ? allowedOrigins : [new URL(publicUrl).origin])])];
};

/**
 * CORS for the booking routes, kept inside the app's own `strapi::cors` entry: the public
 * routes and the pages answer the booking origins, never with cookies needed; the widget's files
 * any origin; every other path what the app configured (Strapi's default: any origin).
 */
const withBookingCors = (strapi: Core.Strapi, entry: Entry): Entry => {
  const config = typeof entry === 'string' ? {} : (entry.config ?? {});
  const appOrigin = (config.origin as Origin | undefined) ?? '*';
  let origins: string[] | null = null;
  const { pagesPath } = getConfig(strapi);
  const widget = widgetFiles(pagesPath);
  const origin = (ctx: { path: string }) => {
    if (widget.has(ctx.path)) return ['*'];
    if (isVisitorPath(ctx.path, pagesPath)) return (origins ??= bookingOrigins(strapi));
    return typeof appOrigin === 'function' ? appOrigin(ctx) : appOrigin;
  };
  const headers = (config.headers as string[] | string | undefined) ?? ['Content-Type', 'Authorization', 'Origin', 'Accept'];
  const list = Array.isArray(headers) ? headers : headers.split(',').map((h) => h.trim());
  return {
    name: 'strapi::cors',
    config: { ...config, origin, headers: list.includes('Idempotency-Key') ? list : [...list, 'Idempotency-Key'] },
  };
};

/**
 * The plugin places its app-level middlewares in the app's list (config/middlewares, or Strapi's
 * default), so an app needs no line of its own for them; one the app already lists stays where
 * the app put it. Strapi reads the list when it mounts the middlewares, after every register():
 *
 * - `request-log` instead of `strapi::logger`, which writes the query string where e-mailed
 *   links carry their tokens;
 * - `path-guard` right after `strapi::errors` (a control character in a path is 400);
 * - `body-errors` right before `strapi::body` (an unreadable body answers in the envelope);
 * - `public-answers` right after `strapi::query` (cached show pages and performances answered
 *   before the body parser, the session and the router);
 * - `email-guard` and `draft-actions` right after `strapi::body`;
 * - the booking CORS inside `strapi::cors`.
 */
export const placeAppMiddlewares = (strapi: Core.Strapi) => {
  const list = [...strapi.config.get<Entry[]>('middlewares', STRAPI_DEFAULT)];
  const has = (name: string) => list.some((entry) => nameOf(entry) === name);
  const indexOf = (name: string) => list.findIndex((entry) => nameOf(entry) === name);
  const insert = (name: string, where: 'before' | 'after', anchor: string) => {
    if (has(ours(name))) return;
    const at = indexOf(anchor);
    if (at === -1) list.push(ours(name));
    else list.splice(where === 'before' ? at : at + 1, 0, ours(name));
  };

  if (!has(ours('request-log'))) {
    const logger = indexOf('strapi::logger');
    if (logger === -1) list.unshift(ours('request-log'));
    else list.splice(logger, 1, ours('request-log'));
  }
  insert('path-guard', 'after', 'strapi::errors');
  insert('public-answers', 'after', 'strapi::query');
  insert('body-errors', 'before', 'strapi::body');
  insert('draft-actions', 'after', 'strapi::body');
  insert('email-guard', 'after', 'strapi::body');
  const cors = indexOf('strapi::cors');
  if (cors !== -1) list[cors] = withBookingCors(strapi, list[cors]);
  strapi.config.set('middlewares', list);
};
