import type { Core } from '@strapi/strapi';
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
  const port = env.int('PORT', 1337);
  const ownUrl = env('PUBLIC_URL', `http://localhost:${port}`);
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
    booking: {
      enabled: true,
      resolve: './src/plugins/booking',
      config: {
        publicUrl: env('BOOKING_PUBLIC_URL', `${ownUrl}/site`),
        allowedOrigins: env.array('BOOKING_ALLOWED_ORIGINS', []),
        confirmationTtlMinutes: env.int('BOOKING_CONFIRMATION_TTL_MINUTES', 60),
        maxPartySize: env.int('BOOKING_MAX_PARTY_SIZE', 10),
        checkInOpensMinutesBefore: env.int('BOOKING_CHECKIN_OPENS_MINUTES_BEFORE', 120),
        checkInClosesMinutesAfter: env.int('BOOKING_CHECKIN_CLOSES_MINUTES_AFTER', 240),
        rateLimitPerMinute: env.int('BOOKING_RATE_LIMIT_PER_MINUTE', 20),
        pendingPerEmail: env.int('BOOKING_PENDING_PER_EMAIL', 3),
        checkInRateLimitPerMinute: env.int('BOOKING_CHECKIN_RATE_LIMIT_PER_MINUTE', 120),
        timezone: env('BOOKING_TIMEZONE', 'Europe/Rome'),
        seedDemoData: env.bool('BOOKING_SEED_DEMO', development),
        scheduledJobs: env.bool('BOOKING_SCHEDULED_JOBS', true),
        publicCacheSeconds: env.int('BOOKING_PUBLIC_CACHE_SECONDS', 2),
        accessCacheSeconds: env.int('BOOKING_ACCESS_CACHE_SECONDS', 5),
        retentionDays: env.int('BOOKING_RETENTION_DAYS', 30),
        waitlistOfferMinutes: env.int('BOOKING_WAITLIST_OFFER_MINUTES', 120),
        reminderHoursBefore: env.int('BOOKING_REMINDER_HOURS_BEFORE', 24),
        resendPerHour: env.int('BOOKING_RESEND_PER_HOUR', 3),
        webhookAllowPrivate: env.bool('BOOKING_WEBHOOK_ALLOW_PRIVATE', false),
        // Unset or empty: GET /metrics is not served (404).
        metricsToken: env('BOOKING_METRICS_TOKEN', '') || null,
        changeNoticeMinutes: env.float('BOOKING_CHANGE_NOTICE_MINUTES', 2),
      },
    },
  };
};

export default config;
