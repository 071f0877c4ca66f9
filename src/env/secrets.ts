/**
 * Strapi refuses to start without its secrets, with messages that do not say what to do
 * ("App keys are required"), and happily starts with the placeholders of `.env.example`, which
 * anyone can read. Development makes its own (scripts/develop.js writes `.env`); anywhere else
 * (production, test, and a start with NODE_ENV unset: `npm start` sets production) a missing,
 * placeholder, short or patterned (fewer than 8 different characters) secret stops the app at
 * start-up (src/index.ts register, which `strapi build` does not run: a build needs no secrets),
 * naming each one; so does a public URL that would mail plain-HTTP links (see LINK_URLS).
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

/** Fewer different characters than this, a secret is a pattern (`aaaaaaaaaaaaaaaa`), not a secret. */
export const MIN_SECRET_VARIETY = 8;

type Problem = 'missing' | 'placeholder' | 'short' | 'little-variety';

/** What is wrong with one secret's value, if anything. APP_KEYS is a list: each key counts. */
const problemOf = (key: string, value: string | undefined): Problem | null => {
  const parts = key === 'APP_KEYS' ? (value ?? '').split(',').map((part) => part.trim()) : [value?.trim() ?? ''];
  if (parts.every((part) => part === '')) return 'missing';
  if (parts.some((part) => PLACEHOLDER.test(part))) return 'placeholder';
  if (parts.some((part) => part.length < MIN_SECRET_LENGTH)) return 'short';
  if (parts.some((part) => new Set(part).size < MIN_SECRET_VARIETY)) return 'little-variety';
  return null;
};

const REASONS: Record<Problem, string> = {
  missing: 'mancante / missing',
  placeholder: 'ancora il segnaposto di .env.example / still the .env.example placeholder',
  short: `più corto di ${MIN_SECRET_LENGTH} caratteri / shorter than ${MIN_SECRET_LENGTH} characters`,
  'little-variety': `meno di ${MIN_SECRET_VARIETY} caratteri diversi / fewer than ${MIN_SECRET_VARIETY} different characters`,
};

/** Each secret that would not do, with why; empty when all are fine. */
export const secretProblems = (env: NodeJS.ProcessEnv = process.env) =>
  REQUIRED_SECRETS.flatMap((key) => {
    const problem = problemOf(key, env[key]);
    return problem ? [{ key, problem }] : [];
  });

/**
 * The addresses e-mailed links point to: the app's own (`PUBLIC_URL`: the confirm and cancel
 * pages under /site, the admin panel) and the static site's (`BOOKING_PUBLIC_URL`, by default
 * `PUBLIC_URL` + /site). Outside development both must be HTTPS, or a link in a visitor's mail
 * carries its single-use token in clear (and without `PUBLIC_URL` it points at
 * `http://localhost`): `PUBLIC_URL` must be set, `BOOKING_PUBLIC_URL` may be left to its default.
 * `ALLOW_HTTP_LINKS=true` lets a start without HTTPS through (the tests, a closed network).
 */
export const LINK_URLS = ['PUBLIC_URL', 'BOOKING_PUBLIC_URL'] as const;

type UrlProblem = 'missing' | 'not-a-url' | 'not-https';

const URL_REASONS: Record<UrlProblem, string> = {
  missing: 'mancante / missing',
  'not-a-url': 'non è un indirizzo / not a URL',
  'not-https': 'non è https:// / not https://',
};

const urlProblemOf = (value: string | undefined, required: boolean): UrlProblem | null => {
  const text = value?.trim() ?? '';
  if (text === '') return required ? 'missing' : null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not-a-url';
  }
  return url.protocol === 'https:' ? null : 'not-https';
};

/** Each public URL that would put plain-HTTP (or no) links in mails, with why; empty when fine. */
export const linkUrlProblems = (env: NodeJS.ProcessEnv = process.env) => {
  if (env.ALLOW_HTTP_LINKS?.trim().toLowerCase() === 'true') return [];
  return LINK_URLS.flatMap((key) => {
    const problem = urlProblemOf(env[key], key === 'PUBLIC_URL');
    return problem ? [{ key, problem }] : [];
  });
};

export const assertRuntimeEnvironment = (env: NodeJS.ProcessEnv = process.env): void => {
  // Unset is not development: only `npm run develop` (Strapi's develop) makes its own secrets.
  if (env.NODE_ENV === 'development') return;
  const problems = secretProblems(env);
  const where = `NODE_ENV=${env.NODE_ENV ?? 'unset'}`;
  if (problems.length > 0) {
    throw new Error(
      `Segreti non validi / Invalid secrets (${where}): ` +
        problems.map(({ key, problem }) => `${key} (${REASONS[problem]})`).join('; ') +
        `. Impostali nell'ambiente / Set them in the environment (see .env.example); generate each with: ` +
        `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))". ` +
        `APP_KEYS takes a comma-separated list of such values.`
    );
  }
  const urls = linkUrlProblems(env);
  if (urls.length > 0) {
    throw new Error(
      `Indirizzi pubblici non validi / Invalid public URLs (${where}): ` +
        urls.map(({ key, problem }) => `${key} (${URL_REASONS[problem]})`).join('; ') +
        `. I link nelle e-mail devono essere https:// / E-mailed links must be https://: ` +
        `set PUBLIC_URL (and BOOKING_PUBLIC_URL if the site is elsewhere) to their https:// addresses, ` +
        `or ALLOW_HTTP_LINKS=true where plain HTTP is meant (a closed network, tests).`
    );
  }
};
