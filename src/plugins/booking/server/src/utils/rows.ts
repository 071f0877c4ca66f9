import type { Knex } from 'knex';
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

export interface LinkTo {
  table: string;
  /** The link table's column that points at the new row. */
  from: string;
  /** The column that points at the target. */
  to: string;
  /** The target's id; no link is written when null. */
  target: number | null;
}

/**
 * Inserts a row of a content type and its relation links, returning the new id. On PostgreSQL
 * this is one statement (data-modifying CTEs), one round trip where the door counts each;
 * elsewhere (SQLite in development) one statement each. Pass the transaction when in one.
 */
export const insertWithLinks = async (
  knex: Knex,
  postgres: boolean,
  table: string,
  row: Record<string, unknown>,
  links: LinkTo[]
): Promise<number> => {
  const present = links.filter((link) => link.target !== null);
  if (!postgres) {
    const id = insertedId(await knex(table).insert(row).returning('id'));
    for (const link of present) await knex(link.table).insert({ [link.from]: id, [link.to]: link.target });
    return id;
  }
  const insert = knex(table).insert(row).returning('id').toSQL();
  let sql = `WITH "new_row" AS (${insert.sql})`;
  const bindings: unknown[] = [...insert.bindings];
  present.forEach((link, i) => {
    sql += `, "link_${i}" AS (INSERT INTO ?? (??, ??) SELECT "id", ? FROM "new_row")`;
    bindings.push(link.table, link.from, link.to, link.target);
  });
  const result = (await knex.raw(`${sql} SELECT "id" FROM "new_row"`, bindings as Knex.RawBinding[])) as { rows: Array<{ id: number }> };
  return Number(result.rows[0].id);
};
