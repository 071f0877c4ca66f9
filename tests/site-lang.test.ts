/**
 * The demo pages' language choice (src/plugins/booking/pages/booking-core.js, which site.js and the widget
 * load): only the pages' own languages count, never a property every object inherits
 * (`?lang=constructor`). Run from the very file the browsers load.
 */
// jest's transform turns the browser's ES module into one that require() can load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require('../src/plugins/booking/pages/booking-core.js') as {
  chooseLanguage: (search: string, stored: string | null, browserLanguage: string) => string;
  pickLanguage: (...candidates: Array<string | null>) => string;
  TEXTS: Record<string, Record<string, unknown>>;
};

const chosenLanguage = (search: string, stored: string | null = null) => core.chooseLanguage(search, stored, 'it-IT');

test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'xx'])('?lang=%s falls back to Italian', (lang) => {
  expect(chosenLanguage(`?lang=${lang}`)).toBe('it');
  // The widget's lang attribute goes through the same gate.
  expect(core.pickLanguage(lang)).toBe('it');
});

test('a stored inherited name falls back to Italian too', () => {
  expect(chosenLanguage('', 'constructor')).toBe('it');
});

test('the page languages are taken', () => {
  expect(chosenLanguage('?lang=en')).toBe('en');
  expect(chosenLanguage('?lang=it')).toBe('it');
  expect(chosenLanguage('', 'en')).toBe('en');
  expect(core.chooseLanguage('', null, 'en-GB')).toBe('en');
  expect(core.pickLanguage('en')).toBe('en');
});

test('every text exists in both languages', () => {
  expect(Object.keys(core.TEXTS).sort()).toEqual(['en', 'it']);
  expect(Object.keys(core.TEXTS.en).sort()).toEqual(Object.keys(core.TEXTS.it).sort());
});

test("the pages ask the API for the show and venue texts in the page's language", async () => {
  const asked: string[] = [];
  const realFetch = global.fetch;
  global.fetch = (async (url: string) => {
    asked.push(url);
    return { ok: true, json: async () => ({ data: null }) };
  }) as unknown as typeof fetch;
  try {
    const api = (lang: string) =>
      (
        core as unknown as { bookingApi: (base: string, t: unknown, lang: string) => Record<string, (arg?: string) => Promise<unknown>> }
      ).bookingApi('/api/booking', core.TEXTS[lang], lang);
    await api('en').shows();
    await api('en').show('la-locandiera');
    await api('en').performance('abc123');
    await api('it').show('la-locandiera');
    expect(asked).toEqual([
      '/api/booking/shows?pageSize=100&lang=en',
      '/api/booking/shows/la-locandiera?lang=en',
      '/api/booking/performances/abc123?lang=en',
      '/api/booking/shows/la-locandiera',
    ]);
  } finally {
    global.fetch = realFetch;
  }
});
