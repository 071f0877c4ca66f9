import { checkInInput, isPlainValidScan } from '../admin';
import { parseOrThrow } from '../parse';

const accepted = (body: unknown) => {
  try {
    parseOrThrow(checkInInput, body);
    return true;
  } catch {
    return false;
  }
};

const token = 'A'.repeat(43);
const bodies: unknown[] = [
  { token },
  { token, performance: 'abc123', source: 'qr_scan' },
  { token, performance: 'abc123', source: 'manual', idempotency_key: 'key-0001' },
  { token: 'x'.repeat(2048) },
  { token: 'x'.repeat(2049) },
  { token: '' },
  { token: ' ' },
  { token, performance: 'ABC' },
  { token, performance: 'a'.repeat(65) },
  { token, performance: '' },
  { token, source: 'typed' },
  { token, source: null },
  { token, idempotency_key: 'short' },
  { token, idempotency_key: 'k'.repeat(65) },
  { token, idempotency_key: 'not valid!' },
  { token, idempotency_key: 12345678 },
  { token: 42 },
  { token: null },
  { token, reference: 'K7Q2XM3A' },
  { reference: 'K7Q2XM3A', performance: 'abc123' },
  { token, offline: false },
  { token, offline: true, idempotency_key: 'key-0001', scanned_at: '2026-12-06T20:31:05Z' },
  { token, extra: 1 },
  { performance: 'abc123' },
  {},
  [],
  null,
  'token',
];

test('the everyday scan’s quick check accepts nothing that the full schema refuses', () => {
  for (const body of bodies) {
    if (isPlainValidScan(body)) expect([body, accepted(body)]).toEqual([body, true]);
  }
});

test('the quick check takes the scanner’s usual bodies', () => {
  expect(isPlainValidScan({ token, performance: 'abc123', source: 'qr_scan' })).toBe(true);
  expect(isPlainValidScan({ token, performance: 'abc123', source: 'qr_scan', idempotency_key: 'key-0001' })).toBe(true);
  expect(isPlainValidScan({ reference: 'K7Q2XM3A', performance: 'abc123' })).toBe(false);
  expect(isPlainValidScan({ token, offline: true })).toBe(false);
});
