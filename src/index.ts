import type { Core } from '@strapi/strapi';
import { assertProductionMail, assertRuntimeEnvironment } from './env/secrets';

// The app is a thin host: the booking plugin (src/plugins/booking) does the work.
export default {
  register(_: { strapi: Core.Strapi }) {
    assertRuntimeEnvironment();
    assertProductionMail();
  },
  bootstrap(_: { strapi: Core.Strapi }) {},
};
