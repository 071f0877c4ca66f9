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
  /** Seats held by unexpired waiting-list offers: they count like confirmed seats (docs/api.md). */
  held_seats?: number;
}

/** The seats the public may ever take: room + additional - manually occupied. */
export const seatsOffered = (p: Omit<SeatFigures, 'confirmed_seats' | 'held_seats'>): number =>
  p.room_capacity + p.additional_seats - p.manually_occupied_seats;

/**
 * The seats left: offered - confirmed - held by offers, never below 0 (docs/api.md, `available_seats`).
 * Ordinary pending reservations hold nothing.
 */
export const seatsLeft = (p: SeatFigures): number => Math.max(0, seatsOffered(p) - p.confirmed_seats - (p.held_seats ?? 0));

/** The public `waitlist_open`: booking open and no seat left. */
export const isWaitlistOpen = (p: BookingState, left: number, now: Date): boolean => isOpenForBooking(p, now) && left <= 0;

/**
 * Which waiting parties get the free seats: in the order they joined, each whose party fits in
 * what is still free; a party that does not fit keeps its place for the next time.
 */
export const pickOffers = <E extends { party_size: number }>(waiting: readonly E[], free: number): E[] => {
  const chosen: E[] = [];
  let left = free;
  for (const entry of waiting) {
    if (entry.party_size <= left) {
      chosen.push(entry);
      left -= entry.party_size;
    }
  }
  return chosen;
};

/** When an offer made at `now` lapses: `offerMinutes` later, never past the start. */
export const offerHeldUntil = (now: Date, startsAt: string | Date, offerMinutes: number): Date =>
  new Date(Math.min(now.getTime() + offerMinutes * 60_000, new Date(startsAt).getTime()));

/**
 * What a reduction may do: a confirmed reservation, before the start and the check-in, to a
 * smaller positive party.
 */
export const reductionVerdict = (
  r: CancellationFacts & { partySize: number },
  newSize: number,
  now: Date
): { ok: true; frees: number } | { ok: false; reason: 'not_confirmed' | 'too_late' | 'not_smaller' } => {
  if (r.status !== 'confirmed') return { ok: false, reason: 'not_confirmed' };
  if (r.checkedIn || hasStarted(r.startsAt, now)) return { ok: false, reason: 'too_late' };
  if (!Number.isInteger(newSize) || newSize < 1 || newSize >= r.partySize) return { ok: false, reason: 'not_smaller' };
  return { ok: true, frees: r.partySize - newSize };
};

/**
 * Whether a confirmed reservation is owed its reminder at `now`: the start is within `hours`,
 * not passed, and it was confirmed before that window opened (a later one just got its ticket).
 */
export const reminderDue = (startsAt: string | Date, confirmedAt: string | Date, now: Date, hours: number): boolean => {
  if (hours <= 0) return false;
  const start = new Date(startsAt).getTime();
  const windowOpens = start - hours * 3600_000;
  return now.getTime() >= windowOpens && now.getTime() < start && new Date(confirmedAt).getTime() < windowOpens;
};

/** Whether a party fits in what is left. */
export const partyFits = (partySize: number, left: number): boolean => partySize <= left;

export const hasStarted = (startsAt: string | Date, now: Date): boolean => new Date(startsAt).getTime() <= now.getTime();

/** What "open for booking" reads of a performance and its show. */
export interface BookingState {
  starts_at: string | Date;
  is_booking_enabled: boolean | number | null;
  /** The show's `is_published`; a performance of an unpublished show does not exist publicly. */
  is_published: boolean | number | null;
  /** Set when the performance was cancelled (issue 22): closed for good. */
  cancelled_at?: string | Date | null;
  /** The public performance's `status` (issue 22), where `cancelled_at` is not at hand. */
  status?: string;
}

/** Open for booking: booking on, its show published, not started, not cancelled. */
export const isOpenForBooking = (p: BookingState, now: Date): boolean =>
  Boolean(p.is_booking_enabled) && Boolean(p.is_published) && !p.cancelled_at && p.status !== 'cancelled' && !hasStarted(p.starts_at, now);

/** The public `status` of a performance (issue 22). */
export const performanceStatus = (p: { cancelled_at?: string | Date | null }): 'scheduled' | 'cancelled' =>
  p.cancelled_at ? 'cancelled' : 'scheduled';

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

/**
 * The longest a request its address's owner never confirmed (a pending booking, an unconfirmed
 * waiting-list join) counts toward that address's BOOKING_PENDING_PER_EMAIL, whatever
 * BOOKING_CONFIRMATION_TTL_MINUTES says: a stranger who types someone's address holds them back
 * for an hour at most.
 */
export const UNCONFIRMED_HOLD_MINUTES = 60;

/**
 * Requests made after this instant (and not yet confirmed, lapsed or past their performance)
 * count toward the per-address limit at `now`.
 */
export const unconfirmedCountSince = (now: Date, confirmationTtlMinutes: number): Date =>
  new Date(now.getTime() - Math.min(confirmationTtlMinutes, UNCONFIRMED_HOLD_MINUTES) * 60_000);

/**
 * What a waiting-list confirmation link may do to its entry: confirm it while it is unconfirmed,
 * its link has not lapsed and its performance has not started. A join confirmed before answers
 * `token_used` (whatever became of it since); one that lapsed, `token_expired`.
 */
export const joinConfirmationVerdict = (
  entry: { status: string; confirmedAt: string | Date | null; confirmBy: string | Date | null; startsAt: string | Date },
  now: Date
): { ok: true } | { ok: false; reason: 'token_used' | 'token_expired' } => {
  if (entry.confirmedAt !== null) return { ok: false, reason: 'token_used' };
  if (entry.status === 'expired') return { ok: false, reason: 'token_expired' };
  if (entry.status !== 'unconfirmed') return { ok: false, reason: 'token_used' };
  if (entry.confirmBy !== null && new Date(entry.confirmBy).getTime() <= now.getTime()) return { ok: false, reason: 'token_expired' };
  if (hasStarted(entry.startsAt, now)) return { ok: false, reason: 'token_expired' };
  return { ok: true };
};

/**
 * How many seats a confirmation takes: the requested party, or `asked` when the visitor asks
 * for fewer (from 1 to the requested party; anything else is refused).
 */
export const seatsToConfirm = (requested: number, asked: number | undefined): number | null => {
  if (asked === undefined) return requested;
  if (!Number.isInteger(asked) || asked < 1 || asked > requested) return null;
  return asked;
};

/**
 * A party's place in its waiting list: 1 + the entries still waiting that confirmed before it
 * (entries in the order their address confirmed; older entries, confirmed by nobody, by when
 * they joined).
 */
export const queuePosition = (ahead: number): number => ahead + 1;
