import type { Core } from '@strapi/strapi';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => ({
  auth: {
    secret: env('ADMIN_JWT_SECRET')!,
  },
  apiToken: {
    salt: env('API_TOKEN_SALT')!,
  },
  transfer: {
    token: {
      salt: env('TRANSFER_TOKEN_SALT')!,
    },
  },
  secrets: {
    encryptionKey: env('ENCRYPTION_KEY')!,
  },
  // No survey or enterprise prompts: the machines that run this reach no outside host.
  flags: {
    nps: env.bool('FLAG_NPS', false),
    promoteEE: env.bool('FLAG_PROMOTE_EE', false),
    docLinks: env.bool('FLAG_DOC_LINKS', true),
  },
  // `npm run develop` rebuilds the booking plugin (an npm workspace) with `strapi-plugin watch`
  // and restarts Strapi when the new bundle is written (scripts/develop.js): Strapi's own watcher
  // would restart on the plugin's sources, before the bundle it loads is rebuilt.
  watchIgnoreFiles: ['**/src/plugins/**'],
});

export default config;
