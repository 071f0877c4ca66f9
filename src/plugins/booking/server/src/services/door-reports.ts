import type { Core } from '@strapi/strapi';
import { UID, type CheckInResult, type CheckInSource } from '../constants';
import type { StaffMember } from '../data/check-ins';
import { checkInTiming } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import type { DoorPerformance, PerformanceStats, ScanRecord } from '../../../shared/contracts';
import { staffName } from './door';
import { dataOf } from '../data';

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
    };
  },

  /** Performances for the scanner's picker: from those still in their window to the next week. */
  async doorPerformances(now = new Date()): Promise<DoorPerformance[]> {
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
    return rows.map((row) => ({
      documentId: row.documentId,
      starts_at: new Date(row.starts_at).toISOString(),
      show_title: row.show?.title ?? '',
      venue_name: row.venue?.name ?? '',
      check_in_open: checkInTiming(row.starts_at, now, config) === 'open',
    }));
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
