import type { Core } from '@strapi/strapi';

// The app is a thin host: the booking plugin (src/plugins/booking) does the work.
export default {
  register(_: { strapi: Core.Strapi }) {},
  bootstrap(_: { strapi: Core.Strapi }) {},
};
