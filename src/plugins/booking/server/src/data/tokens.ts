/**
 * Reservation tokens (`booking_reservation_tokens` and its link to the reservation): only their
 * SHA-256 is stored. Raw SQL, bound to the transaction the caller passes.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { TokenPurpose } from '../constants';
import type { DoorRecord } from '../../../shared/door-snapshot';
import { sealDoorRecord } from '../utils/door-seal';
import { holderOf } from '../utils/holder';
import { accessNeedsOf, reservationFromRow, type ReservationRow } from './reservations';
import { dialectOf } from './dialect';
import { bookingTables, systemColumns } from './strapi-internals';

/** 32 bytes = 256 bits from the operating system's CSPRNG, base64url (43 characters). */
const TOKEN_BYTES = 32;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashToken = (raw: string): string => createHash('sha256').update(raw).digest('hex');
export const newRawToken = () => randomBytes(TOKEN_BYTES).toString('base64url');

export interface WantedToken {
  purpose: TokenPurpose;
  expiresAt: Date | null;
}

export interface StoredToken {
  id: number;
  purpose: TokenPurpose;
  expiresAt: Date | null;
  usedAt: Date | null;
  reservationId: number;
}

const dateOrNull = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));

/**
 * What the door may see of a reservation (API.md: reference, holder as in the check-in answer,
 * access needs), sealed into its check-in tokens.
 */
export const doorRecordFrom = (row: { reference: string; name: string | null; access_needs: unknown }): DoorRecord => ({
  reference: row.reference,
  holder: holderOf(row.name ?? ''),
  access_needs: accessNeedsOf(row.access_needs),
});

export const createTokensData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);

  /**
   * What the door may see of a reservation, read on the issuing transaction so it is what the
   * ticket is issued with (unless the caller read it on that reservation already).
   */
  const doorRecordOf = async (knex: Knex, reservationId: number): Promise<DoorRecord | null> => {
    const row: { reference: string; name: string | null; access_needs: unknown } | undefined = await knex(t().reservations)
      .where('id', reservationId)
      .first('reference', 'name', 'access_needs');
    return row ? doorRecordFrom(row) : null;
  };

  return {
    /**
     * Issues tokens for a reservation (the tokens and their links: one statement on PostgreSQL) and returns the
     * raw tokens in the order asked: they exist in the visitor's mail and nowhere else. A check-in
     * token is sealed with `record` (what the door may see), or with the reservation's as read now.
     */
    async insert(knex: Knex, reservationId: number, wanted: WantedToken[], now: Date, record?: DoorRecord): Promise<string[]> {
      const tables = t();
      const raws = wanted.map(newRawToken);
      const hashes = raws.map(hashToken);
      const sealWith = !wanted.some(({ purpose }) => purpose === 'check_in') ? null : (record ?? (await doorRecordOf(knex, reservationId)));
      // The tokens and their links to the reservation: one statement on PostgreSQL.
      await dialectOf(strapi).insertRowsLinkedTo(
        knex,
        tables.tokens,
        wanted.map(({ purpose, expiresAt }, i) => ({
          ...systemColumns(now),
          purpose,
          token_hash: hashes[i],
          expires_at: expiresAt,
          // The offline door's record, sealed while the raw token exists (it is never stored).
          door_sealed: purpose === 'check_in' && sealWith ? sealDoorRecord(raws[i], sealWith) : null,
        })),
        {
          table: tables.tokenReservation.table,
          from: tables.tokenReservation.token,
          to: tables.tokenReservation.reservation,
          target: reservationId,
        }
      );
      return raws;
    },

    /** The stored token of that purpose matching a raw token, or null. */
    async find(knex: Knex, raw: string, purpose: TokenPurpose): Promise<StoredToken | null> {
      if (!TOKEN_PATTERN.test(raw)) return null;
      const tables = t();
      const tl = tables.tokenReservation;
      const row: Record<string, unknown> | undefined = await knex({ tk: tables.tokens })
        .join({ tl: tl.table }, `tl.${tl.token}`, 'tk.id')
        .where({ 'tk.token_hash': hashToken(raw), 'tk.purpose': purpose })
        .first({
          id: 'tk.id',
          purpose: 'tk.purpose',
          expiresAt: 'tk.expires_at',
          usedAt: 'tk.used_at',
          reservationId: `tl.${tl.reservation}`,
        });
      if (!row) return null;
      return {
        id: Number(row.id),
        purpose: row.purpose as TokenPurpose,
        expiresAt: dateOrNull(row.expiresAt),
        usedAt: dateOrNull(row.usedAt),
        reservationId: Number(row.reservationId),
      };
    },

    /** Marks one token used if it was not; returns whether this call did (its row is locked). */
    async markUsed(knex: Knex, tokenId: number, now: Date): Promise<boolean> {
      const changed = await knex(t().tokens).where('id', tokenId).whereNull('used_at').update({ used_at: now, updated_at: now });
      return Number(changed) === 1;
    },

    /** Erasure: the sealed door records of these reservations' tokens go (they name the holder). */
    async forgetDoorRecords(knex: Knex, reservationIds: number[], now: Date): Promise<void> {
      const tl = t().tokenReservation;
      await knex(t().tokens)
        .whereIn('id', knex(tl.table).select(tl.token).whereIn(tl.reservation, reservationIds))
        .whereNotNull('door_sealed')
        .update({ door_sealed: null, updated_at: now });
    },

    /** Closes every unused token of a reservation (for example when it is cancelled). */
    async revokeAll(knex: Knex, reservationId: number, now: Date): Promise<void> {
      const tables = t();
      const tl = tables.tokenReservation;
      await knex(tables.tokens)
        .whereIn('id', knex(tl.table).select(tl.token).where(tl.reservation, reservationId))
        .whereNull('used_at')
        .update({ used_at: now, updated_at: now });
    },
  };
};

export type TokensData = ReturnType<typeof createTokensData>;

/**
 * The reservation behind a check-in token, locked (`FOR UPDATE`) for the door's decision, with
 * its performance: the lookup and the lock in one statement. Null when no check-in token has this
 * hash. Call inside the transaction that decides.
 */
export const lockCheckInTarget = async (
  strapi: Core.Strapi,
  trx: Knex,
  raw: string
): Promise<{ reservation: ReservationRow; performanceId: number | null } | null> => {
  const tables = bookingTables(strapi);
  const [tl, rl] = [tables.tokenReservation, tables.reservationPerformance];
  const row = (await trx({ r: tables.reservations })
    .leftJoin({ rl: rl.table }, `rl.${rl.reservation}`, 'r.id')
    .where(
      'r.id',
      trx({ tk: tables.tokens })
        .join({ tl: tl.table }, `tl.${tl.token}`, 'tk.id')
        .where({ 'tk.token_hash': hashToken(raw), 'tk.purpose': 'check_in' })
        .first(`tl.${tl.reservation}`)
    )
    .first('r.*', { __performance_id: `rl.${rl.performance}` })
    .forUpdate('r')) as Record<string, unknown> | undefined;
  if (!row) return null;
  const performanceId = row.__performance_id;
  return {
    reservation: reservationFromRow(row),
    performanceId: performanceId === null || performanceId === undefined ? null : Number(performanceId),
  };
};
