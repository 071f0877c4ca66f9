import type { Core } from '@strapi/strapi';
import { service } from './app';
import { seatsOf } from './factories';

/**
 * The tokens of some reservations, read from the tokens' side (a reservation has no link back to
 * its tokens: see content-types/index.ts), by reservation id.
 */
export const tokensOf = async (strapi: Core.Strapi, reservationIds: number[]) => {
  const rows = (await strapi.db.query('plugin::booking.reservation-token').findMany({
    where: { reservation: { id: { $in: reservationIds } } },
    select: ['purpose', 'token_hash', 'used_at'],
    populate: { reservation: { select: ['id'] } },
  })) as Array<{ purpose: string; token_hash: string; used_at: string | null; reservation: { id: number } }>;
  const byReservation = new Map<number, typeof rows>(reservationIds.map((id) => [id, []]));
  for (const row of rows) byReservation.get(row.reservation.id)?.push(row);
  return byReservation;
};

/**
 * The promises of the product, checked from the database after a fault: no performance with more
 * confirmed seats than seats, every counter equal to its reservations, no reservation half done
 * (confirmed without its check-in and cancellation tokens or timestamps), no token without its
 * reservation.
 */
export const expectInvariants = async (strapi: Core.Strapi, performanceId: number, capacity: number) => {
  const seats = await seatsOf(strapi, performanceId);
  // Seats held by waiting-list offers are promised like confirmed ones.
  expect(seats.confirmedSeats + seats.heldSeats).toBeLessThanOrEqual(capacity);
  expect([...(await service(strapi, 'availability').recount()).entries()]).toEqual([]);

  const confirmed = (await strapi.db.query('plugin::booking.reservation').findMany({
    where: { performance: { id: performanceId }, reservation_status: 'confirmed' },
    select: ['id', 'confirmed_at', 'qr_code_generated_at', 'party_size'],
  })) as Array<{ id: number; confirmed_at: string | null; qr_code_generated_at: string | null; party_size: number }>;
  expect(confirmed.reduce((sum, r) => sum + r.party_size, 0)).toBe(seats.confirmedSeats);
  const tokens = await tokensOf(
    strapi,
    confirmed.map((r) => r.id)
  );
  for (const r of confirmed) {
    expect(r.confirmed_at).not.toBeNull();
    expect(r.qr_code_generated_at).not.toBeNull();
    const purposes = (tokens.get(r.id) ?? []).map((t) => t.purpose);
    expect(purposes.filter((p) => p === 'check_in').length).toBeGreaterThanOrEqual(1);
    expect(purposes.filter((p) => p === 'cancellation').length).toBeGreaterThanOrEqual(1);
  }
  const meta = strapi.db.metadata.get('plugin::booking.reservation-token' as never) as unknown as {
    tableName: string;
    attributes: { reservation: { joinTable: { name: string; joinColumn: { name: string } } } };
  };
  const link = meta.attributes.reservation.joinTable;
  const orphans = await strapi.db
    .connection(meta.tableName)
    .leftJoin(link.name, `${link.name}.${link.joinColumn.name}`, `${meta.tableName}.id`)
    .whereNull(`${link.name}.${link.joinColumn.name}`)
    .count({ n: '*' });
  expect(Number(orphans[0].n)).toBe(0);
  return { confirmedSeats: seats.confirmedSeats, confirmedReservations: confirmed.length };
};
