import type { Language } from '../constants';
import {
  button,
  detailsHtml,
  detailsText,
  escapeHtml,
  formatWhen,
  layout,
  oneLine,
  type RenderedMail,
  type TicketFacts,
} from './templates';

const WORDS = {
  it: {
    joinedSubject: (show: string) => `Sei in lista d’attesa: ${show}`,
    // Sent before the address's owner has done anything: nothing the requester typed.
    hello: 'Ciao,',
    joinedIntro:
      'sei in lista d’attesa per questo spettacolo. Se si liberano posti per il tuo gruppo, te li teniamo da parte e ti scriviamo: avrai un link per confermarli.',
    leave: 'Non ti interessa più? Esci dalla lista qui:',
    leaveButton: 'Esci dalla lista d’attesa',
    offerSubject: (show: string) => `Si sono liberati dei posti: ${show}`,
    offerIntro: 'si sono liberati dei posti per il tuo gruppo e li teniamo per te. Per averli, conferma con questo link:',
    offerButton: 'Conferma i posti',
    offerBy: (when: string) => `Li teniamo fino a ${when}; poi passano a chi è in lista dopo di te.`,
    ignore: 'Se non hai chiesto tu di entrare in lista d’attesa, ignora questa e-mail.',
    reference: 'Codice',
    signature: 'AzioneLab',
  },
  en: {
    joinedSubject: (show: string) => `You are on the waiting list: ${show}`,
    hello: 'Hello,',
    joinedIntro:
      'you are on the waiting list for this show. If seats for your party free up, we keep them for you and write to you: you will get a link to confirm them.',
    leave: 'No longer interested? Leave the list here:',
    leaveButton: 'Leave the waiting list',
    offerSubject: (show: string) => `Seats have freed up: ${show}`,
    offerIntro: 'seats for your party have freed up and we are keeping them for you. To have them, confirm with this link:',
    offerButton: 'Confirm the seats',
    offerBy: (when: string) => `We keep them until ${when}; then they go to the next person on the list.`,
    ignore: 'If you did not ask to join the waiting list, ignore this e-mail.',
    reference: 'Reference',
    signature: 'AzioneLab',
  },
} as const;

/** "You are on the list", with the leave link. */
export const renderWaitlistJoined = (language: Language, facts: TicketFacts, leaveLink: string): RenderedMail => {
  const w = WORDS[language];
  return {
    subject: w.joinedSubject(oneLine(facts.showTitle)),
    text: `${w.hello}\n\n${w.joinedIntro}\n\n${detailsText(language, facts)}\n\n${w.leave}\n${leaveLink}\n\n${w.ignore}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${w.hello}</p><p>${escapeHtml(w.joinedIntro)}</p>` +
        detailsHtml(language, facts) +
        `<p>${escapeHtml(w.leave)}</p>${button(leaveLink, w.leaveButton)}<p style="color:#555">${escapeHtml(w.ignore)}</p><p>${w.signature}</p>`
    ),
  };
};

/** An offer: seats held until `heldUntil`, and the usual confirmation link. */
export const renderOffer = (language: Language, facts: TicketFacts, confirmLink: string, heldUntil: string): RenderedMail => {
  const w = WORDS[language];
  const until = formatWhen(heldUntil, language, facts.timezone);
  return {
    subject: w.offerSubject(oneLine(facts.showTitle)),
    text: `${w.hello}\n\n${w.offerIntro}\n\n${confirmLink}\n\n${detailsText(language, facts)}\n\n${w.offerBy(until)}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${w.hello}</p><p>${escapeHtml(w.offerIntro)}</p>${button(confirmLink, w.offerButton)}` +
        detailsHtml(language, facts) +
        `<p>${escapeHtml(w.offerBy(until))}</p><p>${w.signature}</p>`
    ),
  };
};
