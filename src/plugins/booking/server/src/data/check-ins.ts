/**
 * Check-ins (`booking_check_ins`, linked to the reservation and to the staff member). A unique
 * index on the reservation's link (services/schema.ts) allows one per reservation.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { CheckInSource } from '../constants';
import { dialectOf, type RowWithLinks } from './dialect';
import { bookingTables, systemColumns } from './strapi-internals';

export interface StaffMember {
  id: number;
  firstname: string | null;
  lastname: string | null;
  username: string | null;
}

/** A check-in to record. */
export interface NewCheckIn {
  reservationId: number;
  staffId: number;
  source: CheckInSource;
  label: string;
  checkedInAt?: Date;
}

export const createCheckInsData = (strapi: Core.Strapi) => {
  const t = () => bookingTables(strapi);
  return {
    /** Records a check-in with its links, in one statement on PostgreSQL. */
    async insert(knex: Knex, checkIn: NewCheckIn, now: Date): Promise<number> {
      const { table, row, links } = this.toInsert(checkIn, now);
      return dialectOf(strapi).insertWithLinks(knex, table, row, links);
    },

    /** A check-in's row and links, for `dialect.insertAllWithLinks` (with the scan that made it). */
    toInsert(checkIn: NewCheckIn, now: Date): RowWithLinks {
      const tables = t();
      const cr = tables.checkInReservation;
      // `checkedInAt`: an offline scan's time on the device; the row's own times are the server's.
      return {
        table: tables.checkIns,
        row: { ...systemColumns(now), label: checkIn.label, checked_in_at: checkIn.checkedInAt ?? now, source: checkIn.source },
        links: [
          { table: cr.table, from: cr.checkIn, to: cr.reservation, target: checkIn.reservationId },
          { ...tables.checkInStaff, target: checkIn.staffId },
        ],
      };
    },

    /** Parties checked in for a performance, and their seats, in one query. */
    async countsFor(knex: Knex, performanceId: number): Promise<{ parties: number; seats: number }> {
      const tables = t();
      const [cr, rl] = [tables.checkInReservation, tables.reservationPerformance];
      const row: { parties: unknown; seats: unknown } | undefined = await knex({ cr: cr.table })
        .join({ rl: rl.table }, `rl.${rl.reservation}`, `cr.${cr.reservation}`)
        .join({ r: tables.reservations }, 'r.id', `cr.${cr.reservation}`)
        .where(`rl.${rl.performance}`, performanceId)
        .first(knex.raw('count(*) as parties'), knex.raw('coalesce(sum(r.party_size), 0) as seats'));
      return { parties: Number(row?.parties ?? 0), seats: Number(row?.seats ?? 0) };
    },

    /** The reservation's check-in, with who made it, or undefined: one statement. */
    async ofReservation(knex: Knex, reservationId: number): Promise<{ checkedInAt: Date; staff: StaffMember | null } | undefined> {
      const tables = t();
      const [cr, cs] = [tables.checkInReservation, tables.checkInStaff];
      const row:
        | { checkedInAt: string | Date; staffId: number | null; firstname: string | null; lastname: string | null; username: string | null }
        | undefined = await knex({ cr: cr.table })
        .join({ c: tables.checkIns }, 'c.id', `cr.${cr.checkIn}`)
        .leftJoin({ cs: cs.table }, `cs.${cs.from}`, 'c.id')
        .leftJoin({ u: tables.adminUsers }, 'u.id', `cs.${cs.to}`)
        .where(`cr.${cr.reservation}`, reservationId)
        .first({
          checkedInAt: 'c.checked_in_at',
          staffId: 'u.id',
          firstname: 'u.firstname',
          lastname: 'u.lastname',
          username: 'u.username',
        });
      if (!row) return undefined;
      const staff =
        row.staffId === null || row.staffId === undefined
          ? null
          : { id: Number(row.staffId), firstname: row.firstname ?? null, lastname: row.lastname ?? null, username: row.username ?? null };
      return { checkedInAt: new Date(row.checkedInAt), staff };
    },

    /** A staff member's names, or null. */
    async staffMember(knex: Knex, id: number): Promise<StaffMember | null> {
      const staff: StaffMember | undefined = await knex(t().adminUsers).where('id', id).first('id', 'firstname', 'lastname', 'username');
      return staff ?? null;
    },
  };
};

export type CheckInsData = ReturnType<typeof createCheckInsData>;
