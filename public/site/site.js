/*
 * AzioneLab's demo booking pages: the reference client of the public booking API that the
 * company's static site copies. Plain JavaScript, no build. Pages: list (with the lost-ticket
 * form), show, book (or join the waiting list when sold out), confirm, cancel (or come with fewer
 * people), leave the waiting list (body[data-page]). Links from e-mails only open a page: nothing changes until the
 * visitor presses a button (mail scanners pre-fetch links).
 */
(function () {
  'use strict';

  var API = document.currentScript.getAttribute('data-api') || '/api/booking';
  var params = new URLSearchParams(location.search);

  var T = {
    it: {
      shows: 'In scena', noShows: 'Nessuno spettacolo in programma.', next: 'Prossima replica',
      none: 'Nessuna replica in programma', performances: 'Repliche', seatsLeft: 'posti liberi',
      soldOut: 'Esaurito', closed: 'Prenotazioni chiuse', book: 'Prenota', back: '← Tutti gli spettacoli',
      bookTitle: 'Prenota i posti', name: 'Nome e cognome', email: 'E-mail', phone: 'Telefono (facoltativo)',
      partySize: 'Posti', notes: 'Note (facoltative)', send: 'Invia la richiesta',
      checkMail: 'Quasi fatto: ti abbiamo scritto a {email}. Apri il link nell’e-mail per confermare entro',
      waitlist: 'Lista d’attesa', waitlistTitle: 'Mettiti in lista d’attesa',
      waitlistText: 'Questa replica è esaurita. Se si liberano posti per il tuo gruppo te li teniamo da parte e ti scriviamo.',
      waitlistSend: 'Mettimi in lista', waitlistDone: 'Sei in lista d’attesa. Ti abbiamo scritto a {email}: nell’e-mail c’è anche il link per uscire dalla lista.',
      seatsAvailable: 'Ci sono posti liberi per il tuo gruppo ({n}): prenota direttamente.',
      lostTitle: 'Hai perso il biglietto?', lostText: 'Scrivi l’indirizzo con cui hai prenotato: ti rispediamo i biglietti degli spettacoli in programma.',
      lostSend: 'Rispediscimi i biglietti', lostDone: 'Se a {email} corrispondono prenotazioni confermate, i biglietti stanno arrivando.',
      leaveTitle: 'Esci dalla lista d’attesa', leaveText: 'Vuoi uscire dalla lista d’attesa? Non riceverai offerte di posti.',
      leaveButton: 'Esci dalla lista', left: 'Sei uscito dalla lista d’attesa.',
      reduceTitle: 'Oppure venite in meno', reduceLabel: 'Posti che ti servono ancora', reduceButton: 'Riduci i posti',
      reduced: 'Fatto: ora la prenotazione è per {n}. Il biglietto resta lo stesso.',
      fields: {
        required: 'è obbligatorio', email: 'dev’essere un indirizzo e-mail', tooLong: 'è troppo lungo',
        name: 'dev’essere un nome, su una riga, senza “@”', phone: 'dev’essere un numero di telefono',
        number: 'dev’essere un numero intero', min: 'dev’essere almeno 1', max: 'supera i posti prenotabili',
        smaller: 'dev’essere minore dei posti prenotati', text: 'dev’essere testo semplice', invalid: 'non è valido'
      },
      reference: 'Codice prenotazione',
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
        waiting: 'in attesa', offered: 'con posti offerti', booked: 'prenotata', left: 'uscita dalla lista' }
    },
    en: {
      shows: 'On stage', noShows: 'No shows scheduled.', next: 'Next performance',
      none: 'No performances scheduled', performances: 'Performances', seatsLeft: 'seats left',
      soldOut: 'Sold out', closed: 'Booking closed', book: 'Book', back: '← All shows',
      bookTitle: 'Book seats', name: 'Full name', email: 'E-mail', phone: 'Phone (optional)',
      partySize: 'Seats', notes: 'Notes (optional)', send: 'Send the request',
      checkMail: 'Almost done: we have written to {email}. Open the link in the e-mail to confirm by',
      waitlist: 'Waiting list', waitlistTitle: 'Join the waiting list',
      waitlistText: 'This performance is sold out. If seats for your party free up, we keep them for you and write to you.',
      waitlistSend: 'Put me on the list', waitlistDone: 'You are on the waiting list. We have written to {email}: the e-mail also has the link to leave the list.',
      seatsAvailable: 'There are seats for your party ({n}): book them directly.',
      lostTitle: 'Lost your ticket?', lostText: 'Enter the address you booked with: we send the tickets of upcoming shows again.',
      lostSend: 'Send my tickets again', lostDone: 'If {email} has confirmed bookings, the tickets are on their way.',
      leaveTitle: 'Leave the waiting list', leaveText: 'Do you want to leave the waiting list? You will get no offer of seats.',
      leaveButton: 'Leave the list', left: 'You have left the waiting list.',
      reduceTitle: 'Or come with fewer people', reduceLabel: 'Seats you still need', reduceButton: 'Reduce the seats',
      reduced: 'Done: the booking is now for {n}. The ticket stays the same.',
      fields: {
        required: 'is required', email: 'must be an e-mail address', tooLong: 'is too long',
        name: 'must be a name, on one line, without “@”', phone: 'must be a phone number',
        number: 'must be a whole number', min: 'must be at least 1', max: 'is more than can be booked',
        smaller: 'must be smaller than the seats booked', text: 'must be plain text', invalid: 'is not valid'
      },
      reference: 'Booking reference',
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
        waiting: 'waiting', offered: 'offered seats', booked: 'booked', left: 'off the list' }
    }
  };

  var lang = params.get('lang') || localStorage.getItem('booking-lang') ||
    ((navigator.language || 'it').slice(0, 2) === 'en' ? 'en' : 'it');
  // Own keys only: ?lang=constructor or __proto__ would find Object's, not a language.
  if (!Object.prototype.hasOwnProperty.call(T, lang)) lang = 'it';
  localStorage.setItem('booking-lang', lang);
  document.documentElement.lang = lang;
  var t = T[lang];
  var app = document.getElementById('app');

  var other = lang === 'it' ? 'en' : 'it';
  var switcher = document.createElement('a');
  var switched = new URLSearchParams(location.search);
  switched.set('lang', other);
  switcher.href = '?' + switched.toString();
  switcher.textContent = other === 'it' ? 'Italiano' : 'English';
  switcher.lang = other;
  document.getElementById('lang').appendChild(switcher);

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function when(iso) {
    return new Intl.DateTimeFormat(lang === 'it' ? 'it-IT' : 'en-GB', {
      timeZone: 'Europe/Rome', weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit'
    }).format(new Date(iso));
  }
  function withLang(path) { return path + (path.indexOf('?') < 0 ? '?' : '&') + 'lang=' + lang; }
  function explain(error) {
    var d = (error && error.details) || {};
    var text = t.codes[d.code] || (error && error.message) || t.network;
    return fill(text, { n: d.available_seats, status: t.statuses[d.status] || d.status });
  }
  /** The server's field message (English, stable) in the page's language. */
  function fieldText(serverMessage) {
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
  var EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
  /** Shows each field's problem under it; true when there was none. */
  function markFields(form, problems) {
    form.querySelectorAll('.field-error').forEach(function (e) { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
    problems.forEach(function (p) {
      var box = form.querySelector('#' + p.field + '-error');
      if (box) box.textContent = p.text;
      var input = form.querySelector('#' + p.field);
      if (input) input.setAttribute('aria-invalid', 'true');
    });
    return problems.length === 0;
  }
  /** The checks the browser can make before sending, in the page's language. */
  function checkFields(form) {
    var problems = [];
    if (form.name && !form.name.value.trim()) problems.push({ field: 'name', text: t.fields.required });
    else if (form.name && /@/.test(form.name.value)) problems.push({ field: 'name', text: t.fields.name });
    if (form.email && !form.email.value.trim()) problems.push({ field: 'email', text: t.fields.required });
    else if (form.email && !EMAIL.test(form.email.value.trim())) problems.push({ field: 'email', text: t.fields.email });
    return problems;
  }
  function serverFields(e) {
    return ((e.details && e.details.errors) || []).map(function (f) {
      return { field: f.path[f.path.length - 1], text: fieldText(f.message) };
    });
  }
  function fill(text, values) {
    return Object.keys(values).reduce(function (s, k) { return s.split('{' + k + '}').join(String(values[k])); }, text);
  }

  function message(kind, text) { return el('p', { class: 'message ' + kind, role: kind === 'error' ? 'alert' : 'status', text: text }); }
  function show(nodes) { app.replaceChildren.apply(app, nodes); }

  function call(method, path, body) {
    return fetch(API + path, {
      method: method,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) throw json.error || { message: t.network };
        return json;
      });
    }, function () { throw { message: t.network }; });
  }

  var pages = {
    list: function () {
      call('GET', '/shows?pageSize=100').then(function (res) {
        // Soonest first; shows with nothing scheduled last.
        var sorted = res.data.slice().sort(function (a, b) {
          if (!a.next_performance_at || !b.next_performance_at) return a.next_performance_at ? -1 : b.next_performance_at ? 1 : 0;
          return a.next_performance_at < b.next_performance_at ? -1 : a.next_performance_at > b.next_performance_at ? 1 : 0;
        });
        var cards = sorted.map(function (s) {
          return el('article', { class: 'card' }, [
            el('h2', {}, [el('a', { href: withLang('/site/show/?slug=' + encodeURIComponent(s.slug)), text: s.title })]),
            s.summary ? el('p', { text: s.summary }) : null,
            el('p', { class: 'muted', text: s.next_performance_at ? t.next + ': ' + when(s.next_performance_at) : t.none })
          ]);
        });
        show([el('h1', { text: t.shows })].concat(cards.length ? cards : [el('p', { text: t.noShows })], [lostTicketForm()]));
      }, function (e) { show([message('error', explain(e)), lostTicketForm()]); });
    },

    show: function () {
      call('GET', '/shows/' + encodeURIComponent(params.get('slug') || '')).then(function (res) {
        var s = res.data;
        var rows = s.performances.map(function (p) {
          var state = p.bookable ? el('span', { class: 'seats', text: p.available_seats + ' ' + t.seatsLeft })
            : el('span', { class: 'seats', text: p.is_booking_enabled ? t.soldOut : t.closed });
          return el('article', { class: 'card' }, [
            el('h2', { text: when(p.starts_at) }),
            el('p', { class: 'muted', text: p.venue ? p.venue.name + ', ' + p.venue.address + ', ' + p.venue.city : '' }),
            state,
            p.bookable ? el('div', {}, [el('a', { class: 'button', href: withLang('/site/book/?performance=' + p.documentId), text: t.book })]) : null,
            p.waitlist_open ? el('div', {}, [el('a', { class: 'button secondary', href: withLang('/site/book/?performance=' + p.documentId), text: t.waitlist })]) : null
          ]);
        });
        show([el('p', {}, [el('a', { href: withLang('/site/'), text: t.back })]), el('h1', { text: s.title }),
          s.description ? el('p', { text: s.description }) : null, el('h2', { text: t.performances })]
          .concat(rows.length ? rows : [el('p', { text: t.none })]));
      }, function (e) { show([message('error', explain(e))]); });
    },

    book: function () {
      var id = params.get('performance') || '';
      call('GET', '/performances/' + encodeURIComponent(id)).then(function (res) {
        var p = res.data;
        var field = function (name, label, input) {
          input.id = name; input.name = name;
          return el('div', {}, [el('label', { for: name, text: label }), input, el('div', { class: 'field-error', id: name + '-error' })]);
        };
        // Sold out: the same form joins the waiting list (any party up to the usual maximum).
        var waiting = Boolean(p.waitlist_open);
        var size = el('select', {});
        var most = waiting ? 10 : Math.min(10, Math.max(1, p.available_seats));
        for (var n = 1; n <= most; n++) size.appendChild(el('option', { value: String(n), text: String(n) }));
        var form = el('form', { novalidate: '' }, [
          field('name', t.name, el('input', { autocomplete: 'name', required: '', maxlength: '120' })),
          field('email', t.email, el('input', { type: 'email', autocomplete: 'email', required: '', maxlength: '254' })),
          field('phone', t.phone, el('input', { type: 'tel', autocomplete: 'tel', maxlength: '40' })),
          field('party_size', t.partySize, size),
          field('notes', t.notes, el('textarea', { rows: '3', maxlength: '1000' })),
          el('button', { type: 'submit', text: waiting ? t.waitlistSend : t.send })
        ]);
        var status = el('div', {});
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          var button = form.querySelector('button');
          status.replaceChildren();
          if (!markFields(form, checkFields(form))) {
            status.replaceChildren(message('error', t.codes.validation));
            return;
          }
          button.disabled = true;
          var data = { performance: p.documentId, name: form.name.value, email: form.email.value.trim(),
            party_size: Number(form.party_size.value), locale: lang };
          if (form.phone.value.trim()) data.phone = form.phone.value.trim();
          if (form.notes.value.trim()) data.notes = form.notes.value.trim();
          call('POST', waiting ? '/waitlist' : '/reservations', { data: data }).then(function (res) {
            var sent = waiting ? fill(t.waitlistDone, { email: data.email })
              : fill(t.checkMail, { email: data.email }) + ' ' + when(res.data.confirm_by) + '.';
            show([el('h1', { text: waiting ? t.waitlistTitle : t.bookTitle }), message('ok', sent),
              el('p', { text: t.reference + ': ' + res.data.reference })]);
          }, function (e) {
            button.disabled = false;
            markFields(form, serverFields(e));
            var text = explain(e);
            if (e.details && e.details.code === 'seats_available') {
              status.replaceChildren(message('warn', text), el('p', {}, [el('a', { class: 'button', href: withLang('/site/book/?performance=' + p.documentId), text: t.book })]));
            } else {
              status.replaceChildren(message('error', text));
            }
          });
        });
        show([el('h1', { text: (waiting ? t.waitlistTitle : t.bookTitle) + ': ' + p.show.title }),
          el('p', { class: 'muted', text: when(p.starts_at) + (p.venue ? ' · ' + p.venue.name + ', ' + p.venue.city : '') }),
          waiting ? el('p', { text: t.waitlistText }) : el('p', { class: 'seats', text: p.available_seats + ' ' + t.seatsLeft }), status, form]);
      }, function (e) { show([message('error', explain(e))]); });
    },

    confirm: function () { tokenPage('/reservations/confirm', t.confirmTitle, t.confirmText, t.confirmButton, t.confirmed); },
    cancel: function () {
      tokenPage('/reservations/cancel', t.cancelTitle, t.cancelText, t.cancelButton, t.cancelled);
      if (params.get('token')) app.appendChild(reduceForm(params.get('token')));
    },
    leave: function () { tokenPage('/waitlist/leave', t.leaveTitle, t.leaveText, t.leaveButton, t.left); }
  };

  /** "Lost your ticket?": always the same answer, whether the address booked or not. */
  function lostTicketForm() {
    var input = el('input', { type: 'email', autocomplete: 'email', required: '', maxlength: '254', id: 'email', name: 'email' });
    var status = el('div', {});
    var form = el('form', { novalidate: '', class: 'card', 'aria-labelledby': 'lost-title' }, [
      el('h2', { id: 'lost-title', text: t.lostTitle }), el('p', { class: 'muted', text: t.lostText }),
      el('div', {}, [el('label', { for: 'email', text: t.email }), input, el('div', { class: 'field-error', id: 'email-error' })]),
      el('button', { type: 'submit', text: t.lostSend }), status
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      status.replaceChildren();
      if (!markFields(form, checkFields(form))) return;
      var email = input.value.trim();
      var button = form.querySelector('button');
      button.disabled = true;
      call('POST', '/reservations/resend', { email: email }).then(function () {
        button.disabled = false;
        status.replaceChildren(message('ok', fill(t.lostDone, { email: email })));
      }, function (e) {
        button.disabled = false;
        markFields(form, serverFields(e));
        status.replaceChildren(message('error', explain(e)));
      });
    });
    return form;
  }

  /** On the cancellation page: keep the booking for fewer people (the seats go to others). */
  function reduceForm(token) {
    var size = el('input', { type: 'number', min: '1', step: '1', inputmode: 'numeric', id: 'party_size', name: 'party_size' });
    var status = el('div', {});
    var form = el('form', { novalidate: '', class: 'card', 'aria-labelledby': 'reduce-title' }, [
      el('h2', { id: 'reduce-title', text: t.reduceTitle }),
      el('div', {}, [el('label', { for: 'party_size', text: t.reduceLabel }), size, el('div', { class: 'field-error', id: 'party_size-error' })]),
      el('button', { type: 'submit', text: t.reduceButton }), status
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var n = Number(size.value);
      if (!Number.isInteger(n) || n < 1) return markFields(form, [{ field: 'party_size', text: size.value ? t.fields.min : t.fields.required }]);
      markFields(form, []);
      call('POST', '/reservations/reduce', { token: token, party_size: n }).then(function (res) {
        form.replaceChildren(el('h2', { text: t.reduceTitle }), message('ok', fill(t.reduced, { n: t.seats(res.data.party_size) })));
      }, function (e) {
        markFields(form, serverFields(e));
        status.replaceChildren(message('error', explain(e)));
      });
    });
    return form;
  }

  /** A page behind an e-mail link: it POSTs the token only when the visitor presses the button. */
  function tokenPage(path, title, text, label, done) {
    var token = params.get('token');
    if (!token) return show([el('h1', { text: title }), message('error', t.missingToken)]);
    var status = el('div', {});
    var question = el('p', { text: text });
    var button = el('button', { type: 'button', text: label });
    button.addEventListener('click', function () {
      button.disabled = true;
      call('POST', path, { token: token }).then(function (res) {
        var r = res.data;
        // Done: the question is answered, so it goes with its button (and any form beside it).
        button.remove();
        question.remove();
        Array.prototype.forEach.call(app.querySelectorAll('form'), function (f) { f.remove(); });
        var details = r.performance && r.performance.show
          ? t.reference + ': ' + r.reference + ' · ' + t.seats(r.party_size) + ' · ' + r.performance.show.title + ', ' + when(r.performance.starts_at)
          : t.reference + ': ' + r.reference;
        status.replaceChildren(message('ok', done), el('p', { text: details }));
      }, function (e) {
        button.disabled = e.details && e.details.code === 'sold_out' ? false : true;
        status.replaceChildren(message(e.details && e.details.code === 'sold_out' ? 'warn' : 'error', explain(e)));
      });
    });
    show([el('h1', { text: title }), question, button, status]);
  }

  (pages[document.body.getAttribute('data-page')] || pages.list)();
})();
