import ICAL from 'ical.js';
import { useBrand } from '../brand';
import { ticketCalendar } from '../calendar';
import { renderAudienceMessage, renderMoved } from '../evening-templates';

const facts = {
  reference: 'AB12CD34',
  name: 'Maria Rossi',
  partySize: 2,
  showTitle: 'Amleto',
  startsAt: '2027-03-01T19:30:00.000Z',
  venueName: 'Teatro Piccolo',
  venueAddress: 'Via Roma 1',
  venueCity: 'Milano',
  timezone: 'Europe/Rome',
};

// The theatre's name (the brand setting) signs the mails and names the calendar entry.
beforeAll(() => {
  useBrand({ name: 'Teatro Esempio', sender: null, colors: { primary: '#8a1c1c', background: '#faf8f5', text: '#1a1a1a' }, logoUrl: null });
});

describe('when the evening changes (issue 22)', () => {
  test('the calendar file of a moved performance keeps its UID and carries the SEQUENCE it is given; 0 before any move', () => {
    const event = (sequence?: number) =>
      new ICAL.Event(
        new ICAL.Component(
          ICAL.parse(
            ticketCalendar({
              reference: facts.reference,
              showTitle: facts.showTitle,
              startsAt: facts.startsAt,
              durationMinutes: 90,
              venueName: facts.venueName,
              venueAddress: facts.venueAddress,
              venueCity: facts.venueCity,
              sequence,
            })
          )
        ).getFirstSubcomponent('vevent')!
      );
    expect([event().uid, event().sequence]).toEqual(['AB12CD34@booking.teatro-esempio', 0]);
    expect([event(3).uid, event(3).sequence]).toEqual(['AB12CD34@booking.teatro-esempio', 3]);
  });

  test.each([
    ['it', 'Cambio di data o di luogo: Amleto', 'marzo 2027', 'Annulla o riduci i posti'],
    ['en', 'New date or place: Amleto', 'March 2027', 'Cancel or reduce the seats'],
  ] as const)('the moved mail in %s: the new date and place and the cancellation link', (language, subject, month, button) => {
    const mail = renderMoved(language, facts, 'https://teatro.example.test/cancel?token=x');
    expect(mail.subject).toBe(subject);
    expect(mail.text).toContain(month);
    expect(mail.text).toContain('Teatro Piccolo, Via Roma 1, Milano');
    expect(mail.text).toContain('https://teatro.example.test/cancel?token=x');
    expect(mail.html).toContain(button);
    expect(mail.text.trimEnd().endsWith('Teatro Esempio')).toBe(true);
    expect(mail.html).toContain('Teatro Esempio');
    expect(mail.text + mail.html).not.toContain('AzioneLab');
  });

  test("a message stays the staff's plain text: line breaks kept, control characters dropped, nothing typed becomes markup; the foot in the visitor's language", () => {
    const message = { subject: 'Porta\r\nBcc: x@example.test', body: 'Riga 1\r\nRiga 2\u0007 <script>alert(1)</script>' };
    const it = renderAudienceMessage('it', message, {
      kind: 'reservation',
      reference: 'AB12CD34',
      link: 'https://t.example/cancel?token=a',
    });
    expect(it.subject).toBe('Porta Bcc: x@example.test');
    expect(it.text.startsWith('Riga 1\nRiga 2 <script>alert(1)</script>\n\n-- \nLa tua prenotazione AB12CD34.')).toBe(true);
    expect(it.html).not.toContain('<script>');
    expect(it.html).toContain('&lt;script&gt;');
    const en = renderAudienceMessage('en', message, { kind: 'entry', reference: 'W1', link: 'https://t.example/waitlist/leave?token=b' });
    expect(en.text).toContain(
      'You are on the waiting list (W1). No longer interested? Leave the list here:\nhttps://t.example/waitlist/leave?token=b'
    );
    expect(en.html).toContain('Leave the waiting list');
  });
});
