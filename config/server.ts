import type { Core } from '@strapi/strapi';
import { logFormat } from '../src/env/logging';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Server => {
  const trustedHops = env.int('PROXY_TRUSTED_HOPS', 1);
  if (!Number.isInteger(trustedHops) || trustedHops < 1) {
    throw new Error(`PROXY_TRUSTED_HOPS must be a whole number of at least 1, got "${env('PROXY_TRUSTED_HOPS')}"`);
  }
  return {
    host: env('HOST', '0.0.0.0'),
    port: env.int('PORT', 1337),
    url: env('PUBLIC_URL', ''),
    // Behind IS_PROXIED load balancers, Koa reads X-Forwarded-For, which the client may have
    // started itself: only the last PROXY_TRUSTED_HOPS entries, those our own proxies appended,
    // are believed (maxIpsCount), and the client is the first of them, the address the outermost
    // trusted proxy saw. Strapi passes proxy.koa, ipHeader and maxIpsCount to Koa.
    proxy: { koa: env.bool('IS_PROXIED', false), ipHeader: 'X-Forwarded-For', maxIpsCount: trustedHops },
    app: {
      keys: env.array('APP_KEYS')!,
    },
    webhooks: {
      populateRelations: env.bool('WEBHOOKS_POPULATE_RELATIONS', false),
    },
    // The machines running this app reach no update server: the check only adds a timeout. The
    // startup banner is a table for a person: with LOG_FORMAT=json every line must be JSON.
    logger: { updates: { enabled: false }, startup: { enabled: logFormat() === 'pretty' } },
  };
};

export default config;
