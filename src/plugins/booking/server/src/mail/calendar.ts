import { createEvent } from 'ics';
import { brandToken } from './brand';

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
  /**
   * How many times the holders have been told the performance moved (issue 22): the event's
   * SEQUENCE, so a calendar replaces the event it has (same UID) instead of adding one. 0 for a
   * performance that never moved.
   */
  sequence?: number;
}

/**
 * A text as RFC 5545 (3.3.11) lets it into a TEXT value: every line break, a lone carriage
 * return included, becomes one line feed (which `ics` writes as the escape `\n`), and the other
 * control characters, which TEXT does not allow, are dropped (tab stays). `ics` escapes only
 * `\r?\n`: a lone CR in a show title reached the file raw and ended the line for some readers.
 */
export const calendarText = (value: string): string =>
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');

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
    productId: `${brandToken().toLowerCase()}/booking`,
    method: 'PUBLISH',
    uid: `${facts.reference}@booking.${brandToken().toLowerCase()}`,
    sequence: facts.sequence ?? 0,
    title: calendarText(facts.showTitle),
    location: calendarText([facts.venueName, facts.venueAddress, facts.venueCity].filter(Boolean).join(', ')),
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
