import type { Core } from '@strapi/strapi';
import { getConfig, getService } from '../utils/get-service';

interface Ctx {
  status: number;
  body: unknown;
  get(name: string): string;
  set(name: string, value: string): void;
}

/** Where a load balancer asks whether this instance can serve bookings (docs/api.md, "Running it in production"). */
export const READY_PATH = '/api/booking/ready';
/** Prometheus's default path; each instance answers for itself. */
export const METRICS_PATH = '/metrics';

/**
 * The operator's routes, beside Strapi's `/_health` (liveness) and outside the Users &
 * Permissions grants: a probe has no account, and an administrator revoking a Public grant must
 * not take every instance out of the load balancer. Readiness says nothing personal (states and
 * counts); the metrics are behind their own bearer token, and absent without one.
 */
export const registerOperationsRoutes = (strapi: Core.Strapi) => {
  strapi.server.routes([
    {
      method: 'GET',
      path: READY_PATH,
      handler: async (ctx: Ctx) => {
        const { ready, data } = await getService(strapi, 'operations').readiness();
        ctx.set('Cache-Control', 'no-store');
        ctx.status = ready ? 200 : 503;
        ctx.body = { data };
      },
      config: { auth: false },
    },
  ]);

  const token = getConfig(strapi).metricsToken;
  if (!token) return;
  strapi.server.routes([
    {
      method: 'GET',
      path: METRICS_PATH,
      handler: async (ctx: Ctx) => {
        const metrics = getService(strapi, 'metrics');
        ctx.set('Cache-Control', 'no-store');
        if (!metrics.authorized(ctx.get('Authorization') || undefined, token)) {
          ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
          ctx.status = 401;
          ctx.body = {
            data: null,
            error: {
              status: 401,
              name: 'UnauthorizedError',
              message: 'Serve il token delle metriche / The metrics token is required',
              details: { code: 'unauthorized' },
            },
          };
          return;
        }
        ctx.set('Content-Type', metrics.contentType);
        ctx.body = await metrics.render();
      },
      config: { auth: false },
    },
  ]);
};
