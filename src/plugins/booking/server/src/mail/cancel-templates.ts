/**
 * Issue 22: the mails of a change the visitor did not make. A performance cancelled (to each
 * ticket holder and each waiting party, with the editor's message) and a reservation cancelled by
 * staff. Italian and English; plain text and HTML; the editor's message is text, escaped in HTML.
 */
import type { Language } from '../constants';
import { brand } from './brand';
import { detailsHtml, detailsText, escapeHtml, layout, oneLine, type RenderedMail, type TicketFacts } from './templates';

const WORDS = {
  it: {
    hello: (name: string) => `Ciao ${name},`,
    performanceSubject: (show: string) => `Replica annullata: ${show}`,
    performanceHolder: 'ci dispiace: questa replica è annullata. La tua prenotazione è annullata e il biglietto non vale più.',
    performanceWaiting: 'ci dispiace: questa replica è annullata. La lista d’attesa è chiusa e non ti offriremo posti.',
    message: 'Il messaggio della compagnia:',
    performanceEnd: 'Non devi fare nulla. Per altre date guarda il nostro sito.',
    staffSubject: (show: string) => `Prenotazione annullata: ${show}`,
    staffIntro: 'la biglietteria ha annullato la tua prenotazione. Il biglietto non vale più.',
    staffQuestion: 'Se non te lo aspettavi, rispondi a questa e-mail.',
    get signature() {
      return brand().name;
    },
  },
  en: {
    hello: (name: string) => `Hello ${name},`,
    performanceSubject: (show: string) => `Performance cancelled: ${show}`,
    performanceHolder: 'we are sorry: this performance is cancelled. Your booking is cancelled and the ticket no longer works.',
    performanceWaiting: 'we are sorry: this performance is cancelled. The waiting list is closed and no seats will be offered.',
    message: 'A message from the company:',
    performanceEnd: 'There is nothing you need to do. For other dates, see our website.',
    staffSubject: (show: string) => `Booking cancelled: ${show}`,
    staffIntro: 'the box office has cancelled your booking. The ticket no longer works.',
    staffQuestion: 'If you did not expect this, reply to this e-mail.',
    get signature() {
      return brand().name;
    },
  },
} as const;

/** The editor's message as paragraphs: its own line breaks kept, nothing else of its text interpreted. */
const messageHtml = (message: string) =>
  `<blockquote style="margin:16px 0;padding:8px 16px;border-left:4px solid ${brand().colors.primary};white-space:pre-line">${escapeHtml(message)}</blockquote>`;

/** A cancelled performance, to a ticket holder (`holder`) or a waiting party (`waiting`). */
export const renderPerformanceCancelled = (
  language: Language,
  facts: TicketFacts,
  message: string | null,
  to: 'holder' | 'waiting'
): RenderedMail => {
  const w = WORDS[language];
  const intro = to === 'holder' ? w.performanceHolder : w.performanceWaiting;
  const said = message && message.trim() !== '' ? message.trim() : null;
  return {
    subject: w.performanceSubject(oneLine(facts.showTitle)),
    text:
      `${w.hello(oneLine(facts.name))}\n\n${intro}\n\n${detailsText(language, facts)}\n\n` +
      (said ? `${w.message}\n${said}\n\n` : '') +
      `${w.performanceEnd}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${escapeHtml(w.hello(oneLine(facts.name)))}</p><p>${escapeHtml(intro)}</p>` +
        detailsHtml(language, facts) +
        (said ? `<p>${escapeHtml(w.message)}</p>${messageHtml(said)}` : '') +
        `<p>${escapeHtml(w.performanceEnd)}</p><p>${w.signature}</p>`
    ),
  };
};

/** A reservation cancelled by staff in the Content Manager (issue 22 item 4). */
export const renderCancelledByStaff = (language: Language, facts: TicketFacts): RenderedMail => {
  const w = WORDS[language];
  const name = oneLine(facts.name);
  return {
    subject: w.staffSubject(oneLine(facts.showTitle)),
    text: `${w.hello(name)}\n\n${w.staffIntro}\n\n${detailsText(language, facts)}\n\n${w.staffQuestion}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${escapeHtml(w.hello(name))}</p><p>${escapeHtml(w.staffIntro)}</p>` +
        detailsHtml(language, facts) +
        `<p style="color:#555">${escapeHtml(w.staffQuestion)}</p><p>${w.signature}</p>`
    ),
  };
};
