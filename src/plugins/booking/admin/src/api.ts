/** Every URL the admin pages call, in one place. */
export const API = {
  checkIn: '/booking/check-ins',
  doorPerformances: '/booking/door/performances',
  stats: (documentId: string) => `/booking/performances/${documentId}/stats`,
  scans: (documentId: string) => `/booking/performances/${documentId}/scans`,
};

export const PERMISSIONS = {
  checkIn: [{ action: 'plugin::booking.check-in.create', subject: null }],
  stats: [{ action: 'plugin::booking.performance.stats', subject: null }],
};
