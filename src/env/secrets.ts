/**
 * Strapi refuses to start without its secrets, with messages that do not say what to do
 * ("App keys are required"). Development makes its own (scripts/develop.js writes `.env`);
 * anywhere else a missing secret stops the app here with the list of what is missing.
 */
const REQUIRED_SECRETS = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'ENCRYPTION_KEY',
  'JWT_SECRET',
] as const;

type Env = (key: string) => string | undefined;

export const assertProductionSecrets = (env: Env): void => {
  if ((process.env.NODE_ENV ?? 'development') === 'development') return;
  const missing = REQUIRED_SECRETS.filter((key) => !env(key));
  if (missing.length > 0) {
    throw new Error(
      `Missing secrets: ${missing.join(', ')}. Set them in the environment (see .env.example; ` +
        `generate each with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"). ` +
        `APP_KEYS takes a comma-separated list of such values.`
    );
  }
};
