import type { Core } from '@strapi/strapi';
import { getService } from '../../utils/get-service';
import type { BookingEvents } from '..';

/**
 * Seats changed: this instance drops its cached answers for the performance at once; the other
 * instances hear of it from the database's own notice (services/public-cache.ts).
 */
export const subscribePublicCache = (strapi: Core.Strapi, events: BookingEvents) => {
  const seatsChanged = (performanceId: number) => () => getService(strapi, 'public-cache').changed(performanceId);
  events.on('reservation.confirmed', (event) => seatsChanged(event.performanceId));
  // A cancelled offer gives back held seats too: always drop.
  events.on('reservation.cancelled', (event) => seatsChanged(event.performanceId));
  events.on('reservation.reduced', (event) => seatsChanged(event.performanceId));
};
