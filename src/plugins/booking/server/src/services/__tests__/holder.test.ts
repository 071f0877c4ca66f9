import { holderOf } from '../door';

describe('the holder the door sees', () => {
  test('first name and the initial of the last', () => {
    expect(holderOf('Maria Rossi')).toBe('Maria R.');
    expect(holderOf('  Anna   Maria  de rossi ')).toBe('Anna R.');
  });

  test('a one-word name as it is, no more', () => {
    expect(holderOf('Maria')).toBe('Maria');
    expect(holderOf('  Maria  ')).toBe('Maria');
    expect(holderOf('')).toBe('');
  });

  test('never an e-mail address, from rows written before names lost their @', () => {
    expect(holderOf('maria.rossi@example.test')).toBe('maria.rossi');
    expect(holderOf('Maria Rossi maria@example.test')).toBe('Maria R.');
    expect(holderOf('@example.test')).toBe('');
    for (const name of ['maria.rossi@example.test', 'Maria maria@example.test', 'a@b.it c@d.it']) {
      expect(holderOf(name)).not.toMatch(/@|example|b\.it/);
    }
  });

  test('an initial outside the Basic Multilingual Plane stays whole', () => {
    expect(holderOf('Anna 𝕽ossi')).toBe('Anna 𝕽.');
  });
});
