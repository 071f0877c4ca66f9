import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { bookingTables } from '../utils/tables';

export interface SeatCounts {
  performanceId: number;
  roomCapacity: number;
  additionalSeats: number;
  manuallyOccupiedSeats: number;
  confirmedSeats: number;
  pendingSeats: number;
  /** room + additional - manually occupied - confirmed, never below 0. */
  availableSeats: number;
}

const toInt = (value: unknown): number => Number(value ?? 0);

/**
 * The availability formula of the domain model, computed by the database: one query for any
 * number of performances. Only confirmed reservations take seats; pending ones are reported but
 * hold nothing.
 */
const createAvailabilityService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Seat counts for the given performance ids, keyed by id. Pass `trx` inside a transaction:
   * raw knex is not bound to Strapi's ambient transaction.
   */
  async forPerformances(ids: number[], trx?: Knex.Transaction): Promise<Map<number, SeatCounts>> {
    const result = new Map<number, SeatCounts>();
    if (ids.length === 0) return result;
    const t = bookingTables(strapi);
    const knex = trx ?? strapi.db.connection;
    const link = t.reservationPerformance;

    const seatsWithStatus = (status: string) =>
      knex
        .from({ l: link.table })
        .join({ r: t.reservations }, 'r.id', `l.${link.reservation}`)
        .whereRaw(`?? = ??`, [`l.${link.performance}`, 'p.id'])
        .andWhere('r.reservation_status', status)
        .select(knex.raw('coalesce(sum(r.party_size), 0)'));

    const rows: Array<Record<string, unknown>> = await knex
      .from({ p: t.performances })
      .whereIn('p.id', ids)
      .select(
        'p.id',
        'p.room_capacity',
        'p.additional_seats',
        'p.manually_occupied_seats',
        seatsWithStatus('confirmed').as('confirmed_seats'),
        seatsWithStatus('pending').as('pending_seats')
      );

    for (const row of rows) {
      const counts = {
        performanceId: toInt(row.id),
        roomCapacity: toInt(row.room_capacity),
        additionalSeats: toInt(row.additional_seats),
        manuallyOccupiedSeats: toInt(row.manually_occupied_seats),
        confirmedSeats: toInt(row.confirmed_seats),
        pendingSeats: toInt(row.pending_seats),
      };
      result.set(counts.performanceId, {
        ...counts,
        availableSeats: Math.max(
          0,
          counts.roomCapacity +
            counts.additionalSeats -
            counts.manuallyOccupiedSeats -
            counts.confirmedSeats
        ),
      });
    }
    return result;
  },

  /** Seat counts of one performance, or null when it does not exist. */
  async forPerformance(id: number, trx?: Knex.Transaction): Promise<SeatCounts | null> {
    return (await this.forPerformances([id], trx)).get(id) ?? null;
  },
});

export type AvailabilityService = ReturnType<typeof createAvailabilityService>;
export default createAvailabilityService;
