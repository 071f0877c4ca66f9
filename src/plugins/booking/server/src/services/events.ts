import type { Core } from '@strapi/strapi';
import { createEvents } from '../events';
import { subscribeAll } from '../events/subscribers';

/** The domain events (events/), with every subscriber attached. */
const createEventsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const events = createEvents(strapi);
  subscribeAll(strapi, events);
  return events;
};

export type EventsService = ReturnType<typeof createEventsService>;
export default createEventsService;
