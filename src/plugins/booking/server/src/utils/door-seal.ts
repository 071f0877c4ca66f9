/**
 * Sealing a ticket's door record for the offline snapshot (API.md, "The door when the network
 * drops"): AES-256-GCM under a key only the ticket's raw token derives (HKDF-SHA256, empty salt,
 * info "azionelab-door-v1"), so a lost phone holding the snapshot reveals nobody. node:crypto
 * here; the scanner opens it with WebCrypto, which has the same three primitives.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { DOOR_SEAL_INFO, DOOR_SEAL_IV_BYTES, type DoorRecord } from '../../../shared/door-snapshot';

const TAG_BYTES = 16;

const keyOf = (rawToken: string): Buffer =>
  Buffer.from(hkdfSync('sha256', Buffer.from(rawToken, 'utf8'), Buffer.alloc(0), Buffer.from(DOOR_SEAL_INFO, 'utf8'), 32));

/** base64url(IV || ciphertext || tag) of the record's JSON, under the token's key. */
export const sealDoorRecord = (rawToken: string, record: DoorRecord): string => {
  const iv = randomBytes(DOOR_SEAL_IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyOf(rawToken), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
};

/** The record a sealed text holds, or null when this token does not open it. */
export const openDoorRecord = (rawToken: string, sealed: string): DoorRecord | null => {
  const bytes = Buffer.from(sealed, 'base64url');
  if (bytes.length < DOOR_SEAL_IV_BYTES + TAG_BYTES) return null;
  const iv = bytes.subarray(0, DOOR_SEAL_IV_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', keyOf(rawToken), iv);
  decipher.setAuthTag(tag);
  try {
    const text = Buffer.concat([decipher.update(bytes.subarray(DOOR_SEAL_IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(text.toString('utf8')) as DoorRecord;
  } catch {
    return null;
  }
};
