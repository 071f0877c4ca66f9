/**
 * E-mail addresses, checked in linear time.
 *
 * yup 0.32 (the yup of @strapi/utils) checks `.email()` with a regular expression that backtracks
 * catastrophically: `"; DROP TABLE booking_reservations; --` keeps it busy for minutes, and with
 * it the whole instance. The fault tests' fuzzer found it. This check accepts what a booking needs
 * (a dot-atom local part, a domain of dot-separated labels, Unicode letters included) with
 * patterns that cannot backtrack: no class in them overlaps the separator that follows it.
 */

import { hasInvisible } from './invisible';

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF-]";
const LABEL_CHAR = '[A-Za-z0-9\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]';
const TLD_CHAR = '[A-Za-z\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]';
const EMAIL = new RegExp(
  `^${ATEXT}+(?:\\.${ATEXT}+)*@(?:${LABEL_CHAR}(?:[A-Za-z0-9\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF-]{0,61}${LABEL_CHAR})?\\.)+${TLD_CHAR}{2,63}$`
);

export const MAX_EMAIL_LENGTH = 254;

/**
 * Whether `value` is an e-mail address a booking can use (at most 254 characters, nothing
 * invisible or direction-changing in it: a right-to-left override would be mailed as is).
 */
export const isEmail = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length <= MAX_EMAIL_LENGTH &&
  value.split('@').length === 2 &&
  EMAIL.test(value) &&
  !hasInvisible(value);
