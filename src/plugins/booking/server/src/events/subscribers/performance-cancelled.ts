import type { Core } from '@strapi/strapi';
import { dataOf } from '../../data';
import { getService } from '../../utils/get-service';
import type { BookingEvents } from '..';

/**
 * Issue 22: what a cancelled performance owes, written in the cancel's transaction. One mail per
 * confirmed holder and per waiting (or offered) party, each under a dedupe key naming the
 * performance and the person's reservation or entry, so it is owed once whatever the retries and
 * instances; the webhooks `reservation.cancelled` for every reservation the cancel ended and
 * `performance.cancelled` (no message text in either); the public answers dropped.
 */
export const subscribePerformanceCancelled = (strapi: Core.Strapi, events: BookingEvents) => {
  const mailer = () => getService(strapi, 'mailer');
  const webhooks = () => getService(strapi, 'webhooks');

  events.on('performance.cancelled', async (event, trx, now) => {
    const data = dataOf(strapi);
    const messages: number[] = [];
    const key = (who: string) => `performance_cancelled:${event.performanceId}:${who}`;
    for (const reservationId of event.holderReservationIds) {
      const id = await data.performanceCancel.insertMailOnce(
        trx,
        'performance_cancelled',
        { reservationId },
        key(`r${reservationId}`),
        now
      );
      if (id !== null) messages.push(id);
    }
    for (const entryId of event.entryIds) {
      const id = await data.performanceCancel.insertMailOnce(trx, 'performance_cancelled', { entryId }, key(`e${entryId}`), now);
      if (id !== null) messages.push(id);
    }
    const deliveries = [
      ...(await data.webhookDeliveries.enqueue(trx, 'reservation.cancelled', event.reservationIds, now)),
      ...(await data.performanceCancel.enqueuePerformanceCancelled(trx, event.performanceId, now)),
    ];
    return () => {
      getService(strapi, 'public-cache').changed(event.performanceId);
      for (const id of messages) mailer().deliverLater(id);
      if (deliveries.length > 0) webhooks().deliverLater(deliveries);
    };
  });
};
