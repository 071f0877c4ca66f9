/** Every URL the admin pages call, in one place. */
export const API = {
  checkIn: '/booking/check-ins',
  doorPerformances: '/booking/door/performances',
  doorSnapshot: (documentId: string, since?: string) =>
    `/booking/performances/${documentId}/door-snapshot${since ? `?since=${encodeURIComponent(since)}` : ''}`,
  stats: (documentId: string) => `/booking/performances/${documentId}/stats`,
  scans: (documentId: string) => `/booking/performances/${documentId}/scans`,
  offlineConflicts: (documentId: string) => `/booking/performances/${documentId}/offline-conflicts`,
  doorList: (documentId: string, format?: 'csv' | 'xlsx') =>
    `/booking/performances/${documentId}/door-list${format ? `?format=${format}` : ''}`,
  confirmationsPerDay: (documentId: string) => `/booking/performances/${documentId}/confirmations-per-day`,
  boxOffice: (documentId: string) => `/booking/performances/${documentId}/reservations`,
  resendTicket: (reservationDocumentId: string) => `/booking/reservations/${reservationDocumentId}/resend-ticket`,
  /** Writing to a performance's audience, and what was written (issue 22). */
  messages: (documentId: string) => `/booking/performances/${documentId}/messages`,
  /** Issue 22: cancel a performance (POST), and the dialog's count of who will be written to (GET). */
  cancelPerformance: (documentId: string) => `/booking/performances/${documentId}/cancel`,
};

export const PERMISSIONS = {
  checkIn: [{ action: 'plugin::booking.check-in.create', subject: null }],
  stats: [{ action: 'plugin::booking.performance.stats', subject: null }],
  doorList: [{ action: 'plugin::booking.door-list.read', subject: null }],
  boxOffice: [{ action: 'plugin::booking.box-office.create', subject: null }],
  message: [{ action: 'plugin::booking.performance.message', subject: null }],
  performanceCancel: [{ action: 'plugin::booking.performance.cancel', subject: null }],
};
