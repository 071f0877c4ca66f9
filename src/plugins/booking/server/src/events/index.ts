/**
 * Domain events: what happened to a reservation, announced once per committed change. The
 * services announce inside the transaction that makes the change; each subscriber may write
 * what must commit with it (an outbox row) and returns what to do once it has committed (send
 * the mail, drop cached answers). A rolled-back transaction runs no after-commit step, so nothing
 * is said of a change that did not happen.
 *
 * Subscribers (events/subscribers/): mail (the confirmation, ticket, reminder, lost-ticket and
 * cancellation e-mails through the outbox), the waiting list (its mails) and the public cache
 * (seats changed).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { committed, transaction } from '../utils/transaction';

/** The raw tokens a mail needs, known only to the transaction that issued them. */
export interface FreshTokens {
  confirmation?: string;
  checkIn?: string;
  cancellation?: string;
  /** A waiting-list entry's leave link. */
  leave?: string;
}

export type DomainEvent =
  | { type: 'reservation.created'; reservationId: number; performanceId: number; tokens: FreshTokens }
  | {
      type: 'reservation.confirmed';
      reservationId: number;
      performanceId: number;
      partySize: number;
      tokens: FreshTokens;
      /** false: no ticket e-mail (a box-office booking without an address, or not wanted). */
      sendTicket?: boolean;
    }
  | {
      type: 'reservation.cancelled';
      reservationId: number;
      performanceId: number;
      freedSeats: number;
      by: 'visitor' | 'staff';
      /** Staff's cancel of a ticket: its holder is told (issue 22 item 4); never for an erasure. */
      notify?: boolean;
    }
  | { type: 'reservation.expired'; reservationIds: number[] }
  | { type: 'reservation.reduced'; reservationId: number; performanceId: number; freedSeats: number; partySize: number }
  | { type: 'check-in.created'; reservationId: number; performanceId: number | null }
  /** A visitor asked for their tickets again (lost ticket): one mail per reservation. */
  | { type: 'ticket.resend_requested'; reservationIds: number[] }
  /** The reminder is owed to these reservations (claimed once, whatever the instances). */
  | { type: 'ticket.reminder_due'; reservationIds: number[] }
  /** An unconfirmed join: its first e-mail holds the confirmation link. */
  | { type: 'waitlist.joined'; entryId: number; performanceId: number; tokens: FreshTokens }
  /** Its address confirmed the join: the "you are on the list" e-mail holds the leave link. */
  | { type: 'waitlist.confirmed'; entryId: number; performanceId: number; tokens: FreshTokens }
  /** Seats held for an entry: a pending reservation with `held_until`, its confirmation link. */
  | { type: 'waitlist.offered'; entryId: number; reservationId: number; performanceId: number; partySize: number; tokens: FreshTokens }
  /** An offer ended unconfirmed (lapsed or cancelled): its held seats went back or on. */
  | { type: 'waitlist.offer_ended'; entryId: number | null; reservationId: number; performanceId: number }
  // When the evening changes (issue 22).
  /** A booked performance moved (date or venue), told once the notice delay passed: one mail per holder. */
  | {
      type: 'performance.rescheduled';
      performanceId: number;
      reservationIds: number[];
      webhook: { documentId: string; starts_at: string; venue: Record<string, unknown> | null };
    }
  /** Staff wrote to a performance's audience: one mail per reservation and entry. */
  | { type: 'performance.messaged'; messageId: number; performanceId: number; reservationIds: number[]; entryIds: number[] }
  /**
   * Issue 22: a performance cancelled, with what the cancel ended: every reservation cancelled,
   * the confirmed ones' holders and the waiting (or offered) entries, each owed one mail.
   */
  | {
      type: 'performance.cancelled';
      performanceId: number;
      reservationIds: number[];
      holderReservationIds: number[];
      entryIds: number[];
    };

export type EventType = DomainEvent['type'];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/** What a subscriber does once the announcing transaction has committed. */
export type AfterCommit = () => void | Promise<void>;

/** Runs inside the announcing transaction (`trx`); may return its after-commit step. */
export type Subscriber<T extends EventType = EventType> = (
  event: EventOf<T>,
  trx: Knex.Transaction,
  now: Date
) => Promise<AfterCommit | void> | AfterCommit | void;

const isOfType = <T extends EventType>(event: DomainEvent, type: T): event is EventOf<T> => event.type === type;

type AnySubscriber = (event: DomainEvent, trx: Knex.Transaction, now: Date) => Promise<AfterCommit | void> | AfterCommit | void;

export const createEvents = (strapi: Core.Strapi) => {
  const subscribers = new Map<EventType, AnySubscriber[]>();
  const settling = new Set<Promise<unknown>>();

  const runAfterCommit = (steps: AfterCommit[], type: EventType, trx: Knex.Transaction) => {
    // Strapi runs its after-commit callbacks even when the COMMIT failed (utils/transaction.ts):
    // the steps wait for the transaction's own word, and are dropped if it did not commit.
    const didCommit = committed(trx).then(
      () => true,
      () => {
        strapi.log.warn(`[booking] after ${type}: not run, the transaction did not commit`);
        return false;
      }
    );
    for (const step of steps) {
      const running = didCommit
        .then((ok) => (ok ? step() : undefined))
        .catch((error) => strapi.log.error(`[booking] after ${type}: ${error instanceof Error ? error.message : error}`))
        .finally(() => settling.delete(running));
      settling.add(running);
    }
  };

  return {
    /** Subscribes to one kind of event. */
    on<T extends EventType>(type: T, subscriber: Subscriber<T>) {
      const wrapped: AnySubscriber = (event, trx, now) => (isOfType(event, type) ? subscriber(event, trx, now) : undefined);
      subscribers.set(type, [...(subscribers.get(type) ?? []), wrapped]);
    },

    /**
     * Announces a change made in the current transaction (`trx`, from `strapi.db.transaction`).
     * Subscribers' writes join it; their after-commit steps run once it commits, never if it
     * rolls back.
     */
    async announce(trx: Knex.Transaction, event: DomainEvent, now = new Date()): Promise<void> {
      const steps: AfterCommit[] = [];
      for (const subscriber of subscribers.get(event.type) ?? []) {
        const step = await subscriber(event, trx, now);
        if (step) steps.push(step);
      }
      if (steps.length === 0) return;
      await transaction(strapi, ({ onCommit }) => onCommit(() => runAfterCommit(steps, event.type, trx)));
    },

    /**
     * Runs `step` after the current request has been answered (on the next turn of the event
     * loop), tracked like the after-commit steps so that shutdown and `settle` wait for it. For
     * work whose duration must not show in the answer (the lost-ticket lookup).
     */
    afterAnswer(label: string, step: () => Promise<unknown>): void {
      const running = new Promise<void>((resolve) => setImmediate(resolve))
        .then(step)
        .catch((error) => strapi.log.error(`[booking] ${label}: ${error instanceof Error ? error.message : error}`))
        .finally(() => settling.delete(running));
      settling.add(running);
    },

    /** Waits for the after-commit steps under way (shutdown, tests). */
    async settle(): Promise<void> {
      while (settling.size > 0) await Promise.allSettled([...settling]);
    },
  };
};

export type BookingEvents = ReturnType<typeof createEvents>;
