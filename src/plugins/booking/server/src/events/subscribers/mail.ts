import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
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

  // A receipt for a visitor's cancelled booking that held seats (a pending one never had a
  // ticket), and a notice to the holder of a ticket staff cancelled in the Content Manager (issue
  // 22 item 4). An erasure on the visitor's request sends none: it must not race a mail to the
  // address it is erasing.
  events.on('reservation.cancelled', async (event, trx, now) => {
    if (event.freedSeats <= 0 || (event.by !== 'visitor' && !event.notify)) return undefined;
    const kind = event.by === 'visitor' ? 'cancelled' : 'cancelled_by_staff';
    const messageId = await dataOf(strapi).outbox.insert(trx, kind, event.reservationId, now);
    return () => mailer().deliverLater(messageId);
  });

  // A smaller party: the ticket again with the seats it is for now (the inbox must not keep the
  // old number), with fresh tokens; earlier QR codes keep working.
  events.on('reservation.reduced', async (event, trx, now) => {
    const messageId = await dataOf(strapi).outbox.insert(trx, 'reduced', event.reservationId, now);
    return () => mailer().deliverLater(messageId);
  });

  // The ticket again: a lost one (resend) or before the start (reminder); each mail issues a
  // fresh QR token when it is rendered, earlier ones keep working.
  const ticketCopies = (kind: 'resend' | 'reminder') => async (event: { reservationIds: number[] }, trx: Knex.Transaction, now: Date) => {
    const ids: number[] = [];
    for (const reservationId of event.reservationIds) ids.push(await dataOf(strapi).outbox.insert(trx, kind, reservationId, now));
    return () => {
      for (const id of ids) mailer().deliverLater(id);
    };
  };
  events.on('ticket.resend_requested', ticketCopies('resend'));
  events.on('ticket.reminder_due', ticketCopies('reminder'));
};
