import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { TokenPurpose } from '../constants';
import { dataOf } from '../data';
import { TOKEN_PATTERN, type StoredToken, type WantedToken } from '../data/tokens';

export { hashToken, TOKEN_PATTERN } from '../data/tokens';
export type { StoredToken, WantedToken } from '../data/tokens';

/**
 * The token in a scanned or pasted text: the text itself, or the last `token=` parameter of a
 * URL. Null when nothing in it can be a token of ours, so callers answer without a query.
 */
export const extractToken = (text: string): string | null => {
  const trimmed = text.trim();
  const fromParam = /[?&#]token=([^&#\s]*)/g;
  let match: RegExpExecArray | null;
  let last: string | null = null;
  while ((match = fromParam.exec(trimmed)) !== null) last = match[1];
  const candidate = last !== null ? safeDecode(last) : trimmed;
  return candidate !== null && TOKEN_PATTERN.test(candidate) ? candidate : null;
};

const safeDecode = (value: string): string | null => {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
};

/**
 * Opaque tokens for e-mail links and QR codes: 256 bits from the CSPRNG, only their SHA-256
 * stored; the raw token exists in the visitor's mail and nowhere else. Each method runs on the
 * knex it is given (the caller's transaction, or the connection).
 */
const createTokensService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Issues tokens for a reservation; returns the raw tokens in the order asked. */
  issue(knex: Knex, reservationId: number, wanted: WantedToken[], now = new Date()): Promise<string[]> {
    return dataOf(strapi).tokens.insert(knex, reservationId, wanted, now);
  },

  /** The stored token of that purpose matching a raw token, or null. */
  find(knex: Knex, raw: string, purpose: TokenPurpose): Promise<StoredToken | null> {
    return dataOf(strapi).tokens.find(knex, raw, purpose);
  },

  /** Closes every unused token of a reservation (for example when it is cancelled). */
  revokeAll(knex: Knex, reservationId: number, now = new Date()): Promise<void> {
    return dataOf(strapi).tokens.revokeAll(knex, reservationId, now);
  },
});

export type TokensService = ReturnType<typeof createTokensService>;
export default createTokensService;
