/**
 * How the app writes its log (LOG_FORMAT): `pretty` for a person at a terminal (Strapi's own
 * format), `json` for a log collector: one JSON object per line. Default: pretty in development,
 * json otherwise. config/logger.ts and config/server.ts (the startup banner) both ask here.
 */
export type LogFormat = 'pretty' | 'json';

export const logFormat = (env: NodeJS.ProcessEnv = process.env): LogFormat => {
  const development = (env.NODE_ENV ?? 'development') === 'development';
  const value = env.LOG_FORMAT || (development ? 'pretty' : 'json');
  if (value !== 'pretty' && value !== 'json') {
    throw new Error(`LOG_FORMAT deve essere "pretty" o "json" / LOG_FORMAT must be "pretty" or "json", got "${value}"`);
  }
  return value;
};

/** An e-mail address anywhere in a log message (an SMTP server's refusal may quote the recipient). */
const EMAIL = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+\.[A-Za-z]{2,}/g;

/** A log message with any e-mail address replaced: no visitor's address reaches the log. */
export const redactMessage = (message: unknown): unknown => (typeof message === 'string' ? message.replace(EMAIL, '[e-mail]') : message);
