import { joinConfirmationVerdict, partyFits, queuePosition, seatsToConfirm, UNCONFIRMED_HOLD_MINUTES, unconfirmedCountSince } from '..';

const START = '2026-12-12T20:00:00.000Z';
const NOW = new Date('2026-12-10T10:00:00.000Z');
const minutesAfter = (date: Date, minutes: number) => new Date(date.getTime() + minutes * 60_000);

describe('what an unconfirmed request holds back', () => {
  test('requests of the confirmation time count, never more than an hour', () => {
    expect(UNCONFIRMED_HOLD_MINUTES).toBe(60);
    expect(unconfirmedCountSince(NOW, 30)).toEqual(minutesAfter(NOW, -30));
    expect(unconfirmedCountSince(NOW, 60)).toEqual(minutesAfter(NOW, -60));
    // Links that live three hours still hold the address back for one hour only.
    expect(unconfirmedCountSince(NOW, 180)).toEqual(minutesAfter(NOW, -60));
  });
});

describe("a join's confirmation link", () => {
  const unconfirmed = { status: 'unconfirmed', confirmedAt: null, confirmBy: minutesAfter(NOW, 60), startsAt: START };
  test('confirms an unconfirmed join before its link lapses and before the start', () => {
    expect(joinConfirmationVerdict(unconfirmed, NOW)).toEqual({ ok: true });
    expect(joinConfirmationVerdict(unconfirmed, minutesAfter(NOW, 59))).toEqual({ ok: true });
  });
  test('token_expired once the link lapsed, the join expired, or the performance started', () => {
    expect(joinConfirmationVerdict(unconfirmed, minutesAfter(NOW, 60))).toEqual({ ok: false, reason: 'token_expired' });
    expect(joinConfirmationVerdict({ ...unconfirmed, status: 'expired' }, NOW)).toEqual({ ok: false, reason: 'token_expired' });
    expect(joinConfirmationVerdict({ ...unconfirmed, confirmBy: null }, new Date(START))).toEqual({ ok: false, reason: 'token_expired' });
  });
  test('token_used once confirmed, whatever became of the entry since (an offer that lapsed included)', () => {
    for (const status of ['waiting', 'offered', 'booked', 'left', 'expired']) {
      expect(joinConfirmationVerdict({ ...unconfirmed, status, confirmedAt: NOW }, NOW)).toEqual({ ok: false, reason: 'token_used' });
    }
    // Erased while unconfirmed: off the list, the link used up.
    expect(joinConfirmationVerdict({ ...unconfirmed, status: 'left' }, NOW)).toEqual({ ok: false, reason: 'token_used' });
  });
});

describe('confirming fewer seats', () => {
  test('the requested party, or fewer from 1 to it; anything else refused', () => {
    expect(seatsToConfirm(4, undefined)).toBe(4);
    expect(seatsToConfirm(4, 4)).toBe(4);
    expect(seatsToConfirm(4, 2)).toBe(2);
    expect(seatsToConfirm(4, 1)).toBe(1);
    for (const bad of [5, 0, -1, 1.5, Number.NaN]) expect(seatsToConfirm(4, bad)).toBeNull();
  });
  test('the waiting list takes a party only when it does not fit in what is left', () => {
    expect(partyFits(3, 3)).toBe(true);
    expect(partyFits(4, 3)).toBe(false);
  });
});

describe('the place in the queue', () => {
  test('first when nobody waits ahead', () => {
    expect(queuePosition(0)).toBe(1);
    expect(queuePosition(4)).toBe(5);
  });
});
