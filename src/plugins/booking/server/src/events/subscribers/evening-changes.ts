import type { Core } from '@strapi/strapi';
import { dataOf } from '../../data';
import { getService } from '../../utils/get-service';
import type { BookingEvents } from '..';

/**
 * When the evening changes (issue 22): the mails and the webhook of a moved performance, and the
 * mails of a message to its audience, all recorded in the announcing transaction (owed exactly
 * when it commits, once, whatever the instances) and sent after the commit; the housekeeping job
 * retries what could not go. No message text reaches a webhook: a message has none.
 */
export const subscribeEveningChanges = (strapi: Core.Strapi, events: BookingEvents) => {
  const mailer = () => getService(strapi, 'mailer');

  events.on('performance.rescheduled', async (event, trx, now) => {
    const outbox = dataOf(strapi).outbox;
    const ids: number[] = [];
    for (const reservationId of event.reservationIds) ids.push(await outbox.insert(trx, 'moved', reservationId, now));
    const deliveries = await dataOf(strapi).webhookDeliveries.enqueueAboutPerformance(
      trx,
      'performance.rescheduled',
      event.webhook.documentId,
      { ...event.webhook },
      now
    );
    return () => {
      for (const id of ids) mailer().deliverLater(id);
      if (deliveries.length > 0) getService(strapi, 'webhooks').deliverLater(deliveries);
    };
  });

  events.on('performance.messaged', async (event, trx, now) => {
    const outbox = dataOf(strapi).outbox;
    const extra = { performance_message: event.messageId };
    const ids: number[] = [];
    for (const reservationId of event.reservationIds) ids.push(await outbox.insert(trx, 'message', reservationId, now, extra));
    for (const entryId of event.entryIds) ids.push(await outbox.insertForEntry(trx, 'message', entryId, now, extra));
    return () => {
      for (const id of ids) mailer().deliverLater(id);
    };
  });
};
