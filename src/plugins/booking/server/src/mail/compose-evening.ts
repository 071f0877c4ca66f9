/**
 * Composing the mails of issue 22 for the outbox (services/mailer.ts delivers them): "your
 * performance moved" (`moved`) and a staff message to the audience (`message`). Each is composed
 * when it is sent, from the performance as it is then, so a retry never says something stale; a
 * mail no longer needed (the booking cancelled, the entry gone, the performance started) is null.
 */
import type { Core } from '@strapi/strapi';
import type { Language, MailKind } from '../constants';
import { dataOf } from '../data';
import type { MessageForMail } from '../data/outbox';
import type { PerformanceFacts } from '../data/performances';
import { hashToken, newRawToken } from '../data/tokens';
import { getService } from '../utils/get-service';
import { renderAudienceMessage, renderMoved } from './evening-templates';
import type { RenderedMail, TicketFacts } from './templates';

type ReservationForMail = NonNullable<MessageForMail['reservation']> & { performance: PerformanceFacts | null };

interface Attachment {
  filename: string;
  content: string | Buffer;
  contentType: string;
}

export interface EveningTools {
  factsOf(reservation: ReservationForMail): TicketFacts;
  link(page: 'cancel' | 'waitlist/leave', token: string, language: Language): string;
  calendarOf(reservation: ReservationForMail, sequence: number): Attachment;
  /** A fresh cancellation token of the reservation, valid until `expiresAt`. */
  issueCancellation(reservationId: number, expiresAt: Date): Promise<string>;
}

export type EveningMail = { to: string; mail: (RenderedMail | { subject: string; text: string }) & { attachments?: Attachment[] } };

export const EVENING_KINDS: ReadonlySet<MailKind> = new Set<MailKind>(['moved', 'message']);

export const composeEvening = async (
  strapi: Core.Strapi,
  tools: EveningTools,
  message: MessageForMail['message'],
  reservation: ReservationForMail | null,
  now: Date
): Promise<EveningMail | null> => {
  const data = dataOf(strapi);
  const knex = strapi.db.connection;
  if (reservation) {
    if (reservation.reservation_status !== 'confirmed' || !reservation.performance) return null;
    const startsAt = new Date(reservation.performance.starts_at);
    if (startsAt.getTime() <= now.getTime()) return null;
    const cancelLink = tools.link('cancel', await tools.issueCancellation(reservation.id, startsAt), reservation.language);
    if (message.kind === 'moved') {
      const sequence = await data.scheduleChanges.version(knex, reservation.performance.id);
      return {
        to: reservation.email,
        mail: {
          ...renderMoved(reservation.language, tools.factsOf(reservation), cancelLink),
          attachments: [tools.calendarOf(reservation, sequence)],
        },
      };
    }
    const text = message.performanceMessage ? await data.performanceMessages.text(knex, message.performanceMessage) : null;
    if (!text) return null;
    return {
      to: reservation.email,
      mail: renderAudienceMessage(reservation.language, text, { kind: 'reservation', reference: reservation.reference, link: cancelLink }),
    };
  }
  // A message to a waiting-list entry: while it still waits, with its leave link.
  if (message.kind !== 'message' || !message.performanceMessage) return null;
  const entryId = await data.outbox.entryOf(knex, message.id);
  const entry = entryId === null ? null : await data.waitlistEntries.forMail(knex, entryId);
  if (!entry || entry.waitlist_status !== 'waiting' || entry.performanceId === null) return null;
  const performance = await getService(strapi, 'catalogue').performanceFacts(entry.performanceId, entry.language);
  if (!performance || new Date(performance.starts_at).getTime() <= now.getTime()) return null;
  const text = await data.performanceMessages.text(knex, message.performanceMessage);
  if (!text) return null;
  // Only a hash is stored: the mail carries a new leave link (the latest one works).
  const token = newRawToken();
  await data.waitlistEntries.setLeaveHash(knex, entry.id, hashToken(token));
  return {
    to: entry.email,
    mail: renderAudienceMessage(entry.language, text, {
      kind: 'entry',
      reference: entry.reference,
      link: tools.link('waitlist/leave', token, entry.language),
    }),
  };
};
