/**
 * Which part of the app a request's path is in, as the router sees it. Koa's router matches
 * paths without regard to case (`/Api/Booking/Reservations` reaches the same handler as
 * `/api/booking/reservations`), so every middleware that applies a rule to an area (the 16 KiB
 * body limit, the error envelope, CORS, the e-mail guard) must decide by the same case-blind
 * test, or a path spelt otherwise reaches the handler without the rule. Every such check goes
 * through here.
 */
const PUBLIC_API = '/api/booking/';
const STAFF_API = '/booking/';
const SITE = '/site/';

const lower = (path: string) => path.toLowerCase();

/** The public booking routes (`/api/booking/...`), however the path is spelt. */
export const isPublicApiPath = (path: string): boolean => lower(path).startsWith(PUBLIC_API);

/** The public booking routes or the staff routes of the plugin (`/booking/...`). */
export const isBookingPath = (path: string): boolean => {
  const p = lower(path);
  return p.startsWith(PUBLIC_API) || p.startsWith(STAFF_API);
};

/** The routes a visitor's browser calls: the public booking routes and the pages (`pagesPath`, `/site`). */
export const isVisitorPath = (path: string, pagesPath = SITE.slice(0, -1)): boolean => {
  const p = lower(path);
  return p.startsWith(PUBLIC_API) || p.startsWith(`${lower(pagesPath)}/`);
};
