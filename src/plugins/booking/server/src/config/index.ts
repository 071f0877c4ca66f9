import type { Core } from '@strapi/strapi';
import { env } from '@strapi/utils';
import type { DemoSeason } from '../services/demo-data';

/** The theatre's name and look: what the mails, the calendar file, the door list and the pages show. */
export interface BrandConfig {
  /** The theatre's name, in mails, calendar entries, file metadata and page titles. */
  name: string;
  /** The From of the plugin's mails (`Name <address>`); null: the e-mail plugin's defaultFrom. */
  sender: string | null;
  /** Colours of the mails and the pages (CSS hex). */
  colors: { primary: string; background: string; text: string };
  /** An absolute URL of the logo shown atop mails and pages; null: the name only. */
  logoUrl: string | null;
}

/**
 * The plugin's settings. Their defaults read the environment (the variables of API.md), so an
 * app sets in `config/plugins.ts` only what differs (`booking: { config: { brand: {...} } }`);
 * a wrong value stops the start with a message naming it.
 */
export interface BookingConfig {
  brand: BrandConfig;
  /** Path under which the plugin serves the pages that e-mailed links open (confirm, cancel, leave). */
  pagesPath: string;
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
  /** The season to seed, supplied by the app (venues and shows, keyed by slug); null: none. */
  demoSeason: DemoSeason | null;
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

type Env = Core.Config.Shared.ConfigParams['env'];

/** The defaults, read from the environment where API.md names a variable. */
const defaults = ({ env }: { env: Env }): BookingConfig => {
  const ownUrl = env('PUBLIC_URL', `http://localhost:${env.int('PORT', 1337)}`);
  return {
    brand: {
      name: 'Booking',
      sender: null,
      colors: { primary: '#1d3f72', background: '#f6f4ef', text: '#1f1f1f' },
      logoUrl: null,
    },
    pagesPath: '/site',
    publicUrl: env('BOOKING_PUBLIC_URL', `${ownUrl}/site`),
    allowedOrigins: env.array('BOOKING_ALLOWED_ORIGINS', []).filter(Boolean),
    confirmationTtlMinutes: env.int('BOOKING_CONFIRMATION_TTL_MINUTES', 60),
    maxPartySize: env.int('BOOKING_MAX_PARTY_SIZE', 10),
    checkInOpensMinutesBefore: env.int('BOOKING_CHECKIN_OPENS_MINUTES_BEFORE', 120),
    checkInClosesMinutesAfter: env.int('BOOKING_CHECKIN_CLOSES_MINUTES_AFTER', 240),
    rateLimitPerMinute: env.int('BOOKING_RATE_LIMIT_PER_MINUTE', 20),
    pendingPerEmail: env.int('BOOKING_PENDING_PER_EMAIL', 3),
    timezone: env('BOOKING_TIMEZONE', 'Europe/Rome'),
    seedDemoData: false,
    demoSeason: null,
    scheduledJobs: env.bool('BOOKING_SCHEDULED_JOBS', true),
    publicCacheSeconds: env.int('BOOKING_PUBLIC_CACHE_SECONDS', 2),
    accessCacheSeconds: env.int('BOOKING_ACCESS_CACHE_SECONDS', 5),
    checkInRateLimitPerMinute: env.int('BOOKING_CHECKIN_RATE_LIMIT_PER_MINUTE', 120),
    retentionDays: env.int('BOOKING_RETENTION_DAYS', 30),
    waitlistOfferMinutes: env.int('BOOKING_WAITLIST_OFFER_MINUTES', 120),
    reminderHoursBefore: env.int('BOOKING_REMINDER_HOURS_BEFORE', 24),
    resendPerHour: env.int('BOOKING_RESEND_PER_HOUR', 3),
    webhookAllowPrivate: env.bool('BOOKING_WEBHOOK_ALLOW_PRIVATE', false),
    // Unset or empty: GET /metrics is not served (404).
    metricsToken: env('BOOKING_METRICS_TOKEN', '') || null,
    changeNoticeMinutes: env.float('BOOKING_CHANGE_NOTICE_MINUTES', 2),
  };
};

const KNOWN = new Set(Object.keys(defaults({ env })));
const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const fail = (message: string): never => {
  throw new Error(`booking: ${message}`);
};
const absoluteUrl = (value: unknown, name: string) => {
  try {
    if (typeof value !== 'string' || !/^https?:$/.test(new URL(value).protocol)) throw new Error();
  } catch {
    fail(`${name} must be an absolute http(s) URL, got "${String(value)}"`);
  }
};

const validateBrand = (brand: BrandConfig) => {
  if (!brand || typeof brand !== 'object') fail('brand must be an object { name, sender, colors, logoUrl }');
  if (typeof brand.name !== 'string' || !brand.name.trim() || brand.name.length > 100 || /[<>\r\n]/.test(brand.name)) {
    fail(`brand.name must be a name of 1 to 100 characters without < > or line breaks, got "${String(brand.name)}"`);
  }
  // A display name and an address, or an address alone; no line breaks (a header).
  if (
    brand.sender !== null &&
    (typeof brand.sender !== 'string' || !/^[^\r\n<>]*<[^\s@<>]+@[^\s@<>]+>$|^[^\s@<>]+@[^\s@<>]+$/.test(brand.sender))
  ) {
    fail(`brand.sender must be "Name <address>" or an address, got "${String(brand.sender)}"`);
  }
  for (const key of ['primary', 'background', 'text'] as const) {
    if (!HEX_COLOUR.test(String(brand.colors?.[key]))) {
      fail(`brand.colors.${key} must be a hex colour such as #1d3f72, got "${String(brand.colors?.[key])}"`);
    }
  }
  if (brand.logoUrl !== null) absoluteUrl(brand.logoUrl, 'brand.logoUrl');
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
    for (const key of Object.keys(config)) {
      if (!KNOWN.has(key)) fail(`unknown setting "${key}" (see the plugin's README for the settings)`);
    }
    validateBrand(config.brand);
    if (typeof config.pagesPath !== 'string' || !/^\/[a-z0-9-]+(?:\/[a-z0-9-]+)*$/.test(config.pagesPath)) {
      fail(`pagesPath must be a path such as /site, got "${String(config.pagesPath)}"`);
    }
    for (const key of ['seedDemoData', 'scheduledJobs', 'webhookAllowPrivate'] as const) {
      if (typeof config[key] !== 'boolean') fail(`${key} must be true or false, got ${String(config[key])}`);
    }
    if (!Array.isArray(config.allowedOrigins)) fail('allowedOrigins must be a list of origins');
    if (
      config.demoSeason !== null &&
      (typeof config.demoSeason !== 'object' || !Array.isArray(config.demoSeason.venues) || !Array.isArray(config.demoSeason.shows))
    ) {
      fail('demoSeason must be null or { venues: [...], shows: [...] }');
    }
    for (const origin of config.allowedOrigins) absoluteUrl(origin, 'allowedOrigins');
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
    absoluteUrl(config.publicUrl, 'publicUrl');
    try {
      new Intl.DateTimeFormat('it-IT', { timeZone: config.timezone });
    } catch {
      throw new Error(`booking: timezone "${config.timezone}" is not a known IANA time zone`);
    }
  },
};
