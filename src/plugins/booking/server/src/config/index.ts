/**
 * The plugin's settings. `config/plugins.ts` fills them from the environment (the variables of
 * docs/api.md); these defaults apply when the plugin is installed in an app that sets none.
 */
export interface BookingConfig {
  /** Base URL of the booking pages that e-mail links open (`/confirm`, `/cancel`). */
  publicUrl: string;
  /** Browser origins allowed to call the public routes; empty means the origin of publicUrl. */
  allowedOrigins: string[];
  confirmationTtlMinutes: number;
  maxPartySize: number;
  checkInOpensMinutesBefore: number;
  checkInClosesMinutesAfter: number;
  /** Public POSTs per client IP per minute; 0 turns the limit off. */
  rateLimitPerMinute: number;
  /**
   * Pending (unexpired) reservations one e-mail address may hold at once; 0 turns the limit off.
   * Each sends a mail to that address, so without it anyone could fill a stranger's inbox.
   */
  pendingPerEmail: number;
  /** Time zone in which e-mails write dates. */
  timezone: string;
  /** Seed the demo season on an empty database (development only, never production). */
  seedDemoData: boolean;
  /** Run the housekeeping job (expiry, e-mail retries) on this instance. */
  scheduledJobs: boolean;
  /** Scans per staff member per minute; 0 turns the limit off. */
  checkInRateLimitPerMinute: number;
  /** How long public GET answers may be reused (0: never). */
  publicCacheSeconds: number;
  /**
   * How long a checked grant is trusted before the database is asked again (0: never): the
   * Public role's grant of the visitors' routes, and a staff member's login on the door routes.
   * A revoked grant, a closed session or a deactivated user takes effect within that time.
   */
  accessCacheSeconds: number;
  /**
   * Days after a performance's start when its reservations lose the visitors' personal data
   * (services/privacy.ts); 0 keeps everything.
   */
  retentionDays: number;
  /** How long a waiting-list offer holds its seats (never past the start). */
  waitlistOfferMinutes: number;
  /** Hours before the start when the reminder goes; 0 sends none. */
  reminderHoursBefore: number;
  /** Lost-ticket e-mails per address per hour; 0 sends none. */
  resendPerHour: number;
  /**
   * Allow webhook URLs on loopback, private, link-local and other non-public addresses
   * (services/webhook-address.ts). Off: an editor cannot aim the deliveries at the theatre's own
   * network. The tests turn it on for their receivers on 127.0.0.1.
   */
  webhookAllowPrivate: boolean;
  /**
   * Bearer token that `GET /metrics` asks for; null: no metrics route (404). At least 16
   * characters: it guards numbers an outsider should not watch.
   */
  metricsToken: string | null;
  /**
   * Minutes after the last change of a booked performance's date or venue when its holders are
   * told (one mail with the final state; none when it was changed back). May be a fraction.
   */
  changeNoticeMinutes: number;
}

const defaults: BookingConfig = {
  publicUrl: 'http://localhost:1337/site',
  allowedOrigins: [],
  confirmationTtlMinutes: 60,
  maxPartySize: 10,
  checkInOpensMinutesBefore: 120,
  checkInClosesMinutesAfter: 240,
  rateLimitPerMinute: 20,
  pendingPerEmail: 3,
  timezone: 'Europe/Rome',
  seedDemoData: false,
  scheduledJobs: true,
  publicCacheSeconds: 2,
  accessCacheSeconds: 5,
  checkInRateLimitPerMinute: 120,
  retentionDays: 30,
  waitlistOfferMinutes: 120,
  reminderHoursBefore: 24,
  resendPerHour: 3,
  webhookAllowPrivate: false,
  metricsToken: null,
  changeNoticeMinutes: 2,
};

const positiveInteger = ['confirmationTtlMinutes', 'maxPartySize', 'waitlistOfferMinutes'] as const;
const nonNegativeInteger = [
  'publicCacheSeconds',
  'accessCacheSeconds',
  'checkInRateLimitPerMinute',
  'checkInOpensMinutesBefore',
  'checkInClosesMinutesAfter',
  'rateLimitPerMinute',
  'pendingPerEmail',
  'retentionDays',
  'reminderHoursBefore',
  'resendPerHour',
] as const;

export default {
  default: defaults,
  validator(config: BookingConfig) {
    for (const key of positiveInteger) {
      if (!Number.isInteger(config[key]) || config[key] < 1) {
        throw new Error(`booking: ${key} must be a positive integer, got ${config[key]}`);
      }
    }
    for (const key of nonNegativeInteger) {
      if (!Number.isInteger(config[key]) || config[key] < 0) {
        throw new Error(`booking: ${key} must be a non-negative integer, got ${config[key]}`);
      }
    }
    if (typeof config.changeNoticeMinutes !== 'number' || !Number.isFinite(config.changeNoticeMinutes) || config.changeNoticeMinutes < 0) {
      throw new Error(
        `booking: changeNoticeMinutes (BOOKING_CHANGE_NOTICE_MINUTES) must be a number of minutes, 0 or more, got ${config.changeNoticeMinutes}`
      );
    }
    if (config.metricsToken !== null && (typeof config.metricsToken !== 'string' || config.metricsToken.length < 16)) {
      throw new Error('booking: metricsToken (BOOKING_METRICS_TOKEN) must be at least 16 characters');
    }
    try {
      new URL(config.publicUrl);
    } catch {
      throw new Error(`booking: publicUrl must be an absolute URL, got "${config.publicUrl}"`);
    }
    try {
      new Intl.DateTimeFormat('it-IT', { timeZone: config.timezone });
    } catch {
      throw new Error(`booking: timezone "${config.timezone}" is not a known IANA time zone`);
    }
  },
};
