import type { Core } from '@strapi/strapi';
import { getService } from '../../utils/get-service';
import type { BookingEvents } from '..';

/**
 * What committed, counted once it has (services/metrics.ts): a reservation asked for, seats
 * confirmed (by link, at the box office, from the waiting list), a ticket checked in. A rolled
 * back change runs no after-commit step, so it is never counted.
 */
export const subscribeMetrics = (strapi: Core.Strapi, events: BookingEvents) => {
  const metrics = () => getService(strapi, 'metrics');
  events.on('reservation.created', () => () => metrics().reservation('created'));
  events.on('reservation.confirmed', () => () => metrics().confirmation('confirmed'));
  events.on('check-in.created', () => () => metrics().checkIn('ok'));
};
