/*
 * AzioneLab's demo booking pages: the reference client of the public booking API that the
 * company's static site copies. Plain JavaScript, no build. Pages: list, show, book, confirm,
 * cancel (body[data-page]). Links from e-mails only open a page: nothing changes until the
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
      checkMail: 'Quasi fatto: ti abbiamo scritto. Apri il link nell’e-mail per confermare entro',
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
        too_late: 'Non è più possibile annullare: lo spettacolo è iniziato o l’ingresso è già stato registrato.',
        payload_too_large: 'Il testo inviato è troppo lungo.'
      },
      statuses: { pending: 'in attesa di conferma', confirmed: 'confermata', cancelled: 'annullata', expired: 'scaduta' }
    },
    en: {
      shows: 'On stage', noShows: 'No shows scheduled.', next: 'Next performance',
      none: 'No performances scheduled', performances: 'Performances', seatsLeft: 'seats left',
      soldOut: 'Sold out', closed: 'Booking closed', book: 'Book', back: '← All shows',
      bookTitle: 'Book seats', name: 'Full name', email: 'E-mail', phone: 'Phone (optional)',
      partySize: 'Seats', notes: 'Notes (optional)', send: 'Send the request',
      checkMail: 'Almost done: we have written to you. Open the link in the e-mail to confirm by',
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
        too_late: 'It can no longer be cancelled: the show has started or the party has already come in.',
        payload_too_large: 'The text you sent is too long.'
      },
      statuses: { pending: 'waiting for confirmation', confirmed: 'confirmed', cancelled: 'cancelled', expired: 'expired' }
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
    return text.replace('{n}', d.available_seats).replace('{status}', t.statuses[d.status] || d.status);
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
        var cards = res.data.map(function (s) {
          return el('article', { class: 'card' }, [
            el('h2', {}, [el('a', { href: withLang('/site/show/?slug=' + encodeURIComponent(s.slug)), text: s.title })]),
            s.summary ? el('p', { text: s.summary }) : null,
            el('p', { class: 'muted', text: s.next_performance_at ? t.next + ': ' + when(s.next_performance_at) : t.none })
          ]);
        });
        show([el('h1', { text: t.shows })].concat(cards.length ? cards : [el('p', { text: t.noShows })]));
      }, function (e) { show([message('error', explain(e))]); });
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
            p.bookable ? el('div', {}, [el('a', { class: 'button', href: withLang('/site/book/?performance=' + p.documentId), text: t.book })]) : null
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
        var size = el('select', {});
        for (var n = 1; n <= Math.min(10, Math.max(1, p.available_seats)); n++) size.appendChild(el('option', { value: String(n), text: String(n) }));
        var form = el('form', { novalidate: '' }, [
          field('name', t.name, el('input', { autocomplete: 'name', required: '', maxlength: '120' })),
          field('email', t.email, el('input', { type: 'email', autocomplete: 'email', required: '', maxlength: '254' })),
          field('phone', t.phone, el('input', { type: 'tel', autocomplete: 'tel', maxlength: '40' })),
          field('party_size', t.partySize, size),
          field('notes', t.notes, el('textarea', { rows: '3', maxlength: '1000' })),
          el('button', { type: 'submit', text: t.send })
        ]);
        var status = el('div', {});
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          var button = form.querySelector('button');
          button.disabled = true;
          form.querySelectorAll('.field-error').forEach(function (e) { e.textContent = ''; });
          var data = { performance: p.documentId, name: form.name.value, email: form.email.value.trim(),
            party_size: Number(form.party_size.value), locale: lang };
          if (form.phone.value.trim()) data.phone = form.phone.value.trim();
          if (form.notes.value.trim()) data.notes = form.notes.value.trim();
          call('POST', '/reservations', { data: data }).then(function (res) {
            show([el('h1', { text: t.bookTitle }), message('ok', t.checkMail + ' ' + when(res.data.confirm_by) + '.'),
              el('p', { text: t.reference + ': ' + res.data.reference })]);
          }, function (e) {
            button.disabled = false;
            ((e.details && e.details.errors) || []).forEach(function (f) {
              var box = document.getElementById(f.path[f.path.length - 1] + '-error');
              if (box) box.textContent = f.message;
            });
            status.replaceChildren(message('error', explain(e)));
          });
        });
        show([el('h1', { text: t.bookTitle + ': ' + p.show.title }),
          el('p', { class: 'muted', text: when(p.starts_at) + (p.venue ? ' · ' + p.venue.name + ', ' + p.venue.city : '') }),
          el('p', { class: 'seats', text: p.available_seats + ' ' + t.seatsLeft }), status, form]);
      }, function (e) { show([message('error', explain(e))]); });
    },

    confirm: function () { tokenPage('/reservations/confirm', t.confirmTitle, t.confirmText, t.confirmButton, t.confirmed); },
    cancel: function () { tokenPage('/reservations/cancel', t.cancelTitle, t.cancelText, t.cancelButton, t.cancelled); }
  };

  /** A page behind an e-mail link: it POSTs the token only when the visitor presses the button. */
  function tokenPage(path, title, text, label, done) {
    var token = params.get('token');
    if (!token) return show([el('h1', { text: title }), message('error', t.missingToken)]);
    var status = el('div', {});
    var button = el('button', { type: 'button', text: label });
    button.addEventListener('click', function () {
      button.disabled = true;
      call('POST', path, { token: token }).then(function (res) {
        var r = res.data;
        button.remove();
        status.replaceChildren(message('ok', done), el('p', {
          text: t.reference + ': ' + r.reference + ' · ' + t.seats(r.party_size) + ' · ' + r.performance.show.title + ', ' + when(r.performance.starts_at)
        }));
      }, function (e) {
        button.disabled = e.details && e.details.code === 'sold_out' ? false : true;
        status.replaceChildren(message(e.details && e.details.code === 'sold_out' ? 'warn' : 'error', explain(e)));
      });
    });
    show([el('h1', { text: title }), el('p', { text: text }), button, status]);
  }

  (pages[document.body.getAttribute('data-page')] || pages.list)();
})();
