/**
 * The door snapshot's cryptography, with the browser's own WebCrypto (no library): a ticket's id
 * is the SHA-256 of its raw token, and its sealed record opens only with that token
 * (HKDF-SHA256, salt empty, info "azionelab-door-v1", then AES-256-GCM), as API.md fixes it.
 */
import { DOOR_SEAL_INFO, DOOR_SEAL_IV_BYTES } from '../../../shared/door-snapshot';
import type { SealedRecord } from './types';

const INFO = new TextEncoder().encode(DOOR_SEAL_INFO);
const IV_BYTES = DOOR_SEAL_IV_BYTES;

const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

/** base64url (no padding) to bytes; null when it is not base64url. */
const fromBase64Url = (text: string): Uint8Array | null => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
};

/** The ticket's id in the snapshot: lowercase hex SHA-256 of the raw token's UTF-8 bytes. */
export const ticketId = async (rawToken: string) => hex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(rawToken)));

const keyOf = async (rawToken: string) => {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(rawToken), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['decrypt']
  );
};

/** The ticket's record opened with its raw token; null when the token does not open it (or it is damaged). */
export const openSealed = async (rawToken: string, sealed: string): Promise<SealedRecord | null> => {
  const bytes = fromBase64Url(sealed);
  if (!bytes || bytes.length <= IV_BYTES + 16) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES) },
      await keyOf(rawToken),
      bytes.slice(IV_BYTES)
    );
    const record = JSON.parse(new TextDecoder().decode(plain)) as Partial<SealedRecord>;
    return {
      reference: String(record.reference ?? ''),
      holder: String(record.holder ?? ''),
      access_needs: Array.isArray(record.access_needs) ? record.access_needs : [],
    };
  } catch {
    // The wrong key or a damaged record: GCM's tag refuses it.
    return null;
  }
};
