import type { Core } from '@strapi/strapi';
import { PLUGIN_ID, UID } from '../constants';
import { checkInTiming } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { BASE_LOCALE, baseLocale } from '../utils/locales';

/** Where the development app remembers which performance is "this evening's". */
const TONIGHT_KEY = 'demo-tonight-performance';

const DAY = 24 * 60 * 60 * 1000;

/** A venue of a demo season, keyed by its slug. */
export interface DemoVenue {
  slug: string;
  name: string;
  address: string;
  city: string;
  /** The English copy's texts (Strapi i18n, locale `en`). */
  english: { city?: string; name?: string; address?: string } | null;
  notes: string | null;
}

/** A show of a demo season, with its performances. */
export interface DemoShow {
  slug: string;
  title: string;
  summary: string;
  description: string;
  /** The English copy's texts (Strapi i18n, locale `en`). */
  english: { title: string; summary: string; description: string } | null;
  is_published: boolean;
  performances: Array<{
    /** A venue's slug. */
    venue: string;
    /** Days from today; negative is past. */
    inDays: number;
    hour: number;
    room_capacity: number;
    additional_seats?: number;
    manually_occupied_seats?: number;
    is_booking_enabled?: boolean;
    /** Parties booked at the box office (no address, no mail) when seeding: they may fill it. */
    booked?: Array<{ name: string; party_size: number }>;
  }>;
}

/**
 * A season for development and demonstrations, supplied by the app (the `demoSeason` setting):
 * the plugin seeds it into an empty database when `seedDemoData` is on, outside production.
 */
export interface DemoSeason {
  venues: DemoVenue[];
  shows: DemoShow[];
}

/** The app's season, or none. */
const seasonOf = (strapi: Core.Strapi): DemoSeason => getConfig(strapi).demoSeason ?? { venues: [], shows: [] };

const atHour = (inDays: number, hour: number, now: Date) => {
  const day = new Date(now.getTime() + inDays * DAY);
  day.setUTCHours(hour - 1, 0, 0, 0); // Rome is UTC+1 in winter: a 21:00 show starts at 20:00Z.
  return day;
};

/**
 * Seeds the app's demo season (the `demoSeason` setting): its venues, shows and performances,
 * keyed by slug, so running it twice creates nothing new.
 */
const createDemoDataService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Seeds what is missing and returns how many rows it created. */
  async seed(now = new Date()): Promise<number> {
    let created = 0;
    const { venues, shows } = seasonOf(strapi);
    const venueIds = new Map<string, number>();
    for (const venue of venues) {
      const existing = (await strapi.db.query(UID.venue).findOne({ where: { slug: venue.slug, ...baseLocale } })) as {
        id: number;
      } | null;
      if (existing) {
        venueIds.set(venue.slug, existing.id);
        continue;
      }
      const { english, ...fields } = venue;
      const row = (await strapi.db.query(UID.venue).create({ data: { ...fields, locale: BASE_LOCALE } })) as {
        id: number;
        documentId: string;
      };
      venueIds.set(venue.slug, row.id);
      created += 1;
      // The English copy: same document, its own row (the Content Manager's "English (en)").
      if (english) {
        await strapi.db.query(UID.venue).create({ data: { ...fields, ...english, documentId: row.documentId, locale: 'en' } });
        created += 1;
      }
    }
    for (const show of shows) {
      if (await strapi.db.query(UID.show).findOne({ where: { slug: show.slug, ...baseLocale } })) continue;
      const { performances, english, ...fields } = show;
      const row = (await strapi.db.query(UID.show).create({ data: { ...fields, locale: BASE_LOCALE } })) as {
        id: number;
        documentId: string;
      };
      created += 1;
      if (english) {
        await strapi.db.query(UID.show).create({ data: { ...fields, ...english, documentId: row.documentId, locale: 'en' } });
        created += 1;
      }
      for (const p of performances) {
        const performance = (await strapi.db.query(UID.performance).create({
          data: {
            show: row.id,
            venue: venueIds.get(p.venue),
            starts_at: atHour(p.inDays, p.hour, now),
            room_capacity: p.room_capacity,
            additional_seats: p.additional_seats ?? 0,
            manually_occupied_seats: p.manually_occupied_seats ?? 0,
            is_booking_enabled: p.is_booking_enabled ?? true,
          },
        })) as { documentId: string };
        created += 1;
        // Through the box office, so the seats are taken as any booking takes them; no mail goes.
        for (const party of p.booked ?? []) {
          const booked = await getService(strapi, 'box-office').book(performance.documentId, { ...party, send_ticket: false }, now);
          if (booked.ok) created += 1;
        }
      }
    }
    return created;
  },

  /**
   * Development only: makes sure one demo performance has its door open now, so the README's
   * walk-through (book, confirm, scan, "Benvenuti") works on whatever day `npm run develop`
   * starts. The first time it creates "this evening's" performance of the first demo show; later
   * starts move it to an hour from now unless its door is open already (an evening under way is
   * left where it is). Returns its documentId, or null when the demo season is not there.
   */
  async ensureTonight(now = new Date()): Promise<string | null> {
    const show = seasonOf(strapi).shows[0];
    if (!show?.performances.length) return null;
    const showRow = (await strapi.db.query(UID.show).findOne({ where: { slug: show.slug, ...baseLocale }, select: ['id'] })) as {
      id: number;
    } | null;
    const venueRow = (await strapi.db
      .query(UID.venue)
      .findOne({ where: { slug: show.performances[0].venue, ...baseLocale }, select: ['id'] })) as {
      id: number;
    } | null;
    if (!showRow || !venueRow) return null;
    const store = strapi.store({ type: 'plugin', name: PLUGIN_ID });
    const remembered = (await store.get({ key: TONIGHT_KEY })) as string | null;
    const existing = remembered
      ? ((await strapi.db
          .query(UID.performance)
          .findOne({ where: { documentId: remembered }, select: ['id', 'documentId', 'starts_at'] })) as {
          id: number;
          documentId: string;
          starts_at: string;
        } | null)
      : null;
    // An hour from now, on the quarter hour: inside the door's window (it opens two hours before).
    const startsAt = new Date(Math.ceil((now.getTime() + 60 * 60_000) / (15 * 60_000)) * 15 * 60_000);
    if (existing) {
      if (checkInTiming(existing.starts_at, now, getConfig(strapi)) !== 'open') {
        await strapi.db.query(UID.performance).update({ where: { id: existing.id }, data: { starts_at: startsAt } });
      }
      return existing.documentId;
    }
    const created = (await strapi.db.query(UID.performance).create({
      data: {
        show: showRow.id,
        venue: venueRow.id,
        starts_at: startsAt,
        room_capacity: 40,
        additional_seats: 0,
        manually_occupied_seats: 0,
        is_booking_enabled: true,
      },
    })) as { documentId: string };
    await store.set({ key: TONIGHT_KEY, value: created.documentId });
    return created.documentId;
  },

  /** True when the database holds no show yet: the demo season is seeded only then. */
  async isEmpty(): Promise<boolean> {
    return (await strapi.db.query(UID.show).count()) === 0;
  },
});

export type DemoDataService = ReturnType<typeof createDemoDataService>;
export default createDemoDataService;
