import type { Core } from '@strapi/strapi';
import { UID, type CheckInResult, type CheckInSource } from '../constants';
import { getConfig, getService } from '../utils/get-service';
import { extractToken } from './tokens';
import type { CreateCheckIn, TicketView } from '../../../shared/contracts';

export type CheckInAnswer = CreateCheckIn.Response['data'];

export interface ScanRequest {
  text: string;
  performance?: string;
  source?: CheckInSource;
  idempotencyKey?: string;
  staff: { id: number };
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
  performance: {
    id: number;
    documentId: string;
    starts_at: string;
    show: { title: string } | null;
    venue: { name: string } | null;
  } | null;
}

/** "Maria Rossi" -> "Maria R.": enough for the door, no more. */
export const holderOf = (name: string) => {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length <= 1) return parts[0] ?? '';
  return `${parts[0]} ${parts[parts.length - 1][0].toUpperCase()}.`;
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

  /** The scanner's chosen performance, where the scan is recorded (else the ticket's). */
  const chosenPerformanceId = async (documentId?: string) => {
    if (!documentId) return null;
    const row = (await strapi.db.query(UID.performance).findOne({ where: { documentId }, select: ['id'] })) as {
      id: number;
    } | null;
    return row?.id ?? null;
  };

  const record = async (
    request: ScanRequest,
    key: string | null,
    answer: CheckInAnswer,
    reservation: ReservationForDoor | null,
    now: Date
  ) => {
    await strapi.db.query(UID.scan).create({
      data: {
        performance: (await chosenPerformanceId(request.performance)) ?? reservation?.performance?.id ?? null,
        reservation: reservation?.id ?? null,
        result: answer.result,
        scanned_at: now,
        scanned_by: request.staff.id,
        source: request.source ?? 'qr_scan',
        idempotency_key: key,
        response: answer,
      },
    });
  };

  const ticketOf = (reservation: ReservationForDoor): TicketView => ({
    reference: reservation.reference,
    party_size: reservation.party_size,
    holder: holderOf(reservation.name),
    show_title: reservation.performance?.show?.title ?? '',
    starts_at: new Date(reservation.performance?.starts_at ?? 0).toISOString(),
    venue_name: reservation.performance?.venue?.name ?? '',
  });

  const decide = async (request: ScanRequest, key: string | null, now: Date): Promise<CheckInAnswer> => {
    const raw = extractToken(request.text);
    const token = raw ? await getService(strapi, 'tokens').find(raw, 'check_in') : null;
    if (!token?.reservation) {
      const answer: CheckInAnswer = { result: 'invalid' };
      await record(request, key, answer, null, now);
      return answer;
    }

    return strapi.db.transaction(async () => {
      // The lock serialises every scan of this ticket; the idempotency key is read again under it.
      await strapi.db
        .queryBuilder(UID.reservation)
        .select(['id'])
        .where({ id: token.reservation!.id })
        .forUpdate()
        .first()
        .execute();
      const replay = await previousAnswer(key);
      if (replay) return replay;

      const reservation = (await strapi.db.query(UID.reservation).findOne({
        where: { id: token.reservation!.id },
        select: ['id', 'reference', 'reservation_status', 'name', 'party_size'],
        populate: {
          performance: {
            select: ['id', 'documentId', 'starts_at'],
            populate: { show: { select: ['title'] }, venue: { select: ['name'] } },
          },
        },
      })) as ReservationForDoor;
      const ticket = ticketOf(reservation);
      const answer = await (async (): Promise<CheckInAnswer> => {
        if (request.performance && reservation.performance?.documentId !== request.performance) {
          return { result: 'wrong_performance', ticket };
        }
        if (reservation.reservation_status !== 'confirmed') return { result: 'not_confirmed', ticket };
        const existing = (await strapi.db.query(UID.checkIn).findOne({
          where: { reservation: { id: reservation.id } },
          select: ['checked_in_at'],
          populate: { checked_in_by: { select: ['id', 'firstname', 'lastname', 'username'] } },
        })) as { checked_in_at: string; checked_in_by: AdminUser | null } | null;
        if (existing) {
          return {
            result: 'already_checked_in',
            ticket,
            checked_in_at: new Date(existing.checked_in_at).toISOString(),
            checked_in_by: staffName(existing.checked_in_by),
          };
        }
        const config = getConfig(strapi);
        const startsAt = new Date(reservation.performance?.starts_at ?? 0).getTime();
        if (now.getTime() < startsAt - config.checkInOpensMinutesBefore * 60_000) return { result: 'too_early', ticket };
        if (now.getTime() > startsAt + config.checkInClosesMinutesAfter * 60_000) return { result: 'too_late', ticket };

        await strapi.db.query(UID.checkIn).create({
          data: { reservation: reservation.id, checked_in_at: now, checked_in_by: request.staff.id, source: request.source ?? 'qr_scan' },
        });
        const staff = (await strapi.db.query('admin::user').findOne({
          where: { id: request.staff.id },
          select: ['id', 'firstname', 'lastname', 'username'],
        })) as AdminUser | null;
        return { result: 'ok', ticket, checked_in_at: now.toISOString(), checked_in_by: staffName(staff) };
      })();
      await record(request, key, answer, reservation, now);
      return answer;
    });
  };

  return {
    /** Checks in the ticket behind a scanned or typed text; see API.md for the result codes. */
    async checkInTicket(request: ScanRequest): Promise<CheckInAnswer> {
      const now = request.now ?? new Date();
      const key = scanKey(request.staff.id, request.idempotencyKey);
      const replay = await previousAnswer(key);
      if (replay) return replay;
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
