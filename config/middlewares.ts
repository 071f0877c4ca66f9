import type { Core } from '@strapi/strapi';
import { isVisitorPath } from '../src/plugins/booking/server/src/utils/paths';

/**
 * Browsers may call the public booking routes (/api/booking, /site) from the app's own origin
 * (the demo pages) and from the origins in BOOKING_ALLOWED_ORIGINS, by default the origin of
 * BOOKING_PUBLIC_URL (the static site), never with credentials. The admin panel and the admin API
 * answer no origin any CORS header (they are used from the app's own origin); any other origin
 * gets none anywhere, so its browsers refuse the answer.
 */
const WIDGET_FILES = new Set(['/site/widget.js', '/site/booking-core.js']);

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => {
  const port = env.int('PORT', 1337);
  const ownUrl = env('PUBLIC_URL', `http://localhost:${port}`);
  const publicUrl = env('BOOKING_PUBLIC_URL', `${ownUrl}/site`);
  const configured = env.array('BOOKING_ALLOWED_ORIGINS', []).filter(Boolean);
  const origins = new Set([new URL(ownUrl).origin, ...(configured.length ? configured : [new URL(publicUrl).origin])]);

  return [
    // Strapi's logger writes the query string, where e-mailed links carry their tokens.
    'plugin::booking.request-log',
    'strapi::errors',
    // A control character (%00, ...) in a path is 400 validation before any route reads its
    // parameters: PostgreSQL refuses NUL in text, which would be a 500.
    'plugin::booking.path-guard',
    'strapi::security',
    {
      name: 'strapi::cors',
      config: {
        // Strapi asks this with the request's context: the admin panel and the admin API answer
        // no origin (an empty list), the public booking routes and /site the allowed ones.
        // The widget's two module files answer any origin (they are public, and hold nothing): on a
        // page whose origin is not allowed the widget then loads and says so, instead of staying
        // blank; the API it calls still answers only the allowed origins. The router matches paths
        // whatever their case, so the visitor-path test does too.
        origin: (ctx: { path: string }) => (WIDGET_FILES.has(ctx.path) ? ['*'] : isVisitorPath(ctx.path) ? [...origins] : []),
        // The public routes take no cookies; the admin sends its token in a header.
        credentials: false,
        headers: ['Content-Type', 'Authorization', 'Origin', 'Accept', 'Idempotency-Key'],
      },
    },
    'strapi::poweredBy',
    'strapi::query',
    // Unreadable bodies sent to the booking routes answer in the contract's error envelope.
    'plugin::booking.body-errors',
    // The admin panel saves rich text; the plugin narrows this to 16 KiB on /api/booking, chunked
    // bodies included (middlewares/public-body.ts).
    { name: 'strapi::body', config: { jsonLimit: '1mb', formLimit: '1mb', textLimit: '1mb' } },
    // yup 0.32's e-mail check can take minutes on a hostile string: Strapi's own routes that
    // take an address get only ones a linear check accepts.
    'plugin::booking.email-guard',
    // The Content Manager's publish, unpublish and discard on a type without drafts: a 400, not
    // Strapi's 500.
    'plugin::booking.draft-actions',
    'strapi::session',
    'strapi::favicon',
    'strapi::public',
  ];
};

export default config;
