import type { Language } from '../constants';
import { brand } from './brand';

export interface TicketFacts {
  reference: string;
  name: string;
  partySize: number;
  showTitle: string;
  startsAt: string;
  venueName: string;
  venueAddress: string;
  venueCity: string;
  timezone: string;
}

/** What a ticket mail is: the first one, a lost ticket sent again, the reminder, or the ticket after a smaller party. */
export type TicketOccasion = 'ticket' | 'resend' | 'reminder' | 'reduced';

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** One line of text: the visitor's own words must not add lines or headers to a mail. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const oneLine = (value: string) => value.replace(/[\r\n\t\u0000-\u001f\u007f]+/g, ' ').trim();

const formatters = new Map<string, Intl.DateTimeFormat>();

export const formatWhen = (iso: string, language: Language, timezone: string) => {
  const key = `${language}|${timezone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'it' ? 'it-IT' : 'en-GB', {
      timeZone: timezone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(key, format);
  }
  return format.format(new Date(iso));
};

const WORDS = {
  it: {
    confirmSubject: (show: string) => `Conferma la tua prenotazione: ${show}`,
    hello: (name: string) => `Ciao ${name},`,
    // The confirmation goes to an address nobody has proved yet: it says nothing the requester
    // typed (no name, no notes), so it cannot carry someone's words into a stranger's inbox.
    helloAnyone: 'Ciao,',
    confirmIntro: 'abbiamo ricevuto la tua richiesta. Per confermare i posti apri questo link:',
    confirmButton: 'Conferma la prenotazione',
    confirmBy: (when: string) => `Il link vale fino a ${when}. Finché non confermi, i posti non sono garantiti.`,
    ignore: 'Se non hai chiesto tu questa prenotazione, ignora questa e-mail.',
    ticketSubject: (show: string) => `Il tuo biglietto: ${show}`,
    ticketIntro: 'la tua prenotazione è confermata. All’ingresso mostra questo codice QR.',
    show: 'Spettacolo',
    when: 'Quando',
    where: 'Dove',
    seats: 'Posti',
    reference: 'Codice prenotazione',
    cancel: 'Non puoi più venire, o venite in meno? Da questo link annulli la prenotazione o riduci i posti, così li liberi per altri:',
    cancelButton: 'Annulla o riduci i posti',
    resendSubject: (show: string) => `Di nuovo il tuo biglietto: ${show}`,
    resendIntro: 'ecco di nuovo il tuo biglietto, come hai chiesto. All’ingresso mostra questo codice QR (valgono anche quelli di prima).',
    reminderSubject: (show: string) => `Promemoria: ${show}`,
    reducedSubject: (show: string) => `Prenotazione aggiornata: ${show}`,
    reducedIntro: (seats: number) =>
      `ora la tua prenotazione è per ${seats === 1 ? '1 posto' : `${seats} posti`}. Il codice QR non cambia: all’ingresso vale questo o quello di prima.`,
    reminderIntro: 'ti ricordiamo lo spettacolo per cui hai prenotato. All’ingresso mostra questo codice QR.',
    calendar: 'In allegato trovi l’evento da aggiungere al calendario.',
    cancelledSubject: (show: string) => `Prenotazione annullata: ${show}`,
    cancelledIntro: 'la tua prenotazione è annullata e i posti sono stati liberati. Il biglietto non vale più.',
    cancelledNotYou: 'Se non l’hai annullata tu, rispondi a questa e-mail.',
    get signature() {
      return brand().name;
    },
    ticketFile: 'biglietto.png',
  },
  en: {
    confirmSubject: (show: string) => `Confirm your booking: ${show}`,
    hello: (name: string) => `Hello ${name},`,
    helloAnyone: 'Hello,',
    confirmIntro: 'we have received your request. To confirm your seats, open this link:',
    confirmButton: 'Confirm the booking',
    confirmBy: (when: string) => `The link works until ${when}. Until you confirm, the seats are not guaranteed.`,
    ignore: 'If you did not ask for this booking, ignore this e-mail.',
    ticketSubject: (show: string) => `Your ticket: ${show}`,
    ticketIntro: 'your booking is confirmed. Show this QR code at the door.',
    show: 'Show',
    when: 'When',
    where: 'Where',
    seats: 'Seats',
    reference: 'Booking reference',
    cancel: 'Can no longer come, or coming with fewer people? This link cancels the booking or reduces the seats, so others can have them:',
    cancelButton: 'Cancel or reduce the seats',
    resendSubject: (show: string) => `Your ticket again: ${show}`,
    resendIntro: 'here is your ticket again, as you asked. Show this QR code at the door (earlier ones still work).',
    reminderSubject: (show: string) => `Reminder: ${show}`,
    reducedSubject: (show: string) => `Booking updated: ${show}`,
    reducedIntro: (seats: number) =>
      `your booking is now for ${seats === 1 ? '1 seat' : `${seats} seats`}. Show this QR code at the door (the earlier one works too).`,
    reminderIntro: 'a reminder of the show you booked. Show this QR code at the door.',
    calendar: 'The attached file adds the event to your calendar.',
    cancelledSubject: (show: string) => `Booking cancelled: ${show}`,
    cancelledIntro: 'your booking is cancelled and the seats have been freed. The ticket no longer works.',
    cancelledNotYou: 'If you did not cancel it, reply to this e-mail.',
    get signature() {
      return brand().name;
    },
    ticketFile: 'ticket.png',
  },
} as const;

/** The QR code's file name in the visitor's language. */
export const ticketFileName = (language: Language) => WORDS[language].ticketFile;

/** The calendar file's name: the show's slug (one of ours: letters, digits, dashes), else a word of the visitor's language. */
export const calendarFileName = (language: Language, showSlug: string | null | undefined) =>
  showSlug && /^[a-z0-9][a-z0-9-]{0,80}$/i.test(showSlug) ? `${showSlug}.ics` : language === 'it' ? 'spettacolo.ics' : 'show.ics';

export const layout = (language: Language, body: string) => {
  const { colors, logoUrl, name } = brand();
  const logo = logoUrl ? `<p><img src="${escapeHtml(logoUrl)}" alt="${escapeHtml(name)}" style="max-height:48px"></p>` : '';
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body style="font-family:system-ui,sans-serif;line-height:1.5;color:${colors.text};background:${colors.background};max-width:560px;margin:auto;padding:16px">${logo}${body}</body></html>`;
};

export const button = (href: string, label: string) =>
  `<p><a href="${escapeHtml(href)}" style="display:inline-block;padding:12px 20px;background:${brand().colors.primary};color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(label)}</a></p>` +
  `<p style="font-size:13px;color:#555;word-break:break-all">${escapeHtml(href)}</p>`;

export const renderConfirmation = (language: Language, facts: TicketFacts, link: string, confirmBy: string): RenderedMail => {
  const w = WORDS[language];
  const deadline = formatWhen(confirmBy, language, facts.timezone);
  const details = detailsText(language, facts);
  return {
    subject: w.confirmSubject(oneLine(facts.showTitle)),
    text: `${w.helloAnyone}\n\n${w.confirmIntro}\n\n${link}\n\n${details}\n\n${w.confirmBy(deadline)}\n${w.ignore}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${escapeHtml(w.helloAnyone)}</p><p>${escapeHtml(w.confirmIntro)}</p>${button(link, w.confirmButton)}` +
        detailsHtml(language, facts) +
        `<p>${escapeHtml(w.confirmBy(deadline))}</p><p style="color:#555">${escapeHtml(w.ignore)}</p><p>${w.signature}</p>`
    ),
  };
};

export const renderTicket = (
  language: Language,
  facts: TicketFacts,
  qrCid: string,
  cancelLink: string,
  occasion: TicketOccasion = 'ticket'
): RenderedMail => {
  const w = WORDS[language];
  const name = oneLine(facts.name);
  const details = detailsText(language, facts);
  const title = oneLine(facts.showTitle);
  const subject = {
    ticket: w.ticketSubject,
    resend: w.resendSubject,
    reminder: w.reminderSubject,
    reduced: w.reducedSubject,
  }[occasion](title);
  const intro = {
    ticket: w.ticketIntro,
    resend: w.resendIntro,
    reminder: w.reminderIntro,
    reduced: w.reducedIntro(facts.partySize),
  }[occasion];
  return {
    subject,
    text: `${w.hello(name)}\n\n${intro}\n\n${details}\n\n${w.calendar}\n\n${w.cancel}\n${cancelLink}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${escapeHtml(w.hello(name))}</p><p>${escapeHtml(intro)}</p>` +
        `<p style="text-align:center"><img src="cid:${qrCid}" alt="QR" width="280" height="280" style="image-rendering:pixelated"></p>` +
        detailsHtml(language, facts) +
        `<p>${escapeHtml(w.calendar)}</p><p>${escapeHtml(w.cancel)}</p>${button(cancelLink, w.cancelButton)}<p>${w.signature}</p>`
    ),
  };
};

/** The receipt of a cancellation: what was cancelled, and that the ticket no longer works. */
export const renderCancelled = (language: Language, facts: TicketFacts): RenderedMail => {
  const w = WORDS[language];
  const name = oneLine(facts.name);
  return {
    subject: w.cancelledSubject(oneLine(facts.showTitle)),
    text: `${w.hello(name)}\n\n${w.cancelledIntro}\n\n${detailsText(language, facts)}\n\n${w.cancelledNotYou}\n\n${w.signature}\n`,
    html: layout(
      language,
      `<p>${escapeHtml(w.hello(name))}</p><p>${escapeHtml(w.cancelledIntro)}</p>` +
        detailsHtml(language, facts) +
        `<p style="color:#555">${escapeHtml(w.cancelledNotYou)}</p><p>${w.signature}</p>`
    ),
  };
};

export const detailsText = (language: Language, facts: TicketFacts) => {
  const w = WORDS[language];
  return [
    `${w.show}: ${oneLine(facts.showTitle)}`,
    `${w.when}: ${formatWhen(facts.startsAt, language, facts.timezone)}`,
    `${w.where}: ${facts.venueName}, ${facts.venueAddress}, ${facts.venueCity}`,
    `${w.seats}: ${facts.partySize}`,
    `${w.reference}: ${facts.reference}`,
  ].join('\n');
};

export const detailsHtml = (language: Language, facts: TicketFacts) => {
  const w = WORDS[language];
  const row = (label: string, value: string) =>
    `<tr><th style="text-align:left;padding:4px 12px 4px 0">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
  return (
    '<table style="border-collapse:collapse;margin:16px 0">' +
    row(w.show, facts.showTitle) +
    row(w.when, formatWhen(facts.startsAt, language, facts.timezone)) +
    row(w.where, `${facts.venueName}, ${facts.venueAddress}, ${facts.venueCity}`) +
    row(w.seats, String(facts.partySize)) +
    row(w.reference, facts.reference) +
    '</table>'
  );
};
