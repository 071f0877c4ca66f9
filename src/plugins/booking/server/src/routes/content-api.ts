/**
 * The public routes of API.md. Each handler string gives the route a Users & Permissions scope
 * (`plugin::booking.<controller>.<action>`) that the plugin grants to the Public role once; an
 * administrator may revoke it. Nothing else of the plugin is reachable without admin auth.
 */
const publicPost = { middlewares: ['plugin::booking.public-post'] };

export default {
  type: 'content-api',
  routes: [
    { method: 'GET', path: '/shows', handler: 'show.find', config: {} },
    { method: 'GET', path: '/shows/:slug', handler: 'show.findOne', config: {} },
    { method: 'GET', path: '/performances/:documentId', handler: 'performance.findOne', config: {} },
    { method: 'GET', path: '/venues/:slug', handler: 'venue.findOne', config: {} },
    { method: 'POST', path: '/reservations', handler: 'reservation.create', config: publicPost },
    { method: 'POST', path: '/reservations/confirm', handler: 'reservation.confirm', config: publicPost },
    { method: 'POST', path: '/reservations/cancel', handler: 'reservation.cancel', config: publicPost },
  ],
};
