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

export default {
  config: {
    // The company is Italian: the admin panel offers Italian beside English.
    locales: ['it'],
    // No release notifications: the machines that run this reach no outside host.
    notifications: { releases: false },
    tutorials: false,
    // The admin's home does not advertise Strapi's paid plans or ask for feedback.
    // (config/admin.ts turns off the NPS and EE prompts with flags.)
  },
  bootstrap(_app: StrapiApp) {},
};
