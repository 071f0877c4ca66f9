import type { Core } from '@strapi/strapi';
import { registerLifecycles } from './lifecycles';
import { getConfig, getService } from './utils/get-service';

/** Serialises the setup below across app instances booting at once on one PostgreSQL. */
const SETUP_LOCK_KEY = 0x626f6f6b; // "book"

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  registerLifecycles(strapi);

  await strapi.db.transaction(async ({ trx }) => {
    if (strapi.db.dialect.client === 'postgres') {
      await trx.raw('SELECT pg_advisory_xact_lock(?)', [SETUP_LOCK_KEY]);
    }
    await getService(strapi, 'schema').ensureIndexes(trx);
    await getService(strapi, 'access').ensureDoorStaffRole();
    await getService(strapi, 'access').grantPublicRoutesOnce();

    const demo = getService(strapi, 'demo-data');
    const seedAllowed = process.env.NODE_ENV !== 'production' && getConfig(strapi).seedDemoData;
    if (seedAllowed && (await demo.isEmpty())) {
      const created = await demo.seed();
      strapi.log.info(`[booking] demo season seeded (${created} rows)`);
    }
  });
};

export default bootstrap;
