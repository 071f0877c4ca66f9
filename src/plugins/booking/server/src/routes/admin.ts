import { STAFF_STRATEGIES } from '../auth/strategies';
import { PERMISSIONS } from '../constants';

/**
 * The door's routes, under /booking on the admin API. Every one is guarded on the server: an
 * authenticated admin user holding the named permission (anonymous 401, lacking it 403). A
 * users-permissions (end-user) JWT is not an admin token and gets nothing. A login Strapi has
 * checked is remembered for `accessCacheSeconds` (auth/strategies.ts); the permission is checked
 * on every call.
 */
const guard = (action: string, middlewares: string[] = []) => ({
  auth: { strategies: STAFF_STRATEGIES },
  policies: ['admin::isAuthenticatedAdmin', { name: 'admin::hasPermissions', config: { actions: [action] } }],
  middlewares: ['plugin::booking.remember-staff', ...middlewares],
});

export default {
  type: 'admin',
  routes: [
    {
      method: 'POST',
      path: '/check-ins',
      handler: 'check-in.create',
      config: guard(PERMISSIONS.checkIn, ['plugin::booking.scan-rate']),
    },
    // The scanner's service worker: public, as a browser fetches a worker without the admin's token.
    { method: 'GET', path: '/door/service-worker.js', handler: 'door-app.serviceWorker', config: { auth: false } },
    { method: 'GET', path: '/door/performances', handler: 'check-in.doorPerformances', config: guard(PERMISSIONS.checkIn) },
    {
      method: 'GET',
      path: '/performances/:documentId/door-snapshot',
      handler: 'check-in.doorSnapshot',
      config: guard(PERMISSIONS.checkIn),
    },
    {
      method: 'GET',
      path: '/performances/:documentId/offline-conflicts',
      handler: 'performance.offlineConflicts',
      config: guard(PERMISSIONS.stats),
    },
    { method: 'GET', path: '/performances/:documentId/stats', handler: 'performance.stats', config: guard(PERMISSIONS.stats) },
    { method: 'GET', path: '/performances/:documentId/scans', handler: 'performance.scans', config: guard(PERMISSIONS.stats) },
    {
      method: 'GET',
      path: '/performances/:documentId/door-list',
      handler: 'door-list.find',
      config: guard(PERMISSIONS.doorList),
    },
    {
      method: 'GET',
      path: '/performances/:documentId/confirmations-per-day',
      handler: 'door-list.confirmationsPerDay',
      config: guard(PERMISSIONS.stats),
    },
    {
      method: 'POST',
      path: '/performances/:documentId/reservations',
      handler: 'box-office.create',
      config: guard(PERMISSIONS.boxOffice),
    },
    {
      method: 'POST',
      path: '/reservations/:documentId/resend-ticket',
      handler: 'box-office.resendTicket',
      config: guard(PERMISSIONS.boxOffice),
    },
    // When the evening changes (issue 22): writing to a performance's audience, and what was written.
    {
      method: 'POST',
      path: '/performances/:documentId/messages',
      handler: 'messages.create',
      config: guard(PERMISSIONS.message),
    },
    {
      method: 'GET',
      path: '/performances/:documentId/messages',
      handler: 'messages.find',
      config: guard(PERMISSIONS.message),
    },
    // Issue 22 item 1: cancel a performance; the dialog's count of who will be written to.
    {
      method: 'POST',
      path: '/performances/:documentId/cancel',
      handler: 'performance-cancel.cancel',
      config: guard(PERMISSIONS.performanceCancel),
    },
    {
      method: 'GET',
      path: '/performances/:documentId/cancel',
      handler: 'performance-cancel.preview',
      config: guard(PERMISSIONS.performanceCancel),
    },
    {
      method: 'GET',
      path: '/visitor-data',
      handler: 'visitor-data.export',
      config: guard(PERMISSIONS.visitorData),
    },
    {
      method: 'POST',
      path: '/visitor-data/erase',
      handler: 'visitor-data.erase',
      config: guard(PERMISSIONS.visitorData),
    },
  ],
};
