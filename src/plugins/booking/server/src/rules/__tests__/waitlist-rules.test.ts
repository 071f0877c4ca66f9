import { isWaitlistOpen, offerHeldUntil, pickOffers, reductionVerdict, reminderDue, seatsLeft } from '..';

const START = '2026-12-12T20:00:00.000Z';
const at = (iso: string) => new Date(iso);

describe('held seats in the seat formula', () => {
  test('left = offered - confirmed - held, never below zero', () => {
    expect(seatsLeft({ room_capacity: 10, additional_seats: 2, manually_occupied_seats: 1, confirmed_seats: 6, held_seats: 3 })).toBe(2);
    expect(seatsLeft({ room_capacity: 10, additional_seats: 0, manually_occupied_seats: 0, confirmed_seats: 8, held_seats: 3 })).toBe(0);
  });
  test('the waiting list is open when booking is open and nothing is left', () => {
    const open = { starts_at: START, is_booking_enabled: true, is_published: true };
    expect(isWaitlistOpen(open, 0, at('2026-12-01T00:00:00Z'))).toBe(true);
    expect(isWaitlistOpen(open, 1, at('2026-12-01T00:00:00Z'))).toBe(false);
    expect(isWaitlistOpen({ ...open, is_booking_enabled: false }, 0, at('2026-12-01T00:00:00Z'))).toBe(false);
    expect(isWaitlistOpen(open, 0, at(START))).toBe(false);
  });
});

describe('offers', () => {
  const waiting = [
    { id: 'a', party_size: 3 },
    { id: 'b', party_size: 2 },
    { id: 'c', party_size: 1 },
    { id: 'd', party_size: 1 },
  ];
  test('in the order of joining, passing over a party that does not fit', () => {
    expect(pickOffers(waiting, 4).map((e) => e.id)).toEqual(['a', 'c']);
    expect(pickOffers(waiting, 1).map((e) => e.id)).toEqual(['c']);
    expect(pickOffers(waiting, 7).map((e) => e.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(pickOffers(waiting, 0)).toEqual([]);
  });
  test('an offer holds for the configured minutes, never past the start', () => {
    expect(offerHeldUntil(at('2026-12-12T10:00:00Z'), START, 120).toISOString()).toBe('2026-12-12T12:00:00.000Z');
    expect(offerHeldUntil(at('2026-12-12T19:00:00Z'), START, 120).toISOString()).toBe(START);
  });
});

describe('a smaller party', () => {
  const base = { status: 'confirmed' as const, startsAt: START, checkedIn: false, partySize: 4 };
  const before = at('2026-12-12T10:00:00Z');
  test('frees the difference when smaller and positive', () => {
    expect(reductionVerdict(base, 1, before)).toEqual({ ok: true, frees: 3 });
  });
  test('refuses the same size, larger, zero, fractions; after the start or the check-in; when not confirmed', () => {
    for (const size of [4, 5, 0, -1, 2.5]) expect(reductionVerdict(base, size, before)).toEqual({ ok: false, reason: 'not_smaller' });
    expect(reductionVerdict(base, 2, at(START))).toEqual({ ok: false, reason: 'too_late' });
    expect(reductionVerdict({ ...base, checkedIn: true }, 2, before)).toEqual({ ok: false, reason: 'too_late' });
    expect(reductionVerdict({ ...base, status: 'cancelled' }, 2, before)).toEqual({ ok: false, reason: 'not_confirmed' });
  });
});

describe('the reminder', () => {
  test('due once the start is within the hours, for a reservation confirmed before that', () => {
    const confirmed = '2026-12-01T00:00:00Z';
    expect(reminderDue(START, confirmed, at('2026-12-11T19:59:59Z'), 24)).toBe(false);
    expect(reminderDue(START, confirmed, at('2026-12-11T20:00:00Z'), 24)).toBe(true);
    expect(reminderDue(START, confirmed, at(START), 24)).toBe(false);
    expect(reminderDue(START, '2026-12-12T08:00:00Z', at('2026-12-12T09:00:00Z'), 24)).toBe(false);
    expect(reminderDue(START, confirmed, at('2026-12-12T09:00:00Z'), 0)).toBe(false);
  });
});
