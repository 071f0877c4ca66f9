import type { Core } from '@strapi/strapi';

/**
 * Browsers may call the app from its own origin (the admin panel, the demo pages) and from the
 * origins in BOOKING_ALLOWED_ORIGINS, by default the origin of BOOKING_PUBLIC_URL (the static
 * site). Any other origin gets no CORS headers, so its browsers refuse the answer.
 */
const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Middlewares => {
  const port = env.int('PORT', 1337);
  const ownUrl = env('PUBLIC_URL', `http://localhost:${port}`);
  const publicUrl = env('BOOKING_PUBLIC_URL', `${ownUrl}/site`);
  const configured = env.array('BOOKING_ALLOWED_ORIGINS', []).filter(Boolean);
  const origins = new Set([new URL(ownUrl).origin, ...(configured.length ? configured : [new URL(publicUrl).origin])]);

  return [
    'strapi::logger',
    'strapi::errors',
    'strapi::security',
    {
      name: 'strapi::cors',
      config: {
        origin: [...origins],
        headers: ['Content-Type', 'Authorization', 'Origin', 'Accept', 'Idempotency-Key'],
      },
    },
    'strapi::poweredBy',
    'strapi::query',
    // Unreadable bodies sent to the booking routes answer in the contract's error envelope.
    'plugin::booking.body-errors',
    // The admin panel saves rich text; the public routes add their own 16 KiB limit.
    { name: 'strapi::body', config: { jsonLimit: '1mb', formLimit: '1mb', textLimit: '1mb' } },
    // yup 0.32's e-mail check can take minutes on a hostile string: Strapi's own routes that
    // take an address get only ones a linear check accepts.
    'plugin::booking.email-guard',
    'strapi::session',
    'strapi::favicon',
    'strapi::public',
  ];
};

export default config;
