/**
 * PostgreSQL's announcements of committed changes that a visitor could see (services/public-cache.ts
 * listens to them): the triggers that call pg_notify, and the connection of its own that LISTENs.
 * PostgreSQL only; the caller checks the dialect.
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { bookingTables, SEATS_TABLE } from './strapi-internals';

/** The PostgreSQL channel on which committed changes of public answers are announced. */
export const PUBLIC_CHANGES_CHANNEL = 'booking_public_changes';
/** The payload of a change of the catalogue (shows, venues, performances and their links). */
export const CATALOGUE_CHANGED = 'all';

/** The part of a `pg` client that listening needs (knex hands out a raw `pg` client). */
export interface NoticeClient {
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
  on(event: 'notification', listener: (notice: { payload?: string }) => void): unknown;
  on(event: 'error' | 'end', listener: () => void): unknown;
}

export const createChangeNoticesData = (strapi: Core.Strapi) => ({
  /** A connection of its own, outside the pool (LISTEN belongs to one session for its life). */
  async rawConnection(): Promise<NoticeClient> {
    return (await strapi.db.connection.client.acquireRawConnection()) as NoticeClient;
  },

  /** Starts hearing the channel on a connection from `rawConnection`. */
  async listen(client: NoticeClient): Promise<void> {
    await client.query(`LISTEN ${PUBLIC_CHANGES_CHANNEL}`);
  },

  /**
   * Creates, idempotently, the triggers that announce committed changes. The seat counter
   * announces per performance and per row (`seats:<id>`); the catalogue tables once per
   * statement (`all`).
   */
  async ensureTriggers(knex: Knex): Promise<void> {
    const t = bookingTables(strapi);
    await knex.raw(`
        CREATE OR REPLACE FUNCTION booking_announce_seats() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('${PUBLIC_CHANGES_CHANNEL}', 'seats:' || COALESCE(NEW.performance_id, OLD.performance_id));
          RETURN NULL;
        END $$`);
    await knex.raw(`
        CREATE OR REPLACE FUNCTION booking_announce_catalogue() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM pg_notify('${PUBLIC_CHANGES_CHANNEL}', '${CATALOGUE_CHANGED}');
          RETURN NULL;
        END $$`);
    await knex.raw(
      `CREATE OR REPLACE TRIGGER booking_announce_seats AFTER INSERT OR UPDATE OR DELETE ON ??
         FOR EACH ROW EXECUTE FUNCTION booking_announce_seats()`,
      [SEATS_TABLE]
    );
    const catalogue = [t.shows, t.venues, t.performances, t.performanceShow.table, t.performanceVenue.table];
    for (const table of catalogue) {
      await knex.raw(
        `CREATE OR REPLACE TRIGGER booking_announce_catalogue AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ??
           FOR EACH STATEMENT EXECUTE FUNCTION booking_announce_catalogue()`,
        [table]
      );
    }
  },
});

export type ChangeNoticesData = ReturnType<typeof createChangeNoticesData>;
