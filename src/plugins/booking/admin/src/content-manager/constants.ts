/** The booking types, as the Content Manager names them in its routes and props. */
export const MODEL = {
  show: 'plugin::booking.show',
  venue: 'plugin::booking.venue',
  performance: 'plugin::booking.performance',
  reservation: 'plugin::booking.reservation',
} as const;

/** Reservations an editor may still cancel. */
export const CANCELLABLE = ['pending', 'confirmed'];
