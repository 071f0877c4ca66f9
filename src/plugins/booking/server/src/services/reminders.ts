import type { Core } from '@strapi/strapi';
import { dataOf } from '../data';
import { reminderDue } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { transaction } from '../utils/transaction';

/**
 * The reminder e-mail, `reminderHoursBefore` hours before the start, with the QR ticket and the
 * calendar file. Run by the 30-second job on every instance: each reservation's reminder is
 * claimed by a conditional UPDATE (`reminder_sent_at IS NULL`) in the transaction that records
 * its outbox row, so it is owed exactly once whatever the number of instances, and the outbox
 * delivers it (leased, retried) like every other mail.
 */
const createRemindersService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Claims and queues the reminders due at `now`; returns how many this call queued. */
  async queueDue(now = new Date()): Promise<number> {
    const hours = getConfig(strapi).reminderHoursBefore;
    if (hours <= 0) return 0;
    const data = dataOf(strapi);
    const candidates = await data.reservations.reminderCandidates(strapi.db.connection, now, new Date(now.getTime() + hours * 3600_000));
    const due = candidates.filter((c) => c.confirmedAt !== null && reminderDue(c.startsAt, c.confirmedAt, now, hours)).map((c) => c.id);
    if (due.length === 0) return 0;
    return transaction(strapi, async ({ trx }) => {
      const claimed = await data.reservations.claimReminders(trx, due, now);
      if (claimed.length > 0)
        await getService(strapi, 'events').announce(trx, { type: 'ticket.reminder_due', reservationIds: claimed }, now);
      return claimed.length;
    });
  },
});

export type RemindersService = ReturnType<typeof createRemindersService>;
export default createRemindersService;
