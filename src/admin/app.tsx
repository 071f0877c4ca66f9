import type { StrapiApp } from '@strapi/strapi/admin';

/**
 * Strapi 5.54's guided tour has no configuration switch (only NODE_ENV=test turns it off): it
 * starts unless its stored state says it was skipped. Store that before the panel first renders.
 */
const GUIDED_TOUR_KEY = 'STRAPI_GUIDED_TOUR';
try {
  const stored = JSON.parse(window.localStorage.getItem(GUIDED_TOUR_KEY) ?? 'null') as Record<string, unknown> | null;
  if (!stored || stored.enabled !== false) {
    window.localStorage.setItem(
      GUIDED_TOUR_KEY,
      JSON.stringify({ tours: {}, completedActions: [], hidden: false, ...(stored ?? {}), enabled: false })
    );
  }
} catch {
  // No storage (private mode): the tour shows, and can be skipped by hand.
}

/**
 * The "Introducing the new Media Library" banner takes the top of a phone's screen at the door.
 * Strapi keeps its dismissal per project in localStorage under a key scoped by the project's uuid,
 * which is `false` with telemetry off (package.json), and undefined until the admin's init answer:
 * mark it dismissed under both, for both Media Library flavours, before the panel renders.
 */
try {
  for (const legacy of ['true', 'false']) {
    for (const scope of ['false', 'undefined']) {
      window.localStorage.setItem(`STRAPI_MEDIA_LIBRARY_BANNER_DISMISSED_FOR_${legacy}:${scope}`, 'true');
    }
  }
} catch {
  // No storage: the banner shows, and its close button hides it.
}

export default {
  config: {
    // The company is Italian: the admin panel offers Italian beside English.
    locales: ['it'],
    // No release notifications: the machines that run this reach no outside host.
    notifications: { releases: false },
    tutorials: false,
    // The Content Manager's menu and headers name a content type by its displayName, used as a
    // message id: the booking types in Italian for an Italian editor (English is the default).
    translations: {
      it: {
        Show: 'Spettacoli',
        Venue: 'Sale',
        Performance: 'Repliche',
        Reservation: 'Prenotazioni',
        'Reservation token': 'Codici di prenotazione',
        'Check-in': 'Ingressi',
        'Door scan': "Scansioni all'ingresso",
        'Outgoing e-mail': 'E-mail in uscita',
      },
    },
    // The admin's home does not advertise Strapi's paid plans or ask for feedback.
    // (config/admin.ts turns off the NPS and EE prompts with flags.)
  },
  bootstrap(_app: StrapiApp) {},
};
