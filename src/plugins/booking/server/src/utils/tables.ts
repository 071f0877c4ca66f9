import type { Core } from '@strapi/strapi';
import { UID } from '../constants';

interface JoinTable {
  name: string;
  joinColumn: { name: string };
  inverseJoinColumn: { name: string };
}

/** A relation's link table as Strapi's schema sync made it (Strapi 5 keeps every relation in one). */
const joinTableOf = (strapi: Core.Strapi, uid: string, attribute: string): JoinTable => {
  const meta = strapi.db.metadata.get(uid as never) as unknown as {
    attributes: Record<string, { joinTable?: JoinTable }>;
  };
  const joinTable = meta.attributes[attribute]?.joinTable;
  if (!joinTable) throw new Error(`booking: ${uid}.${attribute} has no link table`);
  return joinTable;
};

const tableOf = (strapi: Core.Strapi, uid: string): string =>
  (strapi.db.metadata.get(uid as never) as unknown as { tableName: string }).tableName;

/**
 * The physical names the raw SQL of the plugin needs: the row lock, the availability sum and the
 * constraints. Read from Strapi's metadata rather than spelt out, so a rename stays in one place.
 */
export const bookingTables = (strapi: Core.Strapi) => {
  const reservationPerformance = joinTableOf(strapi, UID.reservation, 'performance');
  const checkInReservation = joinTableOf(strapi, UID.checkIn, 'reservation');
  const tokenReservation = joinTableOf(strapi, UID.reservationToken, 'reservation');
  return {
    performances: tableOf(strapi, UID.performance),
    reservations: tableOf(strapi, UID.reservation),
    tokens: tableOf(strapi, UID.reservationToken),
    checkIns: tableOf(strapi, UID.checkIn),
    scans: tableOf(strapi, UID.scan),
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
  };
};
export type BookingTables = ReturnType<typeof bookingTables>;
