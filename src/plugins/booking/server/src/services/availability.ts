import type { Core } from '@strapi/strapi';
import { createSeatsData } from '../data/seats';

export type { SeatCounts } from '../data/seats';

/**
 * Seats: the availability formula (rules/) over the confirmed-seat counter (data/seats.ts). A
 * service so that tests, the door and the catalogue reach it by name; the SQL lives in data/.
 */
const createAvailabilityService = ({ strapi }: { strapi: Core.Strapi }) => createSeatsData(strapi);

export type AvailabilityService = ReturnType<typeof createAvailabilityService>;
export default createAvailabilityService;
