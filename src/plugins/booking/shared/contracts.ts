/**
 * Request and response shapes shared by the server and the admin panel (the door routes).
 */
import type { CheckInResult } from '../server/src/constants';

export type { CheckInResult };

export interface TicketView {
  reference: string;
  party_size: number;
  holder: string;
  show_title: string;
  starts_at: string;
  venue_name: string;
}

export namespace CreateCheckIn {
  export interface Request {
    token: string;
    performance?: string;
    source?: 'qr_scan' | 'manual';
    idempotency_key?: string;
  }
  export interface Response {
    data: { result: CheckInResult; ticket?: TicketView; checked_in_at?: string; checked_in_by?: string };
  }
}

export interface DoorPerformance {
  documentId: string;
  starts_at: string;
  show_title: string;
  venue_name: string;
  check_in_open: boolean;
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
}

export interface ScanRecord {
  result: CheckInResult;
  scanned_at: string;
  source: 'qr_scan' | 'manual' | null;
  scanned_by: string;
  reference: string | null;
  party_size: number | null;
}
