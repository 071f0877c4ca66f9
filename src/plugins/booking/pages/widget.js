/*
 * <azionelab-booking show="SLUG" lang="it|en">: a show's upcoming performances, the booking form,
 * and the waiting list when a performance is sold out, on any page of an allowed origin.
 *   <script type="module" src="{app}/site/widget.js"></script>
 * No framework, no build. Shadow DOM keeps its styles and the page's apart; the page sets
 * --azionelab-accent, --azionelab-ink, --azionelab-muted, --azionelab-background,
 * --azionelab-border, --azionelab-radius and --azionelab-font. Words and API calls are
 * booking-core.js's, shared with the demo pages. The API is the app's this file came from,
 * or the `api` attribute's.
 */
import * as core from './booking-core.js';

var DEFAULT_API = new URL('../api/booking', import.meta.url).href;

var STYLE =
  ':host{display:block;font-family:var(--azionelab-font,inherit);color:var(--azionelab-ink,#1a1a1a);' +
  'background:var(--azionelab-background,transparent)}' +
  '*{box-sizing:border-box}fieldset{border:1px solid var(--azionelab-border,#c9c2b8);border-radius:var(--azionelab-radius,6px);margin:0 0 12px;padding:8px 12px}' +
  'legend{font-weight:700;padding:0 4px}.perf{display:flex;gap:8px;align-items:flex-start;margin:6px 0}' +
  '.perf input{margin-top:.3em;width:auto}.muted{color:var(--azionelab-muted,#555)}' +
  'label{display:block;font-weight:600;margin:10px 0 2px}.muted+input{margin-top:2px}.perf label{margin:0;font-weight:400}' +
  'input,select{width:100%;font:inherit;padding:8px;border:1px solid var(--azionelab-border,#8c8478);border-radius:var(--azionelab-radius,6px);background:#fff;color:#1a1a1a}' +
  'button{font:inherit;font-weight:600;padding:10px 18px;margin-top:14px;border:0;border-radius:var(--azionelab-radius,6px);' +
  'background:var(--azionelab-accent,#8a1c1c);color:var(--azionelab-accent-ink,#fff);cursor:pointer}' +
  'button[disabled]{opacity:.6;cursor:wait}.err{color:#a4161a;font-size:.9em;min-height:0}' +
  '[aria-invalid=true]{border-color:#a4161a}:focus-visible{outline:3px solid var(--azionelab-focus,#1a5fb4);outline-offset:2px}' +
  '.status:not(:empty){margin-top:12px;padding:10px 12px;border-radius:var(--azionelab-radius,6px);background:var(--azionelab-note,#f3efe9)}' +
  '.poster{display:block;max-width:100%;height:auto;border-radius:var(--azionelab-radius,6px);margin:0 0 10px}.description{margin:0 0 12px}' +
  '.hint{font-size:.9em;margin:4px 0 0}.perf.cancelled label{color:var(--azionelab-muted,#555)}';

var el = core.el;

var count = 0;

class AzioneLabBooking extends HTMLElement {
  static get observedAttributes() { return ['show', 'lang', 'api', 'group-contact']; }

  constructor() {
    super();
    this.uid = 'alb' + ++count;
    this.attachShadow({ mode: 'open' });
  }

  connectedCallback() { this.schedule(); }
  attributeChangedCallback() { if (this.isConnected) this.schedule(); }
  /** One drawing for a burst of attribute changes (an upgrade reports each attribute). */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => { this.pending = false; this.render(); });
  }

  /**
   * Loads the show and draws the form, then says `notice` if given (in the live region) and puts
   * back what the visitor had typed (`typed`: name, email, phone).
   */
  render(notice, typed) {
    var lang = core.pickLanguage(this.getAttribute('lang'));
    var t = (this.t = core.TEXTS[lang]);
    this.lang_ = lang;
    this.api = core.bookingApi(this.getAttribute('api') || DEFAULT_API, t, lang);
    this.status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
    this.body = el('div', { lang: lang });
    this.shadowRoot.replaceChildren(el('style', { text: STYLE }), this.body, this.status);
    this.body.append(el('p', { class: 'muted', text: t.loading }));
    var token = (this.loading = {});
    this.api.show(this.getAttribute('show') || '').then((res) => {
      if (this.loading !== token) return;
      this.drawForm(res.data);
      var form = this.body.querySelector('form');
      Object.keys(typed || {}).forEach((name) => { if (form && form.elements[name]) form.elements[name].value = typed[name]; });
      if (notice) this.say(notice);
    }, (e) => {
      if (this.loading !== token) return;
      this.body.replaceChildren();
      if (!e || !e.unreachable) return this.say(core.explain(t, e));
      this.explainUnreachable(t, lang);
    });
  }

  /**
   * The API gave no answer this page may read. If the app itself answers (a no-cors request
   * resolves with an opaque answer), it is this page's origin that is not allowed: say so, with a
   * link to book on the app's own pages; otherwise it is the connection.
   */
  explainUnreachable(t, lang) {
    var base = this.getAttribute('api') || DEFAULT_API;
    fetch(base + '/openapi.json', { mode: 'no-cors', cache: 'no-store' }).then(() => {
      var where = new URL('./show/?slug=' + encodeURIComponent(this.getAttribute('show') || '') + '&lang=' + lang, import.meta.url);
      this.status.replaceChildren(document.createTextNode(t.notAllowed + ' '), el('a', { href: where.href, text: t.bookThere }));
    }, () => this.say(t.network));
  }

  say(text) { this.status.textContent = text; }

  drawForm(show) {
    var t = this.t, id = this.uid;
    // Whom to call for a party larger than the form offers: the page's `group-contact`.
    var contact = this.getAttribute('group-contact') || '';
    // A cancelled performance is listed, struck through and not to be chosen (not as sold out).
    var performances = show.performances.filter(function (p) { return p.bookable || p.waitlist_open || p.status === 'cancelled'; });
    if (!performances.some(function (p) { return p.status !== 'cancelled'; })) {
      this.body.replaceChildren(el('p', { text: t.noUpcoming }));
      return;
    }
    var field = function (name, label, input, hint) {
      input.id = id + '-' + name;
      input.name = name;
      // The label is the word alone (Phone); "optional" is its description, read after it.
      input.setAttribute('aria-describedby', (hint ? input.id + '-hint ' : '') + input.id + '-error');
      return el('div', {}, [
        el('label', { for: input.id, text: label }),
        hint ? el('div', { class: 'muted', id: input.id + '-hint', text: hint }) : null,
        input,
        el('div', { class: 'err', id: id + '-' + name + '-error' })
      ]);
    };
    // The first performance with seats is chosen, not a sold-out one before it.
    var first = performances.findIndex(function (p) { return p.bookable; });
    if (first < 0) first = performances.findIndex(function (p) { return p.status !== 'cancelled'; });
    var choices = performances.map(function (p, i) {
      var cancelled = p.status === 'cancelled';
      var radio = el('input', { type: 'radio', name: 'performance', value: p.documentId, id: id + '-p' + i });
      if (cancelled) radio.disabled = true;
      if (i === first) radio.checked = true;
      var where = p.venue ? ' · ' + p.venue.name : '';
      var label = cancelled
        ? el('label', { for: radio.id, class: 'cancelled' }, [el('s', { text: core.formatWhen(this.lang_, p.starts_at) + where }), document.createTextNode(' · ' + t.performanceCancelled)])
        : el('label', { for: radio.id, text: core.formatWhen(this.lang_, p.starts_at) + where + ' · ' + (p.bookable ? p.available_seats + ' ' + t.seatsLeft : t.waitlistOpen) });
      return el('div', { class: cancelled ? 'perf cancelled' : 'perf', 'data-status': p.status || 'scheduled' }, [radio, label]);
    }, this);
    var size = el('select', {});
    var button = el('button', { type: 'submit' });
    var note = el('p', { class: 'muted' });
    var hint = el('p', { class: 'muted hint', id: id + '-party_size-hint' });
    var form = el('form', { novalidate: '', 'aria-label': show.title }, [
      el('fieldset', {}, [el('legend', { text: t.choose })].concat(choices)),
      note,
      field('name', t.widgetName, el('input', { autocomplete: 'name', required: '', maxlength: '120' })),
      field('email', t.email, el('input', { type: 'email', autocomplete: 'email', required: '', maxlength: '254' })),
      field('phone', t.widgetPhone, el('input', { type: 'tel', autocomplete: 'tel', maxlength: '40' }), t.optional),
      field('party_size', t.partySize, size),
      hint,
      el('fieldset', {}, [el('legend', { text: t.accessNeeds })].concat(core.ACCESS_NEEDS.map(function (need) {
        var box = el('input', { type: 'checkbox', name: 'access_needs', value: need, id: id + '-need-' + need });
        return el('div', { class: 'perf' }, [box, el('label', { for: box.id, text: t.needs[need] })]);
      }))),
      button
    ]);
    var chosen = function () {
      var value = form.elements.performance.value;
      return performances.filter(function (p) { return p.documentId === value; })[0];
    };
    // A sold-out performance, or a party larger than its seats left, takes the same form to its
    // waiting list.
    for (var n = 1; n <= core.MAX_PARTY; n++) size.append(el('option', { value: String(n), text: String(n) }));
    var update = function () {
      var p = chosen();
      var waiting = joinsWaitlist(p, Number(size.value));
      hint.textContent = core.largerGroupsText(t, core.MAX_PARTY, contact);
      button.textContent = waiting ? t.waitlistSend : t.book;
      note.textContent = !p.bookable ? t.waitlistText
        : p.available_seats < core.MAX_PARTY ? core.fill(t.largerParty, { n: t.seats(p.available_seats) }) : '';
    };
    form.addEventListener('change', function (event) { if (event.target.name === 'performance' || event.target.name === 'party_size') update(); });
    // A field being corrected loses its old complaint.
    form.addEventListener('input', function (event) {
      var box = form.querySelector('#' + event.target.id + '-error');
      if (box) box.textContent = '';
      event.target.removeAttribute('aria-invalid');
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit(form, chosen(), button);
    });
    update();
    this.body.replaceChildren.apply(this.body, [el('h2', { text: show.title })].concat(core.showIntro(t, show, this.getAttribute('api') || DEFAULT_API), [form]));
    size.setAttribute('aria-describedby', hint.id + ' ' + size.id + '-error');
  }

  /** Shows each field's problem under it and moves the focus to the first; true when none. */
  mark(form, problems) {
    var id = this.uid;
    form.querySelectorAll('.err').forEach(function (e) { e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(function (e) { e.removeAttribute('aria-invalid'); });
    problems.forEach(function (p) {
      var box = form.querySelector('#' + id + '-' + p.field + '-error');
      if (box) box.textContent = p.text;
      var input = form.elements[p.field];
      if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
    });
    var first = problems.length && form.elements[problems[0].field];
    if (first && first.focus) first.focus();
    return problems.length === 0;
  }

  submit(form, p, button) {
    var t = this.t, f = form.elements;
    var values = { name: f.name.value, email: f.email.value };
    if (!this.mark(form, core.checkFields(t, values))) {
      this.say(t.codes.validation);
      return;
    }
    var waiting = joinsWaitlist(p, Number(f.party_size.value));
    var data = { performance: p.documentId, name: values.name, email: values.email.trim(), party_size: Number(f.party_size.value), locale: this.lang_ };
    if (f.phone.value.trim()) data.phone = f.phone.value.trim();
    var needs = core.tickedNeeds(form);
    if (needs.length) data.access_needs = needs;
    button.disabled = true;
    this.say('');
    (waiting ? this.api.joinWaitlist(data) : this.api.reserve(data)).then((res) => {
      var text = waiting ? core.fill(t.waitlistDone, { email: data.email, when: core.formatWhen(this.lang_, res.data.confirm_by) })
        : core.fill(t.checkMail, { email: data.email }) + ' ' + core.formatWhen(this.lang_, res.data.confirm_by) + '.';
      // The form is done: the answer stays in the live region, the focus on it.
      this.body.replaceChildren();
      this.status.setAttribute('tabindex', '-1');
      this.say(text + ' ' + t.reference + ': ' + res.data.reference + '.');
      this.status.focus();
    }, (e) => {
      var code = e.details && e.details.code;
      // The seats changed since the list was drawn: draw it anew (a sold-out one now offers the
      // waiting list, a freed one booking), and say why.
      if (code === 'sold_out' || code === 'seats_available') {
        return this.render(core.explain(t, e), { name: f.name.value, email: f.email.value, phone: f.phone.value });
      }
      button.disabled = false;
      this.mark(form, core.serverFields(t, e));
      this.say(core.explain(t, e));
    });
  }
}

/** Whether a party goes to the performance's waiting list: sold out, or larger than the seats left. */
function joinsWaitlist(p, party) { return !p.bookable || party > p.available_seats; }

if (!customElements.get('azionelab-booking')) customElements.define('azionelab-booking', AzioneLabBooking);
