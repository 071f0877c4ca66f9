/**
 * Door scans (`booking_scans`): every scan, failed ones too, with the answer it got, linked to
 * the performance, the reservation (when the code matched one) and the staff member. A unique
 * index on `idempotency_key` answers a retried scan once.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { CheckInResult, CheckInSource } from '../constants';
import type { StaffMember } from './check-ins';
import { dialectOf, type RowWithLinks } from './dialect';
import { bookingTables, systemColumns } from './strapi-internals';

export interface OfflineConflictRow {
  reference: string | null;
  scannedAt: Date;
  scanStaff: StaffMember | null;
  checkedInAt: Date | null;
  checkInStaff: StaffMember | null;
}

/** A scan to record. */
export interface NewScan {
  result: CheckInResult;
  source: CheckInSource;
  idempotencyKey: string | null;
  response: unknown;
  label: string;
  performanceId: number | null;
  reservationId: number | null;
  staffId: number;
  /** An offline scan: when the device judged it, and whether it admitted a ticket already checked in. */
  offline?: { scannedAt: Date; conflict: boolean };
}

export const createScansData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  return {
    /** Records a scan with its links, in one statement on PostgreSQL. */
    async insert(knex: Knex, scan: NewScan, now: Date): Promise<number> {
      const { table, row, links } = this.toInsert(scan, now);
      return dialectOf(strapi).insertWithLinks(knex, table, row, links);
    },

    /** A scan's row and links, for `dialect.insertAllWithLinks` (with the check-in it made). */
    toInsert(scan: NewScan, now: Date): RowWithLinks {
      const tables = t();
      return {
        table: tables.scans,
        row: {
          ...systemColumns(now),
          label: scan.label,
          result: scan.result,
          scanned_at: now,
          source: scan.source,
          idempotency_key: scan.idempotencyKey,
          response: JSON.stringify(scan.response),
          ...(scan.offline
            ? { offline: true, device_scanned_at: scan.offline.scannedAt, offline_conflict: scan.offline.conflict }
            : { offline: false, offline_conflict: false }),
        },
        links: [
          { ...tables.scanPerformance, target: scan.performanceId },
          { ...tables.scanReservation, target: scan.reservationId },
          { ...tables.scanStaff, target: scan.staffId },
        ],
      };
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

    /**
     * The offline conflicts of a performance, latest first: each offline scan that admitted a
     * ticket the server had already checked in, with the check-in it met (time and staff, from
     * the check-in itself, so an erased scan answer does not lose them).
     */
    async offlineConflicts(knex: Knex, performanceId: number, limit: number): Promise<OfflineConflictRow[]> {
      const tables = t();
      const [sp, sr, ss, cr, cs] = [
        tables.scanPerformance,
        tables.scanReservation,
        tables.scanStaff,
        tables.checkInReservation,
        tables.checkInStaff,
      ];
      const rows: Array<Record<string, unknown>> = await knex({ s: tables.scans })
        .join({ sp: sp.table }, `sp.${sp.from}`, 's.id')
        .leftJoin({ sr: sr.table }, `sr.${sr.from}`, 's.id')
        .leftJoin({ r: tables.reservations }, 'r.id', `sr.${sr.to}`)
        .leftJoin({ ss: ss.table }, `ss.${ss.from}`, 's.id')
        .leftJoin({ su: tables.adminUsers }, 'su.id', `ss.${ss.to}`)
        .leftJoin({ cr: cr.table }, `cr.${cr.reservation}`, 'r.id')
        .leftJoin({ c: tables.checkIns }, 'c.id', `cr.${cr.checkIn}`)
        .leftJoin({ cs: cs.table }, `cs.${cs.from}`, 'c.id')
        .leftJoin({ cu: tables.adminUsers }, 'cu.id', `cs.${cs.to}`)
        .where(`sp.${sp.to}`, performanceId)
        .andWhere('s.offline_conflict', true)
        .orderBy('s.id', 'desc')
        .limit(limit)
        .select({
          reference: 'r.reference',
          scannedAt: 's.device_scanned_at',
          receivedAt: 's.scanned_at',
          scanStaffId: 'su.id',
          scanStaffFirstname: 'su.firstname',
          scanStaffLastname: 'su.lastname',
          scanStaffUsername: 'su.username',
          checkedInAt: 'c.checked_in_at',
          checkInStaffId: 'cu.id',
          checkInStaffFirstname: 'cu.firstname',
          checkInStaffLastname: 'cu.lastname',
          checkInStaffUsername: 'cu.username',
        });
      const staff = (row: Record<string, unknown>, prefix: string): StaffMember | null =>
        row[`${prefix}Id`] === null || row[`${prefix}Id`] === undefined
          ? null
          : {
              id: Number(row[`${prefix}Id`]),
              firstname: (row[`${prefix}Firstname`] as string | null) ?? null,
              lastname: (row[`${prefix}Lastname`] as string | null) ?? null,
              username: (row[`${prefix}Username`] as string | null) ?? null,
            };
      return rows.map((row) => ({
        reference: (row.reference as string | null) ?? null,
        scannedAt: new Date((row.scannedAt ?? row.receivedAt) as string),
        scanStaff: staff(row, 'scanStaff'),
        checkedInAt: row.checkedInAt === null || row.checkedInAt === undefined ? null : new Date(row.checkedInAt as string),
        checkInStaff: staff(row, 'checkInStaff'),
      }));
    },

    /** How many offline conflicts a performance has. */
    async offlineConflictCount(knex: Knex, performanceId: number): Promise<number> {
      const sp = t().scanPerformance;
      const row: { count: unknown } | undefined = await knex({ s: t().scans })
        .join({ sp: sp.table }, `sp.${sp.from}`, 's.id')
        .where(`sp.${sp.to}`, performanceId)
        .andWhere('s.offline_conflict', true)
        .first(knex.raw('count(*) as count'));
      return Number(row?.count ?? 0);
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
