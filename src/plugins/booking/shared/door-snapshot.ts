/**
 * The door snapshot (API.md, "The door when the network drops"): what a scanner keeps to judge a
 * performance's tickets with no network, and the offline conflicts the door overview lists.
 * Shared by the server and the admin panel.
 */
import type { AccessNeed } from '../server/src/constants';

/**
 * The HKDF `info` of a sealed record's key: HKDF-SHA256(IKM = the raw check-in token's UTF-8
 * bytes, salt = empty, info = this, 32 bytes) is the AES-256-GCM key. Fixed by the contract: a
 * scanner built elsewhere derives the same key.
 */
export const DOOR_SEAL_INFO = 'azionelab-door-v1';
/** The IV that starts every sealed record (bytes). */
export const DOOR_SEAL_IV_BYTES = 12;

/** What a sealed record holds once opened with its ticket's raw token. */
export interface DoorRecord {
  reference: string;
  /** As in the check-in answer: "Maria R.". */
  holder: string;
  access_needs: AccessNeed[];
}

export interface DoorSnapshotTicket {
  /** Lowercase hex SHA-256 of the raw check-in token (UTF-8): what the scanner hashes to look up. */
  id: string;
  party_size: number;
  status: 'confirmed' | 'revoked';
  checked_in_at: string | null;
  /**
   * base64url(12-byte IV || AES-256-GCM ciphertext and tag) of the JSON DoorRecord; null for a
   * token issued before sealing existed (or whose record was erased).
   */
  sealed: string | null;
}

export interface DoorSnapshot {
  performance: {
    documentId: string;
    starts_at: string;
    show_title: string;
    venue_name: string;
    check_in_opens_at: string;
    check_in_closes_at: string;
  };
  /** Pass as `?since=` to get only what changed after this answer. */
  cursor: string;
  tickets: DoorSnapshotTicket[];
}

/** A ticket admitted twice: once by the check-in the server holds, once by an offline scan uploaded later. */
export interface OfflineConflict {
  reference: string | null;
  /** The check-in the server already held: when, and by whom. */
  checked_in_at: string | null;
  checked_in_by: string | null;
  /** The offline scan: when the device admitted the ticket, and by whom. */
  scanned_at: string;
  scanned_by: string;
}
