/**
 * The booking rules, written once: pure functions, no I/O and no clock of their own (the caller
 * passes `now`). The server decides with them; the admin panel shows figures with them.
 */
import { RESERVATION_TRANSITIONS, type ReservationStatus } from '../server/src/constants';

/** What the seat formula reads of a performance. */
export interface SeatFigures {
  room_capacity: number;
  additional_seats: number;
  manually_occupied_seats: number;
  confirmed_seats: number;
}

/** The seats the public may ever take: room + additional - manually occupied. */
export const seatsOffered = (p: Omit<SeatFigures, 'confirmed_seats'>): number =>
  p.room_capacity + p.additional_seats - p.manually_occupied_seats;

/** The seats left: offered - confirmed, never below 0 (API.md, `available_seats`). */
export const seatsLeft = (p: SeatFigures): number => Math.max(0, seatsOffered(p) - p.confirmed_seats);

/** Whether a party fits in what is left. */
export const partyFits = (partySize: number, left: number): boolean => partySize <= left;

export const hasStarted = (startsAt: string | Date, now: Date): boolean => new Date(startsAt).getTime() <= now.getTime();

/** What "open for booking" reads of a performance and its show. */
export interface BookingState {
  starts_at: string | Date;
  is_booking_enabled: boolean | number | null;
  /** The show's `is_published`; a performance of an unpublished show does not exist publicly. */
  is_published: boolean | number | null;
}

/** Open for booking: booking on, its show published, not started. */
export const isOpenForBooking = (p: BookingState, now: Date): boolean =>
  Boolean(p.is_booking_enabled) && Boolean(p.is_published) && !hasStarted(p.starts_at, now);

/** The public `bookable`: open for booking and a seat left. */
export const isBookable = (p: BookingState, left: number, now: Date): boolean => isOpenForBooking(p, now) && left > 0;

export interface CheckInWindowSettings {
  checkInOpensMinutesBefore: number;
  checkInClosesMinutesAfter: number;
}

/** When the door opens and closes for a performance starting at `startsAt`. */
export const checkInWindow = (startsAt: string | Date, settings: CheckInWindowSettings) => {
  const start = new Date(startsAt).getTime();
  return {
    opensAt: new Date(start - settings.checkInOpensMinutesBefore * 60_000),
    closesAt: new Date(start + settings.checkInClosesMinutesAfter * 60_000),
  };
};

/** Where `now` falls against the door's window. */
export const checkInTiming = (startsAt: string | Date, now: Date, settings: CheckInWindowSettings): 'too_early' | 'open' | 'too_late' => {
  const { opensAt, closesAt } = checkInWindow(startsAt, settings);
  if (now.getTime() < opensAt.getTime()) return 'too_early';
  if (now.getTime() > closesAt.getTime()) return 'too_late';
  return 'open';
};

/** Whether a reservation may move from one status to another (RESERVATION_TRANSITIONS). */
export const canTransition = (from: ReservationStatus, to: ReservationStatus): boolean =>
  RESERVATION_TRANSITIONS[from]?.includes(to) ?? false;

export interface CancellationFacts {
  status: ReservationStatus;
  startsAt: string | Date;
  checkedIn: boolean;
}

/**
 * What a cancellation may do. A visitor cancels a confirmed reservation before the start; staff
 * may also cancel a pending one, and after the start; nobody cancels a party already inside.
 * `frees` is the seats it gives back (only a confirmed reservation holds any).
 */
export const cancellationVerdict = (
  r: CancellationFacts,
  now: Date,
  by: 'visitor' | 'staff'
): { ok: true; frees: boolean } | { ok: false; reason: 'not_cancellable' | 'too_late' } => {
  if (r.checkedIn) return { ok: false, reason: 'too_late' };
  if (by === 'visitor') {
    if (r.status !== 'confirmed') return { ok: false, reason: 'not_cancellable' };
    if (hasStarted(r.startsAt, now)) return { ok: false, reason: 'too_late' };
    return { ok: true, frees: true };
  }
  if (!canTransition(r.status, 'cancelled')) return { ok: false, reason: 'not_cancellable' };
  return { ok: true, frees: r.status === 'confirmed' };
};
