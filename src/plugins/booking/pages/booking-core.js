/*
 * What the demo booking pages (site.js) and the widget (widget.js) share: their words in Italian
 * and English, how they write a time, how they explain the API's answers, and the calls to the
 * public booking API. An ES module with no build step, loaded by both; it touches no page at
 * import time, so a page of another origin may load it through the widget.
 */
export const TEXTS = {
  it: {
    shows: 'In scena', noShows: 'Nessuno spettacolo in programma.', next: 'Prossima replica',
    none: 'Nessuna replica in programma', performances: 'Repliche', seatsLeft: 'posti liberi',
    soldOut: 'Esaurito', closed: 'Prenotazioni chiuse', book: 'Prenota', back: '← Tutti gli spettacoli',
    performanceCancelled: 'Annullata', cancelledText: 'Questa replica è annullata: non si prenota più. Chi aveva prenotato ha ricevuto un’e-mail.',
    bookTitle: 'Prenota i posti', name: 'Nome e cognome', email: 'E-mail', phone: 'Telefono (facoltativo)',
    partySize: 'Posti', notes: 'Note (facoltative)', send: 'Invia la richiesta',
    checkMail: 'Quasi fatto: ti abbiamo scritto a {email}. Apri il link nell’e-mail per confermare entro',
    waitlist: 'Lista d’attesa', waitlistTitle: 'Mettiti in lista d’attesa',
    waitlistText: 'Questa replica è esaurita. Se si liberano posti per il tuo gruppo te li teniamo da parte e ti scriviamo.',
    waitlistSend: 'Mettimi in lista',
    waitlistDone: 'Quasi fatto: ti abbiamo scritto a {email}. Controlla la posta e apri il link nell’e-mail per confermare la lista d’attesa entro {when}; senza conferma la richiesta decade.',
    largerParty: 'Per più di {n} la richiesta va in lista d’attesa.',
    waitlistConfirmTitle: 'Conferma la lista d’attesa', waitlistConfirmText: 'Premi il pulsante per entrare in lista d’attesa.',
    waitlistConfirmButton: 'Entra in lista', waitlistConfirmed: 'Sei in lista d’attesa. Ti abbiamo scritto anche il link per uscire dalla lista.',
    waitlistOffered: 'Si sono già liberati posti per il tuo gruppo: li teniamo per te, controlla la posta per confermarli.',
    position: function (n) { return n === 1 ? 'Sei il primo gruppo in lista.' : 'Sei il gruppo numero ' + n + ' in lista.'; },
    fewerButton: 'Conferma {n} invece', fewerText: 'Puoi confermare i posti ancora liberi, oppure metterti in lista d’attesa per tutto il gruppo.',
    waitlistInstead: 'Lista d’attesa per tutto il gruppo',
    seatsAvailable: 'Ci sono posti liberi per il tuo gruppo ({n}): prenota direttamente.',
    lostTitle: 'Hai perso il biglietto?', lostText: 'Scrivi l’indirizzo con cui hai prenotato: ti rispediamo i biglietti degli spettacoli in programma.',
    lostSend: 'Rispediscimi i biglietti', lostDone: 'Se a {email} corrispondono prenotazioni confermate, i biglietti stanno arrivando.',
    leaveTitle: 'Esci dalla lista d’attesa', leaveText: 'Vuoi uscire dalla lista d’attesa? Non riceverai offerte di posti.',
    leaveButton: 'Esci dalla lista', left: 'Sei uscito dalla lista d’attesa.',
    reduceTitle: 'Oppure venite in meno', reduceLabel: 'Posti che ti servono ancora', reduceButton: 'Riduci i posti',
    reduced: 'Fatto: ora la prenotazione è per {n}. Ti abbiamo rimandato il biglietto aggiornato; vale anche quello di prima.',
    reducedTitle: 'Prenotazione aggiornata',
    fields: {
      required: 'è obbligatorio', email: 'dev’essere un indirizzo e-mail', tooLong: 'è troppo lungo',
      name: 'dev’essere un nome, su una riga, senza “@”', phone: 'dev’essere un numero di telefono',
      number: 'dev’essere un numero intero', min: 'dev’essere almeno 1', max: 'supera i posti prenotabili',
      smaller: 'dev’essere minore dei posti prenotati', text: 'dev’essere testo semplice', invalid: 'non è valido'
    },
    reference: 'Codice prenotazione',
    yourBooking: 'La tua prenotazione', backToShow: '← Torna allo spettacolo', checking: 'Controllo il link…',
    alreadyConfirmed: 'Questa prenotazione è già confermata: il biglietto con il codice QR è nella tua e-mail.',
    notCancellable: 'Questo link non può più cambiare la prenotazione. Stato della prenotazione: {status}.',
    largerGroups: 'Per gruppi di più di {n} persone contatta la biglietteria.',
    largerGroupsContact: 'Per gruppi di più di {n} persone contatta la biglietteria: {contact}.',
    notAllowed: 'Da questa pagina non si può prenotare.', bookThere: 'Prenota sul sito del teatro',
    poster: 'Locandina',
    widgetName: 'Nome', widgetPhone: 'Telefono', optional: 'facoltativo', choose: 'Scegli la replica',
    accessNeeds: 'Esigenze di accesso (facoltativo: le vede chi vi accoglie all’ingresso)',
    needs: { wheelchair: 'Sedia a rotelle', hearing: 'Udito', sight: 'Vista', other: 'Altro' },
    noUpcoming: 'Nessuna replica in programma.', loading: 'Caricamento…', waitlistOpen: 'esaurito: lista d’attesa',
    confirmTitle: 'Conferma la prenotazione', confirmText: 'Premi il pulsante per confermare i posti.',
    confirmButton: 'Conferma', confirmed: 'Prenotazione confermata! Il biglietto con il codice QR arriva per e-mail.',
    cancelTitle: 'Annulla la prenotazione', cancelText: 'Vuoi davvero annullare? I posti tornano disponibili per altri.',
    cancelButton: 'Annulla la prenotazione', cancelled: 'Prenotazione annullata. Grazie per aver liberato i posti.',
    missingToken: 'Il link è incompleto: aprilo di nuovo dall’e-mail.',
    network: 'Connessione non riuscita. Riprova tra poco.',
    seats: function (n) { return n === 1 ? '1 posto' : n + ' posti'; },
    codes: {
      validation: 'Controlla i campi evidenziati.',
      performance_not_found: 'Questa replica non esiste o non è più in programma.',
      show_not_found: 'Questo spettacolo non esiste o non è in programma.',
      booking_closed: 'Le prenotazioni per questa replica sono chiuse.',
      sold_out: 'Non ci sono abbastanza posti liberi per il tuo gruppo. Posti ancora liberi: {n}. I posti si liberano solo se qualcuno annulla: puoi riprovare più tardi con lo stesso link.',
      rate_limited: 'Troppi tentativi da questa connessione. Riprova tra un minuto.',
      token_invalid: 'Questo link non è valido. Controlla di aver aperto il link completo dall’e-mail.',
      token_used: 'Questo link è già stato usato. Stato della prenotazione: {status}.',
      token_expired: 'Il link è scaduto e la richiesta è stata annullata. Puoi prenotare di nuovo.',
      too_late: 'Non è più possibile cambiarla: lo spettacolo è iniziato o l’ingresso è già stato registrato.',
      payload_too_large: 'Il testo inviato è troppo lungo.',
      already_waiting: 'Questo indirizzo è già in lista d’attesa per questa replica.',
      seats_available: 'Ci sono posti liberi per il tuo gruppo ({n}): prenota direttamente.'
    },
    statuses: { pending: 'in attesa di conferma', confirmed: 'confermata', cancelled: 'annullata', expired: 'scaduta',
      unconfirmed: 'da confermare', waiting: 'in attesa', offered: 'con posti offerti', booked: 'prenotata', left: 'uscita dalla lista' }
  },
  en: {
    shows: 'On stage', noShows: 'No shows scheduled.', next: 'Next performance',
    none: 'No performances scheduled', performances: 'Performances', seatsLeft: 'seats left',
    soldOut: 'Sold out', closed: 'Booking closed', book: 'Book', back: '← All shows',
    performanceCancelled: 'Cancelled', cancelledText: 'This performance is cancelled: it can no longer be booked. Everyone booked has been e-mailed.',
    bookTitle: 'Book seats', name: 'Full name', email: 'E-mail', phone: 'Phone (optional)',
    partySize: 'Seats', notes: 'Notes (optional)', send: 'Send the request',
    checkMail: 'Almost done: we have written to {email}. Open the link in the e-mail to confirm by',
    waitlist: 'Waiting list', waitlistTitle: 'Join the waiting list',
    waitlistText: 'This performance is sold out. If seats for your party free up, we keep them for you and write to you.',
    waitlistSend: 'Put me on the list',
    waitlistDone: 'Almost done: we have written to {email}. Check your mail and open the link in the e-mail to confirm the waiting list by {when}; without a confirmation the request lapses.',
    largerParty: 'For more than {n} the request goes on the waiting list.',
    waitlistConfirmTitle: 'Confirm the waiting list', waitlistConfirmText: 'Press the button to join the waiting list.',
    waitlistConfirmButton: 'Join the list', waitlistConfirmed: 'You are on the waiting list. We have also sent you the link to leave the list.',
    waitlistOffered: 'Seats have already freed up for your party: we are keeping them for you, check your mail to confirm them.',
    position: function (n) { return n === 1 ? 'Your party is first on the list.' : 'Your party is number ' + n + ' on the list.'; },
    fewerButton: 'Confirm {n} instead', fewerText: 'You may confirm the seats still free, or join the waiting list for the whole party.',
    waitlistInstead: 'Waiting list for the whole party',
    seatsAvailable: 'There are seats for your party ({n}): book them directly.',
    lostTitle: 'Lost your ticket?', lostText: 'Enter the address you booked with: we send the tickets of upcoming shows again.',
    lostSend: 'Send my tickets again', lostDone: 'If {email} has confirmed bookings, the tickets are on their way.',
    leaveTitle: 'Leave the waiting list', leaveText: 'Do you want to leave the waiting list? You will get no offer of seats.',
    leaveButton: 'Leave the list', left: 'You have left the waiting list.',
    reduceTitle: 'Or come with fewer people', reduceLabel: 'Seats you still need', reduceButton: 'Reduce the seats',
    reduced: 'Done: the booking is now for {n}. We have sent you the updated ticket; the earlier one works too.',
    reducedTitle: 'Booking updated',
    fields: {
      required: 'is required', email: 'must be an e-mail address', tooLong: 'is too long',
      name: 'must be a name, on one line, without “@”', phone: 'must be a phone number',
      number: 'must be a whole number', min: 'must be at least 1', max: 'is more than can be booked',
      smaller: 'must be smaller than the seats booked', text: 'must be plain text', invalid: 'is not valid'
    },
    reference: 'Booking reference',
    yourBooking: 'Your booking', backToShow: '← Back to the show', checking: 'Checking the link…',
    alreadyConfirmed: 'This booking is already confirmed: the ticket with the QR code is in your e-mail.',
    notCancellable: 'This link can no longer change the booking. The booking is {status}.',
    largerGroups: 'For groups of more than {n} people, please contact the box office.',
    largerGroupsContact: 'For groups of more than {n} people, please contact the box office: {contact}.',
    notAllowed: 'Booking is not possible from this page.', bookThere: 'Book on the theatre’s site',
    poster: 'Poster',
    widgetName: 'Name', widgetPhone: 'Phone', optional: 'optional', choose: 'Choose a performance',
    accessNeeds: 'Access needs (optional: the people at the door see them)',
    needs: { wheelchair: 'Wheelchair', hearing: 'Hearing', sight: 'Sight', other: 'Other' },
    noUpcoming: 'No performances scheduled.', loading: 'Loading…', waitlistOpen: 'sold out: waiting list',
    confirmTitle: 'Confirm your booking', confirmText: 'Press the button to confirm your seats.',
    confirmButton: 'Confirm', confirmed: 'Booking confirmed! Your ticket with the QR code is on its way by e-mail.',
    cancelTitle: 'Cancel your booking', cancelText: 'Do you really want to cancel? The seats go back to others.',
    cancelButton: 'Cancel the booking', cancelled: 'Booking cancelled. Thank you for freeing the seats.',
    missingToken: 'The link is incomplete: open it again from the e-mail.',
    network: 'Could not connect. Please try again shortly.',
    seats: function (n) { return n === 1 ? '1 seat' : n + ' seats'; },
    codes: {
      validation: 'Please check the highlighted fields.',
      performance_not_found: 'This performance does not exist or is no longer scheduled.',
      show_not_found: 'This show does not exist or is not scheduled.',
      booking_closed: 'Booking is closed for this performance.',
      sold_out: 'Not enough seats are left for your party. Seats still free: {n}. Seats free up only when someone cancels: you may try again later with the same link.',
      rate_limited: 'Too many attempts from this connection. Please try again in a minute.',
      token_invalid: 'This link is not valid. Make sure you opened the whole link from the e-mail.',
      token_used: 'This link has already been used. The booking is {status}.',
      token_expired: 'The link has expired and the request was dropped. You may book again.',
      too_late: 'It can no longer be changed: the show has started or the party has already come in.',
      payload_too_large: 'The text you sent is too long.',
      already_waiting: 'This address is already on the waiting list for this performance.',
      seats_available: 'There are seats for your party ({n}): book them directly.'
    },
    statuses: { pending: 'waiting for confirmation', confirmed: 'confirmed', cancelled: 'cancelled', expired: 'expired',
      unconfirmed: 'awaiting confirmation', waiting: 'waiting', offered: 'offered seats', booked: 'booked', left: 'off the list' }
  }
};

/** The languages the pages speak; anything else (even `constructor`) falls back to Italian. */
export function pickLanguage() {
  for (var i = 0; i < arguments.length; i++) {
    var candidate = arguments[i];
    // Own keys only: ?lang=constructor or __proto__ would find Object's, not a language.
    if (candidate && Object.prototype.hasOwnProperty.call(TEXTS, candidate)) return candidate;
  }
  return 'it';
}

/** The demo pages' choice: ?lang=, then the stored choice, then the browser's language. */
export function chooseLanguage(search, stored, browserLanguage) {
  var asked = new URLSearchParams(search).get('lang');
  var first = asked || stored || ((browserLanguage || 'it').slice(0, 2) === 'en' ? 'en' : 'it');
  return pickLanguage(first);
}

/** A start time as the visitor reads it, in the theatre's time zone. */
export function formatWhen(lang, iso) {
  return new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', {
    timeZone: 'Europe/Rome', weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit'
  }).format(new Date(iso));
}

export function fill(text, values) {
  return Object.keys(values).reduce(function (s, k) { return s.split('{' + k + '}').join(String(values[k])); }, text);
}

/** An API error (Strapi's envelope) in plain words of language `t`, by its details.code. */
export function explain(t, error) {
  var d = (error && error.details) || {};
  var text = t.codes[d.code] || (error && error.message) || t.network;
  return fill(text, { n: d.available_seats, status: t.statuses[d.status] || d.status });
}

/** The server's field message (English, stable) in the page's language. */
export function fieldText(t, serverMessage) {
  var m = String(serverMessage || '');
  var f = t.fields;
  if (/required/.test(m)) return f.required;
  if (/e-mail/.test(m)) return f.email;
  if (/at most \d+ characters/.test(m)) return f.tooLong;
  if (/at most/.test(m)) return f.max;
  if (/at least/.test(m)) return f.min;
  if (/smaller/.test(m)) return f.smaller;
  if (/whole number|number/.test(m) && !/phone/.test(m)) return f.number;
  if (/phone/.test(m)) return f.phone;
  if (/plain text/.test(m)) return f.text;
  if (/name|control|invisible|'@'/.test(m)) return f.name;
  return f.invalid;
}

export var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The largest party the forms offer (the server's BOOKING_MAX_PARTY_SIZE has the last word). */
export var MAX_PARTY = 10;

/** The checks a browser can make before sending: [{ field, text }] for a name and an e-mail. */
export function checkFields(t, values) {
  var problems = [];
  if ('name' in values && !String(values.name).trim()) problems.push({ field: 'name', text: t.fields.required });
  else if ('name' in values && /@/.test(values.name)) problems.push({ field: 'name', text: t.fields.name });
  if ('email' in values && !String(values.email).trim()) problems.push({ field: 'email', text: t.fields.required });
  else if ('email' in values && !EMAIL.test(String(values.email).trim())) problems.push({ field: 'email', text: t.fields.email });
  return problems;
}

/** The fields a 400 validation names, each with its problem in language `t`. */
export function serverFields(t, error) {
  return ((error && error.details && error.details.errors) || []).map(function (f) {
    return { field: f.path[f.path.length - 1], text: fieldText(t, f.message) };
  });
}

/**
 * The public booking API at `base` (e.g. '/api/booking' or 'https://app.example/api/booking').
 * Each call resolves to the answer's JSON or rejects with its `error` (Strapi's envelope); a
 * failed connection (or an answer the browser refused: CORS) rejects with
 * `{ message: t.network, unreachable: true }`. With `lang` 'en' every call asks for the English
 * texts of shows and venues (`?lang=en`: the Italian where there is no English one).
 */
export function bookingApi(base, t, lang) {
  function call(method, path, body) {
    var url = base + path;
    if (lang === 'en') url += (path.indexOf('?') === -1 ? '?' : '&') + 'lang=en';
    return fetch(url, {
      method: method,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) throw json.error || { message: t.network };
        return json;
      });
    }, function () { throw { message: t.network, unreachable: true }; });
  }
  return {
    shows: function () { return call('GET', '/shows?pageSize=100'); },
    show: function (slug) { return call('GET', '/shows/' + encodeURIComponent(slug)); },
    performance: function (id) { return call('GET', '/performances/' + encodeURIComponent(id)); },
    reserve: function (data) { return call('POST', '/reservations', { data: data }); },
    joinWaitlist: function (data) { return call('POST', '/waitlist', { data: data }); },
    resend: function (email) { return call('POST', '/reservations/resend', { email: email }); },
    reduce: function (token, partySize) { return call('POST', '/reservations/reduce', { token: token, party_size: partySize }); },
    preview: function (token) { return call('POST', '/reservations/preview', { token: token }); },
    /** `partySize`: fewer seats than requested (when the whole party no longer fits). */
    confirm: function (token, partySize) {
      return call('POST', '/reservations/confirm', partySize ? { token: token, party_size: partySize } : { token: token });
    },
    confirmWaitlist: function (token) { return call('POST', '/waitlist/confirm', { token: token }); },
    cancel: function (token) { return call('POST', '/reservations/cancel', { token: token }); },
    leaveWaitlist: function (token) { return call('POST', '/waitlist/leave', { token: token }); }
  };
}

/** The access needs a booking may name (the API's `access_needs`), in the order the forms list them. */
export var ACCESS_NEEDS = ['wheelchair', 'hearing', 'sight', 'other'];

/** The needs ticked in a form's `access_needs` checkboxes. */
export function tickedNeeds(form) {
  return Array.prototype.filter.call(form.querySelectorAll('input[name="access_needs"]'), function (box) { return box.checked; })
    .map(function (box) { return box.value; });
}

/** An element with attributes (`text` sets its text) and children (nulls skipped). */
export function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === 'text') node.textContent = attrs[k];
    else node.setAttribute(k, attrs[k]);
  });
  (children || []).forEach(function (c) { if (c) node.appendChild(c); });
  return node;
}

/**
 * A show's poster (with its alternative text) and its description. The description is the API's
 * `description_html`: Markdown the server rendered and sanitised (no raw HTML, script, handler or
 * `javascript:` link passes there), so it goes in as it is. `base` is the URL the poster's path is
 * read against (the app's, also for the widget on another origin).
 */
export function showIntro(t, show, base) {
  var nodes = [];
  var poster = show.poster_image;
  if (poster && poster.url) {
    var img = el('img', { class: 'poster', src: new URL(poster.url, base).href, alt: poster.alternativeText || t.poster + ': ' + show.title });
    if (poster.width && poster.height) { img.setAttribute('width', String(poster.width)); img.setAttribute('height', String(poster.height)); }
    nodes.push(img);
  }
  if (show.description_html) {
    var description = el('div', { class: 'description' });
    description.innerHTML = show.description_html;
    nodes.push(description);
  }
  return nodes;
}

/** What a booking is for, in a card: show, date and place, seats, reference (any field may be missing). */
export function bookingSummary(t, lang, r) {
  var p = r.performance;
  return el('section', { class: 'card summary', 'aria-label': t.yourBooking }, [
    p && p.show ? el('h2', { text: p.show.title }) : null,
    p ? el('p', { text: formatWhen(lang, p.starts_at) + (p.venue ? ' · ' + p.venue.name + (p.venue.city ? ', ' + p.venue.city : '') : '') }) : null,
    el('p', { class: 'seats', text: t.seats(r.party_size) }),
    el('p', { class: 'muted', text: t.reference + ': ' + r.reference })
  ]);
}

/** The line under the seats select: whom to ask for a party larger than the forms offer. */
export function largerGroupsText(t, most, contact) {
  return contact ? fill(t.largerGroupsContact, { n: most, contact: contact }) : fill(t.largerGroups, { n: most });
}
