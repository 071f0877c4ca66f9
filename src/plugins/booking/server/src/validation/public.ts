import { yup } from '@strapi/utils';
import { LANGUAGES } from '../constants';
import { isEmail, MAX_EMAIL_LENGTH } from './email';
import type { NewReservation } from '../services/reservations';

/** No control characters: a name or a note never carries line breaks into a mail header or a log. */
const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
const NO_CONTROL_NO_NEWLINE = /^[^\u0000-\u001f\u007f]*$/;

const text = (max: number) => yup.string().max(max, `must be at most ${max} characters`);

export const reservationInput = (maxPartySize: number) =>
  yup.object({
    performance: text(64).required('is required').matches(/^[a-z0-9]+$/, 'is not a performance id'),
    name: text(120)
      .required('is required')
      .matches(NO_CONTROL_NO_NEWLINE, 'must be one line of text')
      .test('not-blank', 'is required', (v) => typeof v === 'string' && v.trim().length > 0),
    // Not yup's .email(): its regular expression can take minutes on a hostile string (email.ts).
    email: text(MAX_EMAIL_LENGTH)
      .required('is required')
      .test('email', 'must be an e-mail address', (v) => v === undefined || v === null || isEmail(v)),
    phone: text(40)
      .nullable()
      .matches(/^[0-9+()./ -]*$/, 'must be a phone number'),
    party_size: yup
      .number()
      .required('is required')
      .integer('must be a whole number')
      .min(1, 'must be at least 1')
      .max(maxPartySize, `must be at most ${maxPartySize}`),
    notes: text(1000).nullable().matches(NO_CONTROL, 'must be plain text'),
    locale: yup.string().oneOf([...LANGUAGES], `must be one of ${LANGUAGES.join(', ')}`),
  });

/** What the schema lets through: the reservations service's input. */
export type ReservationInput = NewReservation & Record<string, unknown>;

export const tokenInput = yup.object({
  token: text(512).required('is required'),
});

export const showListQuery = yup.object({
  page: yup.string().matches(/^[1-9][0-9]{0,5}$/, 'must be a positive whole number'),
  pageSize: yup.string().matches(/^(100|[1-9][0-9]?)$/, 'must be a whole number from 1 to 100'),
});
