import { yup } from '@strapi/utils';
import { ACCESS_NEEDS, LANGUAGES, type AccessNeed, type Language } from '../constants';
import { isEmail, MAX_EMAIL_LENGTH } from './email';
import { hasInvisible } from './invisible';

/** No control characters: a name or a note never carries line breaks into a mail header or a log. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
/** Names: no C0 or C1 control character (line breaks, escapes), one line of text. */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NAME_NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f]*$/;

const text = (max: number) => yup.string().max(max, `must be at most ${max} characters`);

/** What breaks the names rule first, if anything: one message per bad name. */
const nameProblem = (value: unknown): string | null => {
  if (typeof value !== 'string') return null; // the type check says it
  if (!NAME_NO_CONTROL.test(value)) return 'must be one line of text without control characters';
  if (hasInvisible(value)) return 'must not contain invisible or direction-changing characters';
  if (value.includes('@')) return "must not contain '@'";
  return null;
};

/**
 * A party's access needs: a list from ACCESS_NEEDS, each at most once. Shown at the door (scan,
 * door list), so the door staff know before the party reaches them.
 */
export const accessNeedsField = () =>
  yup
    .array()
    .of(
      yup
        .mixed<AccessNeed>()
        .oneOf([...ACCESS_NEEDS], `must be one of ${ACCESS_NEEDS.join(', ')}`)
        .required()
    )
    .nullable()
    .max(ACCESS_NEEDS.length, `must list at most ${ACCESS_NEEDS.length} needs`)
    .test('unique', 'must not repeat a need', (list) => !list || new Set(list).size === list.length);

/** A phone number as people write it: digits, spaces, + ( ) . / - (shared with the box office). */
export const phoneField = () =>
  text(40)
    .nullable()
    .matches(/^[0-9+()./ -]*$/, 'must be a phone number');

/** A party: a whole number of seats from 1 to `max` (shared with the box office, whose max is larger). */
export const partySizeField = (max: number) =>
  yup.number().required('is required').integer('must be a whole number').min(1, 'must be at least 1').max(max, `must be at most ${max}`);

/** Notes: plain text, no control characters, at most 1000 characters (shared with the box office). */
export const notesField = () => text(1000).nullable().matches(NO_CONTROL, 'must be plain text');

/** A name: 1 to 120 characters of one line, no '@', nothing invisible (shared with the box office). */
export const nameField = () =>
  text(120)
    .required('is required')
    .test('name-rule', 'is not a name', function (value) {
      const problem = nameProblem(value);
      return problem ? this.createError({ message: problem }) : true;
    })
    .test('not-blank', 'is required', (v) => typeof v === 'string' && v.trim().length > 0);

const buildReservationInput = (maxPartySize: number) =>
  yup.object({
    performance: text(64)
      .required('is required')
      .matches(/^[a-z0-9]+$/, 'is not a performance id'),
    // 1 to 120 characters of one line; no '@', so a name is never an e-mail address shown at
    // the door or echoed into a mail.
    name: nameField(),
    // Not yup's .email(): its regular expression can take minutes on a hostile string (email.ts).
    email: text(MAX_EMAIL_LENGTH)
      .required('is required')
      .test('email', 'must be an e-mail address', (v) => v === undefined || v === null || isEmail(v)),
    phone: phoneField(),
    party_size: partySizeField(maxPartySize),
    notes: notesField(),
    locale: yup.mixed<Language>().oneOf([...LANGUAGES], `must be one of ${LANGUAGES.join(', ')}`),
    access_needs: accessNeedsField(),
  });

/**
 * The booking's schema for a party limit, built once per limit: yup builds a schema by cloning
 * it at every step, which cost each booking request about as much as its validation.
 */
const reservationSchemas = new Map<number, ReturnType<typeof buildReservationInput>>();
export const reservationInput = (maxPartySize: number) => {
  let schema = reservationSchemas.get(maxPartySize);
  if (!schema) reservationSchemas.set(maxPartySize, (schema = buildReservationInput(maxPartySize)));
  return schema;
};

/** What the schema lets through, inferred from it: the reservations service's input. */
export type ReservationInput = yup.InferType<ReturnType<typeof reservationInput>>;

export const tokenInput = yup.object({
  token: text(512).required('is required'),
});

/**
 * A confirmation: the token, and optionally fewer seats than requested (when the whole party no
 * longer fits; at most the requested party: the service checks).
 */
export const confirmInput = yup.object({
  token: text(512).required('is required'),
  party_size: yup.number().integer('must be a whole number').min(1, 'must be at least 1'),
});

export const showListQuery = yup.object({
  page: yup.string().matches(/^[1-9][0-9]{0,5}$/, 'must be a positive whole number'),
  pageSize: yup.string().matches(/^(100|[1-9][0-9]?)$/, 'must be a whole number from 1 to 100'),
  lang: yup.string().oneOf(['it', 'en'], 'must be it or en'),
});

/** A smaller party: the cancellation token and the new size (smaller than now: the service checks). */
export const reduceInput = yup.object({
  token: text(512).required('is required'),
  party_size: yup.number().required('is required').integer('must be a whole number').min(1, 'must be at least 1'),
});

/** A lost ticket: the address the tickets went to. */
export const resendInput = yup.object({
  email: text(MAX_EMAIL_LENGTH)
    .required('is required')
    .test('email', 'must be an e-mail address', (v) => v === undefined || v === null || isEmail(v)),
});
