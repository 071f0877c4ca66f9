import type { Core } from '@strapi/strapi';
import { MAX_PUBLIC_BODY_BYTES } from './public-post';
import { isPublicApiPath } from '../utils/paths';

interface Ctx {
  path: string;
  request: { length?: number };
  throw(status: number, message: string): never;
}

type Middleware = (ctx: Ctx, next: () => Promise<void>) => Promise<unknown>;
type MiddlewareFactory = (config: Record<string, unknown>, context: { strapi: Core.Strapi }) => Middleware;

const KIB = `${MAX_PUBLIC_BODY_BYTES / 1024}kb`;

/**
 * Narrows Strapi's body parser (`strapi::body`, which Strapi requires by that name in
 * config/middlewares.ts) on the public booking routes: at most 16 KiB, whatever the transfer
 * encoding. A Content-Length over it is refused before a byte is read; a chunked body is cut off
 * by the parser's own limit as soon as it passes 16 KiB, never buffered whole nor parsed. Either
 * way body-errors answers `413 payload_too_large`. Every other route keeps the parser as
 * configured (the admin panel saves rich text). Called in the plugin's register, before Strapi
 * builds its middlewares.
 */
export const limitPublicBodies = (strapi: Core.Strapi) => {
  strapi.get('middlewares').extend('strapi::body', (original: MiddlewareFactory): MiddlewareFactory => {
    return (config, context) => {
      const anyRoute = original(config, context);
      const bookingRoute = original({ ...config, multipart: false, jsonLimit: KIB, formLimit: KIB, textLimit: KIB }, context);
      return async (ctx, next) => {
        if (!isPublicApiPath(ctx.path)) return anyRoute(ctx, next);
        if ((ctx.request.length ?? 0) > MAX_PUBLIC_BODY_BYTES) ctx.throw(413, 'Request body too large');
        return bookingRoute(ctx, next);
      };
    };
  });
};
