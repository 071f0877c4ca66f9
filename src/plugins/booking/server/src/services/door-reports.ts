import type { Core } from '@strapi/strapi';
import { UID, type CheckInResult, type CheckInSource } from '../constants';
import type { StaffMember } from '../data/check-ins';
import { checkInTiming } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import type { DoorPerformance, PerformanceStats, ScanRecord } from '../../../shared/contracts';
import type { OfflineConflict } from '../../../shared/door-snapshot';
import { staffName } from './door';
import { dataOf } from '../data';

/** More than a season holds, each way: the picker searches them in the browser. */
const DOOR_PERFORMANCES_LIMIT = 2000;

/**
 * What the door and the managers read about a performance: its counts, the scanner's list of
 * performances, the latest scans. Read models only: the decision at the door is services/door.ts.
 */
const createDoorReportsService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /**
   * Door counts of one performance: seats, confirmed, pending (ordinary, holding nothing), held
   * by waiting-list offers, waiting, checked in; null when unknown.
   */
  async statistics(performanceDocumentId: string): Promise<PerformanceStats | null> {
    const performance = (await strapi.db.query(UID.performance).findOne({
      where: { documentId: performanceDocumentId },
      select: ['id'],
    })) as { id: number } | null;
    if (!performance) return null;
    const seats = await getService(strapi, 'availability').forPerformance(performance.id, undefined, { withPending: true });
    if (!seats) return null;
    const waiting = await getService(strapi, 'waitlist').waitingCounts(performance.id);
    // One aggregate: the overview asks every few seconds, and a full house is a thousand rows.
    const checkedIn = await dataOf(strapi).checkIns.countsFor(strapi.db.connection, performance.id);
    return {
      room_capacity: seats.roomCapacity,
      additional_seats: seats.additionalSeats,
      manually_occupied_seats: seats.manuallyOccupiedSeats,
      confirmed_seats: seats.confirmedSeats,
      pending_seats: seats.pendingSeats,
      available_seats: seats.availableSeats,
      checked_in_seats: checkedIn.seats,
      checked_in_reservations: checkedIn.parties,
      held_seats: seats.heldSeats,
      waiting_entries: waiting.entries,
      waiting_seats: waiting.seats,
      offline_conflicts: await dataOf(strapi).scans.offlineConflictCount(strapi.db.connection, performance.id),
    };
  },

  /**
   * The offline conflicts of a performance (someone let in twice: an offline scan admitted a
   * ticket already checked in), latest first, with both times and both staff members; null when
   * the performance is unknown.
   */
  async offlineConflicts(performanceDocumentId: string, limit = 200): Promise<OfflineConflict[] | null> {
    const performanceId = await dataOf(strapi).performances.idOf(strapi.db.connection, performanceDocumentId);
    if (performanceId === null) return null;
    const rows = await dataOf(strapi).scans.offlineConflicts(strapi.db.connection, performanceId, limit);
    return rows.map((row) => ({
      reference: row.reference,
      checked_in_at: row.checkedInAt ? row.checkedInAt.toISOString() : null,
      checked_in_by: row.checkInStaff ? staffName(row.checkInStaff) : null,
      scanned_at: row.scannedAt.toISOString(),
      scanned_by: staffName(row.scanStaff),
    }));
  },

  /**
   * Performances for the door's and the box office's pickers: the whole season. Those not yet
   * past their check-in window come first, soonest first (tonight's at the top); then the past
   * ones, latest first, for the numbers and lists after the evening.
   */
  async doorPerformances(now = new Date()): Promise<DoorPerformance[]> {
    const config = getConfig(strapi);
    const windowClosed = new Date(now.getTime() - config.checkInClosesMinutesAfter * 60_000);
    type Row = { documentId: string; starts_at: string; show: { title: string; slug: string } | null; venue: { name: string } | null };
    const read = async (starts_at: Record<string, Date>, order: 'asc' | 'desc') =>
      (await strapi.db.query(UID.performance).findMany({
        where: { starts_at },
        select: ['documentId', 'starts_at'],
        populate: { show: { select: ['title', 'slug'] }, venue: { select: ['name'] } },
        orderBy: { starts_at: order },
        limit: DOOR_PERFORMANCES_LIMIT,
      })) as Row[];
    const coming = await read({ $gt: windowClosed }, 'asc');
    const past = await read({ $lte: windowClosed }, 'desc');
    const entry = (row: Row, isPast: boolean): DoorPerformance => ({
      documentId: row.documentId,
      starts_at: new Date(row.starts_at).toISOString(),
      show_title: row.show?.title ?? '',
      show_slug: row.show?.slug ?? '',
      venue_name: row.venue?.name ?? '',
      check_in_open: checkInTiming(row.starts_at, now, config) === 'open',
      past: isPast,
    });
    return [...coming.map((row) => entry(row, false)), ...past.map((row) => entry(row, true))];
  },

  /** The latest scans of a performance, newest first, for the door overview. */
  async recentScans(performanceDocumentId: string, limit = 50): Promise<ScanRecord[]> {
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
      scanned_by: StaffMember | null;
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
});

export type DoorReportsService = ReturnType<typeof createDoorReportsService>;
export default createDoorReportsService;
