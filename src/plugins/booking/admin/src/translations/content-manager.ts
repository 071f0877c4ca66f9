/**
 * The Content Manager's words for the booking types, in Italian and English: field labels
 * (`content-manager.content-types.<uid>.<field>`), their hints (`...<field>.description`, see
 * content-manager/index.tsx) and enumeration values (Strapi's selects and filters look a value up
 * by itself as the key). The English labels match the defaults the server writes
 * (server/src/services/editor-views.ts).
 */
type Words = Record<string, [it: string, en: string]>;

const FIELDS: Record<string, Words> = {
  show: {
    title: ['Titolo', 'Title'],
    slug: ['Slug', 'Slug'],
    'slug.description': ["L'indirizzo dello spettacolo nelle pagine di prenotazione.", 'The address of the show on the booking pages.'],
    summary: ['Sintesi', 'Summary'],
    description: ['Descrizione', 'Description'],
    poster_image: ['Locandina', 'Poster'],
    duration_minutes: ['Durata (minuti)', 'Duration (minutes)'],
    'duration_minutes.description': [
      "Quanto dura lo spettacolo: la durata dell'evento nel calendario del visitatore.",
      "How long the show lasts: the length of the event in the visitor's calendar.",
    ],
    is_published: ['Pubblicato', 'Published'],
    'is_published.description': [
      'I visitatori vedono lo spettacolo e prenotano solo se è attivo.',
      'Visitors see the show and can book only while this is on.',
    ],
    performances: ['Repliche', 'Performances'],
  },
  venue: {
    name: ['Nome', 'Name'],
    slug: ['Slug', 'Slug'],
    address: ['Indirizzo', 'Address'],
    city: ['Città', 'City'],
    notes: ['Note interne', 'Internal notes'],
    'notes.description': ['Mai mostrate ai visitatori.', 'Never shown to visitors.'],
    default_capacity: ['Posti in sala di solito', 'Usual capacity'],
    'default_capacity.description': [
      'Facoltativo: i posti che una nuova replica in questa sala riceve, se non se ne indicano altri.',
      'Optional: the seats a new performance in this venue gets when none are given.',
    ],
    performances: ['Repliche', 'Performances'],
  },
  performance: {
    label: ['Replica', 'Performance'],
    show: ['Spettacolo', 'Show'],
    venue: ['Sala', 'Venue'],
    starts_at: ['Inizio', 'Starts at'],
    room_capacity: ['Posti in sala', 'Room capacity'],
    'room_capacity.description': ['I posti della sala per questa replica.', 'Seats in the room for this performance.'],
    additional_seats: ['Posti aggiuntivi', 'Additional seats'],
    'additional_seats.description': [
      'Posti aggiunti alla sala (sedie pieghevoli, in piedi).',
      'Extra seats added to the room (folding chairs, standing).',
    ],
    manually_occupied_seats: ['Posti riservati a mano', 'Manually occupied seats'],
    'manually_occupied_seats.description': [
      'Posti tenuti da parte (ospiti, stampa, regia): non prenotabili.',
      'Seats kept back by hand (guests, the press, the technical booth): not bookable.',
    ],
    is_booking_enabled: ['Prenotazioni aperte', 'Booking open'],
    'is_booking_enabled.description': [
      'Se spento, i visitatori non possono prenotare questa replica.',
      'Off: visitors cannot book this performance.',
    ],
    cancelled_at: ['Annullata il', 'Cancelled at'],
    'cancelled_at.description': [
      "La scrive l'azione «Annulla replica»; vuota finché la replica è in programma.",
      'Set by the "Cancel performance" action; empty while it is scheduled.',
    ],
    cancellation_message: ["Messaggio dell'annullamento", 'Cancellation message'],
    'cancellation_message.description': [
      "Il testo inviato con le e-mail dell'annullamento.",
      'The words sent with the cancellation e-mails.',
    ],
  },
  reservation: {
    reference: ['Codice', 'Reference'],
    'reference.description': ['Il codice sul biglietto e in ogni e-mail.', 'The code on the ticket and in every e-mail.'],
    label: ['Prenotazione', 'Reservation'],
    performance: ['Replica', 'Performance'],
    reservation_status: ['Stato', 'Status'],
    'reservation_status.description': [
      'Cambia solo con il link del visitatore, la scadenza o l\'azione "Annulla prenotazione".',
      'Changes only by the visitor\'s link, expiry, or the "Cancel reservation" action.',
    ],
    name: ['Nome', 'Name'],
    email: ['E-mail', 'E-mail'],
    phone: ['Telefono', 'Phone'],
    party_size: ['Persone', 'Party size'],
    notes: ['Note', 'Notes'],
    access_needs: ['Accessibilità', 'Access needs'],
    'access_needs.description': [
      "Elenco tra wheelchair (sedia a rotelle), hearing (udito), sight (vista), other (altro): mostrato all'ingresso.",
      'A list from wheelchair, hearing, sight, other: shown at the door.',
    ],
    source: ['Provenienza', 'Source'],
    language: ['Lingua', 'Language'],
    'language.description': ['La lingua delle e-mail.', 'The language of the e-mails.'],
    confirm_by: ['Da confermare entro', 'Confirm by'],
    confirmed_at: ['Confermata il', 'Confirmed at'],
    cancelled_at: ['Annullata il', 'Cancelled at'],
    createdAt: ['Creata il', 'Created'],
    updatedAt: ['Modificata il', 'Updated'],
  },
  'check-in': {
    reservation: ['Prenotazione', 'Reservation'],
    checked_in_at: ['Entrati alle', 'Checked in at'],
    checked_in_by: ['Fatto entrare da', 'Checked in by'],
    source: ['Come', 'How'],
  },
  scan: {
    scanned_at: ['Scansione alle', 'Scanned at'],
    performance: ['Replica', 'Performance'],
    reservation: ['Prenotazione', 'Reservation'],
    result: ['Esito', 'Result'],
    scanned_by: ['Scansionato da', 'Scanned by'],
    source: ['Come', 'How'],
  },
  'outbox-message': {
    kind: ['Tipo', 'Kind'],
    reservation: ['Prenotazione', 'Reservation'],
    delivery_status: ['Consegna', 'Delivery'],
    attempts: ['Tentativi', 'Attempts'],
    next_attempt_at: ['Prossimo tentativo', 'Next attempt'],
    last_error: ['Ultimo errore', 'Last error'],
    sent_at: ['Inviata il', 'Sent at'],
    createdAt: ['Creata il', 'Created'],
  },
  'waitlist-entry': {
    reference: ['Codice', 'Reference'],
    performance: ['Replica', 'Performance'],
    waitlist_status: ['Stato', 'Status'],
    name: ['Nome', 'Name'],
    email: ['E-mail', 'E-mail'],
    phone: ['Telefono', 'Phone'],
    party_size: ['Persone', 'Party size'],
    notes: ['Note', 'Notes'],
    language: ['Lingua', 'Language'],
    joined_at: ['In lista dal', 'Joined at'],
    offered_at: ['Posti offerti il', 'Offered at'],
    left_at: ['Uscito il', 'Left at'],
    offer: ['Prenotazione offerta', 'Offered reservation'],
  },
  webhook: {
    url: ['Indirizzo', 'URL'],
    events: ['Eventi', 'Events'],
    secret: ['Segreto', 'Secret'],
    enabled: ['Attivo', 'Enabled'],
  },
  'webhook-delivery': {
    event_type: ['Evento', 'Event'],
    reference: ['Prenotazione', 'Reservation'],
    delivery_status: ['Consegna', 'Delivery'],
    attempts: ['Tentativi', 'Attempts'],
    occurred_at: ['Avvenuto il', 'Occurred at'],
    delivered_at: ['Consegnato il', 'Delivered at'],
    last_response_status: ['Ultima risposta', 'Last response'],
    last_error: ['Ultimo errore', 'Last error'],
  },
};

const VALUES: Words = {
  pending: ['In attesa di conferma', 'Pending'],
  confirmed: ['Confermata', 'Confirmed'],
  cancelled: ['Annullata', 'Cancelled'],
  expired: ['Scaduta', 'Expired'],
  it: ['Italiano', 'Italian'],
  en: ['Inglese', 'English'],
  public: ['Sito (pubblico)', 'Website (public)'],
  box_office: ['Biglietteria', 'Box office'],
  qr_scan: ['Scansione QR', 'QR scan'],
  manual: ['Codice digitato', 'Typed code'],
  ok: ['Entrati', 'Let in'],
  already_checked_in: ['Già entrati', 'Already checked in'],
  not_confirmed: ['Non confermata', 'Not confirmed'],
  invalid: ['Biglietto non valido', 'Not a valid ticket'],
  wrong_performance: ['Altra replica', 'Another performance'],
  too_early: ['Troppo presto', 'Too early'],
  too_late: ['Troppo tardi', 'Too late'],
  confirmation: ['Conferma', 'Confirmation'],
  ticket: ['Biglietto', 'Ticket'],
  queued: ['In coda', 'Queued'],
  retrying: ['Nuovo tentativo', 'Retrying'],
  sent: ['Inviata', 'Sent'],
  dropped: ['Non più necessaria', 'No longer needed'],
  // Outgoing e-mails' kinds (`confirmation`, `ticket`, `cancelled` above).
  resend: ['Biglietto inviato di nuovo', 'Ticket sent again'],
  reminder: ['Promemoria', 'Reminder'],
  waitlist_joined: ["Iscrizione alla lista d'attesa", 'Joined the waiting list'],
  offer: ["Posti offerti dalla lista d'attesa", 'Seats offered from the waiting list'],
  // Issue 22: a cancelled performance's notice, a reservation cancelled by staff.
  performance_cancelled: ['Replica annullata', 'Performance cancelled'],
  cancelled_by_staff: ['Annullata dalla biglietteria', 'Cancelled by the box office'],
  // The waiting list's states.
  waiting: ['In attesa', 'Waiting'],
  offered: ['Posti offerti', 'Seats offered'],
  booked: ['Ha prenotato', 'Booked'],
  left: ['Uscito dalla lista', 'Left the list'],
  // Webhook deliveries.
  delivered: ['Consegnato', 'Delivered'],
  // An outgoing e-mail refused for good, or a webhook delivery out of tries: never retried.
  failed: ['Non consegnato, non più ritentato', 'Not delivered, not retried'],
};

export const contentManagerMessages = (locale: string): Record<string, string> => {
  const index = locale === 'it' ? 0 : 1;
  const messages: Record<string, string> = {};
  for (const [type, words] of Object.entries(FIELDS)) {
    for (const [field, pair] of Object.entries(words)) {
      messages[`content-manager.content-types.plugin::booking.${type}.${field}`] = pair[index];
    }
  }
  for (const [value, pair] of Object.entries(VALUES)) messages[value] = pair[index];
  return messages;
};
