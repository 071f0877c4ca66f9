import { createHash, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { bookingTables } from '../utils/tables';
import { systemColumns } from '../utils/rows';
import { UID, type TokenPurpose } from '../constants';

/** 32 bytes = 256 bits from the operating system's CSPRNG, base64url (43 characters). */
const TOKEN_BYTES = 32;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface StoredToken {
  id: number;
  purpose: TokenPurpose;
  expires_at: string | null;
  used_at: string | null;
  reservation: { id: number } | null;
}

export const hashToken = (raw: string): string => createHash('sha256').update(raw).digest('hex');

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
 * Opaque tokens for e-mail links and QR codes. Only their SHA-256 is stored; the raw token
 * exists in the visitor's mail and nowhere else.
 */
const createTokensService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Creates a token of one purpose for a reservation and returns the raw token (never stored). */
  async issue(reservationId: number, purpose: TokenPurpose, expiresAt: Date | null): Promise<string> {
    const raw = randomBytes(TOKEN_BYTES).toString('base64url');
    await strapi.db.query(UID.reservationToken).create({
      data: {
        reservation: reservationId,
        purpose,
        token_hash: hashToken(raw),
        expires_at: expiresAt,
      },
    });
    return raw;
  },

  /**
   * Issues tokens for a reservation with raw SQL inside the caller's transaction, all in two
   * statements (the tokens, their links): for the confirmation, which keeps its transaction short.
   * Returns the raw tokens in the order asked.
   */
  async issueInTransaction(
    trx: Knex.Transaction,
    reservationId: number,
    wanted: Array<{ purpose: TokenPurpose; expiresAt: Date | null }>,
    now: Date
  ): Promise<string[]> {
    const t = bookingTables(strapi);
    const raws = wanted.map(() => randomBytes(TOKEN_BYTES).toString('base64url'));
    const hashes = raws.map(hashToken);
    const inserted = (await trx(t.tokens)
      .insert(
        wanted.map(({ purpose, expiresAt }, i) => ({ ...systemColumns(now), purpose, token_hash: hashes[i], expires_at: expiresAt }))
      )
      .returning(['id', 'token_hash'])) as Array<{ id: number; token_hash: string }>;
    // Matched by hash, not by position: the order of RETURNING rows is not a promise.
    const idOf = new Map(inserted.map((row) => [row.token_hash, Number(row.id)]));
    await trx(t.tokenReservation.table).insert(
      hashes.map((hash) => ({ [t.tokenReservation.token]: idOf.get(hash), [t.tokenReservation.reservation]: reservationId }))
    );
    return raws;
  },

  /** The stored token of that purpose matching a raw token, or null. */
  async find(raw: string, purpose: TokenPurpose): Promise<StoredToken | null> {
    if (!TOKEN_PATTERN.test(raw)) return null;
    const token = await strapi.db.query(UID.reservationToken).findOne({
      where: { token_hash: hashToken(raw), purpose },
      select: ['id', 'purpose', 'expires_at', 'used_at'],
      populate: { reservation: { select: ['id'] } },
    });
    return (token as StoredToken | null) ?? null;
  },

  /** Closes every unused token of a reservation (for example when it is cancelled). */
  async revokeAll(reservationId: number, at: Date): Promise<void> {
    // updateMany cannot filter through a relation: find the ids first.
    const open = (await strapi.db.query(UID.reservationToken).findMany({
      where: { reservation: { id: reservationId }, used_at: null },
      select: ['id'],
    })) as Array<{ id: number }>;
    if (open.length === 0) return;
    await strapi.db.query(UID.reservationToken).updateMany({
      where: { id: { $in: open.map((token) => token.id) } },
      data: { used_at: at },
    });
  },
});

export type TokensService = ReturnType<typeof createTokensService>;
export default createTokensService;
