import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID } from '../constants';
import { getService } from '../utils/get-service';
import { say } from '../utils/editor-language';
import { seatsOffered } from '../rules';
import { baseLocale } from '../utils/locales';
import { transaction } from '../utils/transaction';

export const CAPACITY_FIELDS = ['room_capacity', 'additional_seats', 'manually_occupied_seats'] as const;
type CapacityField = (typeof CAPACITY_FIELDS)[number];
type Capacity = Record<CapacityField, number>;

interface FieldError {
  path: string[];
  message: string;
  name: 'ValidationError';
}

const fieldError = (field: CapacityField, message: string): FieldError => ({
  path: [field],
  message,
  name: 'ValidationError',
});

const refuse = (code: string, problems: FieldError[]): never => {
  throw new errors.ValidationError(problems.map((p) => p.message).join(' '), { code, errors: problems });
};

/** A number the editor typed, or the stored one when the write leaves the field alone. */
const pick = (data: Record<string, unknown>, current: Partial<Capacity>, field: CapacityField) => {
  const value = field in data ? data[field] : current[field];
  return value === null || value === undefined ? 0 : Number(value);
};

/**
 * The capacity rules of a performance, applied by database lifecycles so that they hold on every
 * write path: the Content Manager (through the Document Service), its API, and plugin code using
 * the Query Engine. Messages are in the editor's language (utils/editor-language.ts).
 */
/**
 * The venue a create names, in any of the shapes the two write paths use: an id, a documentId,
 * `{ id }` / `{ documentId }`, or Strapi's `{ connect | set: [...] }`.
 */
const venueOf = (value: unknown): { id: number } | { documentId: string } | null => {
  if (typeof value === 'number' && Number.isInteger(value)) return { id: value };
  if (typeof value === 'string' && value !== '') return /^\d+$/.test(value) ? { id: Number(value) } : { documentId: value };
  if (Array.isArray(value)) return value.length === 1 ? venueOf(value[0]) : null;
  if (typeof value === 'object' && value !== null) {
    const ref = value as { id?: unknown; documentId?: unknown; connect?: unknown; set?: unknown };
    if (ref.connect !== undefined) return venueOf(ref.connect);
    if (ref.set !== undefined) return venueOf(ref.set);
    if (typeof ref.id === 'number') return { id: ref.id };
    if (typeof ref.documentId === 'string') return { documentId: ref.documentId };
  }
  return null;
};

const createPerformancesService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * A new performance whose `room_capacity` is not given gets its venue's `default_capacity`
   * (0 when the venue has none). Called on both write paths: the Document Service middleware (the
   * Content Manager: before its required-field check) and the database lifecycle (the Query Engine).
   * The read goes through the Query Engine, which joins the write's transaction.
   */
  async fillRoomCapacity(data: Record<string, unknown>): Promise<void> {
    const given = data.room_capacity;
    if (given !== undefined && given !== null && given !== '') return;
    const venue = venueOf(data.venue);
    // A documentId names both locale rows of the venue: the Italian one (`default_capacity` is
    // not localized, the copies share it).
    const where = venue && 'documentId' in venue ? { ...venue, ...baseLocale } : venue;
    const row = where
      ? ((await strapi.db.query(UID.venue).findOne({ where, select: ['default_capacity'] })) as {
          default_capacity: number | null;
        } | null)
      : null;
    data.room_capacity = row?.default_capacity ?? 0;
  },

  /** Refuses negative or non-integer capacities and more manually occupied seats than seats. */
  checkCapacityShape(capacity: Capacity): void {
    const problems: FieldError[] = [];
    for (const field of CAPACITY_FIELDS) {
      if (!Number.isInteger(capacity[field]) || capacity[field] < 0) {
        problems.push(fieldError(field, say(strapi, `Dev'essere un numero intero non negativo.`, `Must be a whole number, not negative.`)));
      }
    }
    if (problems.length > 0) refuse(ERROR_CODES.capacityInvalid, problems);
    const seats = capacity.room_capacity + capacity.additional_seats;
    if (capacity.manually_occupied_seats > seats) {
      refuse(ERROR_CODES.capacityInvalid, [
        fieldError(
          'manually_occupied_seats',
          say(
            strapi,
            `I posti occupati manualmente (${capacity.manually_occupied_seats}) superano i posti della sala più quelli aggiuntivi (${seats}).`,
            `Manually occupied seats (${capacity.manually_occupied_seats}) exceed room capacity plus additional seats (${seats}).`
          )
        ),
      ]);
    }
  },

  /** Rule for a new performance: its data alone. */
  checkNewPerformance(data: Record<string, unknown>): void {
    this.checkCapacityShape({
      room_capacity: pick(data, {}, 'room_capacity'),
      additional_seats: pick(data, {}, 'additional_seats'),
      manually_occupied_seats: pick(data, {}, 'manually_occupied_seats'),
    });
  },

  /**
   * Rule for an edit: the new capacities must still hold every confirmed seat. The performance
   * row is locked first, as confirmation does, so no confirmation slips in between the count and
   * the write (when the write runs in a transaction, as every Document Service write does).
   */
  async checkPerformanceUpdate(where: Record<string, unknown>, data: Record<string, unknown>): Promise<void> {
    if (!CAPACITY_FIELDS.some((field) => field in data)) return;
    await transaction(strapi, async ({ trx }) => {
      const found: { id: number } | null = await strapi.db.queryBuilder(UID.performance).select(['id']).where(where).first().execute();
      if (!found) return;
      // Capacities read under the seat ledger's lock (this transaction's, once).
      const capacity = await getService(strapi, 'seat-ledger').lock(trx, found.id);
      if (!capacity) return;
      const current: { id: number } & Capacity = { id: found.id, ...capacity };
      const next: Capacity = {
        room_capacity: pick(data, current, 'room_capacity'),
        additional_seats: pick(data, current, 'additional_seats'),
        manually_occupied_seats: pick(data, current, 'manually_occupied_seats'),
      };
      this.checkCapacityShape(next);
      const seats = await getService(strapi, 'availability').forPerformance(current.id, trx);
      // Seats held by waiting-list offers are promised like confirmed ones.
      const confirmed = (seats?.confirmedSeats ?? 0) + (seats?.heldSeats ?? 0);
      const bookable = seatsOffered(next);
      if (bookable < confirmed) {
        const changed = CAPACITY_FIELDS.filter((field) => next[field] !== current[field]);
        const message = say(
          strapi,
          `Questa modifica lascerebbe ${bookable} posti, ma ${confirmed} sono già confermati o tenuti per la lista d'attesa: ` +
            `aumenta i posti o annulla prima delle prenotazioni.`,
          `This change would leave ${bookable} seats, but ${confirmed} are already confirmed or held for the waiting list: ` +
            `add seats or cancel reservations first.`
        );
        refuse(
          ERROR_CODES.capacityBelowConfirmed,
          (changed.length > 0 ? changed : ['room_capacity' as const]).map((field) => fieldError(field, message))
        );
      }
    });
  },

  /**
   * A performance with confirmed seats cannot be deleted: the visitors hold tickets for it. Runs
   * in the delete's transaction (the Document Service's, joined by `strapi.db.transaction`; a
   * Query Engine delete gets one of its own) and reads only through it: SQLite has a single
   * connection, so a read outside it would wait for the transaction that waits for the read. The
   * performance row is locked first, as confirmation does, so no ticket is issued between the
   * count and the delete. Unconfirmed reservations and waiting-list entries do not hold it back:
   * their personal data is erased with it (privacy.eraseForPerformance), as retention would.
   */
  async checkPerformanceDelete(where: Record<string, unknown>): Promise<void> {
    await transaction(strapi, async ({ trx }) => {
      const current: {
        id: number;
      } | null = await strapi.db.queryBuilder(UID.performance).select(['id']).where(where).first().execute();
      if (!current) return;
      await getService(strapi, 'seat-ledger').lock(trx, current.id);
      const seats = await getService(strapi, 'availability').forPerformance(current.id, trx);
      if (seats && seats.confirmedSeats > 0) {
        throw new errors.ValidationError(
          say(
            strapi,
            `Questa replica ha ${seats.confirmedSeats} posti confermati: annulla prima le prenotazioni.`,
            `This performance has ${seats.confirmedSeats} confirmed seats: cancel the reservations first.`
          ),
          { code: ERROR_CODES.capacityBelowConfirmed }
        );
      }
      await getService(strapi, 'privacy').eraseForPerformance(trx, current.id);
    });
  },

  /** A Query Engine `deleteMany`: each matching performance as `checkPerformanceDelete`, in one transaction. */
  async checkPerformancesDelete(where: Record<string, unknown>): Promise<void> {
    await transaction(strapi, async () => {
      const rows = (await strapi.db.query(UID.performance).findMany({ where, select: ['id'] })) as Array<{ id: number }>;
      for (const row of rows) await this.checkPerformanceDelete({ id: row.id });
    });
  },
});

export type PerformancesService = ReturnType<typeof createPerformancesService>;
export default createPerformancesService;
