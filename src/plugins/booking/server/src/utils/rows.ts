import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A Strapi documentId for rows the plugin inserts with raw SQL (24 lowercase letters and digits). */
export const newDocumentId = () =>
  Array.from(randomBytes(24), (byte) => ALPHABET[byte % ALPHABET.length]).join('');

/** The columns Strapi keeps on every row of a content type without draft & publish. */
export const systemColumns = (now: Date) => ({
  document_id: newDocumentId(),
  created_at: now,
  updated_at: now,
  published_at: now,
});

/** The id of an inserted row, as PostgreSQL (`[{ id }]`) or SQLite (`[id]` / `[{ id }]`) returns it. */
export const insertedId = (rows: unknown[]): number => {
  const first = rows[0] as number | { id: number };
  return typeof first === 'object' ? Number(first.id) : Number(first);
};
