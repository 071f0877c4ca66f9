import type { StrapiApp } from '@strapi/strapi/admin';

export default {
  config: {
    // The company is Italian: the admin panel offers Italian beside English.
    locales: ['it'],
    // No release notifications: the machines that run this reach no outside host.
    notifications: { releases: false },
    tutorials: false,
  },
  bootstrap(_app: StrapiApp) {},
};
