/**
 * Request and response shapes shared by the server and the admin panel (the door routes).
 */
import type { AccessNeed, CheckInResult } from '../server/src/constants';

export type { AccessNeed, CheckInResult };

export interface TicketView {
  reference: string;
  party_size: number;
  holder: string;
  show_title: string;
  starts_at: string;
  venue_name: string;
  /** What the party needs at the door ([] when nothing). */
  access_needs: AccessNeed[];
}

export namespace CreateCheckIn {
  export interface Request {
    token?: string;
    /** Instead of token: the reference printed in the ticket mail (performance required then). */
    reference?: string;
    performance?: string;
    source?: 'qr_scan' | 'manual';
    idempotency_key?: string;
  }
  export interface Response {
    data: {
      result: CheckInResult;
      ticket?: TicketView;
      checked_in_at?: string;
      checked_in_by?: string;
      /** When the ticket's door opens and closes (too_early, too_late, wrong_performance). */
      check_in_opens_at?: string;
      check_in_closes_at?: string;
    };
  }
}

export interface DoorPerformance {
  documentId: string;
  starts_at: string;
  show_title: string;
  show_slug: string;
  venue_name: string;
  check_in_open: boolean;
  /** Its check-in window has closed: listed after the ones to come. */
  past: boolean;
}

export interface PerformanceStats {
  room_capacity: number;
  additional_seats: number;
  manually_occupied_seats: number;
  confirmed_seats: number;
  pending_seats: number;
  available_seats: number;
  checked_in_seats: number;
  checked_in_reservations: number;
  /** Seats held by unexpired waiting-list offers. */
  held_seats: number;
  /** Entries still waiting (not yet offered), and their seats. */
  waiting_entries: number;
  waiting_seats: number;
  /** Tickets let in twice: an offline scan uploaded after another scan had checked the ticket in. */
  offline_conflicts: number;
}

export interface ScanRecord {
  result: CheckInResult;
  scanned_at: string;
  source: 'qr_scan' | 'manual' | null;
  scanned_by: string;
  reference: string | null;
  party_size: number | null;
}

/** One party on the door list (no e-mail, phone or notes). */
export interface DoorListEntry {
  reference: string;
  name: string;
  party_size: number;
  checked_in_at: string | null;
  checked_in_by: string | null;
  access_needs: AccessNeed[];
}

export namespace CreateBoxOfficeBooking {
  export interface Request {
    name: string;
    email?: string | null;
    phone?: string | null;
    party_size: number;
    notes?: string | null;
    access_needs?: AccessNeed[];
    send_ticket?: boolean;
  }
  export interface Response {
    data: { reference: string; status: 'confirmed'; party_size: number; source: 'box_office' };
  }
}

/** Confirmations (reservations now confirmed) per day of their confirmation, for the overview's chart. */
export interface ConfirmationsPerDay {
  day: string;
  reservations: number;
  seats: number;
}
