import type { Core } from '@strapi/strapi';
import type { MailKind } from '../constants';
import { dataOf } from '../data';
import type { MessageForMail } from '../data/outbox';
import type { PerformanceFacts } from '../data/performances';
import type { FreshTokens } from '../events';
import { qrPng } from '../mail/qr';
import { describe, isPermanentRefusal, retryDelayMs } from '../mail/delivery-errors';
import { brandSender } from '../mail/brand';
import { ticketCalendar } from '../mail/calendar';
import { composeEvening, EVENING_KINDS, type EveningTools } from '../mail/compose-evening';
import { CANCEL_KINDS, composeCancel } from '../mail/compose-cancel';
import { calendarFileName, renderCancelled, renderConfirmation, renderTicket, ticketFileName, type TicketFacts } from '../mail/templates';
import { renderOffer, renderWaitlistConfirm, renderWaitlistJoined } from '../mail/waitlist-templates';
import { hashToken, newRawToken } from '../data/tokens';
import type { Language } from '../constants';
import { checkInWindow, queuePosition } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { createOrderedQueue } from '../utils/ordered-queue';

export type { FreshTokens } from '../events';

type ReservationForMail = NonNullable<MessageForMail['reservation']> & { performance: PerformanceFacts | null };

const LEASE_MS = 2 * 60_000;
/**
 * Mails composed and sent at once by one instance: twice the SMTP connections the e-mail plugin
 * may use (SMTP_MAX_CONNECTIONS, 5 by default), so that each connection has the next mail ready
 * (leased, read, rendered) while one is on the wire. With as many as the connections, the
 * connections waited on the database and the rendering: the last of an on-sale rush's 1,000 mails
 * came 11-13 s after the last booking instead of 9-10 s (bench/RUSH.md).
 */
const sendingAtOnce = (strapi: Core.Strapi): number => {
  const connections = Number(strapi.config.get('plugin::email.providerOptions.maxConnections'));
  return 2 * (Number.isInteger(connections) && connections > 0 ? connections : 5);
};
const QR_CID = 'ticket-qr@booking';

export { isPermanentRefusal, retryDelayMs } from '../mail/delivery-errors';

/**
 * E-mail to visitors through Strapi's e-mail plugin, with an outbox: the message is recorded in
 * the same transaction as the booking change, sent after the commit, and retried with back-off
 * by a scheduled job until the SMTP server takes it. The outbox stores no raw token (only
 * hashes are ever stored): a retry issues fresh tokens for the mail it renders.
 */
const createMailerService = ({ strapi }: { strapi: Core.Strapi }) => {
  /** deliverLater's sends, sendingAtOnce() at a time. */
  const later = createOrderedQueue<{ messageId: number; fresh: FreshTokens }>(sendingAtOnce(strapi), ({ messageId, fresh }) =>
    service.deliver(messageId, fresh).catch((error) => strapi.log.error(`[booking] e-mail ${messageId}: ${describe(error)}`))
  );

  /**
   * The message and the reservation it is about (one query), with what the mail says of its
   * performance (from the short cache of catalogue.performanceFacts).
   */
  const loadForMail = async (
    messageId: number
  ): Promise<{ message: MessageForMail['message']; reservation: ReservationForMail | null } | null> => {
    const loaded = await dataOf(strapi).outbox.loadForMail(strapi.db.connection, messageId);
    if (!loaded) return null;
    if (!loaded.reservation) return { message: loaded.message, reservation: null };
    const { performanceId } = loaded.reservation;
    // The show's and venue's English texts for an English visitor, where they exist.
    const performance =
      performanceId === null ? null : await getService(strapi, 'catalogue').performanceFacts(performanceId, loaded.reservation.language);
    return { message: loaded.message, reservation: { ...loaded.reservation, performance } };
  };

  const factsOf = (reservation: ReservationForMail): TicketFacts => ({
    reference: reservation.reference,
    name: reservation.name,
    partySize: reservation.party_size,
    showTitle: reservation.performance?.show?.title ?? '',
    startsAt: reservation.performance?.starts_at ?? new Date().toISOString(),
    venueName: reservation.performance?.venue?.name ?? '',
    venueAddress: reservation.performance?.venue?.address ?? '',
    venueCity: reservation.performance?.venue?.city ?? '',
    timezone: getConfig(strapi).timezone,
  });

  /** A page of the booking site with its token; English visitors' links open the pages in English. */
  const link = (page: 'confirm' | 'cancel' | 'waitlist/leave' | 'waitlist/confirm', token: string, language: Language) =>
    `${getConfig(strapi).publicUrl.replace(/\/+$/, '')}/${page}?token=${encodeURIComponent(token)}${language === 'en' ? '&lang=en' : ''}`;

  /** The calendar file of a ticket mail (text/calendar, one VEVENT). */
  const calendarOf = (reservation: ReservationForMail, sequence = 0) => ({
    filename: calendarFileName(reservation.language, reservation.performance?.show?.slug),
    content: ticketCalendar({
      reference: reservation.reference,
      showTitle: reservation.performance?.show?.title ?? '',
      startsAt: reservation.performance?.starts_at ?? new Date().toISOString(),
      durationMinutes: reservation.performance?.show?.duration_minutes ?? null,
      venueName: reservation.performance?.venue?.name ?? '',
      venueAddress: reservation.performance?.venue?.address ?? '',
      venueCity: reservation.performance?.venue?.city ?? '',
      sequence,
    }),
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
  });

  /**
   * A mail about a waiting-list entry: the join's confirmation link while it is unconfirmed and
   * its link has not lapsed (`waitlist_confirm`); "you are on the list" with its place and the
   * leave link while it waits (`waitlist_joined`); else null. A retry has no raw token (none is
   * stored): it issues a new one, which replaces the one of the mail that did not go.
   */
  const composeForEntry = async (kind: MailKind, entryId: number, fresh: FreshTokens, now: Date) => {
    const entries = dataOf(strapi).waitlistEntries;
    const entry = await entries.forMail(strapi.db.connection, entryId);
    if (!entry || entry.performanceId === null) return null;
    const wanted = kind === 'waitlist_confirm' ? 'unconfirmed' : 'waiting';
    if (entry.waitlist_status !== wanted) return null;
    if (kind === 'waitlist_confirm' && (!entry.confirm_by || new Date(entry.confirm_by).getTime() <= now.getTime())) return null;
    let token = kind === 'waitlist_confirm' ? fresh.confirmation : fresh.leave;
    if (!token) {
      token = newRawToken();
      if (kind === 'waitlist_confirm') await entries.setConfirmHash(strapi.db.connection, entry.id, hashToken(token));
      else await entries.setLeaveHash(strapi.db.connection, entry.id, hashToken(token));
    }
    const performance = await getService(strapi, 'catalogue').performanceFacts(entry.performanceId, entry.language);
    const facts = factsOf({
      id: entry.id,
      reference: entry.reference,
      reservation_status: 'pending',
      name: entry.name,
      email: entry.email,
      party_size: entry.party_size,
      language: entry.language,
      confirm_by: null,
      held_until: null,
      performanceId: entry.performanceId,
      performance,
    });
    if (kind === 'waitlist_confirm') {
      const confirmLink = link('waitlist/confirm', token, entry.language);
      return { to: entry.email, mail: renderWaitlistConfirm(entry.language, facts, confirmLink, entry.confirm_by as string) };
    }
    const position = queuePosition(await entries.waitingAhead(strapi.db.connection, entry.performanceId, entry.id));
    return { to: entry.email, mail: renderWaitlistJoined(entry.language, facts, link('waitlist/leave', token, entry.language), position) };
  };

  /** The message to send, or null when the reservation no longer needs it. */
  const compose = async (kind: MailKind, reservation: ReservationForMail, fresh: FreshTokens) => {
    const config = getConfig(strapi);
    const tokens = getService(strapi, 'tokens');
    /** A retry has no raw token (none is stored): it issues a fresh one for the mail it renders. */
    const issue = async (purpose: 'confirmation' | 'check_in' | 'cancellation', expiresAt: Date) =>
      (await tokens.issue(strapi.db.connection, reservation.id, [{ purpose, expiresAt }]))[0];
    const facts = factsOf(reservation);
    const language = reservation.language;
    if (kind === 'confirmation' || kind === 'offer') {
      if (reservation.reservation_status !== 'pending' || !reservation.confirm_by) return null;
      const token = fresh.confirmation ?? (await issue('confirmation', new Date(reservation.confirm_by)));
      return kind === 'offer'
        ? renderOffer(language, facts, link('confirm', token, language), reservation.held_until ?? reservation.confirm_by)
        : renderConfirmation(language, facts, link('confirm', token, language), reservation.confirm_by);
    }
    if (kind === 'cancelled') return reservation.reservation_status === 'cancelled' ? renderCancelled(language, facts) : null;
    if (kind === 'waitlist_joined' || kind === 'waitlist_confirm' || kind === 'moved' || kind === 'message') return null; // elsewhere
    if (kind === 'performance_cancelled' || kind === 'cancelled_by_staff') return null; // compose-cancel.ts
    if (reservation.reservation_status !== 'confirmed') return null;
    const startsAt = new Date(facts.startsAt);
    // A lost ticket or a reminder after the start is no longer any use.
    if (kind !== 'ticket' && startsAt.getTime() <= Date.now()) return null;
    const checkIn = fresh.checkIn ?? (await issue('check_in', checkInWindow(startsAt, config).closesAt));
    const cancellation = fresh.cancellation ?? (await issue('cancellation', startsAt));
    // The QR code holds the bare opaque token: nothing personal, nothing guessable.
    const qr = qrPng(checkIn);
    // A performance that moved: the ticket's calendar file is its latest version (issue 22).
    const sequence = reservation.scheduleVersion ?? 0;
    return {
      ...renderTicket(language, facts, QR_CID, link('cancel', cancellation, language), kind),
      attachments: [
        { filename: ticketFileName(language), content: qr, contentType: 'image/png', cid: QR_CID },
        calendarOf(reservation, sequence),
      ],
    };
  };

  /** What the mails of issue 22 (a performance moved, a message to the audience) need of the mailer. */
  const eveningTools: EveningTools = {
    factsOf,
    link,
    calendarOf,
    issueCancellation: async (reservationId, expiresAt) =>
      (await getService(strapi, 'tokens').issue(strapi.db.connection, reservationId, [{ purpose: 'cancellation', expiresAt }]))[0],
  };

  const service = {
    /**
     * Tries to send one queued message now. A lease taken by a conditional UPDATE makes sure one
     * instance at a time works on it; a failure leaves it for the retry job, never lost. Only a
     * crash between the SMTP server's acceptance and the "sent" mark, or a database outage longer
     * than a minute at that moment, sends a mail twice.
     */
    async deliver(messageId: number, fresh: FreshTokens = {}, now = new Date()): Promise<'sent' | 'failed' | 'skipped'> {
      const outbox = dataOf(strapi).outbox;
      if (!(await outbox.lease(strapi.db.connection, messageId, now, new Date(now.getTime() + LEASE_MS)))) return 'skipped';

      const loaded = await loadForMail(messageId);
      if (!loaded) return 'skipped';
      const { message, reservation } = loaded;
      // The label the Content Manager lists it by follows its state; the reference is known by now.
      const settle = (data: Parameters<typeof outbox.settle>[3]) =>
        outbox.settle(strapi.db.connection, message, reservation?.reference ?? null, data);
      let mail: object | null;
      try {
        let composed: { to: string; mail: object } | null;
        if (EVENING_KINDS.has(message.kind)) composed = await composeEvening(strapi, eveningTools, message, reservation, now);
        else if (CANCEL_KINDS.has(message.kind)) composed = await composeCancel(strapi, eveningTools, message, reservation);
        else if (message.kind === 'waitlist_joined' || message.kind === 'waitlist_confirm') {
          const entryId = await outbox.entryOf(strapi.db.connection, message.id);
          composed = entryId === null ? null : await composeForEntry(message.kind, entryId, fresh, now);
        } else {
          const ticket = reservation ? await compose(message.kind, reservation, fresh) : null;
          composed = ticket && reservation ? { to: reservation.email, mail: ticket } : null;
        }
        mail = composed?.mail ?? null;
        if (composed)
          await strapi
            .plugin('email')
            .service('email')
            .send({ to: composed.to, ...brandSender(), ...composed.mail });
      } catch (error) {
        const attempts = message.attempts + 1;
        if (isPermanentRefusal(error)) {
          // Failed for good: shown so in the Content Manager's outbox, never tried again.
          await settle({ delivery_status: 'failed', attempts, lease_until: null, next_attempt_at: null, last_error: describe(error) });
          strapi.log.warn(`[booking] e-mail ${messageId} (${message.kind}) refused for good, attempt ${attempts}: ${describe(error)}`);
          return 'failed';
        }
        await settle({
          delivery_status: 'retrying',
          attempts,
          lease_until: null,
          next_attempt_at: new Date(now.getTime() + retryDelayMs(attempts)),
          last_error: describe(error),
        });
        strapi.log.warn(`[booking] e-mail ${messageId} (${message.kind}) failed, attempt ${attempts}: ${describe(error)}`);
        getService(strapi, 'metrics').mailFailed(message.kind);
        return 'failed';
      }
      if (!mail) {
        await settle({ delivery_status: 'dropped', lease_until: null, last_error: 'no longer needed' });
        return 'skipped';
      }
      // The SMTP server has the mail: its "sent" mark must land, or the retry job sends it again.
      // Through a database outage it is tried again while the lease keeps other senders away.
      const deadline = Date.now() + LEASE_MS / 2;
      for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
        try {
          await settle({
            delivery_status: 'sent',
            sent_at: new Date(),
            lease_until: null,
            attempts: message.attempts + 1,
            last_error: null,
          });
          return 'sent';
        } catch (error) {
          if (Date.now() + delay > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    },

    /**
     * Sends after the response, at most sendingAtOnce() at a time per instance, the rest in
     * order behind them; shutdown waits for all. In a storm (an on-sale rush) the answers go
     * first and the mails follow at the SMTP pool's pace, instead of a thousand renderings (QR
     * code, calendar file, MIME) at once on the event loop that answers the requests. The outbox
     * row is already committed: a crash loses nothing, the retry job sends what is left.
     */
    deliverLater(messageId: number, fresh: FreshTokens = {}): void {
      later.push({ messageId, fresh });
    },

    /** Sends every message whose time has come (the retry job). Returns what happened to each. */
    async deliverDue(now = new Date(), limit = 50): Promise<Array<'sent' | 'failed' | 'skipped'>> {
      const due = await dataOf(strapi).outbox.due(strapi.db.connection, now, limit);
      const results: Array<'sent' | 'failed' | 'skipped'> = [];
      for (const id of due) results.push(await service.deliver(id, {}, now));
      return results;
    },

    /** Waits for the sends started by deliverLater (called on shutdown and by tests). */
    settle(): Promise<void> {
      return later.settle();
    },
  };
  return service;
};

export type MailerService = ReturnType<typeof createMailerService>;
export default createMailerService;
