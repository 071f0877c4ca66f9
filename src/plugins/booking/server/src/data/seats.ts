/**
 * The confirmed-seat counter (`booking_performance_seats`, a table of the plugin's own) and the
 * seat counts read with it: raw SQL, bound to whatever transaction the caller passes.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { bookingTables, SEATS_TABLE } from './strapi-internals';
import { seatsLeft } from '../rules';

export interface SeatCounts {
  performanceId: number;
  roomCapacity: number;
  additionalSeats: number;
  manuallyOccupiedSeats: number;
  confirmedSeats: number;
  /** Only when asked for (door statistics): a sum over the pending reservations. */
  pendingSeats: number;
  /** room + additional - manually occupied - confirmed, never below 0. */
  availableSeats: number;
}

const toInt = (value: unknown): number => Number(value ?? 0);

/** A correlated subquery: the seats of the reservations in one status of the outer row `p`. */
const seatsInStatus = (strapi: Core.Strapi, knex: Knex, status: 'pending' | 'confirmed', as: string) => {
  const t = bookingTables(strapi);
  const link = t.reservationPerformance;
  return knex
    .from({ l: link.table })
    .join({ r: t.reservations }, 'r.id', `l.${link.reservation}`)
    .whereRaw('?? = ??', [`l.${link.performance}`, 'p.id'])
    .andWhere('r.reservation_status', status)
    .select(knex.raw('coalesce(sum(r.party_size), 0)'))
    .as(as);
};

/**
 * The columns a seat count needs, for a query over performances `p` left-joined to the counter
 * table as `s` (see `forPerformances`); `countsOf` turns such a row into counts.
 */
export const seatColumns = (knex: Knex) => [
  'p.room_capacity',
  'p.additional_seats',
  'p.manually_occupied_seats',
  knex.raw('coalesce(s.confirmed_seats, 0) as confirmed_seats'),
];

/** The availability formula of the domain model, over a row with the `seatColumns`. */
export const countsOf = (row: Record<string, unknown>, performanceId = toInt(row.id)): SeatCounts => {
  const counts = {
    performanceId,
    roomCapacity: toInt(row.room_capacity),
    additionalSeats: toInt(row.additional_seats),
    manuallyOccupiedSeats: toInt(row.manually_occupied_seats),
    confirmedSeats: toInt(row.confirmed_seats),
    pendingSeats: toInt(row.pending_seats),
  };
  return {
    ...counts,
    availableSeats: seatsLeft({
      room_capacity: counts.roomCapacity,
      additional_seats: counts.additionalSeats,
      manually_occupied_seats: counts.manuallyOccupiedSeats,
      confirmed_seats: counts.confirmedSeats,
    }),
  };
};

/**
 * The availability formula of the domain model, computed by the database in one query for any
 * number of performances. Confirmed seats are kept per performance in a counter row
 * (`booking_performance_seats`), changed only by the reservations service in the same
 * transaction that holds the performance row lock and moves a reservation in or out of
 * `confirmed`: so reading seats costs the same with 100 or 100,000 reservations. `recount`
 * proves the counter against the reservations themselves.
 */
export const createSeatsData = (strapi: Core.Strapi) => ({
  /**
   * Seat counts for the given performance ids, keyed by id. Pass `trx` inside a transaction:
   * raw knex is not bound to Strapi's ambient transaction.
   */
  async forPerformances(
    ids: number[],
    trx?: Knex.Transaction,
    { withPending = false }: { withPending?: boolean } = {}
  ): Promise<Map<number, SeatCounts>> {
    const result = new Map<number, SeatCounts>();
    if (ids.length === 0) return result;
    const t = bookingTables(strapi);
    const knex = trx ?? strapi.db.connection;

    const columns: Array<string | Knex.Raw | Knex.QueryBuilder> = ['p.id', ...seatColumns(knex)];
    if (withPending) columns.push(seatsInStatus(strapi, knex, 'pending', 'pending_seats'));
    const rows: Array<Record<string, unknown>> = await knex
      .from({ p: t.performances })
      .leftJoin({ s: SEATS_TABLE }, 's.performance_id', 'p.id')
      .whereIn('p.id', ids)
      .select(columns);

    for (const row of rows) {
      const counts = countsOf(row);
      result.set(counts.performanceId, counts);
    }
    return result;
  },

  /** Seat counts of one performance, or null when it does not exist. */
  async forPerformance(
    id: number,
    trx?: Knex.Transaction,
    options: { withPending?: boolean } = {}
  ): Promise<SeatCounts | null> {
    return (await this.forPerformances([id], trx, options)).get(id) ?? null;
  },

  /**
   * Takes `seats` for a confirmation if they fit under `limit` (room + additional - manually
   * occupied, read under the performance row lock): one conditional increment, which PostgreSQL
   * evaluates on the counter's latest committed value. Returns the seats left afterwards, or
   * `{ taken: false, available }` when the party does not fit. Call it only while holding the
   * performance row lock, in the transaction that confirms the reservation.
   */
  async takeSeats(
    trx: Knex.Transaction,
    performanceId: number,
    seats: number,
    limit: number
  ): Promise<{ taken: true; available: number } | { taken: false; available: number }> {
    const rows = (await trx(SEATS_TABLE)
      .where('performance_id', performanceId)
      .andWhere('confirmed_seats', '<=', limit - seats)
      .increment('confirmed_seats', seats)
      .returning('confirmed_seats')) as Array<{ confirmed_seats: unknown }>;
    if (rows.length === 1) return { taken: true, available: Math.max(0, limit - toInt(rows[0].confirmed_seats)) };
    const counter = (await trx(SEATS_TABLE).where('performance_id', performanceId).first('confirmed_seats')) as
      | { confirmed_seats: unknown }
      | undefined;
    if (counter) return { taken: false, available: Math.max(0, limit - toInt(counter.confirmed_seats)) };
    // No counter row yet (a performance made since the last boot): the first confirmation makes it.
    if (seats > limit) return { taken: false, available: Math.max(0, limit) };
    await this.adjustConfirmedSeats(trx, performanceId, seats);
    return { taken: true, available: limit - seats };
  },

  /**
   * Moves a performance's confirmed-seat counter by `delta`. Call it only in the transaction
   * that holds the performance row lock and changes the reservation's status.
   */
  async adjustConfirmedSeats(trx: Knex.Transaction, performanceId: number, delta: number): Promise<void> {
    await trx
      .insert({ performance_id: performanceId, confirmed_seats: delta })
      .into(SEATS_TABLE)
      .onConflict('performance_id')
      .merge({ confirmed_seats: trx.raw('??.confirmed_seats + ?', [SEATS_TABLE, delta]) });
  },

  /**
   * Confirmed seats summed from the reservations themselves, keyed by performance id, for
   * performances whose counter disagrees (an empty map means every counter is right).
   */
  async recount(): Promise<Map<number, { counter: number; actual: number }>> {
    const t = bookingTables(strapi);
    const knex = strapi.db.connection;
    const rows: Array<{ id: number; counter: unknown; actual: unknown }> = await knex
      .from({ p: t.performances })
      .leftJoin({ s: SEATS_TABLE }, 's.performance_id', 'p.id')
      .select(
        'p.id',
        knex.raw('coalesce(s.confirmed_seats, 0) as counter'),
        seatsInStatus(strapi, knex, 'confirmed', 'actual')
      );
    const wrong = new Map<number, { counter: number; actual: number }>();
    for (const row of rows) {
      if (toInt(row.counter) !== toInt(row.actual)) {
        wrong.set(toInt(row.id), { counter: toInt(row.counter), actual: toInt(row.actual) });
      }
    }
    return wrong;
  },
});

export type SeatsData = ReturnType<typeof createSeatsData>;
