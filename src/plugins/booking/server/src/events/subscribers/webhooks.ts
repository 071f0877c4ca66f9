import type { Core } from '@strapi/strapi';
import type { WebhookEventType } from '../../constants';
import { dataOf } from '../../data';
import { getService } from '../../utils/get-service';
import type { BookingEvents, EventType } from '..';

/**
 * Webhooks: each event is written as one delivery per listening webhook in the announcing
 * transaction (one INSERT ... SELECT, so a confirmation pays one statement, and nothing is owed
 * when the change rolls back), and tried once it has committed; the housekeeping job retries.
 */
export const subscribeWebhooks = (strapi: Core.Strapi, events: BookingEvents) => {
  const webhooks = () => getService(strapi, 'webhooks');

  const tell = async (
    type: WebhookEventType & EventType,
    reservationIds: number[],
    trx: Parameters<Parameters<BookingEvents['on']>[1]>[1],
    now: Date
  ) => {
    const ids = await dataOf(strapi).webhookDeliveries.enqueue(trx, type, reservationIds, now);
    return ids.length > 0 ? () => webhooks().deliverLater(ids) : undefined;
  };

  events.on('reservation.created', (event, trx, now) => tell(event.type, [event.reservationId], trx, now));
  events.on('reservation.confirmed', (event, trx, now) => tell(event.type, [event.reservationId], trx, now));
  events.on('reservation.cancelled', (event, trx, now) => tell(event.type, [event.reservationId], trx, now));
  // One event for a batch of lapsed reservations: one delivery per reservation and webhook.
  events.on('reservation.expired', (event, trx, now) => tell(event.type, event.reservationIds, trx, now));
  events.on('check-in.created', (event, trx, now) => tell(event.type, [event.reservationId], trx, now));
  // An offer is a pending reservation holding the party's seats: its reference, party and status.
  events.on('waitlist.offered', (event, trx, now) => tell(event.type, [event.reservationId], trx, now));
};
