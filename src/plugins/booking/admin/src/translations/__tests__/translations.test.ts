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
