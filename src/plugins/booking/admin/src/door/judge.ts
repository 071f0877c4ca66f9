/**
 * The door's judgment without the server, from the snapshots this device holds, in the server's
 * order (services/door.ts): a ticket no good on any evening first (`not_confirmed`: the answer the
 * server gives a cancelled booking's ticket, whose snapshot entry is `revoked`), then another
 * evening's ticket, then a second admission, then the door's hours.
 *
 * Another evening's ticket: the device keeps the snapshots of the performances around the chosen
 * one (see useSnapshots), so a ticket found in one of them is `wrong_performance` with its date;
 * a ticket found in none is `invalid`.
 */
import type { CheckInResult, SnapshotPerformance, SnapshotTicket, StoredSnapshot } from './types';

export interface Judgement {
  result: CheckInResult;
  entry: SnapshotTicket | null;
  /** The evening the ticket is for (the chosen one, or another for wrong_performance). */
  performance: SnapshotPerformance | null;
  /** The first admission: the server's (from the snapshot) or this device's. */
  checked_in_at?: string;
  /** Whether the first admission was this device's, not yet confirmed by the server. */
  admitted_here?: boolean;
}

export interface JudgeInput {
  /** The ticket's id (SHA-256 of its token), or null when the text holds no token. */
  id: string | null;
  snapshot: StoredSnapshot;
  /** The other performances' snapshots on this device. */
  others: StoredSnapshot[];
  /** When this device admitted the ticket, if it did. */
  admittedAt: string | null;
  now: Date;
}

export const judge = ({ id, snapshot, others, admittedAt, now }: JudgeInput): Judgement => {
  const entry = id === null ? undefined : snapshot.tickets[id];
  if (entry) {
    const performance = snapshot.performance;
    if (entry.status === 'revoked') return { result: 'not_confirmed', entry, performance };
    if (entry.checked_in_at) return { result: 'already_checked_in', entry, performance, checked_in_at: entry.checked_in_at };
    if (admittedAt) return { result: 'already_checked_in', entry, performance, checked_in_at: admittedAt, admitted_here: true };
    if (now.getTime() < Date.parse(performance.check_in_opens_at)) return { result: 'too_early', entry, performance };
    if (now.getTime() > Date.parse(performance.check_in_closes_at)) return { result: 'too_late', entry, performance };
    return { result: 'ok', entry, performance };
  }
  if (id !== null) {
    for (const other of others) {
      const elsewhere = other.tickets[id];
      if (!elsewhere || other.performance.documentId === snapshot.performance.documentId) continue;
      if (elsewhere.status === 'revoked') return { result: 'not_confirmed', entry: elsewhere, performance: other.performance };
      return { result: 'wrong_performance', entry: elsewhere, performance: other.performance };
    }
  }
  return { result: 'invalid', entry: null, performance: null };
};

/** A snapshot with an incremental answer merged in: each entry replaces the one of its id. */
export const mergeSnapshot = (
  stored: StoredSnapshot | null,
  answer: { performance: SnapshotPerformance; cursor: string; tickets: SnapshotTicket[] },
  at: Date
): StoredSnapshot => {
  const tickets = { ...(stored?.tickets ?? {}) };
  for (const ticket of answer.tickets) tickets[ticket.id] = ticket;
  return { performance: answer.performance, cursor: answer.cursor, tickets, fetched_at: at.toISOString() };
};
