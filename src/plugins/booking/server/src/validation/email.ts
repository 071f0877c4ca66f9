/**
 * E-mail addresses, checked in linear time.
 *
 * yup 0.32 (the yup of @strapi/utils) checks `.email()` with a regular expression that backtracks
 * catastrophically: `"; DROP TABLE booking_reservations; --` keeps it busy for minutes, and with
 * it the whole instance. The fault tests' fuzzer found it. This check accepts what a booking needs
 * (a dot-atom local part, a domain of dot-separated labels, Unicode letters included) with
 * patterns that cannot backtrack: no class in them overlaps the separator that follows it.
 */

import { domainToASCII } from 'node:url';
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

/**
 * The one normalised form of an address, stored beside it (`email_key`) and compared everywhere
 * (export, erase, the lost-ticket lookup, "already waiting"): trimmed, Unicode NFC, the local
 * part lower-cased by JavaScript, the domain as IDNA ASCII (`città.it` and `xn--citt-5qa.it` are
 * one). Computed here only and compared as stored, never by SQL `lower()`: PostgreSQL's lower()
 * depends on the database's collation and disagrees with JavaScript on `İ` (issue 18, low 3).
 */
export const emailKey = (address: string): string => {
  const value = address.trim().normalize('NFC');
  const at = value.lastIndexOf('@');
  const local = (at < 0 ? value : value.slice(0, at)).toLowerCase().normalize('NFC');
  if (at < 0) return local;
  const domain = value.slice(at + 1).toLowerCase();
  return `${local}@${domainToASCII(domain) || domain.normalize('NFC')}`;
};

/**
 * The form the per-address limits count by (`email_limit_key`): the normalised address without
 * a `+tag` in its local part, so `name+1@`, `name+2@` and `name@` share one allowance.
 */
export const emailLimitKey = (address: string): string => {
  const key = emailKey(address);
  const at = key.lastIndexOf('@');
  const plus = key.indexOf('+');
  return plus > 0 && plus < at ? `${key.slice(0, plus)}${key.slice(at)}` : key;
};
