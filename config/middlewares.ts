import type { Core } from '@strapi/strapi';

/**
 * Strapi's middlewares as AzioneLab runs them. The booking plugin places its own (the request
 * log instead of `strapi::logger`, the path and body guards, the booking routes' CORS) into this
 * list at start (server/src/middlewares/app-stack.ts in the plugin); what stays here is the app's:
 * the admin panel and the admin API answer no origin any CORS header (they are used from the
 * app's own origin), no route takes cookies across origins, and bodies up to 1 MB (the admin
 * saves rich text; the plugin narrows its public routes to 16 KiB).
 */
const config: Core.Config.Middlewares = [
  'strapi::logger',
  'strapi::errors',
  'strapi::security',
  {
    name: 'strapi::cors',
    config: {
      origin: [],
      credentials: false,
      headers: ['Content-Type', 'Authorization', 'Origin', 'Accept'],
    },
  },
  'strapi::poweredBy',
  'strapi::query',
  { name: 'strapi::body', config: { jsonLimit: '1mb', formLimit: '1mb', textLimit: '1mb' } },
  'strapi::session',
  'strapi::favicon',
  'strapi::public',
];

export default config;
