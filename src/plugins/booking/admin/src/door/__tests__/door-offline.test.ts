/**
 * The scanner's offline judgment, against the contract (API.md, "The door when the network
 * drops"): a record sealed as the server must seal it (Node's own crypto: HKDF-SHA256 and
 * AES-256-GCM) opens with the ticket's token through the browser's WebCrypto code, and with no
 * other; the id is the token's SHA-256; the judgment follows the server's order.
 */
import { createCipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { extractToken as serverExtractToken } from '../../../../server/src/services/tokens';
import { sealDoorRecord } from '../../../../server/src/utils/door-seal';
import { judge, mergeSnapshot } from '../judge';
import { openSealed, ticketId } from '../seal';
import { extractToken } from '../token';
import type { SnapshotPerformance, SnapshotTicket, StoredSnapshot } from '../types';

const seal = (token: string, record: object) => {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(token, 'utf8'), Buffer.alloc(0), Buffer.from('azionelab-door-v1'), 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
};
const newToken = () => randomBytes(32).toString('base64url');

test('a sealed record opens with its own token and with no other; a damaged one does not open', async () => {
  const token = newToken();
  const record = { reference: 'AB12CD34', holder: 'Lucia B.', access_needs: ['wheelchair'] };
  const sealed = seal(token, record);
  await expect(openSealed(token, sealed)).resolves.toEqual(record);
  await expect(openSealed(newToken(), sealed)).resolves.toBeNull();
  const damaged = `${sealed.slice(0, 20)}${sealed[20] === 'A' ? 'B' : 'A'}${sealed.slice(21)}`;
  await expect(openSealed(token, damaged)).resolves.toBeNull();
  await expect(openSealed(token, 'not base64url!')).resolves.toBeNull();
  // And what the server itself seals at issue.
  await expect(openSealed(token, sealDoorRecord(token, { reference: 'ZZ99', holder: 'Anna R.', access_needs: [] }))).resolves.toEqual({
    reference: 'ZZ99',
    holder: 'Anna R.',
    access_needs: [],
  });
});

test("a ticket's id is the lowercase hex SHA-256 of its token", async () => {
  const token = newToken();
  await expect(ticketId(token)).resolves.toBe(createHash('sha256').update(token).digest('hex'));
});

test('the phone finds the token in a scanned text as the server does', () => {
  const token = newToken();
  const texts = [
    token,
    `  ${token}\n`,
    `https://teatro.example/t?token=${token}`,
    `https://teatro.example/t?x=1&token=${encodeURIComponent(token)}#token=${token}`,
    'definitely-not-a-ticket',
    token.slice(1),
    `${token}x`,
    'https://x.example/?token=%E0%A4%A',
    '',
  ];
  for (const text of texts) expect(extractToken(text)).toBe(serverExtractToken(text));
  expect(extractToken(`https://teatro.example/t?token=${token}`)).toBe(token);
});

const performance = (documentId: string, startsInMinutes: number): SnapshotPerformance => {
  const start = Date.now() + startsInMinutes * 60_000;
  return {
    documentId,
    starts_at: new Date(start).toISOString(),
    show_title: 'Amleto',
    venue_name: 'Sala',
    check_in_opens_at: new Date(start - 60 * 60_000).toISOString(),
    check_in_closes_at: new Date(start + 30 * 60_000).toISOString(),
  };
};
const entry = (id: string, more: Partial<SnapshotTicket> = {}): SnapshotTicket => ({
  id,
  party_size: 2,
  status: 'confirmed',
  checked_in_at: null,
  sealed: 'x',
  ...more,
});
const snapshotOf = (p: SnapshotPerformance, tickets: SnapshotTicket[]): StoredSnapshot =>
  mergeSnapshot(null, { performance: p, cursor: 'c1', tickets }, new Date());

test('the judgment: ok, twice, revoked, another evening, made up, too early, too late, in the server order', () => {
  const tonight = performance('tonight', 30);
  const tomorrow = performance('tomorrow', 26 * 60);
  const snapshot = snapshotOf(tonight, [
    entry('a'),
    entry('in', { checked_in_at: new Date().toISOString() }),
    entry('gone', { status: 'revoked', checked_in_at: new Date().toISOString() }),
  ]);
  const others = [snapshotOf(tomorrow, [entry('t'), entry('t-gone', { status: 'revoked' })]), snapshot];
  const now = new Date();
  const at = (id: string | null, admittedAt: string | null = null, when = now) =>
    judge({ id, snapshot, others, admittedAt, now: when }).result;
  expect(at('a')).toBe('ok');
  expect(at('a', now.toISOString())).toBe('already_checked_in');
  expect(judge({ id: 'a', snapshot, others, admittedAt: now.toISOString(), now }).admitted_here).toBe(true);
  expect(at('in')).toBe('already_checked_in');
  // A cancelled booking's ticket is not good on any evening, whatever else is true of it.
  expect(at('gone')).toBe('not_confirmed');
  expect(at('t')).toBe('wrong_performance');
  expect(judge({ id: 't', snapshot, others, admittedAt: null, now }).performance?.documentId).toBe('tomorrow');
  expect(at('t-gone')).toBe('not_confirmed');
  expect(at('made-up')).toBe('invalid');
  expect(at(null)).toBe('invalid');
  expect(at('a', null, new Date(Date.parse(tonight.check_in_opens_at) - 1000))).toBe('too_early');
  expect(at('a', null, new Date(Date.parse(tonight.check_in_closes_at) + 1000))).toBe('too_late');
});

test('an incremental answer replaces the entries it names and keeps the others', () => {
  const tonight = performance('tonight', 30);
  const first = snapshotOf(tonight, [entry('a'), entry('b')]);
  const later = mergeSnapshot(
    first,
    { performance: tonight, cursor: 'c2', tickets: [entry('b', { status: 'revoked' }), entry('c')] },
    new Date()
  );
  expect(later.cursor).toBe('c2');
  expect(Object.keys(later.tickets).sort()).toEqual(['a', 'b', 'c']);
  expect(later.tickets.b.status).toBe('revoked');
});
