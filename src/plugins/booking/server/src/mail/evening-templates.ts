/**
 * When the evening changes (issue 22): the mail that tells a holder their performance moved (the
 * new date and place, the cancellation link, the calendar file attached), and a message staff
 * wrote to a performance's audience (plain text, with the visitor's own link at the foot).
 */
import type { Language } from '../constants';
import { brand } from './brand';
import { button, detailsHtml, detailsText, escapeHtml, layout, oneLine, type RenderedMail, type TicketFacts } from './templates';

const WORDS = {
  it: {
    hello: (name: string) => `Ciao ${name},`,
    movedSubject: (show: string) => `Cambio di data o di luogo: ${show}`,
    movedIntro:
      'lo spettacolo per cui hai prenotato ha cambiato data, ora o luogo. Ecco come è ora: la tua prenotazione e il codice QR valgono per la nuova data.',
    calendar: 'Il file allegato aggiorna l’evento nel tuo calendario.',
    cancel: 'Non puoi più venire? Da questo link annulli la prenotazione o riduci i posti, così li liberi per altri:',
    cancelButton: 'Annulla o riduci i posti',
    messageFootReservation: (reference: string) => `La tua prenotazione ${reference}. Non puoi più venire? Annullala o riduci i posti qui:`,
    leaveButton: 'Esci dalla lista d’attesa',
    messageFootEntry: (reference: string) => `Sei in lista d’attesa (${reference}). Non ti interessa più? Esci dalla lista qui:`,
    get signature() {
      return brand().name;
    },
  },
  en: {
    hello: (name: string) => `Hello ${name},`,
    movedSubject: (show: string) => `New date or place: ${show}`,
    movedIntro:
      'the performance you booked has a new date, time or place. Here it is as it is now: your booking and QR code are valid for the new date.',
    calendar: 'The attached file updates the event in your calendar.',
    cancel: 'Can no longer come? This link cancels the booking or reduces the seats, so others can have them:',
    cancelButton: 'Cancel or reduce the seats',
    messageFootReservation: (reference: string) => `Your booking ${reference}. Can no longer come? Cancel it or reduce the seats here:`,
    leaveButton: 'Leave the waiting list',
    messageFootEntry: (reference: string) => `You are on the waiting list (${reference}). No longer interested? Leave the list here:`,
    get signature() {
      return brand().name;
    },
  },
} as const;

/** "Your performance moved": the new date and place, the cancellation link; the calendar file goes with it. */
export const renderMoved = (language: Language, facts: TicketFacts, cancelLink: string): RenderedMail => {
  const w = WORDS[language];
  const name = oneLine(facts.name);
  return {
    subject: w.movedSubject(oneLine(facts.showTitle)),
    text: `${w.hello(name)}\n\n${w.movedIntro}\n\n${detailsText(language, facts)}\n\n${w.calendar}\n\n${w.cancel}\n${cancelLink}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${escapeHtml(w.hello(name))}</p><p>${escapeHtml(w.movedIntro)}</p>` +
        detailsHtml(language, facts) +
        `<p>${escapeHtml(w.calendar)}</p><p>${escapeHtml(w.cancel)}</p>${button(cancelLink, w.cancelButton)}<p>${w.signature}</p>`
    ),
  };
};

/**
 * A staff message to the audience: staff write plain text, and it stays text. The subject on one
 * line, the body as typed (line breaks kept, other control characters dropped), then the
 * visitor's own link (the cancellation link of a booking, the leave link of a waiting entry) in
 * their language. The HTML part (mail programs show it first; the SMTP provider would otherwise
 * copy the raw text into it) is the same text escaped, its line breaks kept: nothing typed
 * becomes markup.
 */
export const renderAudienceMessage = (
  language: Language,
  message: { subject: string; body: string },
  foot: { kind: 'reservation' | 'entry'; reference: string; link: string }
): RenderedMail => {
  const w = WORDS[language];
  const body = message.body
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- dropping control characters is the point
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .trim();
  const footLine = foot.kind === 'reservation' ? w.messageFootReservation(foot.reference) : w.messageFootEntry(foot.reference);
  return {
    subject: oneLine(message.subject),
    text: `${body}\n\n-- \n${footLine}\n${foot.link}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<div style="white-space:pre-wrap">${escapeHtml(body)}</div><hr style="border:0;border-top:1px solid #ddd;margin:24px 0">` +
        `<p style="color:#555">${escapeHtml(footLine)}</p>${button(foot.link, foot.kind === 'reservation' ? w.cancelButton : w.leaveButton)}<p>${w.signature}</p>`
    ),
  };
};
