import type { Core } from '@strapi/strapi';
import { dataOf } from '../../data';
import { getService } from '../../utils/get-service';
import type { BookingEvents } from '..';

/**
 * The visitor's e-mails: recorded in the outbox in the transaction of the change (so a mail is
 * owed exactly when the change commits), sent right after the commit with the raw tokens the
 * transaction issued; the retry job sends what this first try could not.
 */
export const subscribeMail = (strapi: Core.Strapi, events: BookingEvents) => {
  const mailer = () => getService(strapi, 'mailer');

  events.on('reservation.created', async (event, trx, now) => {
    const messageId = await dataOf(strapi).outbox.insert(trx, 'confirmation', event.reservationId, now);
    return () => mailer().deliverLater(messageId, event.tokens);
  });

  events.on('reservation.confirmed', async (event, trx, now) => {
    if (event.sendTicket === false) return;
    const messageId = await dataOf(strapi).outbox.insert(trx, 'ticket', event.reservationId, now);
    return () => mailer().deliverLater(messageId, event.tokens);
  });
};
