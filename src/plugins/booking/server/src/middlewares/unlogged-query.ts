interface Ctx {
  path: string;
  url: string;
}

/** Paths whose query names a person: `GET /booking/visitor-data?email=`. */
export const UNLOGGED_QUERY_PATHS = ['/booking/visitor-data'];

/**
 * Once the answer to a request of UNLOGGED_QUERY_PATHS is made (whatever it is: 401 and 403
 * too), its URL loses its query, so that `strapi::logger`, which writes `ctx.url` after every
 * request, never writes the e-mail address to the log. Installed by bootstrap with
 * `strapi.server.use`, that is inside the logger and every middleware of config/middlewares.ts,
 * and outside the router, its auth and policies.
 */
export const unloggedQuery = () => async (ctx: Ctx, next: () => Promise<void>) => {
  if (!UNLOGGED_QUERY_PATHS.some((path) => ctx.path === path || ctx.path.startsWith(`${path}/`))) return next();
  try {
    await next();
  } finally {
    ctx.url = ctx.path;
  }
};
