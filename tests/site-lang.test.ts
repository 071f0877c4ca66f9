/**
 * The demo pages' language choice (public/site/site.js), run in a bare VM: only the page's own
 * languages count, never a property every object inherits (`?lang=constructor`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const source = readFileSync(path.join(__dirname, '..', 'public', 'site', 'site.js'), 'utf8');
const STOP = new Error('stop: the language is chosen');

/** The language site.js settles on for this query string and stored choice. */
const chosenLanguage = (search: string, stored: string | null = null): string => {
  let chosen = '';
  const context = {
    URLSearchParams,
    location: { search },
    navigator: { language: 'it-IT' },
    localStorage: {
      getItem: () => stored,
      setItem: (_key: string, value: string) => {
        chosen = value;
        // The rest of the page needs a DOM: what matters here is decided by now.
        throw STOP;
      },
    },
    document: { currentScript: { getAttribute: () => null } },
  };
  try {
    vm.runInNewContext(source, context);
  } catch (error) {
    if (error !== STOP) throw error;
  }
  return chosen;
};

test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'xx'])('?lang=%s falls back to Italian', (lang) => {
  expect(chosenLanguage(`?lang=${lang}`)).toBe('it');
});

test('a stored inherited name falls back to Italian too', () => {
  expect(chosenLanguage('', 'constructor')).toBe('it');
});

test('the page languages are taken', () => {
  expect(chosenLanguage('?lang=en')).toBe('en');
  expect(chosenLanguage('?lang=it')).toBe('it');
  expect(chosenLanguage('', 'en')).toBe('en');
});
