import { brand } from './brand';
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
    confirmSubject: (show: string) => `Conferma la lista d’attesa: ${show}`,
    // Sent before the address's owner has done anything: nothing the requester typed.
    hello: 'Ciao,',
    confirmIntro:
      'qualcuno ha chiesto di mettere questo indirizzo in lista d’attesa per questo spettacolo. Per entrare in lista, conferma con questo link:',
    confirmButton: 'Conferma la lista d’attesa',
    confirmBy: (when: string) =>
      `Il link vale fino a ${when}. Se non sei stato tu, non fare nulla: senza conferma la richiesta decade da sola, non ti offriremo posti e non ti scriveremo più per questa richiesta.`,
    joinedSubject: (show: string) => `Sei in lista d’attesa: ${show}`,
    joinedIntro:
      'sei in lista d’attesa per questo spettacolo. Se si liberano posti per il tuo gruppo, te li teniamo da parte e ti scriviamo: avrai un link per confermarli.',
    position: (n: number) => (n === 1 ? 'Sei il primo gruppo in lista.' : `Sei il gruppo numero ${n} in lista.`),
    leave: 'Non ti interessa più? Esci dalla lista qui:',
    leaveButton: 'Esci dalla lista d’attesa',
    offerSubject: (show: string) => `Si sono liberati dei posti: ${show}`,
    offerIntro: 'si sono liberati dei posti per il tuo gruppo e li teniamo per te. Per averli, conferma con questo link:',
    offerButton: 'Conferma i posti',
    offerBy: (when: string) => `Li teniamo fino a ${when}; poi passano a chi è in lista dopo di te.`,
    reference: 'Codice',
    get signature() {
      return brand().name;
    },
  },
  en: {
    confirmSubject: (show: string) => `Confirm the waiting list: ${show}`,
    hello: 'Hello,',
    confirmIntro: 'someone asked to put this address on the waiting list for this show. To join the list, confirm with this link:',
    confirmButton: 'Confirm the waiting list',
    confirmBy: (when: string) =>
      `The link works until ${when}. If it was not you, do nothing: without a confirmation the request lapses by itself, you will be offered no seats and we will not write to you again about it.`,
    joinedSubject: (show: string) => `You are on the waiting list: ${show}`,
    position: (n: number) => (n === 1 ? 'Your party is first on the list.' : `Your party is number ${n} on the list.`),
    joinedIntro:
      'you are on the waiting list for this show. If seats for your party free up, we keep them for you and write to you: you will get a link to confirm them.',
    leave: 'No longer interested? Leave the list here:',
    leaveButton: 'Leave the waiting list',
    offerSubject: (show: string) => `Seats have freed up: ${show}`,
    offerIntro: 'seats for your party have freed up and we are keeping them for you. To have them, confirm with this link:',
    offerButton: 'Confirm the seats',
    offerBy: (when: string) => `We keep them until ${when}; then they go to the next person on the list.`,
    reference: 'Reference',
    get signature() {
      return brand().name;
    },
  },
} as const;

/**
 * The join's first e-mail: the link that confirms it, until `confirmBy`. Whoever did not ask need
 * do nothing: the join lapses by itself and holds nothing of theirs.
 */
export const renderWaitlistConfirm = (language: Language, facts: TicketFacts, confirmLink: string, confirmBy: string): RenderedMail => {
  const w = WORDS[language];
  const until = w.confirmBy(formatWhen(confirmBy, language, facts.timezone));
  return {
    subject: w.confirmSubject(oneLine(facts.showTitle)),
    text: `${w.hello}\n\n${w.confirmIntro}\n\n${confirmLink}\n\n${detailsText(language, facts)}\n\n${until}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${w.hello}</p><p>${escapeHtml(w.confirmIntro)}</p>${button(confirmLink, w.confirmButton)}` +
        detailsHtml(language, facts) +
        `<p style="color:#555">${escapeHtml(until)}</p><p>${w.signature}</p>`
    ),
  };
};

/** "You are on the list" (once the join is confirmed), its place in the queue, the leave link. */
export const renderWaitlistJoined = (language: Language, facts: TicketFacts, leaveLink: string, position: number): RenderedMail => {
  const w = WORDS[language];
  return {
    subject: w.joinedSubject(oneLine(facts.showTitle)),
    text: `${w.hello}\n\n${w.joinedIntro}\n\n${w.position(position)}\n\n${detailsText(language, facts)}\n\n${w.leave}\n${leaveLink}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${w.hello}</p><p>${escapeHtml(w.joinedIntro)}</p><p><strong>${escapeHtml(w.position(position))}</strong></p>` +
        detailsHtml(language, facts) +
        `<p>${escapeHtml(w.leave)}</p>${button(leaveLink, w.leaveButton)}<p>${w.signature}</p>`
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
