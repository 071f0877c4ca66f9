/**
 * The Content Manager's view of each booking type, as data: services/editor-views.ts writes it
 * into Strapi's store at every boot.
 */
import { UID } from '../constants';

/**
 * How each booking type looks in the Content Manager: what it reads as (main field), how its list
 * sorts, which columns it shows, and what its form shows and lets an editor change. Strapi keeps
 * this per type in its store (the "Configure the view" settings); the plugin writes its part at
 * every boot, so a deploy brings every instance's editors the same views.
 *
 * Labels here are the English defaults; the admin panel translates them by the keys
 * `content-manager.content-types.<uid>.<field>` (src/admin/app.tsx, Italian and English).
 */
export interface FieldView {
  label: string;
  description?: string;
  /** false: shown, not changeable (the server refuses the change anyway). */
  editable?: boolean;
  visible?: boolean;
  /** A relation: the target's field that names it. */
  mainField?: string;
  sortable?: boolean;
}

export interface TypeView {
  mainField: string;
  sortBy: string;
  sortOrder: 'ASC' | 'DESC';
  list: string[];
  /** Rows of field names; sizes follow Strapi's defaults for the field types. */
  edit: string[][];
  fields: Record<string, FieldView>;
}

const readOnly = (label: string, extra: Partial<FieldView> = {}): FieldView => ({ label, editable: false, ...extra });
const hidden = (label: string): FieldView => ({ label, editable: false, visible: false });

const TIMESTAMPS: Record<string, FieldView> = {
  createdAt: { label: 'Created' },
  updatedAt: { label: 'Updated' },
};

export const EDITOR_VIEWS: Record<string, TypeView> = {
  [UID.show]: {
    mainField: 'title',
    sortBy: 'title',
    sortOrder: 'ASC',
    list: ['title', 'slug', 'is_published', 'performances'],
    edit: [['title', 'slug'], ['summary'], ['description'], ['poster_image', 'is_published'], ['duration_minutes'], ['performances']],
    fields: {
      title: { label: 'Title' },
      slug: { label: 'Slug', description: 'The address of the show on the booking pages.' },
      summary: { label: 'Summary' },
      description: { label: 'Description' },
      poster_image: { label: 'Poster' },
      // Without it every calendar event lasted the 2 hours assumed for a show of unknown length.
      duration_minutes: {
        label: 'Duration (minutes)',
        description: "How long the show lasts: the length of the event in the visitor's calendar.",
      },
      is_published: { label: 'Published', description: 'Visitors see the show and can book only while this is on.' },
      performances: { label: 'Performances', mainField: 'label' },
    },
  },
  [UID.venue]: {
    mainField: 'name',
    sortBy: 'name',
    sortOrder: 'ASC',
    list: ['name', 'city', 'address', 'default_capacity'],
    edit: [['name', 'slug'], ['address', 'city'], ['default_capacity'], ['notes'], ['performances']],
    fields: {
      name: { label: 'Name' },
      slug: { label: 'Slug' },
      address: { label: 'Address' },
      city: { label: 'City' },
      default_capacity: {
        label: 'Usual capacity',
        description: 'Optional: the seats a new performance in this venue gets when none are given.',
      },
      notes: { label: 'Internal notes', description: 'Never shown to visitors.' },
      performances: { label: 'Performances', mainField: 'label' },
    },
  },
  [UID.performance]: {
    mainField: 'label',
    sortBy: 'starts_at',
    sortOrder: 'ASC',
    list: ['starts_at', 'show', 'venue', 'is_booking_enabled'],
    edit: [
      ['show', 'venue'],
      ['starts_at', 'is_booking_enabled'],
      ['room_capacity', 'additional_seats', 'manually_occupied_seats'],
      ['cancelled_at', 'cancellation_message'],
    ],
    fields: {
      label: hidden('Performance'),
      show: { label: 'Show', mainField: 'title' },
      venue: { label: 'Venue', mainField: 'name' },
      starts_at: { label: 'Starts at' },
      room_capacity: { label: 'Room capacity', description: 'Seats in the room for this performance.' },
      additional_seats: { label: 'Additional seats', description: 'Extra seats added to the room (folding chairs, standing).' },
      manually_occupied_seats: {
        label: 'Manually occupied seats',
        description: 'Seats kept back by hand (guests, the press, the technical booth): not bookable.',
      },
      is_booking_enabled: { label: 'Booking open', description: 'Off: visitors cannot book this performance.' },
      cancelled_at: readOnly('Cancelled at', { description: 'Set by the "Cancel performance" action; empty while it is scheduled.' }),
      cancellation_message: readOnly('Cancellation message', { description: 'The words sent with the cancellation e-mails.' }),
    },
  },
  [UID.reservation]: {
    mainField: 'label',
    sortBy: 'createdAt',
    sortOrder: 'DESC',
    list: ['reference', 'name', 'performance', 'party_size', 'reservation_status', 'createdAt'],
    edit: [
      ['reference', 'performance'],
      ['reservation_status', 'party_size'],
      ['name', 'email'],
      ['phone', 'language'],
      ['notes'],
      ['source'],
      ['confirm_by', 'confirmed_at'],
      ['cancelled_at'],
    ],
    fields: {
      reference: readOnly('Reference', { description: 'The code on the ticket and in every e-mail.' }),
      label: hidden('Reservation'),
      performance: readOnly('Performance', { mainField: 'label' }),
      reservation_status: readOnly('Status', {
        description: 'Changes only by the visitor\'s link, expiry, or the "Cancel reservation" action.',
      }),
      name: { label: 'Name' },
      email: { label: 'E-mail' },
      phone: { label: 'Phone' },
      party_size: readOnly('Party size'),
      notes: { label: 'Notes' },
      source: readOnly('Source'),
      // Shown in words in the form's side panel ("Access needs"), not as a JSON code editor.
      access_needs: hidden('Access needs'),
      language: readOnly('Language', { description: 'The language of the e-mails.' }),
      confirm_by: readOnly('Confirm by'),
      confirmed_at: readOnly('Confirmed at'),
      qr_code_generated_at: hidden('QR code issued at'),
      cancelled_at: readOnly('Cancelled at'),
      ...TIMESTAMPS,
    },
  },
  [UID.checkIn]: {
    mainField: 'label',
    sortBy: 'checked_in_at',
    sortOrder: 'DESC',
    list: ['reservation', 'checked_in_at', 'checked_in_by', 'source'],
    edit: [
      ['reservation', 'checked_in_at'],
      ['checked_in_by', 'source'],
    ],
    fields: {
      label: hidden('Check-in'),
      reservation: readOnly('Reservation', { mainField: 'label' }),
      checked_in_at: readOnly('Checked in at'),
      checked_in_by: readOnly('Checked in by', { mainField: 'firstname' }),
      source: readOnly('How'),
    },
  },
  [UID.scan]: {
    mainField: 'label',
    sortBy: 'scanned_at',
    sortOrder: 'DESC',
    list: ['scanned_at', 'performance', 'reservation', 'result'],
    edit: [
      ['scanned_at', 'result'],
      ['performance', 'reservation'],
      ['scanned_by', 'source'],
    ],
    fields: {
      label: hidden('Scan'),
      scanned_at: readOnly('Scanned at'),
      performance: readOnly('Performance', { mainField: 'label' }),
      reservation: readOnly('Reservation', { mainField: 'label' }),
      result: readOnly('Result'),
      scanned_by: readOnly('Scanned by', { mainField: 'firstname' }),
      source: readOnly('How'),
    },
  },
  [UID.waitlistEntry]: {
    mainField: 'label',
    sortBy: 'joined_at',
    sortOrder: 'ASC',
    // The status is what a manager looks for: who still waits, who was offered seats.
    list: ['reference', 'name', 'performance', 'party_size', 'waitlist_status', 'joined_at'],
    edit: [
      ['reference', 'performance'],
      ['waitlist_status', 'party_size'],
      ['name', 'email'],
      ['phone', 'language'],
      ['notes'],
      ['joined_at', 'offered_at'],
      ['left_at', 'offer'],
    ],
    fields: {
      label: hidden('Waiting list entry'),
      reference: readOnly('Reference'),
      performance: readOnly('Performance', { mainField: 'label' }),
      waitlist_status: readOnly('Status'),
      name: readOnly('Name'),
      email: readOnly('E-mail'),
      phone: readOnly('Phone'),
      party_size: readOnly('Party size'),
      notes: readOnly('Notes'),
      language: readOnly('Language'),
      joined_at: readOnly('Joined at'),
      offered_at: readOnly('Offered at'),
      left_at: readOnly('Left at'),
      offer: readOnly('Offered reservation', { mainField: 'label' }),
      leave_token_hash: hidden('Leave token'),
    },
  },
  [UID.outboxMessage]: {
    mainField: 'label',
    sortBy: 'createdAt',
    sortOrder: 'DESC',
    list: ['kind', 'reservation', 'delivery_status', 'attempts', 'next_attempt_at', 'last_error'],
    edit: [['kind', 'reservation'], ['delivery_status', 'attempts'], ['next_attempt_at', 'sent_at'], ['last_error']],
    fields: {
      label: hidden('E-mail'),
      kind: readOnly('Kind'),
      reservation: readOnly('Reservation', { mainField: 'label' }),
      delivery_status: readOnly('Delivery'),
      attempts: readOnly('Attempts'),
      next_attempt_at: readOnly('Next attempt'),
      lease_until: hidden('Lease until'),
      last_error: readOnly('Last error'),
      sent_at: readOnly('Sent at'),
      ...TIMESTAMPS,
    },
  },
};
