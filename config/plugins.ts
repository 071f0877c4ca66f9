import type { Core } from '@strapi/strapi';
import { demoSeason } from '../src/demo-season';
import { smtpTlsOptions } from '../src/env/mail';

const allowedMediaTypes = ['image/*', 'application/pdf', 'text/plain', 'text/csv'];
const deniedTypes = [
  'image/svg+xml',
  'application/vnd.microsoft.portable-executable',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/x-executable',
  'application/x-dosexec',
  'application/x-sh',
  'text/x-shellscript',
  'application/x-mach-binary',
];

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Plugin => {
  const development = (process.env.NODE_ENV ?? 'development') === 'development';
  const smtpHost = env('SMTP_HOST', development ? '127.0.0.1' : undefined);

  return {
    'users-permissions': {
      config: {
        jwtManagement: 'refresh',
        sessions: { httpOnly: true },
      },
    },
    upload: {
      config: {
        security: { allowedTypes: allowedMediaTypes, deniedTypes },
      },
    },
    email: {
      config: {
        provider: 'nodemailer',
        providerOptions: {
          host: smtpHost,
          // Development without SMTP_HOST: the local inbox started by `npm run develop`.
          port: env.int('SMTP_PORT', development && !env('SMTP_HOST') ? 1025 : 587),
          // TLS only in production unless SMTP_ALLOW_PLAINTEXT=true (src/env/mail.ts).
          ...smtpTlsOptions(process.env, development),
          auth: env('SMTP_USERNAME') ? { user: env('SMTP_USERNAME'), pass: env('SMTP_PASSWORD') } : undefined,
          // Reuse SMTP connections across mails (nodemailer's pool): a storm of tickets does not
          // connect and greet the server once per mail. Off by default outside production, where
          // an idle pooled connection would outlive a test's mail server by seconds.
          pool: env.bool('SMTP_POOL', (process.env.NODE_ENV ?? 'development') === 'production'),
          maxConnections: env.int('SMTP_MAX_CONNECTIONS', 5),
          connectionTimeout: env.int('SMTP_TIMEOUT_MS', 10000),
          greetingTimeout: env.int('SMTP_TIMEOUT_MS', 10000),
          socketTimeout: env.int('SMTP_TIMEOUT_MS', 10000),
        },
        settings: {
          defaultFrom: env('EMAIL_FROM', 'AzioneLab <biglietteria@localhost>'),
          defaultReplyTo: env('EMAIL_REPLY_TO', env('EMAIL_FROM', 'AzioneLab <biglietteria@localhost>')),
        },
      },
    },
    // The npm workspace src/plugins/booking (package strapi-plugin-booking), found in
    // node_modules as any installed plugin. Its settings read the BOOKING_* variables themselves
    // (the plugin's README); here only what is AzioneLab's.
    booking: {
      enabled: true,
      config: {
        brand: {
          name: 'AzioneLab',
          // The mails' From: the e-mail plugin's defaultFrom (EMAIL_FROM).
          sender: null,
          colors: { primary: '#8a1c1c', background: '#faf8f5', text: '#1a1a1a' },
          logoUrl: null,
        },
        // AzioneLab's demo season (src/demo-season.ts), seeded into an empty database in
        // development only.
        demoSeason,
        seedDemoData: env.bool('BOOKING_SEED_DEMO', development),
      },
    },
  };
};

export default config;
