import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { CheckInSource } from '../constants';
import { dataOf } from '../data';
import type { NewCheckIn, StaffMember } from '../data/check-ins';
import type { PerformanceFacts } from '../data/performances';
import type { ReservationRow } from '../data/reservations';
import type { NewScan } from '../data/scans';
import { lockCheckInTarget } from '../data/tokens';
import { checkInTiming, checkInWindow } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import type { CreateCheckIn, TicketView } from '../../../shared/contracts';
import { doorLabel } from './labels';
import { extractToken } from './tokens';
import { holderOf } from '../utils/holder';
import { transaction } from '../utils/transaction';

export type CheckInAnswer = CreateCheckIn.Response['data'];

export interface ScanRequest {
  /** The scanned text (a token or a URL ending in one); or else `reference`. */
  text?: string;
  /** The reference printed in the ticket mail, typed at the door (the performance is then required). */
  reference?: string;
  performance?: string;
  source?: CheckInSource;
  idempotencyKey?: string;
  staff: { id: number; firstname?: string | null; lastname?: string | null; username?: string | null };
  /**
   * A scan the device admitted on its own judgment with no network, uploaded later: judged at the
   * time the device scanned it (the door window, the check-in time), and recorded as an offline
   * conflict when the ticket had already been checked in by another scan.
   */
  offline?: { scannedAt: Date };
  now?: Date;
}

export { holderOf };

/** How the door names a staff member. */
export const staffName = (user: StaffMember | null) =>
  user ? holderOf([user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || `#${user.id}`) : '';

const ticketOf = (reservation: ReservationRow, performance: PerformanceFacts | null): TicketView => ({
  reference: reservation.reference,
  party_size: reservation.party_size,
  holder: holderOf(reservation.name),
  show_title: performance?.show?.title ?? '',
  starts_at: new Date(performance?.starts_at ?? 0).toISOString(),
  venue_name: performance?.venue?.name ?? '',
  access_needs: reservation.access_needs,
});

/**
 * The door's decision: turns a scanned text into one of the result codes of docs/api.md. The only
 * writer of check-ins. The reservation row is locked for the decision, and a unique index allows
 * one check-in per reservation, so two scans of one ticket at the same moment, on any number of
 * devices and servers, give exactly one `ok`. Every scan is recorded, failed ones too. A few
 * plain SQL statements (data/), not the Query Engine's relation bookkeeping: a door needs its
 * answer before the next person steps up.
 */
const createDoorService = ({ strapi }: { strapi: Core.Strapi }) => {
  const data = () => dataOf(strapi);
  const scanKey = (staffId: number, key?: string) => (key ? `${staffId}:${key}` : null);
  const previousAnswer = async (knex: Knex, key: string | null) => (key ? data().scans.answerOf<CheckInAnswer>(knex, key) : null);

  /** The scan's row: where it is recorded (the scanner's chosen performance, else the ticket's). */
  const scanOf = async (
    knex: Knex,
    request: ScanRequest,
    key: string | null,
    answer: CheckInAnswer,
    ticket: { reservation: ReservationRow; performance: PerformanceFacts | null } | null,
    now: Date
  ): Promise<NewScan> => {
    const ticketPerformance = ticket?.performance ?? null;
    const chosen =
      request.performance && ticketPerformance?.documentId !== request.performance
        ? await data().performances.idOf(knex, request.performance)
        : null;
    return {
      result: answer.result,
      source: request.source ?? 'qr_scan',
      idempotencyKey: key,
      response: answer,
      label: doorLabel(ticket?.reservation.reference, now, getConfig(strapi).timezone),
      performanceId: chosen ?? ticketPerformance?.id ?? null,
      reservationId: ticket?.reservation.id ?? null,
      staffId: request.staff.id,
      ...(request.offline ? { offline: { scannedAt: request.offline.scannedAt, conflict: answer.result === 'already_checked_in' } } : {}),
    };
  };

  /**
   * The ticket's reservation, locked: every scan of this ticket queues on its row. A scanned
   * token is looked up and locked in one statement; a typed reference is found first.
   */
  const lockTicket = async (trx: Knex, request: ScanRequest) => {
    if (request.reference !== undefined) {
      const found = await data().reservations.targetOfReference(trx, request.reference);
      if (found === null) return null;
      const reservation = await data().reservations.lock(trx, found.reservationId);
      return reservation ? { reservation, performanceId: found.performanceId } : 'gone';
    }
    const raw = extractToken(request.text ?? '');
    return raw ? lockCheckInTarget(strapi, trx, raw) : null;
  };

  /**
   * One transaction, and as few statements as the answer allows (the door counts round trips):
   * BEGIN, the ticket looked up and locked, its check-in read, the check-in and the scan written
   * in one statement, the webhook deliveries, COMMIT. The performance's facts come from the
   * short cache (see catalogue.performanceFacts).
   */
  const decide = async (request: ScanRequest, key: string | null, now: Date): Promise<CheckInAnswer> =>
    transaction(strapi, async ({ trx }) => {
      const found = await lockTicket(trx, request);
      if (found === null) {
        const answer: CheckInAnswer = { result: 'invalid' };
        await data().scans.insert(trx, await scanOf(trx, request, key, answer, null, now), now);
        return answer;
      }
      // The reservation went between its lookup and its lock (an erasure).
      if (found === 'gone') return { result: 'invalid' as const };
      const { reservation } = found;
      // The idempotency key is read again under the lock.
      const replay = await previousAnswer(trx, key);
      if (replay) return replay;
      const performance =
        found.performanceId === null ? null : await getService(strapi, 'catalogue').performanceFacts(found.performanceId, 'it', trx);

      const ticket = ticketOf(reservation, performance);
      const config = getConfig(strapi);
      // The ticket's own door times, so the scanner can say when to come back or which evening it is for.
      const window = checkInWindow(performance?.starts_at ?? new Date(0), config);
      const when = { check_in_opens_at: window.opensAt.toISOString(), check_in_closes_at: window.closesAt.toISOString() };
      /** The check-in to write with the scan, when the answer is `ok`. */
      let checkIn: NewCheckIn | null = null;
      const answer = await (async (): Promise<CheckInAnswer> => {
        // A ticket that is no good on any evening says so first: "it is for Thursday" would send
        // the holder of a cancelled booking away to come back on Thursday.
        if (reservation.reservation_status !== 'confirmed') return { result: 'not_confirmed', ticket };
        if (request.performance && performance?.documentId !== request.performance) return { result: 'wrong_performance', ticket, ...when };
        const existing = await data().checkIns.ofReservation(trx, reservation.id);
        if (existing) {
          return {
            result: 'already_checked_in',
            ticket,
            checked_in_at: existing.checkedInAt.toISOString(),
            checked_in_by: staffName(existing.staff),
          };
        }
        // An offline scan is judged, and dated, when the device admitted the holder.
        const at = request.offline?.scannedAt ?? now;
        const timing = checkInTiming(performance?.starts_at ?? new Date(0), at, config);
        if (timing !== 'open') return { result: timing, ticket, ...when };

        // The unique index on the reservation's link is the last word if two scans ever got past the lock.
        checkIn = {
          reservationId: reservation.id,
          staffId: request.staff.id,
          source: request.source ?? 'qr_scan',
          label: doorLabel(reservation.reference, at, config.timezone),
          checkedInAt: at,
        };
        const staff =
          request.staff.firstname !== undefined
            ? {
                id: request.staff.id,
                firstname: request.staff.firstname ?? null,
                lastname: request.staff.lastname ?? null,
                username: request.staff.username ?? null,
              }
            : await data().checkIns.staffMember(trx, request.staff.id);
        return { result: 'ok', ticket, checked_in_at: at.toISOString(), checked_in_by: staffName(staff) };
      })();
      const scan = await scanOf(trx, request, key, answer, { reservation, performance }, now);
      if (checkIn === null) {
        await data().scans.insert(trx, scan, now);
        return answer;
      }
      await data().dialect.insertAllWithLinks(trx, [data().checkIns.toInsert(checkIn, now), data().scans.toInsert(scan, now)]);
      await getService(strapi, 'events').announce(
        trx,
        { type: 'check-in.created', reservationId: reservation.id, performanceId: performance?.id ?? null },
        now
      );
      return answer;
    });

  return {
    /** Checks in the ticket behind a scanned or typed text; see docs/api.md for the result codes. */
    async checkInTicket(request: ScanRequest): Promise<CheckInAnswer> {
      const now = request.now ?? new Date();
      const key = scanKey(request.staff.id, request.idempotencyKey);
      // A repeated key is answered from its first scan: under the ticket's lock in decide(), or,
      // for a code that locks nothing, when the unique key refuses to record it twice.
      try {
        return await decide(request, key, now);
      } catch (error) {
        // The same key racing in on a scan that locked nothing (an invalid code): the first won.
        const first = await previousAnswer(strapi.db.connection, key);
        if (first) return first;
        throw error;
      }
    },
  };
};

export type DoorService = ReturnType<typeof createDoorService>;
export default createDoorService;
