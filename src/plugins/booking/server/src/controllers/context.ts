import type { Context } from 'koa';

/**
 * Koa's context as Strapi hands it to the plugin's controllers and middlewares: Strapi's own
 * response helpers (`ctx.conflict`, `ctx.gone`, ... from @strapi/core's augmentation of koa),
 * the router's params, the parsed body.
 */
export type BookingContext = Context & {
  params: Record<string, string>;
  request: Context['request'] & { body?: unknown };
};
