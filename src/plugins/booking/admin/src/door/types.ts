/**
 * The door snapshot as API.md ("Season three", "The door when the network drops") fixes it: what
 * a scanner needs to judge a performance's tickets without the server, nothing personal in clear.
 */
import type { AccessNeed, CheckInResult } from '../../../shared/contracts';

export interface SnapshotTicket {
  /** Lowercase hex SHA-256 of the raw check-in token (UTF-8). */
  id: string;
  party_size: number;
  status: 'confirmed' | 'revoked';
  checked_in_at: string | null;
  /** base64url(IV(12) || AES-256-GCM ciphertext+tag) of `{ reference, holder, access_needs }`. */
  sealed: string;
}

export interface SnapshotPerformance {
  documentId: string;
  starts_at: string;
  show_title: string;
  venue_name: string;
  check_in_opens_at: string;
  check_in_closes_at: string;
}

export interface DoorSnapshotResponse {
  data: { performance: SnapshotPerformance; cursor: string; tickets: SnapshotTicket[] };
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
export interface SealedRecord {
  reference: string;
  holder: string;
  access_needs: AccessNeed[];
}

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
