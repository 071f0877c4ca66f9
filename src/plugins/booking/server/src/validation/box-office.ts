import { yup } from '@strapi/utils';
import { BOX_OFFICE_MAX_PARTY_SIZE, DOOR_LIST_MIN_QUERY } from '../constants';
import { isEmail, MAX_EMAIL_LENGTH } from './email';
import { accessNeedsField, nameField, notesField, partySizeField, phoneField } from './public';

const text = (max: number) => yup.string().max(max, `must be at most ${max} characters`);

/**
 * A booking taken at the box office or on the phone. The names rule is the public one (the door
 * list prints it); the e-mail is optional (walk-ins often have none) and the party may be a school:
 * up to BOX_OFFICE_MAX_PARTY_SIZE, whatever BOOKING_MAX_PARTY_SIZE says for visitors.
 */
export const boxOfficeInput = yup.object({
  name: nameField(),
  email: text(MAX_EMAIL_LENGTH)
    .nullable()
    .test('email', 'must be an e-mail address', (v) => v === undefined || v === null || v === '' || isEmail(v)),
  phone: phoneField(),
  party_size: partySizeField(BOX_OFFICE_MAX_PARTY_SIZE),
  notes: notesField(),
  access_needs: accessNeedsField(),
  send_ticket: yup.boolean(),
});
export type BoxOfficeInput = yup.InferType<typeof boxOfficeInput>;

/** The door list's query string: `q` (at least DOOR_LIST_MIN_QUERY characters) and `format`. */
export const doorListQuery = yup.object({
  q: yup
    .string()
    .max(120, 'must be at most 120 characters')
    .test('min', `must be at least ${DOOR_LIST_MIN_QUERY} characters`, (v) => v === undefined || v.trim().length >= DOOR_LIST_MIN_QUERY),
  format: yup.mixed<'json' | 'csv' | 'xlsx'>().oneOf(['json', 'csv', 'xlsx'], 'must be one of json, csv, xlsx'),
});
export type DoorListQuery = yup.InferType<typeof doorListQuery>;
