import type { Core } from '@strapi/strapi';
import { assertRuntimeEnvironment } from './env/secrets';
import { assertProductionMail, assertSmtpTls, type SmtpTlsOptions } from './env/mail';

// The app is a thin host: the booking plugin (src/plugins/booking) does the work.
export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    assertRuntimeEnvironment();
    assertProductionMail();
    assertSmtpTls(strapi.config.get<{ providerOptions?: SmtpTlsOptions }>('plugin::email')?.providerOptions);
  },
  bootstrap(_: { strapi: Core.Strapi }) {},
};
