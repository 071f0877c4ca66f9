import {
  canTransition,
  cancellationVerdict,
  checkInTiming,
  checkInWindow,
  hasStarted,
  isBookable,
  isOpenForBooking,
  partyFits,
  seatsLeft,
  seatsOffered,
} from '..';

const at = (iso: string) => new Date(iso);
const START = '2026-12-12T20:00:00.000Z';
const WINDOW = { checkInOpensMinutesBefore: 120, checkInClosesMinutesAfter: 240 };

describe('the seat formula', () => {
  test('offered = room + additional - manually occupied; left = offered - confirmed', () => {
    const p = { room_capacity: 100, additional_seats: 10, manually_occupied_seats: 5, confirmed_seats: 60 };
    expect(seatsOffered(p)).toBe(105);
    expect(seatsLeft(p)).toBe(45);
  });
  test('never below zero, even when an edit left more confirmed than seats', () => {
    expect(seatsLeft({ room_capacity: 10, additional_seats: 0, manually_occupied_seats: 0, confirmed_seats: 12 })).toBe(0);
  });
  test('a party fits in exactly the seats left, not one more', () => {
    expect(partyFits(4, 4)).toBe(true);
    expect(partyFits(5, 4)).toBe(false);
  });
});

describe('open for booking', () => {
  const open = { starts_at: START, is_booking_enabled: true, is_published: true };
  test('booking on, published, not started', () => {
    expect(isOpenForBooking(open, at('2026-12-12T19:59:59Z'))).toBe(true);
  });
  test('closed at the start, with booking off, or for an unpublished show', () => {
    expect(hasStarted(START, at(START))).toBe(true);
    expect(isOpenForBooking(open, at(START))).toBe(false);
    expect(isOpenForBooking({ ...open, is_booking_enabled: false }, at('2026-12-01T00:00:00Z'))).toBe(false);
    expect(isOpenForBooking({ ...open, is_published: 0 }, at('2026-12-01T00:00:00Z'))).toBe(false);
  });
  test('bookable needs a seat left as well', () => {
    expect(isBookable(open, 1, at('2026-12-01T00:00:00Z'))).toBe(true);
    expect(isBookable(open, 0, at('2026-12-01T00:00:00Z'))).toBe(false);
  });
});

describe("the door's window", () => {
  test('opens 120 minutes before and closes 240 after, both ends inside', () => {
    expect(checkInWindow(START, WINDOW)).toEqual({ opensAt: at('2026-12-12T18:00:00Z'), closesAt: at('2026-12-13T00:00:00Z') });
    expect(checkInTiming(START, at('2026-12-12T17:59:59.999Z'), WINDOW)).toBe('too_early');
    expect(checkInTiming(START, at('2026-12-12T18:00:00Z'), WINDOW)).toBe('open');
    expect(checkInTiming(START, at('2026-12-13T00:00:00Z'), WINDOW)).toBe('open');
    expect(checkInTiming(START, at('2026-12-13T00:00:00.001Z'), WINDOW)).toBe('too_late');
  });
});

describe('statuses and cancellations', () => {
  test('the transitions: nothing leaves cancelled or expired; confirmed only to cancelled', () => {
    expect(canTransition('pending', 'confirmed')).toBe(true);
    expect(canTransition('confirmed', 'cancelled')).toBe(true);
    expect(canTransition('confirmed', 'pending')).toBe(false);
    expect(canTransition('confirmed', 'expired')).toBe(false);
    expect(canTransition('cancelled', 'confirmed')).toBe(false);
    expect(canTransition('expired', 'pending')).toBe(false);
  });
  const before = at('2026-12-12T19:00:00Z');
  const after = at('2026-12-12T21:00:00Z');
  test('a visitor cancels a confirmed reservation before the start, freeing its seats', () => {
    expect(cancellationVerdict({ status: 'confirmed', startsAt: START, checkedIn: false }, before, 'visitor')).toEqual({
      ok: true,
      frees: true,
    });
    expect(cancellationVerdict({ status: 'confirmed', startsAt: START, checkedIn: false }, after, 'visitor')).toEqual({
      ok: false,
      reason: 'too_late',
    });
    expect(cancellationVerdict({ status: 'pending', startsAt: START, checkedIn: false }, before, 'visitor')).toEqual({
      ok: false,
      reason: 'not_cancellable',
    });
  });
  test('staff may also cancel a pending one (it frees nothing) and after the start, never a party inside', () => {
    expect(cancellationVerdict({ status: 'pending', startsAt: START, checkedIn: false }, before, 'staff')).toEqual({
      ok: true,
      frees: false,
    });
    expect(cancellationVerdict({ status: 'confirmed', startsAt: START, checkedIn: false }, after, 'staff')).toEqual({
      ok: true,
      frees: true,
    });
    expect(cancellationVerdict({ status: 'confirmed', startsAt: START, checkedIn: true }, before, 'staff')).toEqual({
      ok: false,
      reason: 'too_late',
    });
    expect(cancellationVerdict({ status: 'expired', startsAt: START, checkedIn: false }, before, 'staff')).toEqual({
      ok: false,
      reason: 'not_cancellable',
    });
  });
});
