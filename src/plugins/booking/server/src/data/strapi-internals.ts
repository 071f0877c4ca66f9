/**
 * Strapi's internals that the plugin's raw SQL relies on, resolved in one place: the physical
 * names of tables and of their relation link tables (read from Strapi's metadata, not spelt
 * out), and the columns Strapi keeps on every row it makes. tests/strapi-internals.test.ts fails
 * if a Strapi upgrade changes any of them, so the raw SQL cannot break silently.
 */
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';

/**
 * The confirmed-seat counter per performance: a table of the plugin's own, made in bootstrap and
 * unknown to Strapi's schema sync (which leaves it alone), so editors never see or edit it.
 */
export const SEATS_TABLE = 'booking_performance_seats';

interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
}

/** A relation's link table as Strapi's schema sync made it (Strapi 5 keeps every relation in one). */
const joinTableOf = (strapi: Core.Strapi, uid: string, attribute: string): JoinTable => {
  const found = strapi.db.metadata.get(uid).attributes[attribute];
  const joinTable = found && 'joinTable' in found ? found.joinTable : undefined;
  if (!joinTable || !('joinColumn' in joinTable) || !('inverseJoinColumn' in joinTable)) {
    throw new Error(`booking: ${uid}.${attribute} has no link table`);
  }
  return {
    name: joinTable.name,
    joinColumn: { name: joinTable.joinColumn.name },
    inverseJoinColumn: { name: joinTable.inverseJoinColumn.name },
  };
};

const tableOf = (strapi: Core.Strapi, uid: string): string => strapi.db.metadata.get(uid).tableName;

/**
 * The physical names the raw SQL of the plugin needs: the row lock, the availability sum and the
 * constraints. Read from Strapi's metadata rather than spelt out, so a rename stays in one place.
 */
const resolveTables = (strapi: Core.Strapi) => {
  const reservationPerformance = joinTableOf(strapi, UID.reservation, 'performance');
  const checkInReservation = joinTableOf(strapi, UID.checkIn, 'reservation');
  const tokenReservation = joinTableOf(strapi, UID.reservationToken, 'reservation');
  const outboxReservation = joinTableOf(strapi, UID.outboxMessage, 'reservation');
  const performanceShow = joinTableOf(strapi, UID.performance, 'show');
  const performanceVenue = joinTableOf(strapi, UID.performance, 'venue');
  const checkInStaff = joinTableOf(strapi, UID.checkIn, 'checked_in_by');
  const scanPerformance = joinTableOf(strapi, UID.scan, 'performance');
  const scanReservation = joinTableOf(strapi, UID.scan, 'reservation');
  const scanStaff = joinTableOf(strapi, UID.scan, 'scanned_by');
  const entryPerformance = joinTableOf(strapi, UID.waitlistEntry, 'performance');
  const entryOffer = joinTableOf(strapi, UID.waitlistEntry, 'offer');
  const outboxEntry = joinTableOf(strapi, UID.outboxMessage, 'waitlist_entry');
  const link = (jt: JoinTable) => ({ table: jt.name, from: jt.joinColumn.name, to: jt.inverseJoinColumn.name });
  return {
    performances: tableOf(strapi, UID.performance),
    reservations: tableOf(strapi, UID.reservation),
    tokens: tableOf(strapi, UID.reservationToken),
    checkIns: tableOf(strapi, UID.checkIn),
    scans: tableOf(strapi, UID.scan),
    outbox: tableOf(strapi, UID.outboxMessage),
    webhooks: tableOf(strapi, UID.webhook),
    webhookDeliveries: tableOf(strapi, UID.webhookDelivery),
    shows: tableOf(strapi, UID.show),
    venues: tableOf(strapi, UID.venue),
    adminUsers: tableOf(strapi, 'admin::user'),
    waitlistEntries: tableOf(strapi, UID.waitlistEntry),
    /** from: the entry, to: the performance it waits for. */
    entryPerformance: link(entryPerformance),
    /** from: the entry, to: the reservation offered to it. */
    entryOffer: link(entryOffer),
    /** from: the outgoing e-mail, to: the entry it is about. */
    outboxEntry: link(outboxEntry),
    performanceVenue: link(performanceVenue),
    checkInStaff: link(checkInStaff),
    scanPerformance: link(scanPerformance),
    scanReservation: link(scanReservation),
    scanStaff: link(scanStaff),
    reservationPerformance: {
      table: reservationPerformance.name,
      reservation: reservationPerformance.joinColumn.name,
      performance: reservationPerformance.inverseJoinColumn.name,
    },
    checkInReservation: {
      table: checkInReservation.name,
      checkIn: checkInReservation.joinColumn.name,
      reservation: checkInReservation.inverseJoinColumn.name,
    },
    tokenReservation: {
      table: tokenReservation.name,
      token: tokenReservation.joinColumn.name,
      reservation: tokenReservation.inverseJoinColumn.name,
    },
    outboxReservation: {
      table: outboxReservation.name,
      message: outboxReservation.joinColumn.name,
      reservation: outboxReservation.inverseJoinColumn.name,
    },
    performanceShow: {
      table: performanceShow.name,
      performance: performanceShow.joinColumn.name,
      show: performanceShow.inverseJoinColumn.name,
    },
  };
};
export type BookingTables = ReturnType<typeof resolveTables>;

const cache = new WeakMap<Core.Strapi, BookingTables>();

/** The tables, resolved once per app instance (the metadata does not change while it runs). */
export const bookingTables = (strapi: Core.Strapi): BookingTables => {
  let tables = cache.get(strapi);
  if (!tables) cache.set(strapi, (tables = resolveTables(strapi)));
  return tables;
};

const DOCUMENT_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A Strapi documentId for rows the plugin inserts with raw SQL (24 lowercase letters and digits). */
export const newDocumentId = () => Array.from(randomBytes(24), (byte) => DOCUMENT_ID_ALPHABET[byte % DOCUMENT_ID_ALPHABET.length]).join('');

/** The columns Strapi keeps on every row of a content type without draft & publish. */
export const systemColumns = (now: Date) => ({
  document_id: newDocumentId(),
  created_at: now,
  updated_at: now,
  published_at: now,
});
