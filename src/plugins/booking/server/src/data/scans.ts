/**
 * Door scans (`booking_scans`): every scan, failed ones too, with the answer it got, linked to
 * the performance, the reservation (when the code matched one) and the staff member. A unique
 * index on `idempotency_key` answers a retried scan once.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { CheckInResult, CheckInSource } from '../constants';
import { dialectOf } from './dialect';
import { bookingTables, systemColumns } from './strapi-internals';

export const createScansData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  return {
    /** Records a scan with its links, in one statement on PostgreSQL. */
    async insert(
      knex: Knex,
      scan: {
        result: CheckInResult;
        source: CheckInSource;
        idempotencyKey: string | null;
        response: unknown;
        label: string;
        performanceId: number | null;
        reservationId: number | null;
        staffId: number;
      },
      now: Date
    ): Promise<number> {
      const tables = t();
      return dialectOf(strapi).insertWithLinks(
        knex,
        tables.scans,
        {
          ...systemColumns(now),
          label: scan.label,
          result: scan.result,
          scanned_at: now,
          source: scan.source,
          idempotency_key: scan.idempotencyKey,
          response: JSON.stringify(scan.response),
        },
        [
          { ...tables.scanPerformance, target: scan.performanceId },
          { ...tables.scanReservation, target: scan.reservationId },
          { ...tables.scanStaff, target: scan.staffId },
        ]
      );
    },

    /**
     * Forgets the stored answers of these reservations' scans: a scan keeps the door's answer for
     * idempotent retries, and its ticket names the holder.
     */
    async forgetAnswers(knex: Knex, reservationIds: number[], now: Date): Promise<void> {
      const tables = t();
      const sr = tables.scanReservation;
      await knex(tables.scans)
        .whereIn('id', knex(sr.table).select(sr.from).whereIn(sr.to, reservationIds))
        .whereNotNull('response')
        .update({ response: null, updated_at: now });
    },

    /** The answer a scan with this idempotency key got, or null. */
    async answerOf<T>(knex: Knex, idempotencyKey: string): Promise<T | null> {
      const row: { response: unknown } | undefined = await knex(t().scans).where('idempotency_key', idempotencyKey).first('response');
      if (!row) return null;
      // PostgreSQL's jsonb comes back parsed, SQLite's text does not.
      return (typeof row.response === 'string' ? JSON.parse(row.response) : row.response) as T;
    },
  };
};

export type ScansData = ReturnType<typeof createScansData>;
