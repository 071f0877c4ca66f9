import type { Core } from '@strapi/strapi';
import { assertRuntimeEnvironment } from './env/secrets';
import { assertProductionMail, assertSmtpTls, type SmtpTlsOptions } from './env/mail';
import { closeRegistration } from './no-registration';

// The app is a thin host: the booking plugin (src/plugins/booking) does the work.
export default {
  register({ strapi }: { strapi: Core.Strapi }) {
    assertRuntimeEnvironment();
    assertProductionMail();
    assertSmtpTls(strapi.config.get<{ providerOptions?: SmtpTlsOptions }>('plugin::email')?.providerOptions);
  },
  async bootstrap({ strapi }: { strapi: Core.Strapi }) {
    await closeRegistration(strapi);
  },
};
