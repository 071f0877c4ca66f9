/**
 * Composing issue 22's cancellation notices for the outbox (services/mailer.ts delivers them): a
 * cancelled performance, to a ticket holder (about the reservation) or a waiting or offered party
 * (about the entry), with the editor's message; and a reservation cancelled by staff. Composed when
 * sent; a notice no longer true (the reservation not cancelled, the entry not ended) is null.
 */
import type { Core } from '@strapi/strapi';
import type { MailKind } from '../constants';
import { dataOf } from '../data';
import type { MessageForMail } from '../data/outbox';
import type { PerformanceFacts } from '../data/performances';
import { getService } from '../utils/get-service';
import { renderCancelledByStaff, renderPerformanceCancelled } from './cancel-templates';
import type { EveningMail, EveningTools } from './compose-evening';

type ReservationForMail = NonNullable<MessageForMail['reservation']> & { performance: PerformanceFacts | null };

export const CANCEL_KINDS: ReadonlySet<MailKind> = new Set<MailKind>(['performance_cancelled', 'cancelled_by_staff']);

export const composeCancel = async (
  strapi: Core.Strapi,
  tools: EveningTools,
  message: MessageForMail['message'],
  reservation: ReservationForMail | null
): Promise<EveningMail | null> => {
  const data = dataOf(strapi);
  const knex = strapi.db.connection;
  if (reservation) {
    if (reservation.reservation_status !== 'cancelled') return null;
    const facts = tools.factsOf(reservation);
    if (message.kind === 'cancelled_by_staff') return { to: reservation.email, mail: renderCancelledByStaff(reservation.language, facts) };
    const said = reservation.performanceId === null ? null : await data.performances.cancellationMessage(knex, reservation.performanceId);
    return { to: reservation.email, mail: renderPerformanceCancelled(reservation.language, facts, said, 'holder') };
  }
  // A waiting or offered party: its entry, ended by the cancel.
  if (message.kind !== 'performance_cancelled') return null;
  const entryId = await data.outbox.entryOf(knex, message.id);
  const entry = entryId === null ? null : await data.waitlistEntries.forMail(knex, entryId);
  if (!entry || entry.waitlist_status !== 'expired' || entry.performanceId === null) return null;
  const performance = await getService(strapi, 'catalogue').performanceFacts(entry.performanceId, entry.language);
  const facts = tools.factsOf({
    ...entry,
    reservation_status: 'cancelled',
    confirm_by: null,
    held_until: null,
    performanceId: entry.performanceId,
    performance,
  });
  const said = await data.performances.cancellationMessage(knex, entry.performanceId);
  return { to: entry.email, mail: renderPerformanceCancelled(entry.language, facts, said, 'waiting') };
};
