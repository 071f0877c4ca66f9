import type { Core } from '@strapi/strapi';
import { service } from './app';

let sequence = 0;
const next = () => `${Date.now().toString(36)}-${(sequence += 1)}`;

export interface PerformanceFixture {
  id: number;
  documentId: string;
  showSlug: string;
  showTitle: string;
  venueSlug: string;
  /** ISO 8601 */
  startsAt: string;
}

/** A published show at a venue with one performance `startsInHours` from now. */
export const createPerformance = async (
  strapi: Core.Strapi,
  {
    room_capacity = 50,
    additional_seats = 0,
    manually_occupied_seats = 0,
    is_booking_enabled = true,
    is_published = true,
    startsInHours = 72,
  }: Partial<{
    room_capacity: number;
    additional_seats: number;
    manually_occupied_seats: number;
    is_booking_enabled: boolean;
    is_published: boolean;
    startsInHours: number;
  }> = {}
): Promise<PerformanceFixture> => {
  const key = next();
  const venue = (await strapi.db.query('plugin::booking.venue').create({
    data: {
      name: `Teatro ${key}`,
      slug: `teatro-${key}`,
      address: 'Via Roma 1',
      city: 'Bologna',
      notes: 'chiavi in portineria',
      locale: 'it',
    },
  })) as { id: number; slug: string };
  const show = (await strapi.db.query('plugin::booking.show').create({
    data: { title: `Spettacolo ${key}`, slug: `spettacolo-${key}`, summary: 'Una prova', is_published, locale: 'it' },
  })) as { id: number; slug: string; title: string };
  const performance = (await strapi.db.query('plugin::booking.performance').create({
    data: {
      show: show.id,
      venue: venue.id,
      starts_at: new Date(Date.now() + startsInHours * 3600_000),
      room_capacity,
      additional_seats,
      manually_occupied_seats,
      is_booking_enabled,
    },
  })) as { id: number; documentId: string; starts_at: string };
  return {
    id: performance.id,
    documentId: performance.documentId,
    showSlug: show.slug,
    showTitle: show.title,
    venueSlug: venue.slug,
    startsAt: new Date(performance.starts_at).toISOString(),
  };
};

/** A pending reservation made through the plugin's own service (no HTTP); throws unless it was made. */
export const pendingReservation = async (
  strapi: Core.Strapi,
  input: { performance: string; name?: string; email?: string; party_size: number }
) => {
  const created = await service(strapi, 'reservations').createReservation({
    name: 'Maria Rossi',
    email: 'maria.rossi@example.test',
    ...input,
  });
  if (!created.ok) throw new Error(`could not create: ${created.code}`);
  return created;
};

/** A reservation made and confirmed through the plugin's own services (no HTTP, no mail). */
export const confirmedReservation = async (strapi: Core.Strapi, performanceDocumentId: string, partySize: number) => {
  const created = await pendingReservation(strapi, { performance: performanceDocumentId, party_size: partySize });
  const confirmed = await service(strapi, 'reservations').confirmReservation(created.confirmationToken);
  if (!confirmed.ok) throw new Error(`could not confirm: ${confirmed.code}`);
  return confirmed;
};

/** A performance's seat counts; throws when there is no such performance. */
export const seatsOf = async (strapi: Core.Strapi, performanceId: number) => {
  const seats = await service(strapi, 'availability').forPerformance(performanceId);
  if (!seats) throw new Error(`no performance ${performanceId}`);
  return seats;
};
