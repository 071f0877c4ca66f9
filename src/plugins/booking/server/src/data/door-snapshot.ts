/**
 * The offline door's snapshot of a performance: one row per check-in token of its reservations
 * (`booking_reservation_tokens` with their reservation and its check-in), keyed by the stored
 * hash, nothing personal but the sealed record. Raw SQL, indexed joins on the link tables.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { DoorSnapshotTicket } from '../../../shared/door-snapshot';
import { bookingTables } from './strapi-internals';

const isoOrNull = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string).toISOString());

export const createDoorSnapshotData = (strapi: Core.Strapi) => ({
  /**
   * The entries of a performance, all of them, or with `since` those whose token (issued,
   * revoked, its record erased), reservation (cancelled, made smaller, erased: every write of a
   * reservation moves its `updated_at`) or check-in changed at or after it.
   */
  async entries(knex: Knex, performanceId: number, since: Date | null): Promise<DoorSnapshotTicket[]> {
    const t = bookingTables(strapi);
    const [tl, rl, cr] = [t.tokenReservation, t.reservationPerformance, t.checkInReservation];
    const query = knex({ tk: t.tokens })
      .join({ tl: tl.table }, `tl.${tl.token}`, 'tk.id')
      .join({ rl: rl.table }, `rl.${rl.reservation}`, `tl.${tl.reservation}`)
      .join({ r: t.reservations }, 'r.id', `tl.${tl.reservation}`)
      .leftJoin({ cr: cr.table }, `cr.${cr.reservation}`, 'r.id')
      .leftJoin({ c: t.checkIns }, 'c.id', `cr.${cr.checkIn}`)
      .where(`rl.${rl.performance}`, performanceId)
      .andWhere('tk.purpose', 'check_in');
    if (since) {
      void query.andWhere((q) => {
        void q.where('tk.updated_at', '>=', since).orWhere('r.updated_at', '>=', since).orWhere('c.created_at', '>=', since);
      });
    }
    const rows: Array<{
      id: string;
      party_size: number;
      reservation_status: string;
      checked_in_at: unknown;
      sealed: string | null;
    }> = await query.orderBy('tk.id').select({
      id: 'tk.token_hash',
      party_size: 'r.party_size',
      reservation_status: 'r.reservation_status',
      checked_in_at: 'c.checked_in_at',
      sealed: 'tk.door_sealed',
    });
    return rows.map((row) => ({
      id: row.id,
      party_size: Number(row.party_size),
      status: row.reservation_status === 'confirmed' ? 'confirmed' : 'revoked',
      checked_in_at: isoOrNull(row.checked_in_at),
      sealed: row.sealed ?? null,
    }));
  },
});

export type DoorSnapshotData = ReturnType<typeof createDoorSnapshotData>;
