import { extractToken, hashToken } from '../tokens';

const token = 'q6S0dHhN9tq4ZzD3gk2Vn8d2pYwG8Jj3xk1m7Qf0aBc';

describe('extractToken', () => {
  test('takes a bare token, trimmed', () => {
    expect(extractToken(`  ${token}\n`)).toBe(token);
  });

  test('takes the last token= parameter of a scanned URL', () => {
    expect(extractToken(`https://example.test/ticket?token=${'x'.repeat(43)}&token=${token}`)).toBe(token);
    expect(extractToken(`https://example.test/t#token=${token}`)).toBe(token);
  });

  test('refuses what cannot be one of our tokens, without a database query', () => {
    expect(extractToken('')).toBeNull();
    expect(extractToken('hello')).toBeNull();
    expect(extractToken(`${token}x`)).toBeNull();
    expect(extractToken("' OR 1=1 --")).toBeNull();
    expect(extractToken('https://example.test/?token=%E0%A4%A')).toBeNull();
  });
});

describe('hashToken', () => {
  test('is the hex SHA-256 of the raw token', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
