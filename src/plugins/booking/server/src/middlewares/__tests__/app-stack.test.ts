import type { Core } from '@strapi/strapi';
import { placeAppMiddlewares } from '../app-stack';

type Entry = string | { name: string; config?: Record<string, unknown> };

/** Just what placeAppMiddlewares reads and writes of Strapi: the config store. */
const fakeStrapi = (middlewares: Entry[] | undefined) => {
  const store: Record<string, unknown> = {
    middlewares,
    'server.url': '',
    'server.port': 1337,
    'plugin::booking': { allowedOrigins: [], publicUrl: 'https://tickets.example.org/site', pagesPath: '/site' },
  };
  return {
    store,
    strapi: {
      config: {
        get: (key: string, fallback?: unknown) => store[key] ?? fallback,
        set: (key: string, value: unknown) => {
          store[key] = value;
        },
      },
    } as unknown as Core.Strapi,
  };
};
const names = (list: Entry[]) => list.map((e) => (typeof e === 'string' ? e : e.name));

describe("the plugin's app-level middlewares", () => {
  it("are placed into Strapi's default list when the app has none", () => {
    const { store, strapi } = fakeStrapi(undefined);
    placeAppMiddlewares(strapi);
    expect(names(store.middlewares as Entry[])).toEqual([
      'plugin::booking.request-log',
      'strapi::errors',
      'plugin::booking.path-guard',
      'strapi::security',
      'strapi::cors',
      'strapi::poweredBy',
      'strapi::session',
      'strapi::query',
      'plugin::booking.public-answers',
      'plugin::booking.body-errors',
      'strapi::body',
      'plugin::booking.email-guard',
      'plugin::booking.draft-actions',
      'strapi::favicon',
      'strapi::public',
    ]);
  });

  it('leave one the app placed itself where it is, and are not added twice', () => {
    const own: Entry[] = [
      'plugin::booking.path-guard',
      'strapi::logger',
      'strapi::errors',
      'strapi::security',
      'strapi::cors',
      'strapi::query',
      'strapi::body',
      'strapi::public',
      'strapi::favicon',
    ];
    const { store, strapi } = fakeStrapi(own);
    placeAppMiddlewares(strapi);
    placeAppMiddlewares(strapi);
    const list = names(store.middlewares as Entry[]);
    expect(list.indexOf('plugin::booking.path-guard')).toBe(0);
    expect(list.filter((n) => n.startsWith('plugin::booking.'))).toHaveLength(6);
    expect(list.indexOf('plugin::booking.request-log')).toBe(1);
  });

  it("answer the booking origins on the visitors' paths and the app's CORS elsewhere", async () => {
    const { store, strapi } = fakeStrapi([
      'strapi::errors',
      { name: 'strapi::cors', config: { origin: ['https://admin.example.org'], headers: ['Content-Type'] } },
      'strapi::body',
    ]);
    placeAppMiddlewares(strapi);
    const cors = (store.middlewares as Entry[]).find((e) => typeof e !== 'string' && e.name === 'strapi::cors') as unknown as {
      config: { origin: (ctx: { path: string }) => unknown; headers: string[] };
    };
    expect(await cors.config.origin({ path: '/api/booking/shows' })).toEqual(['http://localhost:1337', 'https://tickets.example.org']);
    expect(await cors.config.origin({ path: '/SITE/confirm/' })).toEqual(['http://localhost:1337', 'https://tickets.example.org']);
    expect(await cors.config.origin({ path: '/site/widget.js' })).toEqual(['*']);
    expect(await cors.config.origin({ path: '/admin/init' })).toEqual(['https://admin.example.org']);
    expect(cors.config.headers).toEqual(['Content-Type', 'Idempotency-Key']);
  });
});
