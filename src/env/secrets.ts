/**
 * Strapi refuses to start without its secrets, with messages that do not say what to do
 * ("App keys are required"), and happily starts with the placeholders of `.env.example`, which
 * anyone can read. Development makes its own (scripts/develop.js writes `.env`); anywhere else
 * (production, test, and a start with NODE_ENV unset: `npm start` sets production) a missing,
 * placeholder or short secret stops the app at start-up (src/index.ts register, which
 * `strapi build` does not run: a build needs no secrets), naming each one.
 */
export const REQUIRED_SECRETS = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'ENCRYPTION_KEY',
  'JWT_SECRET',
] as const;

/** Shorter than this, a secret can be guessed offline from one signed cookie or token. */
export const MIN_SECRET_LENGTH = 16;

/** The values `.env.example` ships (toBeModified1, tobemodified, ...): public, so no secret. */
const PLACEHOLDER = /^tobemodified\d*$/i;

type Problem = 'missing' | 'placeholder' | 'short';

/** What is wrong with one secret's value, if anything. APP_KEYS is a list: each key counts. */
const problemOf = (key: string, value: string | undefined): Problem | null => {
  const parts = key === 'APP_KEYS' ? (value ?? '').split(',').map((part) => part.trim()) : [value?.trim() ?? ''];
  if (parts.every((part) => part === '')) return 'missing';
  if (parts.some((part) => PLACEHOLDER.test(part))) return 'placeholder';
  if (parts.some((part) => part.length < MIN_SECRET_LENGTH)) return 'short';
  return null;
};

const REASONS: Record<Problem, string> = {
  missing: 'mancante / missing',
  placeholder: 'ancora il segnaposto di .env.example / still the .env.example placeholder',
  short: `più corto di ${MIN_SECRET_LENGTH} caratteri / shorter than ${MIN_SECRET_LENGTH} characters`,
};

/** Each secret that would not do, with why; empty when all are fine. */
export const secretProblems = (env: NodeJS.ProcessEnv = process.env) =>
  REQUIRED_SECRETS.flatMap((key) => {
    const problem = problemOf(key, env[key]);
    return problem ? [{ key, problem }] : [];
  });

export const assertRuntimeEnvironment = (env: NodeJS.ProcessEnv = process.env): void => {
  // Unset is not development: only `npm run develop` (Strapi's develop) makes its own secrets.
  if (env.NODE_ENV === 'development') return;
  const problems = secretProblems(env);
  if (problems.length > 0) {
    throw new Error(
      `Segreti non validi / Invalid secrets (NODE_ENV=${env.NODE_ENV ?? 'unset'}): ` +
        problems.map(({ key, problem }) => `${key} (${REASONS[problem]})`).join('; ') +
        `. Impostali nell'ambiente / Set them in the environment (see .env.example); generate each with: ` +
        `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))". ` +
        `APP_KEYS takes a comma-separated list of such values.`
    );
  }
};
