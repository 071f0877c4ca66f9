/**
 * Every name that the server, the admin panel and the clients share: UIDs, permission actions,
 * statuses, result codes and error codes. Derived types keep them in one place.
 */
export const PLUGIN_ID = 'booking';

export const UID = {
  show: 'plugin::booking.show',
  venue: 'plugin::booking.venue',
  performance: 'plugin::booking.performance',
  reservation: 'plugin::booking.reservation',
  reservationToken: 'plugin::booking.reservation-token',
  checkIn: 'plugin::booking.check-in',
  outboxMessage: 'plugin::booking.outbox-message',
  scan: 'plugin::booking.scan',
  webhook: 'plugin::booking.webhook',
  webhookDelivery: 'plugin::booking.webhook-delivery',
  waitlistEntry: 'plugin::booking.waitlist-entry',
} as const;

export const RESERVATION_STATUSES = ['pending', 'confirmed', 'cancelled', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** The moves a reservation may make; nothing leaves cancelled or expired. */
export const RESERVATION_TRANSITIONS: Record<ReservationStatus, readonly ReservationStatus[]> = {
  pending: ['confirmed', 'cancelled', 'expired'],
  confirmed: ['cancelled'],
  cancelled: [],
  expired: [],
};

/**
 * A waiting-list entry's life: unconfirmed until its address confirms the join by the link in its
 * first e-mail (or it lapses, `expired`, after BOOKING_CONFIRMATION_TTL_MINUTES); waiting until
 * seats free up; offered (a held pending reservation); booked once the offer is confirmed; left
 * by the visitor's link; expired when the join or the offer lapsed. Entries written before joins
 * were confirmed are `waiting`: they were taken under the old rules and stay as they are.
 */
export const WAITLIST_STATUSES = ['unconfirmed', 'waiting', 'offered', 'booked', 'left', 'expired'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

export const TOKEN_PURPOSES = ['confirmation', 'check_in', 'cancellation'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

export const CHECK_IN_SOURCES = ['qr_scan', 'manual'] as const;
export type CheckInSource = (typeof CHECK_IN_SOURCES)[number];

/** Where a reservation was taken: the public booking routes or the box office (admin). */
export const RESERVATION_SOURCES = ['public', 'box_office'] as const;
export type ReservationSource = (typeof RESERVATION_SOURCES)[number];

/** What a party needs at the door; shown at the scan and on the door list. */
export const ACCESS_NEEDS = ['wheelchair', 'hearing', 'sight', 'other'] as const;
export type AccessNeed = (typeof ACCESS_NEEDS)[number];

/** The largest party the box office may book at once (a school, a group). */
export const BOX_OFFICE_MAX_PARTY_SIZE = 500;

/** A door-list search shorter than this is refused: a one-letter search lists half the room. */
export const DOOR_LIST_MIN_QUERY = 3;

export const LANGUAGES = ['it', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'it';

export const CHECK_IN_RESULTS = [
  'ok',
  'already_checked_in',
  'not_confirmed',
  'invalid',
  'wrong_performance',
  'too_early',
  'too_late',
] as const;
export type CheckInResult = (typeof CHECK_IN_RESULTS)[number];

export const ERROR_CODES = {
  validation: 'validation',
  invalidQuery: 'invalid_query',
  /** An admin request that would reach data the caller's role may not read (Content Manager). */
  forbidden: 'forbidden',
  showNotFound: 'show_not_found',
  performanceNotFound: 'performance_not_found',
  venueNotFound: 'venue_not_found',
  bookingClosed: 'booking_closed',
  soldOut: 'sold_out',
  rateLimited: 'rate_limited',
  tokenInvalid: 'token_invalid',
  tokenUsed: 'token_used',
  tokenExpired: 'token_expired',
  tooLate: 'too_late',
  seatsAvailable: 'seats_available',
  alreadyWaiting: 'already_waiting',
  capacityBelowConfirmed: 'capacity_below_confirmed',
  capacityInvalid: 'capacity_invalid',
  forbiddenTransition: 'forbidden_transition',
  readOnly: 'read_only',
  payloadTooLarge: 'payload_too_large',
  routeNotFound: 'route_not_found',
  serviceUnavailable: 'service_unavailable',
  webhookInvalid: 'webhook_invalid',
  reservationNotFound: 'reservation_not_found',
  notConfirmed: 'not_confirmed',
  noEmail: 'no_email',
  /** A performance cancelled once is not cancelled again (issue 22). */
  alreadyCancelled: 'already_cancelled',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/**
 * Admin login attempts (`POST /admin/login`) counted on every instance at once (services/rate-limit.ts):
 * per e-mail address typed and per client address (IPv6 per /64), over a window. A successful
 * login gives its attempt back, so only failures lock out.
 */
export const ADMIN_LOGIN_LIMITS = { perEmail: 5, perAddress: 10, windowSeconds: 5 * 60 } as const;

/** Admin permission actions, registered with the admin's action provider in register.ts. */
export const ACTIONS = [
  {
    section: 'plugins',
    displayName: 'Check in visitors',
    uid: 'check-in.create',
    pluginName: PLUGIN_ID,
  },
  {
    section: 'plugins',
    displayName: 'Read performance statistics',
    uid: 'performance.stats',
    pluginName: PLUGIN_ID,
  },
  {
    section: 'plugins',
    displayName: 'Read the door list',
    uid: 'door-list.read',
    pluginName: PLUGIN_ID,
  },
  {
    section: 'plugins',
    displayName: 'Book at the box office',
    uid: 'box-office.create',
    pluginName: PLUGIN_ID,
  },
  {
    section: 'plugins',
    displayName: "Export and erase a visitor's data",
    uid: 'visitor-data.manage',
    pluginName: PLUGIN_ID,
  },
  // When the evening changes (issue 22): writing to a performance's audience.
  {
    section: 'plugins',
    displayName: "Write to a performance's audience",
    uid: 'performance.message',
    pluginName: PLUGIN_ID,
  },
  // Issue 22 item 1: cancel a performance and tell everyone.
  {
    section: 'plugins',
    displayName: 'Cancel a performance',
    uid: 'performance.cancel',
    pluginName: PLUGIN_ID,
  },
] as const;

export const PERMISSIONS = {
  checkIn: 'plugin::booking.check-in.create',
  stats: 'plugin::booking.performance.stats',
  doorList: 'plugin::booking.door-list.read',
  boxOffice: 'plugin::booking.box-office.create',
  /** Held by Super Admin only (Strapi gives it every action); no role the plugin makes has it. */
  visitorData: 'plugin::booking.visitor-data.manage',
  /** Writing to a performance's audience, and reading what was written (Super Admin, Box office). */
  message: 'plugin::booking.performance.message',
  /** Super Admin and Editor by default (roles.ts `grantPerformanceCancelOnce`). */
  performanceCancel: 'plugin::booking.performance.cancel',
} as const;

export const DOOR_STAFF_ROLE = {
  name: 'Door staff',
  code: 'booking-door-staff',
  description: 'Checks visitors in at the door: the scanner page, the door list and the door counts, nothing else.',
} as const;

export const BOX_OFFICE_ROLE = {
  name: 'Box office',
  code: 'booking-box-office',
  description:
    'Sells and checks tickets: box-office bookings, the door list, statistics, check-in, and reading reservations in the Content Manager.',
} as const;

/** Strapi's default roles for people who edit shows: they must not see visitors. */
export const EDITORIAL_ROLE_CODES = ['strapi-editor', 'strapi-author'] as const;

/** Content types that hold or lead to visitors' data: no Content Manager access for editorial roles. */
export const VISITOR_DATA_SUBJECTS = [
  UID.reservation,
  UID.reservationToken,
  UID.checkIn,
  UID.scan,
  UID.outboxMessage,
  // Not visitors' data, but a webhook's secret signs what other systems trust, and its
  // deliveries say who booked what when: administrators only.
  UID.webhook,
  UID.webhookDelivery,
  UID.waitlistEntry,
] as const;

/**
 * What an erased reservation keeps in place of personal data. `name` and `email` are required
 * columns (and the Content Manager validates an e-mail attribute), so they get placeholders:
 * the dash is no one's name, and `.invalid` is a top-level domain reserved never to resolve
 * (RFC 2606), so no mail can ever reach the placeholder. Phone and notes become null.
 */
export const ERASED = {
  name: '—',
  email: 'erased@erased.invalid',
} as const;

/** Public (Users & Permissions) actions the plugin grants once; an administrator may revoke them. */
export const PUBLIC_ACTIONS = [
  'plugin::booking.show.find',
  'plugin::booking.show.findOne',
  'plugin::booking.performance.findOne',
  'plugin::booking.venue.findOne',
  'plugin::booking.reservation.create',
  'plugin::booking.reservation.confirm',
  'plugin::booking.reservation.cancel',
  'plugin::booking.reservation.reduce',
  'plugin::booking.reservation.resend',
  'plugin::booking.waitlist.join',
  'plugin::booking.waitlist.leave',
  'plugin::booking.waitlist.confirm',
  'plugin::booking.openapi.document',
  'plugin::booking.reservation.preview',
] as const;

/**
 * The e-mails: confirmation link, ticket, the ticket again on request (resend) and before the
 * start (reminder), a cancellation's receipt, the waiting list's three (confirm the join; on the
 * list, with the leave link; an offer), and the ticket again after a smaller party (reduced).
 */
export const MAIL_KINDS = [
  'confirmation',
  'ticket',
  'resend',
  'reminder',
  'cancelled',
  'waitlist_joined',
  'offer',
  'reduced',
  'waitlist_confirm',
  // When the evening changes (issue 22): the performance moved (new date or place, the calendar
  // file updated), and a message staff wrote to the performance's audience.
  'moved',
  'message',
  // Issue 22 items 1 and 4: a cancelled performance (to a holder or a waiting party), a
  // reservation cancelled by staff.
  'performance_cancelled',
  'cancelled_by_staff',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** What a webhook may listen to (a webhook with an empty list hears every one). */
export const WEBHOOK_EVENT_TYPES = [
  'reservation.created',
  'reservation.confirmed',
  'reservation.cancelled',
  'reservation.expired',
  'check-in.created',
  'waitlist.offered',
  // When the evening changes (issue 22): the performance's date or venue changed.
  'performance.rescheduled',
  // Issue 22 item 1.
  'performance.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'dropped'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];
