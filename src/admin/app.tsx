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

/**
 * Italian is the panel's language for this company: Strapi reads the language from localStorage
 * (`strapi-admin-language`) and falls back to English; a user's own choice (Profile, Interface
 * language, kept on the user as `preferedLanguage`) replaces it at login. Set Italian where nothing
 * is stored yet, before the panel first renders, so a new user gets Italian screens whatever the
 * browser's language; English stays one choice away in the profile.
 */
const ADMIN_LANGUAGE_KEY = 'strapi-admin-language';
try {
  if (!window.localStorage.getItem(ADMIN_LANGUAGE_KEY)) window.localStorage.setItem(ADMIN_LANGUAGE_KEY, 'it');
} catch {
  // No storage: Strapi's English, and the profile's choice after login.
}

export default {
  config: {
    // The company is Italian: the admin panel offers Italian beside English, Italian by default (above).
    locales: ['it'],
    // No release notifications: the machines that run this reach no outside host.
    notifications: { releases: false },
    tutorials: false,
    // The Content Manager's menu and headers name a content type by its displayName, used as a
    // message id: the booking types in Italian for an Italian editor (English is Strapi's own).
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
        'Waiting list': "Lista d'attesa",
        Webhook: 'Avvisi webhook',
        'Webhook delivery': 'Invii dei webhook',
        User: 'Utenti',
      },
    },
    // The admin's home does not advertise Strapi's paid plans or ask for feedback.
    // (config/admin.ts turns off the NPS and EE prompts with flags.)
  },
  bootstrap(_app: StrapiApp) {},
};
