import { randomBytes, webcrypto } from 'node:crypto';
import { openDoorRecord, sealDoorRecord } from '../door-seal';

const token = () => randomBytes(32).toString('base64url');
const record = { reference: 'AZ-7K2M9Q', holder: 'Maria R.', access_needs: ['wheelchair' as const] };

test('a sealed record is base64url of a 12-byte IV, the ciphertext and a 16-byte tag, fresh each time', () => {
  const raw = token();
  const sealed = sealDoorRecord(raw, record);
  expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
  expect(Buffer.from(sealed, 'base64url')).toHaveLength(12 + Buffer.byteLength(JSON.stringify(record)) + 16);
  // A new IV every time: the same record sealed twice never looks the same.
  expect(sealDoorRecord(raw, record)).not.toBe(sealed);
});

test('only its own token opens it; a changed byte opens nothing', () => {
  const raw = token();
  const sealed = sealDoorRecord(raw, record);
  expect(openDoorRecord(raw, sealed)).toEqual(record);
  expect(openDoorRecord(token(), sealed)).toBeNull();
  const bytes = Buffer.from(sealed, 'base64url');
  bytes[bytes.length - 1] ^= 1;
  expect(openDoorRecord(raw, bytes.toString('base64url'))).toBeNull();
  expect(openDoorRecord(raw, 'short')).toBeNull();
});

test("WebCrypto (the browser's API) opens what node:crypto sealed: HKDF-SHA256, empty salt, the contract's info", async () => {
  const raw = token();
  const bytes = Buffer.from(sealDoorRecord(raw, record), 'base64url');
  const { subtle } = webcrypto;
  const material = await subtle.importKey('raw', new TextEncoder().encode(raw), 'HKDF', false, ['deriveKey']);
  const key = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode('azionelab-door-v1') },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt']
  );
  const plain = await subtle.decrypt({ name: 'AES-GCM', iv: bytes.subarray(0, 12) }, key, bytes.subarray(12));
  expect(JSON.parse(new TextDecoder().decode(plain))).toEqual(record);
});
