import type { Core } from '@strapi/strapi';
import { UID, type CheckInResult, type CheckInSource } from '../constants';
import type { Knex } from 'knex';
import { getConfig, getService } from '../utils/get-service';
import { insertWithLinks, systemColumns } from '../utils/rows';
import { bookingTables } from '../utils/tables';
import { hashToken } from './tokens';
import { extractToken } from './tokens';
import type { CreateCheckIn, TicketView } from '../../../shared/contracts';
import type { PerformanceFacts } from './catalogue';

export type CheckInAnswer = CreateCheckIn.Response['data'];

export interface ScanRequest {
  text: string;
  performance?: string;
  source?: CheckInSource;
  idempotencyKey?: string;
  staff: { id: number; firstname?: string | null; lastname?: string | null; username?: string | null };
  now?: Date;
}

interface AdminUser {
  id: number;
  firstname: string | null;
  lastname: string | null;
  username: string | null;
}

interface ReservationForDoor {
  id: number;
  reference: string;
  reservation_status: string;
  name: string;
  party_size: number;
  performance: PerformanceFacts | null;
}

/**
 * "Maria Rossi" -> "Maria R.", "Maria" -> "Maria": enough for the door, no more. Names can no
 * longer hold '@', but older rows may: whatever follows an '@' is never shown, so a holder is
 * never an e-mail address.
 */
export const holderOf = (name: string) => {
  const words = name.trim().split(/\s+/).filter(Boolean);
  // Words with an '@' go; a name that was only an address keeps what came before the '@'.
  const kept = words.filter((word) => !word.includes('@'));
  const parts = kept.length > 0 || words.length === 0 ? kept : [words[0].split('@')[0]].filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? '';
  // The initial by code point: a surname starting outside the BMP is not cut in half.
  const initial = Array.from(parts[parts.length - 1])[0].toUpperCase();
  return `${parts[0]} ${initial}.`;
};

const staffName = (user: AdminUser | null) =>
  user ? holderOf([user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || `#${user.id}`) : '';

/**
 * The door: turns a scanned text into one of the result codes of API.md. The only writer of
 * check-ins. The reservation row is locked for the decision, and a unique index allows one
 * check-in per reservation, so two scans of one ticket at the same moment, on any number of
 * devices and servers, give exactly one `ok`. Every scan is recorded, failed ones too, without
 * touching successful check-in state.
 */
const createCheckInService = ({ strapi }: { strapi: Core.Strapi }) => {
  const scanKey = (staffId: number, key?: string) => (key ? `${staffId}:${key}` : null);

  const previousAnswer = async (key: string | null): Promise<CheckInAnswer | null> => {
    if (!key) return null;
    const scan = (await strapi.db.query(UID.scan).findOne({
      where: { idempotency_key: key },
      select: ['response'],
    })) as { response: CheckInAnswer } | null;
    return scan?.response ?? null;
  };

  /**
   * Everything below runs a few plain SQL statements rather than the Query Engine's relation
   * bookkeeping: a door needs its answer before the next person steps up.
   */
  const t = () => bookingTables(strapi);
  const postgres = () => strapi.db.dialect.client === 'postgres';

  /** The scanner's chosen performance, where the scan is recorded (else the ticket's). */
  const chosenPerformanceId = async (knex: Knex, documentId?: string) => {
    if (!documentId) return null;
    const row = (await knex(t().performances).where('document_id', documentId).first('id')) as { id: number } | undefined;
    return row ? Number(row.id) : null;
  };

  const record = async (
    knex: Knex,
    request: ScanRequest,
    key: string | null,
    answer: CheckInAnswer,
    reservation: ReservationForDoor | null,
    now: Date
  ) => {
    const tables = t();
    const ticketPerformance = reservation?.performance ?? null;
    const performanceId =
      (request.performance && ticketPerformance?.documentId === request.performance
        ? ticketPerformance.id
        : await chosenPerformanceId(knex, request.performance)) ??
      ticketPerformance?.id ??
      null;
    await insertWithLinks(
      knex,
      postgres(),
      tables.scans,
      {
        ...systemColumns(now),
        result: answer.result,
        scanned_at: now,
        source: request.source ?? 'qr_scan',
        idempotency_key: key,
        response: JSON.stringify(answer),
      },
      [
        { ...tables.scanPerformance, target: performanceId },
        { ...tables.scanReservation, target: reservation?.id ?? null },
        { ...tables.scanStaff, target: request.staff.id },
      ]
    );
  };

  const ticketOf = (reservation: ReservationForDoor): TicketView => ({
    reference: reservation.reference,
    party_size: reservation.party_size,
    holder: holderOf(reservation.name),
    show_title: reservation.performance?.show?.title ?? '',
    starts_at: new Date(reservation.performance?.starts_at ?? 0).toISOString(),
    venue_name: reservation.performance?.venue?.name ?? '',
  });

  /** The reservation behind a check-in token and its performance, or null: indexed joins, no lock. */
  const reservationOfToken = async (raw: string) => {
    const tables = t();
    const [tl, rl] = [tables.tokenReservation, tables.reservationPerformance];
    const row = (await strapi.db
      .connection({ tk: tables.tokens })
      .join({ tl: tl.table }, `tl.${tl.token}`, 'tk.id')
      .leftJoin({ rl: rl.table }, `rl.${rl.reservation}`, `tl.${tl.reservation}`)
      .where({ 'tk.token_hash': hashToken(raw), 'tk.purpose': 'check_in' })
      .first({ reservationId: `tl.${tl.reservation}`, performanceId: `rl.${rl.performance}` })) as
      | { reservationId: number; performanceId: number | null }
      | undefined;
    return row ? { reservationId: Number(row.reservationId), performanceId: row.performanceId === null ? null : Number(row.performanceId) } : null;
  };

  /** Locks the reservation row (every scan of this ticket queues here) and reads it. */
  const lockForDoor = async (trx: Knex, reservationId: number, performance: PerformanceFacts | null): Promise<ReservationForDoor> => {
    const row = (await trx(t().reservations)
      .where('id', reservationId)
      .first('id', 'reference', 'reservation_status', 'name', 'party_size')
      .forUpdate()) as Record<string, unknown>;
    return {
      id: Number(row.id),
      reference: String(row.reference),
      reservation_status: String(row.reservation_status),
      name: String(row.name),
      party_size: Number(row.party_size),
      performance,
    };
  };

  /** The reservation's check-in, with who made it (read only when there is one), or undefined. */
  const existingCheckIn = async (trx: Knex, reservationId: number) => {
    const tables = t();
    const cr = tables.checkInReservation;
    const checkIn = (await trx({ cr: cr.table })
      .join({ c: tables.checkIns }, 'c.id', `cr.${cr.checkIn}`)
      .where(`cr.${cr.reservation}`, reservationId)
      .first({ id: 'c.id', checkedInAt: 'c.checked_in_at' })) as { id: number; checkedInAt: string | Date } | undefined;
    if (!checkIn) return undefined;
    const staff = (await trx({ cs: tables.checkInStaff.table })
      .join({ u: tables.adminUsers }, 'u.id', `cs.${tables.checkInStaff.to}`)
      .where(`cs.${tables.checkInStaff.from}`, checkIn.id)
      .first('u.id', 'u.firstname', 'u.lastname', 'u.username')) as AdminUser | undefined;
    return { checked_in_at: checkIn.checkedInAt, staff: staff ?? null };
  };

  const decide = async (request: ScanRequest, key: string | null, now: Date): Promise<CheckInAnswer> => {
    const raw = extractToken(request.text);
    const found = raw ? await reservationOfToken(raw) : null;
    if (found === null) {
      const answer: CheckInAnswer = { result: 'invalid' };
      await record(strapi.db.connection, request, key, answer, null, now);
      return answer;
    }

    // What the door shows of the performance, from the short cache (see catalogue.performanceFacts).
    const performance =
      found.performanceId === null ? null : await getService(strapi, 'catalogue').performanceFacts(found.performanceId);
    return strapi.db.transaction(async ({ trx }) => {
      const tables = t();
      const reservation = await lockForDoor(trx, found.reservationId, performance);
      // The idempotency key is read again under the lock.
      const replay = await previousAnswer(key);
      if (replay) return replay;

      const ticket = ticketOf(reservation);
      const answer = await (async (): Promise<CheckInAnswer> => {
        if (request.performance && reservation.performance?.documentId !== request.performance) {
          return { result: 'wrong_performance', ticket };
        }
        if (reservation.reservation_status !== 'confirmed') return { result: 'not_confirmed', ticket };
        const existing = await existingCheckIn(trx, reservation.id);
        if (existing) {
          return {
            result: 'already_checked_in',
            ticket,
            checked_in_at: new Date(existing.checked_in_at).toISOString(),
            checked_in_by: staffName(existing.staff),
          };
        }
        const config = getConfig(strapi);
        const startsAt = new Date(reservation.performance?.starts_at ?? 0).getTime();
        if (now.getTime() < startsAt - config.checkInOpensMinutesBefore * 60_000) return { result: 'too_early', ticket };
        if (now.getTime() > startsAt + config.checkInClosesMinutesAfter * 60_000) return { result: 'too_late', ticket };

        // The unique index on the reservation's link is the last word if two scans ever got past the lock.
        await insertWithLinks(trx, postgres(), tables.checkIns, { ...systemColumns(now), checked_in_at: now, source: request.source ?? 'qr_scan' }, [
          { table: tables.checkInReservation.table, from: tables.checkInReservation.checkIn, to: tables.checkInReservation.reservation, target: reservation.id },
          { ...tables.checkInStaff, target: request.staff.id },
        ]);
        const staff =
          request.staff.firstname !== undefined
            ? ({ id: request.staff.id, firstname: request.staff.firstname ?? null, lastname: request.staff.lastname ?? null, username: request.staff.username ?? null } as AdminUser)
            : ((await trx(tables.adminUsers).where('id', request.staff.id).first('id', 'firstname', 'lastname', 'username')) as AdminUser | undefined) ?? null;
        return { result: 'ok', ticket, checked_in_at: now.toISOString(), checked_in_by: staffName(staff) };
      })();
      await record(trx, request, key, answer, reservation, now);
      return answer;
    });
  };

  return {
    /** Checks in the ticket behind a scanned or typed text; see API.md for the result codes. */
    async checkInTicket(request: ScanRequest): Promise<CheckInAnswer> {
      const now = request.now ?? new Date();
      const key = scanKey(request.staff.id, request.idempotencyKey);
      // A repeated key is answered from its first scan: under the ticket's lock in decide(), or,
      // for a code that locks nothing, when the unique key refuses to record it twice.
      try {
        return await decide(request, key, now);
      } catch (error) {
        // The same key racing in on a scan that locked nothing (an invalid code): the first won.
        const first = await previousAnswer(key);
        if (first) return first;
        throw error;
      }
    },

    /** Door counts of one performance: seats, confirmed, pending, checked in. */
    async statistics(performanceDocumentId: string) {
      const performance = (await strapi.db.query(UID.performance).findOne({
        where: { documentId: performanceDocumentId },
        select: ['id'],
      })) as { id: number } | null;
      if (!performance) return null;
      const seats = (await getService(strapi, 'availability').forPerformance(performance.id, undefined, { withPending: true }))!;
      const checkedIn = (await strapi.db.query(UID.checkIn).findMany({
        where: { reservation: { performance: { id: performance.id } } },
        select: ['id'],
        populate: { reservation: { select: ['party_size'] } },
      })) as Array<{ reservation: { party_size: number } | null }>;
      return {
        room_capacity: seats.roomCapacity,
        additional_seats: seats.additionalSeats,
        manually_occupied_seats: seats.manuallyOccupiedSeats,
        confirmed_seats: seats.confirmedSeats,
        pending_seats: seats.pendingSeats,
        available_seats: seats.availableSeats,
        checked_in_seats: checkedIn.reduce((sum, c) => sum + (c.reservation?.party_size ?? 0), 0),
        checked_in_reservations: checkedIn.length,
      };
    },

    /** Performances for the scanner's picker: from those still in their window to the next week. */
    async doorPerformances(now = new Date()) {
      const config = getConfig(strapi);
      const rows = (await strapi.db.query(UID.performance).findMany({
        where: {
          starts_at: {
            $gt: new Date(now.getTime() - config.checkInClosesMinutesAfter * 60_000),
            $lt: new Date(now.getTime() + 7 * 24 * 3600_000),
          },
        },
        select: ['documentId', 'starts_at'],
        populate: { show: { select: ['title'] }, venue: { select: ['name'] } },
        orderBy: { starts_at: 'asc' },
      })) as Array<{ documentId: string; starts_at: string; show: { title: string } | null; venue: { name: string } | null }>;
      return rows.map((row) => {
        const startsAt = new Date(row.starts_at).getTime();
        return {
          documentId: row.documentId,
          starts_at: new Date(row.starts_at).toISOString(),
          show_title: row.show?.title ?? '',
          venue_name: row.venue?.name ?? '',
          check_in_open:
            now.getTime() >= startsAt - config.checkInOpensMinutesBefore * 60_000 &&
            now.getTime() <= startsAt + config.checkInClosesMinutesAfter * 60_000,
        };
      });
    },

    /** The latest scans of a performance, newest first, for the door overview. */
    async recentScans(performanceDocumentId: string, limit = 50) {
      const rows = (await strapi.db.query(UID.scan).findMany({
        where: { performance: { documentId: performanceDocumentId } },
        select: ['result', 'scanned_at', 'source'],
        populate: {
          scanned_by: { select: ['id', 'firstname', 'lastname', 'username'] },
          reservation: { select: ['reference', 'party_size'] },
        },
        orderBy: { scanned_at: 'desc' },
        limit,
      })) as Array<{
        result: CheckInResult;
        scanned_at: string;
        source: CheckInSource | null;
        scanned_by: AdminUser | null;
        reservation: { reference: string; party_size: number } | null;
      }>;
      return rows.map((row) => ({
        result: row.result,
        scanned_at: new Date(row.scanned_at).toISOString(),
        source: row.source,
        scanned_by: staffName(row.scanned_by),
        reference: row.reservation?.reference ?? null,
        party_size: row.reservation?.party_size ?? null,
      }));
    },
  };
};

export type CheckInService = ReturnType<typeof createCheckInService>;
export default createCheckInService;
