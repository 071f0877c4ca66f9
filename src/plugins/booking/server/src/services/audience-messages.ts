import type { Core } from '@strapi/strapi';
import { dataOf } from '../data';
import type { MessageAudience, StoredMessage } from '../data/performance-messages';
import { MESSAGES_PER_DAY, type AudienceMessageInput } from '../validation/messages';
import { getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';

export type SendResult =
  | { ok: true; recipients: number }
  | { ok: false; code: 'performance_not_found' }
  | { ok: false; code: 'rate_limited'; retryAfterSeconds: number };

const DAY_MS = 24 * 3600_000;

/**
 * Writing to a performance's audience (issue 22): one plain-text mail per confirmed reservation
 * (and, if asked, per waiting-list entry still waiting) through the outbox, with the visitor's own
 * link at the foot; at most MESSAGES_PER_DAY per performance in any 24 hours, counted on every
 * instance under one lock per performance; each message kept with who wrote it, when, the text
 * and how many it went to.
 */
const createAudienceMessagesService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async send(
    documentId: string,
    input: AudienceMessageInput,
    sentBy: { id: number | null; name: string | null },
    now = new Date()
  ): Promise<SendResult> {
    const data = dataOf(strapi);
    const performanceId = await data.performances.idOf(strapi.db.connection, documentId);
    if (performanceId === null) return { ok: false, code: 'performance_not_found' };
    return transaction(strapi, async ({ trx }): Promise<SendResult> => {
      // Two staff members sending at once count one after the other (no performance row lock:
      // that belongs to the seat ledger).
      await data.dialect.lockNameForTransaction(trx, `booking-message:${performanceId}`);
      const since = now.getTime() - DAY_MS;
      const sent = await data.performanceMessages.countSince(trx, performanceId, since);
      if (sent >= MESSAGES_PER_DAY) {
        const oldest = (await data.performanceMessages.list(trx, performanceId, MESSAGES_PER_DAY)).at(-1);
        const retryAt = oldest ? new Date(oldest.sent_at).getTime() + DAY_MS : now.getTime() + DAY_MS;
        return { ok: false, code: 'rate_limited', retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000)) };
      }
      const to = input.to as MessageAudience;
      const messageId = await data.performanceMessages.insert(
        trx,
        { performanceId, subject: input.subject.trim(), body: input.body, to, sentBy },
        now
      );
      const { reservationIds, entryIds } = await data.performanceMessages.audience(trx, performanceId, to);
      const recipients = reservationIds.length + entryIds.length;
      await data.performanceMessages.setRecipients(trx, messageId, recipients);
      if (recipients > 0) {
        await getService(strapi, 'events').announce(
          trx,
          { type: 'performance.messaged', messageId, performanceId, reservationIds, entryIds },
          now
        );
      }
      return { ok: true, recipients };
    });
  },

  /** How many a message would reach now (the form's count). */
  async audienceSize(documentId: string, to: MessageAudience): Promise<number | null> {
    const data = dataOf(strapi);
    const performanceId = await data.performances.idOf(strapi.db.connection, documentId);
    if (performanceId === null) return null;
    const { reservationIds, entryIds } = await data.performanceMessages.audience(strapi.db.connection, performanceId, to);
    return reservationIds.length + entryIds.length;
  },

  /** The messages of a performance, newest first; null when there is no such performance. */
  async list(documentId: string): Promise<StoredMessage[] | null> {
    const data = dataOf(strapi);
    const performanceId = await data.performances.idOf(strapi.db.connection, documentId);
    if (performanceId === null) return null;
    return data.performanceMessages.list(strapi.db.connection, performanceId);
  },
});

export type AudienceMessagesService = ReturnType<typeof createAudienceMessagesService>;
export default createAudienceMessagesService;
