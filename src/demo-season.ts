/**
 * AzioneLab's demo season: three venues, four shows (one unpublished), performances over the
 * coming weeks with varied seats, one in the past, one with booking off, and one sold out (two
 * box-office parties fill it, so the waiting list can be tried). config/plugins.ts hands it to the
 * booking plugin (`demoSeason`), which seeds it into an empty database in development
 * (`BOOKING_SEED_DEMO`) and keeps one performance of the first show open at the door.
 */
import type { DemoSeason } from './plugins/booking/server/src/services/demo-data';

const venues: DemoSeason['venues'] = [
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
];

const shows: DemoSeason['shows'] = [
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

export const demoSeason: DemoSeason = { venues, shows };
