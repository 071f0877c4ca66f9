import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import en from '../en.json';
import it from '../it.json';

test('Italian and English say the same things: the same keys, none empty', () => {
  expect(Object.keys(it).sort()).toEqual(Object.keys(en).sort());
  for (const messages of [en, it]) expect(Object.values(messages).filter((text) => text.trim() === '')).toEqual([]);
});

test('the door tells a refused, limited or busy answer apart from an invalid ticket', () => {
  const door = ['result.invalid', 'result.forbidden', 'result.rate_limited', 'result.server_busy'] as const;
  for (const messages of [en, it]) expect(new Set(door.map((key) => messages[key])).size).toBe(door.length);
});

test("every message a page asks for with t('id', ...) is in both languages", () => {
  const root = path.join(__dirname, '..', '..');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
    (file) => /\.tsx?$/.test(file) && !file.includes('__tests__')
  );
  const asked = new Set<string>();
  for (const file of files) {
    for (const match of readFileSync(path.join(root, file), 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) asked.add(match[1]);
  }
  // The pages do ask: the pattern would otherwise find nothing and pass.
  expect(asked.size).toBeGreaterThan(60);
  const missing = [...asked].filter((id) => !(id in en) || !(id in it));
  expect(missing).toEqual([]);
});
