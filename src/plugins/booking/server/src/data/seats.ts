/**
 * The confirmed-seat counter (`booking_performance_seats`, a table of the plugin's own) and the
 * seat counts read with it: raw SQL, bound to whatever transaction the caller passes.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { bookingTables, SEATS_TABLE } from './strapi-internals';
import { seatsLeft } from '../rules';
import type { Capacity } from './performances';

export interface SeatCounts {
  performanceId: number;
  roomCapacity: number;
  additionalSeats: number;
  manuallyOccupiedSeats: number;
  confirmedSeats: number;
  /** Seats held by unexpired waiting-list offers (pending reservations with `held_until`). */
  heldSeats: number;
  /** Only when asked for (door statistics): a sum over the pending reservations. */
  pendingSeats: number;
  /** room + additional - manually occupied - confirmed - held, never below 0. */
  availableSeats: number;
}

const toInt = (value: unknown): number => Number(value ?? 0);

/**
 * A correlated subquery: the seats of the reservations in one status of the outer row `p`.
 * `held` is the pending reservations that are waiting-list offers (they hold seats); `pending`
 * the ordinary ones (they hold nothing).
 */
const seatsInStatus = (strapi: Core.Strapi, knex: Knex, status: 'pending' | 'confirmed' | 'held', as: string) => {
  const t = bookingTables(strapi);
  const link = t.reservationPerformance;
  const query = knex
    .from({ l: link.table })
    .join({ r: t.reservations }, 'r.id', `l.${link.reservation}`)
    .whereRaw('?? = ??', [`l.${link.performance}`, 'p.id'])
    .andWhere('r.reservation_status', status === 'held' ? 'pending' : status);
  if (status === 'held') query.whereNotNull('r.held_until');
  if (status === 'pending') query.whereNull('r.held_until');
  return query.select(knex.raw('coalesce(sum(r.party_size), 0)')).as(as);
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
  knex.raw('coalesce(s.held_seats, 0) as held_seats'),
];

/** The availability formula of the domain model, over a row with the `seatColumns`. */
export const countsOf = (row: Record<string, unknown>, performanceId = toInt(row.id)): SeatCounts => {
  const counts = {
    performanceId,
    roomCapacity: toInt(row.room_capacity),
    additionalSeats: toInt(row.additional_seats),
    manuallyOccupiedSeats: toInt(row.manually_occupied_seats),
    confirmedSeats: toInt(row.confirmed_seats),
    heldSeats: toInt(row.held_seats),
    pendingSeats: toInt(row.pending_seats),
  };
  return {
    ...counts,
    availableSeats: seatsLeft({
      room_capacity: counts.roomCapacity,
      additional_seats: counts.additionalSeats,
      manually_occupied_seats: counts.manuallyOccupiedSeats,
      confirmed_seats: counts.confirmedSeats,
      held_seats: counts.heldSeats,
    }),
  };
};

/**
 * The availability formula of the domain model, computed by the database in one query for any
 * number of performances. Confirmed seats are kept per performance in a counter row
 * (`booking_performance_seats`), changed only by the seat ledger (services/seat-ledger.ts) in
 * the same transaction that holds the performance row lock and moves a reservation in or out of
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

  /**
   * Creates the counter table and a row for every performance that lacks one, counted from its
   * confirmed reservations (so an existing database, or a performance created since, starts
   * right). Rows that exist are left as they are: the counter is their truth.
   */
  async ensureCounters(knex: Knex): Promise<void> {
    const t = bookingTables(strapi);
    if (!(await knex.schema.hasTable(SEATS_TABLE))) {
      await knex.schema.createTable(SEATS_TABLE, (table) => {
        table.integer('performance_id').primary();
        table.integer('confirmed_seats').notNullable().defaultTo(0);
        table.integer('held_seats').notNullable().defaultTo(0);
      });
    } else if (!(await knex.schema.hasColumn(SEATS_TABLE, 'held_seats'))) {
      // Seats held by waiting-list offers live beside the confirmed ones, so the counter's
      // change notice (public-cache triggers) covers holds too. No offer exists before this column.
      await knex.schema.alterTable(SEATS_TABLE, (table) => {
        table.integer('held_seats').notNullable().defaultTo(0);
      });
    }
    const link = t.reservationPerformance;
    await knex.raw(
      `INSERT INTO ?? (performance_id, confirmed_seats)
       SELECT p.id, COALESCE((SELECT SUM(r.party_size) FROM ?? l JOIN ?? r ON r.id = l.??
                              WHERE l.?? = p.id AND r.reservation_status = 'confirmed'), 0)
       FROM ?? p WHERE NOT EXISTS (SELECT 1 FROM ?? s WHERE s.performance_id = p.id)`,
      [SEATS_TABLE, link.table, t.reservations, link.reservation, link.performance, t.performances, SEATS_TABLE]
    );
  },

  /** Seat counts of one performance, or null when it does not exist. */
  async forPerformance(id: number, trx?: Knex.Transaction, options: { withPending?: boolean } = {}): Promise<SeatCounts | null> {
    return (await this.forPerformances([id], trx, options)).get(id) ?? null;
  },

  /**
   * PostgreSQL only: the performance's row lock (FOR UPDATE, as performances.lock) and the
   * conditional take of `seats` (as takeSeats) in one statement, so that a confirmation holds
   * the lock for this one round trip and its commit. The limit is seatsOffered (shared/rules.ts)
   * written in SQL: room + additional - manually occupied, never below 0. `capacity` null: no
   * such performance; `counts` null: not taken (the party does not fit, the performance is
   * cancelled, or it has no counter row yet), and the caller, which now holds the lock, goes the
   * two-statement way.
   */
  async lockAndTake(
    trx: Knex.Transaction,
    performanceId: number,
    seats: number
  ): Promise<{ capacity: Capacity | null; counts: { confirmed: number; held: number } | null }> {
    const performances = bookingTables(strapi).performances;
    const { rows } = await trx.raw<{ rows: Array<Record<string, unknown>> }>(
      `WITH p AS MATERIALIZED (
         SELECT id, COALESCE(room_capacity, 0) AS room_capacity, COALESCE(additional_seats, 0) AS additional_seats,
                COALESCE(manually_occupied_seats, 0) AS manually_occupied_seats, cancelled_at
         FROM ?? WHERE id = ? FOR UPDATE
       ), taken AS (
         UPDATE ${SEATS_TABLE} AS s SET confirmed_seats = s.confirmed_seats + ?
         FROM p
         WHERE s.performance_id = p.id AND p.cancelled_at IS NULL
           AND s.confirmed_seats + s.held_seats + ? <= GREATEST(0, p.room_capacity + p.additional_seats - p.manually_occupied_seats)
         RETURNING s.confirmed_seats, s.held_seats
       )
       SELECT p.room_capacity, p.additional_seats, p.manually_occupied_seats, p.cancelled_at, taken.confirmed_seats, taken.held_seats
       FROM p LEFT JOIN taken ON true`,
      [performances, performanceId, seats, seats]
    );
    const row = rows[0];
    if (!row) return { capacity: null, counts: null };
    return {
      capacity: {
        room_capacity: toInt(row.room_capacity),
        additional_seats: toInt(row.additional_seats),
        manually_occupied_seats: toInt(row.manually_occupied_seats),
        cancelled: row.cancelled_at !== null && row.cancelled_at !== undefined,
      },
      counts:
        row.confirmed_seats === null || row.confirmed_seats === undefined
          ? null
          : { confirmed: toInt(row.confirmed_seats), held: toInt(row.held_seats) },
    };
  },

  /**
   * Takes `seats` for a confirmation if they fit under `limit` (room + additional - manually
   * occupied, read under the performance row lock) beside the confirmed and held seats: one
   * conditional increment, which PostgreSQL evaluates on the counter's latest committed value. Returns the seats left afterwards, or
   * `{ taken: false, available }` when the party does not fit. Call it only while holding the
   * performance row lock, in the transaction that confirms the reservation.
   */
  async takeSeats(
    trx: Knex.Transaction,
    performanceId: number,
    seats: number,
    limit: number
  ): Promise<{ taken: true; available: number } | { taken: false; available: number }> {
    const rows: Array<{ confirmed_seats: unknown; held_seats: unknown }> = await trx(SEATS_TABLE)
      .where('performance_id', performanceId)
      .andWhereRaw('confirmed_seats + held_seats <= ?', [limit - seats])
      .increment('confirmed_seats', seats)
      .returning(['confirmed_seats', 'held_seats']);
    if (rows.length === 1)
      return { taken: true, available: Math.max(0, limit - toInt(rows[0].confirmed_seats) - toInt(rows[0].held_seats)) };
    const counter: { confirmed_seats: unknown; held_seats: unknown } | undefined = await trx(SEATS_TABLE)
      .where('performance_id', performanceId)
      .first('confirmed_seats', 'held_seats');
    if (counter) return { taken: false, available: Math.max(0, limit - toInt(counter.confirmed_seats) - toInt(counter.held_seats)) };
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
   * Moves a performance's held-seat counter (seats of waiting-list offers) by `delta`. Call it
   * only in the transaction that holds the performance row lock and makes or ends the offer.
   */
  async adjustHeldSeats(trx: Knex.Transaction, performanceId: number, delta: number): Promise<void> {
    await trx
      .insert({ performance_id: performanceId, confirmed_seats: 0, held_seats: delta })
      .into(SEATS_TABLE)
      .onConflict('performance_id')
      .merge({ held_seats: trx.raw('??.held_seats + ?', [SEATS_TABLE, delta]) });
  },

  /**
   * An offer confirmed: its held seats become confirmed seats in one statement, so a confirmed
   * offer never competes for seats (it never answers sold_out). Under the performance row lock.
   * Returns the seats left afterwards.
   */
  async confirmHeldSeats(trx: Knex.Transaction, performanceId: number, seats: number, limit: number): Promise<number> {
    const rows: Array<{ confirmed_seats: unknown; held_seats: unknown }> = await trx(SEATS_TABLE)
      .where('performance_id', performanceId)
      .update({
        confirmed_seats: trx.raw('confirmed_seats + ?', [seats]),
        held_seats: trx.raw('held_seats - ?', [seats]),
      })
      .returning(['confirmed_seats', 'held_seats']);
    const row = rows[0];
    return row ? Math.max(0, limit - toInt(row.confirmed_seats) - toInt(row.held_seats)) : 0;
  },

  /**
   * Confirmed and held seats summed from the reservations themselves, keyed by performance id,
   * for performances whose counters disagree (an empty map means every counter is right).
   * `counter`/`actual` are the confirmed seats, `heldCounter`/`heldActual` the offers' holds.
   */
  async recount(): Promise<Map<number, { counter: number; actual: number; heldCounter: number; heldActual: number }>> {
    const t = bookingTables(strapi);
    const knex = strapi.db.connection;
    const rows: Array<{ id: number; counter: unknown; actual: unknown; held_counter: unknown; held_actual: unknown }> = await knex
      .from({ p: t.performances })
      .leftJoin({ s: SEATS_TABLE }, 's.performance_id', 'p.id')
      .select(
        'p.id',
        knex.raw('coalesce(s.confirmed_seats, 0) as counter'),
        knex.raw('coalesce(s.held_seats, 0) as held_counter'),
        seatsInStatus(strapi, knex, 'confirmed', 'actual'),
        seatsInStatus(strapi, knex, 'held', 'held_actual')
      );
    const wrong = new Map<number, { counter: number; actual: number; heldCounter: number; heldActual: number }>();
    for (const row of rows) {
      if (toInt(row.counter) !== toInt(row.actual) || toInt(row.held_counter) !== toInt(row.held_actual)) {
        wrong.set(toInt(row.id), {
          counter: toInt(row.counter),
          actual: toInt(row.actual),
          heldCounter: toInt(row.held_counter),
          heldActual: toInt(row.held_actual),
        });
      }
    }
    return wrong;
  },
});

export type SeatsData = ReturnType<typeof createSeatsData>;
