/**
 * The door snapshot as API.md ("Season three", "The door when the network drops") fixes it
 * (shared/door-snapshot.ts), and what the device keeps of it.
 */
import type { CheckInResult } from '../../../shared/contracts';
import type { DoorRecord, DoorSnapshot, DoorSnapshotTicket } from '../../../shared/door-snapshot';

export type SnapshotTicket = DoorSnapshotTicket;
export type SnapshotPerformance = DoorSnapshot['performance'];
export interface DoorSnapshotResponse {
  data: DoorSnapshot;
}

/** A snapshot as the device keeps it: the tickets by id, merged from every incremental answer. */
export interface StoredSnapshot {
  performance: SnapshotPerformance;
  cursor: string;
  tickets: Record<string, SnapshotTicket>;
  /** When the server last answered (ISO). */
  fetched_at: string;
}

/** What a sealed record holds, once opened with the ticket's own token. */
export type SealedRecord = DoorRecord;

/** A scan the device admitted on its own judgment, waiting to be sent. */
export interface QueuedScan {
  idempotency_key: string;
  token: string;
  performance: string;
  source: 'qr_scan' | 'manual';
  scanned_at: string;
  /** The ticket's id (hash), so the queue never holds a second admission of it. */
  ticket_id: string;
}

export type { CheckInResult };
