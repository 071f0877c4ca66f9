import type { Core } from '@strapi/strapi';
import type { BookingEvents } from '..';
import { subscribeEveningChanges } from './evening-changes';
import { subscribeMail } from './mail';
import { subscribeMetrics } from './metrics';
import { subscribePerformanceCancelled } from './performance-cancelled';
import { subscribePublicCache } from './public-cache';
import { subscribeWebhooks } from './webhooks';
import { subscribeWaitlist } from './waitlist';

/** Every reaction to the domain events, subscribed once at boot (register.ts). */
export const subscribeAll = (strapi: Core.Strapi, events: BookingEvents) => {
  subscribeMail(strapi, events);
  subscribePublicCache(strapi, events);
  subscribeWebhooks(strapi, events);
  subscribeWaitlist(strapi, events);
  subscribeMetrics(strapi, events);
  subscribeEveningChanges(strapi, events);
  subscribePerformanceCancelled(strapi, events);
};
