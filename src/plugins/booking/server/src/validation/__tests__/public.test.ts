import { parseOrThrow } from '../parse';
import { reservationInput } from '../public';

const good = { performance: 'abc123', name: 'Maria Rossi', email: 'maria@example.test', party_size: 2 };

/** The fields a body is refused for (empty when it is accepted). */
const refusedFields = (body: Record<string, unknown>) => {
  try {
    parseOrThrow(reservationInput(10) as never, body);
    return [];
  } catch (error) {
    const details = (error as { details: { code: string; errors: { path: string[] }[] } }).details;
    expect(details.code).toBe('validation');
    return [...new Set(details.errors.map((e) => e.path.join('.')))];
  }
};

describe('the names rule', () => {
  test.each([
    ['Maria Rossi'],
    ['N'],
    ['Ngũgĩ wa Thiong’o'],
    ['Zoë D’Angelo-Brontë'],
    ['李小龍'],
    ['محمد'],
    ['𝕬𝖟𝖎𝖔𝖓𝖊 🎭'],
    ['x'.repeat(120)],
  ])('takes %s', (name) => {
    expect(refusedFields({ ...good, name })).toEqual([]);
  });

  test.each([
    ['empty', ''],
    ['blank', '   '],
    ['121 characters', 'x'.repeat(121)],
    ['a line break', 'Maria\nRossi'],
    ['a tab', 'Maria\tRossi'],
    ['an escape', 'Maria\u001b[31mRossi'],
    ['DEL', 'Maria\u007f'],
    ['a C1 control', 'Maria\u0085Rossi'],
    ['a right-to-left override', 'Maria \u202eissoR'],
    ['a left-to-right embedding', '\u202aMaria'],
    ['a pop directional formatting', 'Maria\u202c'],
    ['a first-strong isolate', 'Maria \u2068Rossi\u2069'],
    ['a left-to-right isolate', '\u2066Maria'],
    ['a zero-width space', 'Ma\u200bria'],
    ['a zero-width joiner', 'Maria\u200d'],
    ['a zero-width non-joiner', 'Maria\u200c'],
    ['a word joiner', 'Maria\u2060Rossi'],
    ['a byte order mark', '\ufeffMaria'],
    ['a left-to-right mark', 'Maria\u200eRossi'],
    ['a right-to-left mark', '\u200fMaria'],
    ['an Arabic letter mark', 'Maria\u061c'],
    ['a line separator', 'Maria\u2028Rossi'],
    ['a paragraph separator', 'Maria\u2029'],
    ['the Hangul filler alone', '\u3164'],
    ['the Hangul filler', 'Maria\u3164Rossi'],
    ['the halfwidth Hangul filler', '\uffa0'],
    ['the Hangul choseong filler', '\u115f'],
    ['the Braille blank', '\u2800'],
    ['a soft hyphen', 'Ma\u00adria'],
    ['a Mongolian vowel separator', 'Maria\u180e'],
    ['a tag character', 'Maria\u{e0041}'],
    ['an @', 'maria@example.test'],
    ['a lone @', '@'],
  ])('refuses a name with %s, naming `name`', (_label, name) => {
    expect(refusedFields({ ...good, name })).toEqual(['name']);
  });

  test.each([
    ['a right-to-left override', 'maria\u202e@example.test'],
    ['a zero-width space', 'ma\u200bria@example.test'],
    ['a left-to-right mark in the domain', 'maria@exam\u200eple.test'],
    ['a line separator', 'maria\u2028@example.test'],
    ['the Hangul filler', '\u3164@example.test'],
  ])('refuses an address with %s, naming `email`', (_label, email) => {
    expect(refusedFields({ ...good, email })).toEqual(['email']);
  });

  test('a name that is not a string is refused, naming `name`', () => {
    expect(refusedFields({ ...good, name: 42 })).toEqual(['name']);
  });
});
