import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { errors } from '@strapi/utils';
import { ERROR_CODES, UID } from '../constants';
import { getService } from '../utils/get-service';
import { dataOf } from '../data';
import type { PerformanceFacts } from '../data/performances';
import type { SeatCounts } from './availability';
import { publicKeys, seatsTag } from './public-cache';
import { isBookable, isWaitlistOpen, performanceStatus, type BookingState } from '../rules';
import type { PerformanceRow } from './reservations';
import { renderMarkdown } from '../utils/markdown';
import { baseLocale, readEnglishTexts, SHOW_TEXTS, translated, VENUE_TEXTS, type Texts, type TextLanguage } from '../utils/locales';

export type { PerformanceFacts } from '../data/performances';

export interface PublicVenue {
  name: string;
  slug: string;
  address: string | null;
  city: string | null;
}

export interface PublicPerformance {
  documentId: string;
  starts_at: string;
  venue: PublicVenue | null;
  is_booking_enabled: boolean;
  status: 'scheduled' | 'cancelled'; // cancelled: listed until its date, never bookable (issue 22)
  available_seats: number;
  bookable: boolean;
  /** Booking open and no seat left: the waiting list takes names. */
  waitlist_open: boolean;
  show?: { title: string; slug: string };
}

interface MediaRow {
  url: string;
  alternativeText: string | null;
  width: number | null;
  height: number | null;
}

interface ShowRow {
  id: number;
  documentId: string;
  title: string;
  slug: string;
  summary: string | null;
  description: string | null;
  poster_image: MediaRow | null;
}

const iso = (value: string | Date) => new Date(value).toISOString();

/** What a slug or a documentId can look like: anything else cannot exist, and needs no query. */
const SLUG = /^[A-Za-z0-9_.~-]{1,200}$/;
const DOCUMENT_ID = /^[a-z0-9]{1,64}$/;

const publicVenue = (venue: PerformanceRow['venue']): PublicVenue | null =>
  venue ? { name: venue.name, slug: venue.slug, address: venue.address, city: venue.city } : null;

const poster = (media: MediaRow | null) =>
  media ? { url: media.url, alternativeText: media.alternativeText, width: media.width, height: media.height } : null;

const PERFORMANCE_FIELDS = ['id', 'documentId', 'starts_at', 'is_booking_enabled', 'cancelled_at'] as const;
const VENUE_POPULATE = { select: ['documentId', 'name', 'slug', 'address', 'city'] } as const;

/**
 * What visitors may see: published shows, their performances that have not started, seats left.
 * Every answer is built field by field from an allow-list, so nothing personal or internal (venue
 * notes, capacities, ids) can leak through a new attribute.
 */
const createCatalogueService = ({ strapi }: { strapi: Core.Strapi }) => {
  const availability = () => getService(strapi, 'availability');
  /**
   * The public GETs go through a short cache (BOOKING_PUBLIC_CACHE_SECONDS), emptied on every
   * instance when a change is committed (services/public-cache.ts); bookings never read it.
   */
  const cached = <T>(key: string, load: () => Promise<T>, tagsOf?: (value: T) => readonly string[]): Promise<T> =>
    getService(strapi, 'public-cache').get(key, load, tagsOf);
  /** The seat counters an answer was computed from, so that a change of seats drops it. */
  const seatIds = new WeakMap<object, number[]>();
  const withSeatIds = <T extends object>(value: T, ids: number[]): T => {
    seatIds.set(value, ids);
    return value;
  };
  const seatTags = (value: object) => (seatIds.get(value) ?? []).map(seatsTag);

  /** Whether a visitor may book now; the performances answered here are all of published shows. */
  const bookable = (performance: Omit<BookingState, 'is_published'>, availableSeats: number, now: Date) =>
    isBookable({ ...performance, is_published: true }, availableSeats, now);

  const waitlistOpen = (performance: Omit<BookingState, 'is_published'>, availableSeats: number, now: Date) =>
    isWaitlistOpen({ ...performance, is_published: true }, availableSeats, now);

  /** The English copies' texts of these shows or venues (utils/locales.ts). */
  const englishTexts = (uid: typeof UID.show | typeof UID.venue, documentIds: Array<string | undefined>, lang: TextLanguage) =>
    readEnglishTexts(strapi, uid, documentIds, lang);
  const venueTexts = (rows: PerformanceRow[], lang: TextLanguage) =>
    englishTexts(
      UID.venue,
      rows.map((row) => (row.venue as { documentId?: string } | null)?.documentId),
      lang
    );
  const inLanguage = (row: PerformanceRow, venues: Texts): PerformanceRow =>
    row.venue ? { ...row, venue: translated(row.venue, venues, (row.venue as { documentId?: string }).documentId, VENUE_TEXTS) } : row;

  const toPublicPerformance = (row: PerformanceRow, seats: SeatCounts | undefined, now: Date): PublicPerformance => {
    const available = seats?.availableSeats ?? 0;
    return {
      documentId: row.documentId,
      starts_at: iso(row.starts_at),
      venue: publicVenue(row.venue),
      is_booking_enabled: Boolean(row.is_booking_enabled),
      status: performanceStatus(row),
      available_seats: available,
      bookable: bookable(row, available, now),
      waitlist_open: waitlistOpen(row, available, now),
    };
  };

  return {
    /** Published shows, a page at a time, each with the start of its next performance. */
    async listShows(page: number, pageSize: number, now = new Date(), lang: TextLanguage = 'it') {
      // The Italian rows: every show once, whatever copies it has.
      const where = { is_published: true, ...baseLocale };
      const [rows, total] = await Promise.all([
        strapi.db.query(UID.show).findMany({
          where,
          select: ['id', 'documentId', 'title', 'slug', 'summary'],
          populate: { poster_image: true },
          orderBy: [{ title: 'asc' }, { id: 'asc' }],
          offset: (page - 1) * pageSize,
          limit: pageSize,
        }) as Promise<ShowRow[]>,
        strapi.db.query(UID.show).count({ where }),
      ]);
      const upcoming = (await strapi.db.query(UID.performance).findMany({
        where: { show: { id: { $in: rows.map((row) => row.id) } }, starts_at: { $gt: now }, cancelled_at: { $null: true } },
        select: ['starts_at'],
        populate: { show: { select: ['id'] } },
        orderBy: { starts_at: 'asc' },
      })) as Array<{ starts_at: string; show: { id: number } | null }>;
      const next = new Map<number, string>();
      for (const p of upcoming) if (p.show && !next.has(p.show.id)) next.set(p.show.id, iso(p.starts_at));
      const english = await englishTexts(
        UID.show,
        rows.map((row) => row.documentId),
        lang
      );

      return {
        data: rows
          .map((base) => translated(base, english, base.documentId, SHOW_TEXTS))
          .map((row) => ({
            documentId: row.documentId,
            title: row.title,
            slug: row.slug,
            summary: row.summary,
            poster_image: poster(row.poster_image),
            next_performance_at: next.get(row.id) ?? null,
          })),
        pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total },
      };
    },

    /** A published show with its performances that have not started, soonest first. */
    async showBySlug(slug: string, now = new Date(), lang: TextLanguage = 'it') {
      if (!SLUG.test(slug)) throw new errors.NotFoundError('Show not found', { code: ERROR_CODES.showNotFound });
      const base = (await strapi.db.query(UID.show).findOne({
        where: { slug, is_published: true, ...baseLocale },
        select: ['id', 'documentId', 'title', 'slug', 'summary', 'description'],
        populate: { poster_image: true },
      })) as ShowRow | null;
      if (!base) throw new errors.NotFoundError('Show not found', { code: ERROR_CODES.showNotFound });
      const row = translated(base, await englishTexts(UID.show, [base.documentId], lang), base.documentId, SHOW_TEXTS);
      const found = (await strapi.db.query(UID.performance).findMany({
        where: { show: { id: row.id }, starts_at: { $gt: now } },
        select: [...PERFORMANCE_FIELDS],
        populate: { venue: VENUE_POPULATE },
        orderBy: { starts_at: 'asc' },
      })) as PerformanceRow[];
      const venues = await venueTexts(found, lang);
      const performances = found.map((p) => inLanguage(p, venues));
      const seats = await availability().forPerformances(performances.map((p) => p.id));
      return withSeatIds(
        {
          documentId: row.documentId,
          title: row.title,
          slug: row.slug,
          summary: row.summary,
          description: row.description,
          description_html: renderMarkdown(row.description),
          poster_image: poster(row.poster_image),
          next_performance_at: performances[0] ? iso(performances[0].starts_at) : null,
          performances: performances.map((p) => toPublicPerformance(p, seats.get(p.id), now)),
        },
        performances.map((p) => p.id)
      );
    },

    /** One performance of a published show, with its show and seats left. */
    async performanceByDocumentId(documentId: string, now = new Date(), lang: TextLanguage = 'it'): Promise<PublicPerformance> {
      if (!DOCUMENT_ID.test(documentId)) {
        throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
      }
      const found = (await strapi.db.query(UID.performance).findOne({
        where: { documentId },
        select: [...PERFORMANCE_FIELDS],
        populate: { venue: VENUE_POPULATE, show: { select: ['documentId', 'title', 'slug', 'is_published'] } },
      })) as PerformanceRow | null;
      if (!found || !found.show?.is_published) {
        throw new errors.NotFoundError('Performance not found', { code: ERROR_CODES.performanceNotFound });
      }
      const showId = (found.show as { documentId?: string }).documentId;
      const [venues, shows] = await Promise.all([venueTexts([found], lang), englishTexts(UID.show, [showId], lang)]);
      const row = inLanguage(found, venues);
      const show = translated(found.show, shows, showId, SHOW_TEXTS);
      const seats = await availability().forPerformance(row.id);
      return withSeatIds({ ...toPublicPerformance(row, seats ?? undefined, now), show: { title: show.title, slug: show.slug } }, [row.id]);
    },

    /** The public fields of a venue. */
    async venueBySlug(slug: string, lang: TextLanguage = 'it'): Promise<PublicVenue> {
      if (!SLUG.test(slug)) throw new errors.NotFoundError('Venue not found', { code: ERROR_CODES.venueNotFound });
      const base = (await strapi.db.query(UID.venue).findOne({
        where: { slug, ...baseLocale },
        select: ['documentId', 'name', 'slug', 'address', 'city'],
      })) as (PublicVenue & { documentId: string }) | null;
      if (!base) throw new errors.NotFoundError('Venue not found', { code: ERROR_CODES.venueNotFound });
      const row = translated(base, await englishTexts(UID.venue, [base.documentId], lang), base.documentId, VENUE_TEXTS);
      return { name: row.name, slug: row.slug, address: row.address, city: row.city };
    },

    toPublicPerformance,

    /** The same reads, answered from the short public cache. */
    cachedListShows(page: number, pageSize: number, lang: TextLanguage = 'it') {
      return cached(`shows:${lang}:${page}:${pageSize}`, () => this.listShows(page, pageSize, new Date(), lang));
    },
    cachedShowBySlug(slug: string, lang: TextLanguage = 'it') {
      return cached(publicKeys.show(lang, slug), () => this.showBySlug(slug, new Date(), lang), seatTags);
    },
    cachedPerformance(documentId: string, lang: TextLanguage = 'it') {
      return cached(publicKeys.performance(lang, documentId), () => this.performanceByDocumentId(documentId, new Date(), lang), seatTags);
    },
    /**
     * What the door and the ticket mail say of a performance (start, show, venue), from the short
     * cache: they ask for the same one or two performances over and over, and planning this
     * five-table join costs PostgreSQL more than running it. Null when there is no such row.
     * `knex`: the caller's transaction, when it holds a connection already (the door, under its
     * ticket's lock: a second connection per scan could exhaust the pool).
     */
    performanceFacts(
      performanceId: number,
      lang: TextLanguage = 'it',
      knex: Knex = strapi.db.connection
    ): Promise<PerformanceFacts | null> {
      return cached(`facts:${lang}:${performanceId}`, () => dataOf(strapi).performances.facts(knex, performanceId, lang));
    },

    /**
     * A performance as the public reads show it (from the short cache), with the seats left
     * that the caller has just counted: the answer to a confirmation, which knows them exactly.
     */
    async performanceWithSeats(
      documentId: string,
      availableSeats: number,
      now = new Date(),
      lang: TextLanguage = 'it'
    ): Promise<PublicPerformance> {
      // Its own key, not tagged with the seats: a confirmation storm would otherwise empty it at
      // every confirmation, and the seats it holds are replaced here anyway.
      const load = () => this.performanceByDocumentId(documentId, new Date(), lang);
      const performance = await cached(`performance-info:${lang}:${documentId}`, load).catch(load);
      return {
        ...performance,
        available_seats: availableSeats,
        bookable: bookable(performance, availableSeats, now),
        waitlist_open: waitlistOpen(performance, availableSeats, now),
      };
    },
    cachedVenue(slug: string, lang: TextLanguage = 'it') {
      return cached(`venue:${lang}:${slug}`, () => this.venueBySlug(slug, lang));
    },
  };
};

export type CatalogueService = ReturnType<typeof createCatalogueService>;
export default createCatalogueService;
