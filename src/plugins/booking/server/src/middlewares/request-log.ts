import type { Core } from '@strapi/strapi';

interface Ctx {
  method: string;
  path: string;
  status: number;
}

/**
 * App-level middleware in place of `strapi::logger`, which writes `ctx.url` with its query: the
 * confirmation and cancellation links carry their single-use token there (/site/confirm?token=),
 * and whoever reads the logs could use it. This one writes the path only.
 */
const requestLog = (_config: unknown, { strapi }: { strapi: Core.Strapi }) => {
  return async (ctx: Ctx, next: () => Promise<void>) => {
    const start = Date.now();
    await next();
    strapi.log.http(`${ctx.method} ${ctx.path} (${Math.ceil(Date.now() - start)} ms) ${ctx.status}`);
  };
};

export default { 'request-log': requestLog };
