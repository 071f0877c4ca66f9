import type { Core } from '@strapi/strapi';
import { dataOf } from '../../data';
import { getService } from '../../utils/get-service';
import type { BookingEvents } from '..';

/**
 * The waiting list's reactions: its three e-mails through the outbox (confirm the join; "you are
 * on the list" with the leave link; the offer with the confirmation link), and this instance's cached answers
 * dropped when held seats change (other instances hear the seat counter's own notice).
 */
export const subscribeWaitlist = (strapi: Core.Strapi, events: BookingEvents) => {
  const mailer = () => getService(strapi, 'mailer');
  const seatsChanged = (performanceId: number) => () => getService(strapi, 'public-cache').changed(performanceId);

  events.on('waitlist.joined', async (event, trx, now) => {
    const messageId = await dataOf(strapi).outbox.insertForEntry(trx, 'waitlist_confirm', event.entryId, now);
    return () => mailer().deliverLater(messageId, event.tokens);
  });

  events.on('waitlist.confirmed', async (event, trx, now) => {
    const messageId = await dataOf(strapi).outbox.insertForEntry(trx, 'waitlist_joined', event.entryId, now);
    return () => mailer().deliverLater(messageId, event.tokens);
  });

  events.on('waitlist.offered', async (event, trx, now) => {
    const messageId = await dataOf(strapi).outbox.insert(trx, 'offer', event.reservationId, now);
    const drop = seatsChanged(event.performanceId);
    return () => {
      drop();
      mailer().deliverLater(messageId, event.tokens);
    };
  });

  events.on('waitlist.offer_ended', (event) => seatsChanged(event.performanceId));
};
