/**
 * What differs between PostgreSQL (production, the tests) and SQLite (`npm run develop`), side by
 * side, chosen once from the connection rather than by booleans passed down.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

export interface LinkTo {
  table: string;
  /** The link table's column that points at the new row. */
  from: string;
  /** The column that points at the target. */
  to: string;
  /** The target's id; no link is written when null. */
  target: number | null;
}

/** A row of a content type to insert, with its relation links. */
export interface RowWithLinks {
  table: string;
  row: Record<string, unknown>;
  links: LinkTo[];
}

/** The id of an inserted row, as PostgreSQL (`[{ id }]`) or SQLite (`[id]` / `[{ id }]`) returns it. */
export const insertedId = (rows: unknown[]): number => {
  const first = rows[0] as number | { id: number };
  return typeof first === 'object' ? Number(first.id) : Number(first);
};

export const createDialect = (strapi: Core.Strapi) => {
  const postgres = strapi.db.dialect.client === 'postgres';
  return {
    postgres,
    /**
     * Whether several app instances may share this database (PostgreSQL), so that what must hold
     * across them (rate-limit counters, change notices) lives in the database; on SQLite there is
     * one process, and memory serves.
     */
    sharedAcrossInstances: postgres,

    /**
     * Inserts a row of a content type and its relation links, returning the new id. On
     * PostgreSQL one statement (data-modifying CTEs), one round trip where the door counts each;
     * on SQLite one statement each. Pass the transaction when in one.
     */
    async insertWithLinks(knex: Knex, table: string, row: Record<string, unknown>, links: LinkTo[]): Promise<number> {
      const [id] = await this.insertAllWithLinks(knex, [{ table, row, links }]);
      return id;
    },

    /**
     * Inserts several rows, each with its links, returning their ids in order: on PostgreSQL in
     * one statement (one round trip for a check-in and its scan), on SQLite one statement each.
     */
    async insertAllWithLinks(knex: Knex, inserts: RowWithLinks[]): Promise<number[]> {
      if (!postgres) {
        const ids: number[] = [];
        for (const { table, row, links } of inserts) {
          const id = insertedId(await knex(table).insert(row).returning('id'));
          for (const link of links) {
            if (link.target !== null) await knex(link.table).insert({ [link.from]: id, [link.to]: link.target });
          }
          ids.push(id);
        }
        return ids;
      }
      const parts: string[] = [];
      const bindings: unknown[] = [];
      inserts.forEach(({ table, row, links }, n) => {
        const insert = knex(table).insert(row).returning('id').toSQL();
        parts.push(`"new_row_${n}" AS (${insert.sql})`);
        bindings.push(...insert.bindings);
        links.forEach((link, i) => {
          if (link.target === null) return;
          parts.push(`"link_${n}_${i}" AS (INSERT INTO ?? (??, ??) SELECT "id", ? FROM "new_row_${n}")`);
          bindings.push(link.table, link.from, link.to, link.target);
        });
      });
      const ids = inserts.map((_, n) => `(SELECT "id" FROM "new_row_${n}") AS "id_${n}"`).join(', ');
      const result: {
        rows: Array<Record<string, unknown>>;
      } = await knex.raw(`WITH ${parts.join(', ')} SELECT ${ids}`, bindings as Knex.RawBinding[]);
      return inserts.map((_, n) => Number(result.rows[0][`id_${n}`]));
    },

    /**
     * Inserts rows of a content type, each linked to the same target (`link.target`): on
     * PostgreSQL one statement, on SQLite two.
     */
    async insertRowsLinkedTo(knex: Knex, table: string, rows: Array<Record<string, unknown>>, link: LinkTo): Promise<void> {
      if (!postgres) {
        const ids = (await knex(table).insert(rows).returning('id')).map((row: unknown) => insertedId([row]));
        if (link.target !== null) await knex(link.table).insert(ids.map((id) => ({ [link.from]: id, [link.to]: link.target })));
        return;
      }
      const insert = knex(table).insert(rows).returning('id').toSQL();
      if (link.target === null) {
        await knex.raw(insert.sql, insert.bindings as Knex.RawBinding[]);
        return;
      }
      await knex.raw(`WITH "new_rows" AS (${insert.sql}) INSERT INTO ?? (??, ??) SELECT "id", ? FROM "new_rows"`, [
        ...(insert.bindings as Knex.RawBinding[]),
        link.table,
        link.from,
        link.to,
        link.target,
      ]);
    },

    /**
     * Serialises the caller's transaction with every other holder of `key` on PostgreSQL (held
     * until it ends). SQLite has one connection: transactions are already serial.
     */
    async lockForTransaction(trx: Knex, key: number): Promise<void> {
      if (postgres) await trx.raw('SELECT pg_advisory_xact_lock(?)', [key]);
    },

    /** `lockForTransaction` keyed by a name (hashed by PostgreSQL), for locks per address and the like. */
    async lockNameForTransaction(trx: Knex, name: string): Promise<void> {
      if (postgres) await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [name]);
    },

    /** SQL expressions for rows made by one INSERT ... SELECT, random values the database draws. */
    sql: {
      /** 24 lowercase letters and digits: a documentId. */
      randomDocumentId: postgres ? `substr(replace(gen_random_uuid()::text, '-', ''), 1, 24)` : `lower(hex(randomblob(12)))`,
      /** 32 random hexadecimal digits. */
      randomHex32: postgres ? `replace(gen_random_uuid()::text, '-', '')` : `lower(hex(randomblob(16)))`,
      /** Whether the JSON list in `column` is missing or empty, or holds the value bound by `jsonListBinding`. */
      jsonListAllowsAll: (column: string) =>
        postgres
          ? `(${column} IS NULL OR ${column} = 'null'::jsonb OR ${column} = '[]'::jsonb OR ${column} @> ?::jsonb)`
          : `(${column} IS NULL OR ${column} = 'null' OR json_array_length(${column}) = 0 OR EXISTS (SELECT 1 FROM json_each(${column}) AS e WHERE e.value = ?))`,
    },
    /** The binding `sql.jsonListAllowsAll` compares with. */
    jsonListBinding: (value: string) => (postgres ? JSON.stringify([value]) : value),

    /** A time as the driver returns it: a Date (PostgreSQL) or epoch milliseconds or text (SQLite). */
    readTime(value: unknown): Date {
      if (value instanceof Date) return value;
      if (typeof value === 'number' || /^\d+$/.test(String(value))) return new Date(Number(value));
      return new Date(String(value));
    },

    /** The names among `names` of indexes present in the database. */
    async presentIndexes(knex: Knex, names: string[]): Promise<string[]> {
      const rows: Array<{ name: string }> = postgres
        ? await knex('pg_indexes').whereIn('indexname', names).select({ name: 'indexname' })
        : await knex('sqlite_master').where('type', 'index').whereIn('name', names).select('name');
      return rows.map((row) => row.name);
    },
  };
};

export type Dialect = ReturnType<typeof createDialect>;

const dialects = new WeakMap<Core.Strapi, Dialect>();
/** The dialect of an app instance, made once. */
export const dialectOf = (strapi: Core.Strapi): Dialect => {
  let dialect = dialects.get(strapi);
  if (!dialect) dialects.set(strapi, (dialect = createDialect(strapi)));
  return dialect;
};
