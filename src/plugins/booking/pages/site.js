/*
 * The plugin's booking pages (served at its pagesPath, /site by default): the reference client of the public booking API that the
 * company's static site copies. Plain JavaScript as an ES module, no build; the words and the API
 * calls are booking-core.js's, shared with the widget. Pages: list (with the lost-ticket
 * form), show, book (or join the waiting list when sold out or for a party larger than the seats
 * left), confirm (or confirm fewer seats, or the waiting list, when the party no longer fits),
 * cancel (or come with fewer people), confirm a waiting-list join, leave the waiting list
 * (body[data-page]). Links from e-mails only open a page: nothing changes until the
 * visitor presses a button (mail scanners pre-fetch links).
 */
import * as core from './booking-core.js';

var script = document.querySelector('script[data-api]');
// Where the plugin serves these pages (its pagesPath setting, /site by default).
var base = (script && script.getAttribute('data-base')) || '/site';
var params = new URLSearchParams(location.search);
var lang = core.chooseLanguage(location.search, localStorage.getItem('booking-lang'), navigator.language);
localStorage.setItem('booking-lang', lang);
document.documentElement.lang = lang;
var t = core.TEXTS[lang];
var api = core.bookingApi((script && script.getAttribute('data-api')) || '/api/booking', t, lang);
var app = document.getElementById('app');
/** Whom the seats select names for larger groups (the site's box office), from data-group-contact. */
var groupContact = (script && script.getAttribute('data-group-contact')) || '';

var other = lang === 'it' ? 'en' : 'it';
var switcher = document.createElement('a');
var switched = new URLSearchParams(location.search);
switched.set('lang', other);
switcher.href = '?' + switched.toString();
switcher.textContent = other === 'it' ? 'Italiano' : 'English';
switcher.lang = other;
document.getElementById('lang').appendChild(switcher);

var el = core.el;
function when(iso) { return core.formatWhen(lang, iso); }
function withLang(path) { return path + (path.indexOf('?') < 0 ? '?' : '&') + 'lang=' + lang; }
function explain(error) { return core.explain(t, error); }
var fill = core.fill;
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
  var values = {};
  if (form.name) values.name = form.name.value;
  if (form.email) values.email = form.email.value;
  return core.checkFields(t, values);
}
function serverFields(e) { return core.serverFields(t, e); }

function message(kind, text) { return el('p', { class: 'message ' + kind, role: kind === 'error' ? 'alert' : 'status', text: text }); }
function show(nodes) { app.replaceChildren.apply(app, nodes); }

var pages = {
  list: function () {
    api.shows().then(function (res) {
      // Soonest first; shows with nothing scheduled last.
      var sorted = res.data.slice().sort(function (a, b) {
        if (!a.next_performance_at || !b.next_performance_at) return a.next_performance_at ? -1 : b.next_performance_at ? 1 : 0;
        return a.next_performance_at < b.next_performance_at ? -1 : a.next_performance_at > b.next_performance_at ? 1 : 0;
      });
      var cards = sorted.map(function (s) {
        return el('article', { class: 'card' }, [
          el('h2', {}, [el('a', { href: withLang(base + '/show/?slug=' + encodeURIComponent(s.slug)), text: s.title })]),
          s.summary ? el('p', { text: s.summary }) : null,
          el('p', { class: 'muted', text: s.next_performance_at ? t.next + ': ' + when(s.next_performance_at) : t.none })
        ]);
      });
      show([el('h1', { text: t.shows })].concat(cards.length ? cards : [el('p', { text: t.noShows })], [lostTicketForm()]));
    }, function (e) { show([message('error', explain(e)), lostTicketForm()]); });
  },

  show: function () {
    api.show(params.get('slug') || '').then(function (res) {
      var s = res.data;
      var rows = s.performances.map(function (p) {
        // A cancelled performance stays listed until its date, struck through: not sold out, cancelled.
        var cancelled = p.status === 'cancelled';
        var state = cancelled ? el('span', { class: 'seats cancelled-note', text: t.performanceCancelled })
          : p.bookable ? el('span', { class: 'seats', text: p.available_seats + ' ' + t.seatsLeft })
          : el('span', { class: 'seats', text: p.is_booking_enabled ? t.soldOut : t.closed });
        return el('article', { class: cancelled ? 'card cancelled' : 'card', 'data-status': p.status || 'scheduled' }, [
          el('h2', {}, [el(cancelled ? 's' : 'span', { text: when(p.starts_at) })]),
          el('p', { class: 'muted', text: p.venue ? p.venue.name + ', ' + p.venue.address + ', ' + p.venue.city : '' }),
          state,
          p.bookable ? el('div', {}, [el('a', { class: 'button', href: withLang(base + '/book/?performance=' + p.documentId), text: t.book })]) : null,
          p.waitlist_open ? el('div', {}, [el('a', { class: 'button secondary', href: withLang(base + '/book/?performance=' + p.documentId), text: t.waitlist })]) : null
        ]);
      });
      show([el('p', {}, [el('a', { href: withLang(base + '/'), text: t.back })]), el('h1', { text: s.title })]
        .concat(core.showIntro(t, s, location.href), [el('h2', { text: t.performances })], rows.length ? rows : [el('p', { text: t.none })]));
    }, function (e) { show([message('error', explain(e))]); });
  },

  book: function () {
    var id = params.get('performance') || '';
    api.performance(id).then(function (res) {
      var p = res.data;
      if (p.status === 'cancelled') {
        show([el('h1', {}, [el('s', { text: p.show.title + ' · ' + when(p.starts_at) })]), message('warn', t.cancelledText)]);
        return;
      }
      var field = function (name, label, input) {
        input.id = name; input.name = name;
        return el('div', {}, [el('label', { for: name, text: label }), input, el('div', { class: 'field-error', id: name + '-error' })]);
      };
      // Sold out, or a party larger than the seats left: the same form joins the waiting list
      // (any party up to the usual maximum).
      var soldOut = Boolean(p.waitlist_open);
      var size = el('select', { 'aria-describedby': 'party_size-hint party_size-error' });
      for (var n = 1; n <= core.MAX_PARTY; n++) size.appendChild(el('option', { value: String(n), text: String(n) }));
      var joins = function () { return soldOut || (p.bookable && Number(size.value) > p.available_seats); };
      var larger = !soldOut && p.bookable && p.available_seats < core.MAX_PARTY
        ? el('p', { class: 'muted', id: 'party_size-larger', text: fill(t.largerParty, { n: t.seats(p.available_seats) }) }) : null;
      if (larger) size.setAttribute('aria-describedby', 'party_size-larger party_size-hint party_size-error');
      var form = el('form', { novalidate: '' }, [
        field('name', t.name, el('input', { autocomplete: 'name', required: '', maxlength: '120' })),
        field('email', t.email, el('input', { type: 'email', autocomplete: 'email', required: '', maxlength: '254' })),
        field('phone', t.phone, el('input', { type: 'tel', autocomplete: 'tel', maxlength: '40' })),
        field('party_size', t.partySize, size),
        larger,
        el('p', { class: 'muted hint', id: 'party_size-hint', text: core.largerGroupsText(t, core.MAX_PARTY, groupContact) }),
        el('fieldset', { class: 'needs' }, [el('legend', { text: t.accessNeeds })].concat(core.ACCESS_NEEDS.map(function (need) {
          var box = el('input', { type: 'checkbox', name: 'access_needs', value: need, id: 'need-' + need });
          return el('div', {}, [box, el('label', { for: box.id, text: t.needs[need] })]);
        }))),
        field('notes', t.notes, el('textarea', { rows: '3', maxlength: '1000' })),
        el('button', { type: 'submit', text: soldOut ? t.waitlistSend : t.send })
      ]);
      size.addEventListener('change', function () { form.querySelector('button').textContent = joins() ? t.waitlistSend : t.send; });
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
        var waiting = joins();
        var data = { performance: p.documentId, name: form.name.value, email: form.email.value.trim(),
          party_size: Number(form.party_size.value), locale: lang };
        if (form.phone.value.trim()) data.phone = form.phone.value.trim();
        if (form.notes.value.trim()) data.notes = form.notes.value.trim();
        var needs = core.tickedNeeds(form);
        if (needs.length) data.access_needs = needs;
        (waiting ? api.joinWaitlist(data) : api.reserve(data)).then(function (res) {
          var sent = waiting ? fill(t.waitlistDone, { email: data.email, when: when(res.data.confirm_by) })
            : fill(t.checkMail, { email: data.email }) + ' ' + when(res.data.confirm_by) + '.';
          // The "sent" page recalls what was asked for, and leads back to the show.
          show([el('h1', { text: waiting ? t.waitlistTitle : t.bookTitle }), message('ok', sent),
            core.bookingSummary(t, lang, { reference: res.data.reference, party_size: res.data.party_size, performance: res.data.performance || p }),
            el('p', {}, [el('a', { href: withLang(base + '/show/?slug=' + encodeURIComponent(p.show.slug)), text: t.backToShow })])]);
          app.querySelector('h1').scrollIntoView();
        }, function (e) {
          button.disabled = false;
          markFields(form, serverFields(e));
          var text = explain(e);
          if (e.details && e.details.code === 'seats_available') {
            status.replaceChildren(message('warn', text), el('p', {}, [el('a', { class: 'button', href: withLang(base + '/book/?performance=' + p.documentId), text: t.book })]));
          } else {
            status.replaceChildren(message('error', text));
          }
        });
      });
      show([el('h1', { text: (soldOut ? t.waitlistTitle : t.bookTitle) + ': ' + p.show.title }),
        el('p', { class: 'muted', text: when(p.starts_at) + (p.venue ? ' · ' + p.venue.name + ', ' + p.venue.city : '') }),
        soldOut ? el('p', { text: t.waitlistText }) : el('p', { class: 'seats', text: p.available_seats + ' ' + t.seatsLeft }), status, form]);
    }, function (e) { show([message('error', explain(e))]); });
  },

  confirm: function () {
    previewFirst('pending', api.confirm, t.confirmTitle, t.confirmText, t.confirmButton, t.confirmed, null, fewerSeats);
  },
  cancel: function () {
    previewFirst('confirmed', api.cancel, t.cancelTitle, t.cancelText, t.cancelButton, t.cancelled, function (r, summary) {
      return r.party_size > 1 ? reduceForm(params.get('token'), r.party_size, summary) : null;
    });
  },
  leave: function () { tokenPage(api.leaveWaitlist, t.leaveTitle, t.leaveText, t.leaveButton, t.left); },
  'waitlist-confirm': function () {
    tokenPage(api.confirmWaitlist, t.waitlistConfirmTitle, t.waitlistConfirmText, t.waitlistConfirmButton, function (r) {
      return (r.status === 'offered' ? t.waitlistOffered : t.waitlistConfirmed) + ' ' + t.position(r.position);
    });
  }
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
    api.resend(email).then(function () {
      button.disabled = false;
      // On a phone the form is below the fold: the answer comes into view, and the focus with it.
      var done = message('ok', fill(t.lostDone, { email: email }));
      done.setAttribute('tabindex', '-1');
      status.replaceChildren(done);
      done.scrollIntoView({ block: 'center' });
      done.focus();
    }, function (e) {
      button.disabled = false;
      markFields(form, serverFields(e));
      status.replaceChildren(message('error', explain(e)));
    });
  });
  return form;
}

/**
 * On the cancellation page: keep the booking for fewer people (the seats go to others). Once done,
 * the cancel question above it is answered too: it goes, and the summary shows the new seats.
 */
function reduceForm(token, partySize, summary) {
  var size = el('input', { type: 'number', min: '1', max: String(partySize - 1), step: '1', inputmode: 'numeric', id: 'party_size', name: 'party_size' });
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
    api.reduce(token, n).then(function (res) {
      Array.prototype.forEach.call(app.querySelectorAll('[data-question]'), function (node) { node.remove(); });
      var seats = summary && summary.querySelector('.seats');
      if (seats) seats.textContent = t.seats(res.data.party_size);
      var done = message('ok', fill(t.reduced, { n: t.seats(res.data.party_size) }));
      form.replaceWith(done);
      app.querySelector('h1').textContent = t.reducedTitle;
      done.setAttribute('tabindex', '-1');
      done.focus();
    }, function (e) {
      markFields(form, serverFields(e));
      status.replaceChildren(message('error', explain(e)));
    });
  });
  return form;
}

/**
 * The confirm page's way on when the whole party no longer fits (409 sold_out): confirm the seats
 * still free instead, or the waiting list of that performance for the whole party.
 */
function fewerSeats(error, token, succeed) {
  var d = error.details || {};
  var nodes = [el('p', { text: t.fewerText })];
  if (d.available_seats >= 1) {
    var fewer = el('button', { type: 'button', text: fill(t.fewerButton, { n: d.available_seats }) });
    fewer.addEventListener('click', function () {
      fewer.disabled = true;
      api.confirm(token, d.available_seats).then(succeed, function (e) {
        fewer.disabled = false;
        fewer.parentNode.parentNode.replaceChildren(message('error', explain(e)));
      });
    });
    nodes.push(el('p', {}, [fewer]));
  }
  if (d.performance) {
    nodes.push(el('p', {}, [el('a', { class: 'button secondary', href: withLang(base + '/book/?performance=' + encodeURIComponent(d.performance)), text: t.waitlistInstead })]));
  }
  return el('div', { class: 'fewer' }, nodes);
}

/**
 * A confirm or cancel page: first what the link acts on (POST /reservations/preview, which changes
 * nothing), then the question, unless the link can no longer act (`usable` is the status it acts
 * on); `extra` may add a form under it (the smaller party); `onSoldOut`, what a 409 sold_out
 * offers instead (fewer seats, the waiting list).
 */
function previewFirst(usable, send, title, text, label, done, extra, onSoldOut) {
  var token = params.get('token');
  if (!token) return show([el('h1', { text: title }), message('error', t.missingToken)]);
  show([el('h1', { text: title }), el('p', { class: 'muted', text: t.checking })]);
  api.preview(token).then(function (res) {
    var r = res.data;
    var summary = core.bookingSummary(t, lang, r);
    if (r.status !== usable) {
      var said = usable === 'pending' && r.status === 'confirmed' ? t.alreadyConfirmed : fill(t.notCancellable, { status: t.statuses[r.status] || r.status });
      return show([el('h1', { text: title }), summary, message(r.status === 'confirmed' ? 'ok' : 'warn', said)]);
    }
    tokenPage(send, title, text, label, done, onSoldOut, [summary]);
    var more = extra && extra(r, summary);
    if (more) app.appendChild(more);
  }, function (e) { show([el('h1', { text: title }), message('error', explain(e))]); });
}

/**
 * A page behind an e-mail link: it POSTs the token only when the visitor presses the button.
 * `done` is the success text (or makes it from the answer); `onSoldOut`, what a 409 sold_out
 * offers instead; `before`, what stands above the question (the booking it acts on).
 */
function tokenPage(send, title, text, label, done, onSoldOut, before) {
  var token = params.get('token');
  if (!token) return show([el('h1', { text: title }), message('error', t.missingToken)]);
  var status = el('div', {});
  var question = el('p', { text: text, 'data-question': '' });
  var button = el('button', { type: 'button', text: label, 'data-question': '' });
  button.addEventListener('click', function () {
    button.disabled = true;
    send(token).then(succeed, function (e) {
      var soldOut = e.details && e.details.code === 'sold_out';
      button.disabled = !soldOut;
      status.replaceChildren(message(soldOut ? 'warn' : 'error', explain(e)));
      if (soldOut && onSoldOut) status.appendChild(onSoldOut(e, token, succeed));
    });
  });
  function succeed(res) {
    var r = res.data;
    // Done: the question is answered, so it goes with its button (and any form beside it).
    button.remove();
    question.remove();
    Array.prototype.forEach.call(app.querySelectorAll('form'), function (f) { f.remove(); });
    // Confirmed for fewer: the summary above shows the seats now held.
    var seats = app.querySelector('.summary .seats');
    if (seats && r.party_size) seats.textContent = t.seats(r.party_size);
    var details = r.performance && r.performance.show
      ? t.reference + ': ' + r.reference + ' · ' + t.seats(r.party_size) + ' · ' + r.performance.show.title + ', ' + when(r.performance.starts_at)
      : t.reference + ': ' + r.reference;
    status.replaceChildren(message('ok', typeof done === 'function' ? done(r) : done), el('p', { text: details }));
  }
  show([el('h1', { text: title })].concat(before || [], [question, button, status]));
}

(pages[document.body.getAttribute('data-page')] || pages.list)();
