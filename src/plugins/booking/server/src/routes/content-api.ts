import { PUBLIC_STRATEGIES } from '../auth/strategies';

/**
 * The public routes of docs/api.md. Each handler string gives the route a Users & Permissions scope
 * (`plugin::booking.<controller>.<action>`) that the plugin grants to the Public role once; an
 * administrator may revoke it (effective within `accessCacheSeconds`, see auth/strategies.ts).
 * Nothing else of the plugin is reachable without admin auth.
 */
// Fresh objects per route: Strapi writes each route's scope into its `config.auth`.
const open = () => ({ auth: { strategies: PUBLIC_STRATEGIES } });
const publicPost = () => ({ ...open(), middlewares: ['plugin::booking.public-post'] });

export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/shows', handler: 'show.find', config: open() },
    { method: 'GET', path: '/shows/:slug', handler: 'show.findOne', config: open() },
    { method: 'GET', path: '/performances/:documentId', handler: 'performance.findOne', config: open() },
    { method: 'GET', path: '/venues/:slug', handler: 'venue.findOne', config: open() },
    { method: 'POST', path: '/reservations', handler: 'reservation.create', config: publicPost() },
    { method: 'POST', path: '/reservations/preview', handler: 'reservation.preview', config: publicPost() },
    { method: 'POST', path: '/reservations/confirm', handler: 'reservation.confirm', config: publicPost() },
    { method: 'POST', path: '/reservations/cancel', handler: 'reservation.cancel', config: publicPost() },
    { method: 'POST', path: '/reservations/reduce', handler: 'reservation.reduce', config: publicPost() },
    { method: 'POST', path: '/reservations/resend', handler: 'reservation.resend', config: publicPost() },
    { method: 'POST', path: '/waitlist', handler: 'waitlist.join', config: publicPost() },
    { method: 'POST', path: '/waitlist/confirm', handler: 'waitlist.confirm', config: publicPost() },
    { method: 'POST', path: '/waitlist/leave', handler: 'waitlist.leave', config: publicPost() },
    // The machine-readable twin of docs/api.md, built from these routes (openapi/document.ts).
    { method: 'GET', path: '/openapi.json', handler: 'openapi.document', config: open() },
  ],
};
