import { createEvent } from 'ics';

/** When a show's duration is not given (Show.duration_minutes empty). */
export const DEFAULT_DURATION_MINUTES = 120;

export interface CalendarFacts {
  /** The reservation's reference: the event's UID is made from it, so it is stable. */
  reference: string;
  showTitle: string;
  startsAt: string;
  durationMinutes: number | null;
  venueName: string;
  venueAddress: string;
  venueCity: string;
}

/**
 * The ticket's calendar file (RFC 5545, one VEVENT), written by the `ics` package: start, end
 * (start + the show's duration), title, place, and a UID stable for the reservation so that a
 * calendar updates one event when the ticket comes again (resend, reminder). Nothing personal:
 * no name, e-mail, phone or notes.
 */
export const ticketCalendar = (facts: CalendarFacts): string => {
  const start = new Date(facts.startsAt).getTime();
  const minutes = facts.durationMinutes && facts.durationMinutes > 0 ? facts.durationMinutes : DEFAULT_DURATION_MINUTES;
  const { error, value } = createEvent({
    productId: 'azionelab/booking',
    method: 'PUBLISH',
    uid: `${facts.reference}@booking.azionelab`,
    title: facts.showTitle,
    location: [facts.venueName, facts.venueAddress, facts.venueCity].filter(Boolean).join(', '),
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end: start + minutes * 60_000,
    endInputType: 'utc',
    endOutputType: 'utc',
  });
  if (error || !value) throw error ?? new Error('calendar file not made');
  return value;
};
