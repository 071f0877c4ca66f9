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
  // What `ics` wrote for the same evening, with this reservation's UID and stamp (see below).
  const key = JSON.stringify([
    brandToken(),
    facts.showTitle,
    facts.startsAt,
    facts.durationMinutes,
    facts.venueName,
    facts.venueAddress,
    facts.venueCity,
    facts.sequence ?? 0,
  ]);
  const known = written.get(key);
  if (known && known.reference.length === facts.reference.length && Date.now() - known.at < TEMPLATE_MS) {
    return known.text
      .replace(`\r\nUID:${known.reference}@`, `\r\nUID:${facts.reference}@`)
      .replace(/\r\nDTSTAMP:\d{8}T\d{6}Z\r\n/, `\r\nDTSTAMP:${icsStamp(new Date())}\r\n`);
  }
  const text = writeCalendar(facts);
  written.set(key, { reference: facts.reference, text, at: Date.now() });
  while (written.size > 100) written.delete(written.keys().next().value as string);
  return text;
};

/**
 * `ics` checks every event against its schema (yup), twice per file: 1.4 ms of the 3 ms a
 * ticket mail cost in a confirmation storm (issue 20). The tickets of one evening differ only
 * by their UID (made from the reference, of one length) and DTSTAMP (when the file was made), so
 * a file `ics` wrote for the same evening within the last minute serves as the template: the
 * same text with those two values replaced. Lines are folded at 75 octets, so the template is
 * used only for a reference of the same length (the UID line stays as long).
 */
const TEMPLATE_MS = 60_000;
const written = new Map<string, { reference: string; text: string; at: number }>();
/** A UTC DATE-TIME as `ics` writes DTSTAMP: 20261206T140713Z. */
const icsStamp = (date: Date) =>
  date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');

const writeCalendar = (facts: CalendarFacts): string => {
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
