import type { Core } from '@strapi/strapi';
import { HOUSEKEEPING_JOB } from './bootstrap';
import { stopRetention } from './jobs/retention';
import { getService } from './utils/get-service';

const destroy = async ({ strapi }: { strapi: Core.Strapi }) => {
  // Cron jobs added by a plugin outlive `server.cron.enabled`: remove ours, and let the e-mails
  // being sent finish before the database closes.
  if (strapi.cron.jobs.some((job) => job.name === HOUSEKEEPING_JOB)) {
    strapi.cron.remove(HOUSEKEEPING_JOB);
  }
  await getService(strapi, 'events').settle();
  await stopRetention(strapi);
  await getService(strapi, 'mailer').settle();
  await getService(strapi, 'webhooks').settle();
  await getService(strapi, 'public-cache').stop();
};

export default destroy;
