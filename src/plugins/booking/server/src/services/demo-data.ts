import type { Core } from '@strapi/strapi';
import { PLUGIN_ID, UID } from '../constants';
import { checkInTiming } from '../rules';
import { getConfig, getService } from '../utils/get-service';
import { BASE_LOCALE, baseLocale } from '../utils/locales';

/** Where the development app remembers which performance is "this evening's". */
const TONIGHT_KEY = 'demo-tonight-performance';

const DAY = 24 * 60 * 60 * 1000;

const VENUES = [
  {
    slug: 'teatro-studio-bologna',
    name: 'Teatro Studio',
    address: 'Via del Pratello 53',
    city: 'Bologna',
    english: null,
    notes: 'Ingresso artisti dal cortile. Chiavi in portineria.',
  },
  {
    slug: 'sala-fontana-milano',
    name: 'Sala Fontana',
    address: 'Via Boltraffio 21',
    city: 'Milano',
    english: { city: 'Milan' },
    notes: 'Montaggio dalle 14. Parcheggio per il furgone in via Thaon di Revel.',
  },
  {
    slug: 'spazio-rossellini-roma',
    name: 'Spazio Rossellini',
    address: 'Via della Vasca Navale 58',
    city: 'Roma',
    english: { city: 'Rome' },
    notes: null,
  },
] as const;

type VenueSlug = (typeof VENUES)[number]['slug'];

interface DemoShow {
  slug: string;
  title: string;
  summary: string;
  description: string;
  /** The English copy's texts (Strapi i18n, locale `en`). */
  english: { title: string; summary: string; description: string } | null;
  is_published: boolean;
  performances: Array<{
    venue: VenueSlug;
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

const SHOWS: DemoShow[] = [
  {
    slug: 'il-giardino-dei-ciliegi',
    title: 'Il giardino dei ciliegi',
    summary: 'Čechov in una casa che si svuota: una famiglia, un frutteto, l’ultima estate.',
    description:
      'La compagnia AzioneLab rilegge l’ultima commedia di Čechov con **otto attori e un pianoforte**.\n\n' +
      '- Durata: 1 ora e 50 minuti, senza intervallo\n- Adatto a tutti, dai 12 anni\n\n' +
      'Il testo è nella traduzione di [Angelo Maria Ripellino](https://it.wikipedia.org/wiki/Angelo_Maria_Ripellino).',
    english: {
      title: 'The Cherry Orchard',
      summary: 'Chekhov in a house being emptied: a family, an orchard, the last summer.',
      description:
        'AzioneLab reads Chekhov’s last comedy anew with **eight actors and a piano**.\n\n' +
        '- Running time: 1 hour 50 minutes, no interval\n- For everyone aged 12 and over\n\n' +
        'Performed in Italian, in the translation by [Angelo Maria Ripellino](https://en.wikipedia.org/wiki/Angelo_Maria_Ripellino).',
    },
    is_published: true,
    performances: [
      { venue: 'teatro-studio-bologna', inDays: -3, hour: 21, room_capacity: 80 },
      { venue: 'teatro-studio-bologna', inDays: 4, hour: 21, room_capacity: 80, manually_occupied_seats: 6 },
      { venue: 'teatro-studio-bologna', inDays: 5, hour: 18, room_capacity: 80, additional_seats: 10 },
      { venue: 'sala-fontana-milano', inDays: 19, hour: 20, room_capacity: 120 },
    ],
  },
  {
    slug: 'sei-personaggi-in-cerca-d-autore',
    title: 'Sei personaggi in cerca d’autore',
    summary: 'Pirandello in prova: sei figure irrompono e pretendono il loro dramma.',
    description: 'Uno spettacolo sul teatro che si guarda allo specchio. Adatto dai 14 anni. Durata 1 ora e 40 minuti.',
    english: {
      title: 'Six Characters in Search of an Author',
      summary: 'Pirandello in rehearsal: six figures burst in and demand their drama.',
      description: 'A play about theatre looking at itself in the mirror. For ages 14 and over. Running time 1 hour 40 minutes.',
    },
    is_published: true,
    performances: [
      { venue: 'sala-fontana-milano', inDays: 8, hour: 20, room_capacity: 120, manually_occupied_seats: 20 },
      { venue: 'sala-fontana-milano', inDays: 9, hour: 20, room_capacity: 120, is_booking_enabled: false },
      { venue: 'spazio-rossellini-roma', inDays: 26, hour: 21, room_capacity: 200, additional_seats: 20 },
    ],
  },
  {
    slug: 'la-locandiera',
    title: 'La locandiera',
    summary: 'Goldoni, una locanda fiorentina e una padrona che non si lascia comprare.',
    description: 'Commedia in tre atti, con *musiche dal vivo*.\n\nDurata **2 ore** con intervallo.',
    english: {
      title: 'The Mistress of the Inn',
      summary: 'Goldoni, an inn in Florence and a landlady who cannot be bought.',
      description: 'A comedy in three acts, with *live music*.\n\nRunning time **2 hours** with an interval.',
    },
    is_published: true,
    performances: [
      // Sold out at once, so the waiting list can be tried: join it, then cancel one of these two
      // parties in the Content Manager and the seats are offered to the list.
      {
        venue: 'teatro-studio-bologna',
        inDays: 6,
        hour: 21,
        room_capacity: 6,
        booked: [
          { name: 'Elena Conti', party_size: 4 },
          { name: 'Marco Riva', party_size: 2 },
        ],
      },
      { venue: 'spazio-rossellini-roma', inDays: 12, hour: 21, room_capacity: 30 },
      { venue: 'teatro-studio-bologna', inDays: 15, hour: 17, room_capacity: 60 },
    ],
  },
  {
    slug: 'studio-su-medea',
    title: 'Studio su Medea',
    summary: 'Lavoro in corso: prova aperta per pochi spettatori.',
    description: 'Una prova aperta del nuovo lavoro della compagnia. Non ancora in cartellone.',
    english: null,
    is_published: false,
    performances: [{ venue: 'teatro-studio-bologna', inDays: 33, hour: 19, room_capacity: 25 }],
  },
];

const atHour = (inDays: number, hour: number, now: Date) => {
  const day = new Date(now.getTime() + inDays * DAY);
  day.setUTCHours(hour - 1, 0, 0, 0); // Rome is UTC+1 in winter: a 21:00 show starts at 20:00Z.
  return day;
};

/**
 * The demo season for development: three venues, four shows (one unpublished), performances over
 * the coming weeks with varied seats, one in the past, one with booking off, and one sold out. Keyed by slug,
 * so running it twice creates nothing new.
 */
const createDemoDataService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Seeds what is missing and returns how many rows it created. */
  async seed(now = new Date()): Promise<number> {
    let created = 0;
    const venueIds = new Map<string, number>();
    for (const venue of VENUES) {
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
    for (const show of SHOWS) {
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
    const show = SHOWS[0];
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
