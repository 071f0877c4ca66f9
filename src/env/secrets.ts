/**
 * Strapi refuses to start without its secrets, with messages that do not say what to do
 * ("App keys are required"). Development makes its own (scripts/develop.js writes `.env`);
 * anywhere else a missing secret stops the app at start-up (src/index.ts register, which
 * `strapi build` does not run: a build needs no secrets) with the list of what is missing.
 */
const REQUIRED_SECRETS = ['APP_KEYS', 'API_TOKEN_SALT', 'ADMIN_JWT_SECRET', 'TRANSFER_TOKEN_SALT', 'ENCRYPTION_KEY', 'JWT_SECRET'] as const;

export const assertRuntimeEnvironment = (env: NodeJS.ProcessEnv = process.env): void => {
  if ((env.NODE_ENV ?? 'development') === 'development') return;
  const missing = REQUIRED_SECRETS.filter((key) => !env[key]);
  if (missing.length > 0) {
    throw new Error(
      `Missing secrets: ${missing.join(', ')}. Set them in the environment (see .env.example; ` +
        `generate each with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"). ` +
        `APP_KEYS takes a comma-separated list of such values.`
    );
  }
};

/** Production sends tickets by e-mail: without an SMTP server it must not start. */
export const assertProductionMail = (env: NodeJS.ProcessEnv = process.env): void => {
  if (env.NODE_ENV === 'production' && !env.SMTP_HOST) {
    throw new Error('SMTP_HOST is required in production: tickets are sent by e-mail (see .env.example).');
  }
};
