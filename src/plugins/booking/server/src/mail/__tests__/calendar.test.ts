import ICAL from 'ical.js';
import { ticketCalendar } from '../calendar';

const facts = {
  reference: 'AB12CD34',
  showTitle: 'Amleto',
  startsAt: '2027-03-01T19:30:00.000Z',
  durationMinutes: 90,
  venueName: 'Teatro Piccolo',
  venueAddress: 'Via Roma 1',
  venueCity: 'Milano',
};

/** The one event of a calendar file, as a calendar program reads it. */
const readBack = (text: string) => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return events[0];
};

describe('the ticket calendar file', () => {
  test.each([
    ['a lone carriage return', 'Amleto\rBEGIN:VALARM', 'Teatro\rX-INJECTED:1'],
    ['a line feed', 'Amleto\nATTENDEE:mailto:x@example.test', 'Teatro\nX-INJECTED:1'],
    ['CR LF', 'Amleto\r\nEND:VEVENT', 'Teatro\r\nX-INJECTED:1'],
  ])('%s in a title or venue stays inside its property, and every line ends in CRLF', (_label, title, venue) => {
    const text = ticketCalendar({ ...facts, showTitle: title, venueName: venue });
    // No line ending but CRLF (RFC 5545 3.1); no control character inside a line.
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // eslint-disable-next-line no-control-regex -- the point is that none are left
    expect(text.split('\r\n').every((line) => !/[\u0000-\u0008\u000a-\u001f\u007f]/.test(line))).toBe(true);
    const event = readBack(text);
    expect(event.getAllSubcomponents('valarm')).toHaveLength(0);
    expect(event.getAllProperties('attendee')).toHaveLength(0);
    expect(event.getFirstPropertyValue('x-injected')).toBeNull();
    expect(event.getFirstPropertyValue('summary')).toBe(title.replace(/\r\n|\r/g, '\n'));
    expect(String(event.getFirstPropertyValue('location'))).toBe(`${venue.replace(/\r\n|\r/g, '\n')}, Via Roma 1, Milano`);
  });

  test('other control characters are dropped; commas, semicolons and backslashes come back as written', () => {
    const event = readBack(
      ticketCalendar({ ...facts, showTitle: 'A\u0000m\u0007leto; atto I, scena 2 \\ prova\u007f', venueCity: 'Milano\u001b' })
    );
    expect(event.getFirstPropertyValue('summary')).toBe('Amleto; atto I, scena 2 \\ prova');
    expect(event.getFirstPropertyValue('location')).toBe('Teatro Piccolo, Via Roma 1, Milano');
  });

  test('tickets of one evening: each file has its own UID and a fresh stamp, and reads as the first', () => {
    jest.useFakeTimers({ now: new Date('2027-02-01T10:00:00.000Z') });
    try {
      const first = ticketCalendar({ ...facts, reference: 'ZZ000001', showTitle: 'Le serve' });
      jest.setSystemTime(new Date('2027-02-01T10:00:30.000Z'));
      const second = ticketCalendar({ ...facts, reference: 'ZZ000002', showTitle: 'Le serve' });
      const [a, b] = [readBack(first), readBack(second)];
      expect(a.getFirstPropertyValue('uid')).toMatch(/^ZZ000001@booking\./);
      expect(b.getFirstPropertyValue('uid')).toMatch(/^ZZ000002@booking\./);
      expect(String(b.getFirstPropertyValue('dtstamp'))).toBe('2027-02-01T10:00:30Z');
      for (const property of ['summary', 'location', 'dtstart', 'dtend', 'sequence']) {
        expect(String(b.getFirstPropertyValue(property))).toBe(String(a.getFirstPropertyValue(property)));
      }
      // Apart from those two lines, the very text `ics` wrote.
      const strip = (text: string) => text.replace(/\r\n(UID|DTSTAMP):[^\r]*/g, '');
      expect(strip(second)).toBe(strip(first));
      // Another evening (here a moved one: SEQUENCE 1) is written afresh.
      const moved = readBack(ticketCalendar({ ...facts, reference: 'ZZ000003', showTitle: 'Le serve', sequence: 1 }));
      expect(moved.getFirstPropertyValue('sequence')).toBe(1);
      expect(moved.getFirstPropertyValue('uid')).toMatch(/^ZZ000003@/);
    } finally {
      jest.useRealTimers();
    }
  });
});
