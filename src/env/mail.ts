/**
 * Tickets and confirmation links go by e-mail: whoever reads the SMTP traffic can check in or
 * cancel in the visitor's place. In production the mail therefore leaves over TLS only: either
 * from the first byte (`SMTP_SECURE=true`, port 465) or by STARTTLS that nodemailer requires
 * (`requireTLS`: it refuses to send when the server, or someone in between, does not upgrade the
 * connection). `SMTP_ALLOW_PLAINTEXT=true` is the explicit way out (a relay on localhost).
 */
export interface SmtpTlsOptions {
  secure?: boolean;
  requireTLS?: boolean;
  ignoreTLS?: boolean;
}

const isTrue = (value: string | undefined) => value === 'true';

/** The TLS part of the nodemailer options for this environment. */
export const smtpTlsOptions = (env: NodeJS.ProcessEnv, development: boolean): Required<SmtpTlsOptions> => {
  const secure = isTrue(env.SMTP_SECURE);
  const production = env.NODE_ENV === 'production';
  return {
    secure,
    // Production: STARTTLS or no mail, unless plaintext is allowed in so many words.
    requireTLS: production && !secure && !isTrue(env.SMTP_ALLOW_PLAINTEXT),
    // Development's local inbox (MailDev) speaks no TLS.
    ignoreTLS: development && !env.SMTP_HOST,
  };
};

/** Production sends tickets by e-mail: without an SMTP server it must not start. */
export const assertProductionMail = (env: NodeJS.ProcessEnv = process.env): void => {
  if (env.NODE_ENV === 'production' && !env.SMTP_HOST) {
    throw new Error('SMTP_HOST is required in production: tickets are sent by e-mail (see .env.example).');
  }
};

/**
 * Refuses a production start whose e-mail transport (as configured, config/env overrides
 * included) could send in clear text, unless SMTP_ALLOW_PLAINTEXT=true.
 */
export const assertSmtpTls = (options: SmtpTlsOptions | undefined, env: NodeJS.ProcessEnv = process.env): void => {
  if (env.NODE_ENV !== 'production' || isTrue(env.SMTP_ALLOW_PLAINTEXT)) return;
  const tls = Boolean(options?.secure) || (Boolean(options?.requireTLS) && !options?.ignoreTLS);
  if (!tls) {
    throw new Error(
      'In produzione la posta parte solo su TLS / In production mail is sent over TLS only: set SMTP_SECURE=true ' +
        '(port 465) or use a server that offers STARTTLS (required), or SMTP_ALLOW_PLAINTEXT=true to send in clear text.'
    );
  }
};
