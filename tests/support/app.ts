/**
 * Boots the real application for an integration test file: a fresh PostgreSQL database on the
 * test server (or a throwaway SQLite file), the compiled app from dist/ (scripts/test.js compiles
 * it), the HTTP server mounted for supertest. `stop()` destroys the app and drops the database.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import type { Core } from '@strapi/strapi';
import type { getService } from '../../src/plugins/booking/server/src/utils/get-service';

const root = path.join(__dirname, '..', '..');

// Outside development the app refuses secrets shorter than 16 characters or still the
// placeholders of .env.example (src/env/secrets.ts): these pass, and are good for tests only.
export const testSecrets = {
  APP_KEYS: 'test-app-key-one-0123,test-app-key-two-4567',
  API_TOKEN_SALT: 'test-api-token-salt-0123',
  ADMIN_JWT_SECRET: 'test-admin-jwt-secret-0123',
  TRANSFER_TOKEN_SALT: 'test-transfer-token-salt-0123',
  ENCRYPTION_KEY: 'test-encryption-key-0123456789abcdef',
  JWT_SECRET: 'test-jwt-secret-0123456789',
};

/** The PostgreSQL server the tests use; a fault test may point at a server of its own. */
let serverOverride: string | null = null;
export const useDatabaseServer = (url: string | null) => {
  serverOverride = url;
};

const serverUrl = () => {
  const url = serverOverride ?? process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run the tests with `npm test`');
  return url;
};

export const databaseUrlFor = (name: string) => {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
};

const adminQuery = async (sql: string) => {
  const client = new Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

export const createDatabase = async (): Promise<string> => {
  const name = `booking_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return name;
};

export const dropDatabase = async (name: string) => {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
};

/** A plain `pg` connection to a test app's PostgreSQL database, for what a test does beside the app. */
export const connectToDatabaseOf = async (app: TestApp): Promise<Client> => {
  const client = new Client({ connectionString: databaseUrlFor(app.database) });
  await client.connect();
  return client;
};

export interface TestApp {
  strapi: Core.Strapi;
  /** The PostgreSQL database's name, or the SQLite file's path from the app's root. */
  database: string;
  /** Destroys the app; drops the database unless `keepDatabase`. */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

/** What every app of the tests runs with, on either database. */
const commonEnv: Record<string, string> = {
  ...testSecrets,
  NODE_ENV: 'test',
  STRAPI_TELEMETRY_DISABLED: 'true',
  BOOKING_SEED_DEMO: 'false',
  // Tests read seats right after changing them; the short public cache has a test of its own.
  BOOKING_PUBLIC_CACHE_SECONDS: '0',
  BOOKING_CHECKIN_RATE_LIMIT_PER_MINUTE: '0',
  // Expiry and e-mail retries run when a test calls them, not when a 30 s timer fires mid-test.
  BOOKING_SCHEDULED_JOBS: 'false',
  // The tests' webhook receivers listen on 127.0.0.1, which production refuses (issue 18, low 1).
  BOOKING_WEBHOOK_ALLOW_PRIVATE: 'true',
  // The tests' apps serve plain http://127.0.0.1 and mail links to it; outside development a start
  // needs HTTPS public URLs unless this says plain HTTP is meant (src/env/secrets.ts).
  ALLOW_HTTP_LINKS: 'true',
};

/**
 * The environment an app process of the tests runs with (also used for child processes). The
 * 30 s housekeeping job is off: a test that needs it passes `BOOKING_SCHEDULED_JOBS: 'true'`.
 */
export const appEnv = (database: string, extra: Record<string, string> = {}): Record<string, string> => ({
  ...commonEnv,
  DATABASE_CLIENT: 'postgres',
  DATABASE_URL: databaseUrlFor(database),
  DATABASE_POOL_MIN: '0',
  DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
  ...extra,
});

/** A service of the booking plugin, typed as the plugin types it (utils/get-service.ts). */
export const service: typeof getService = (strapi, name) => strapi.plugin('booking').service(name);

/**
 * Starts the app in this process. On PostgreSQL (the default) in a fresh database, or the one
 * given; `{ client: 'sqlite' }` on a throwaway SQLite file (the database of `npm run develop`),
 * removed at `stop()`. The HTTP server is mounted but not listening (`listen()` in processes.ts).
 */
export const startApp = async (
  options: { client?: 'postgres' | 'sqlite'; database?: string; env?: Record<string, string> } = {}
): Promise<TestApp> => {
  const sqlite = options.client === 'sqlite';
  // config/database.ts resolves DATABASE_FILENAME from the app's root; .tmp/ is git-ignored.
  const database = options.database ?? (sqlite ? `.tmp/sqlite-test-${randomBytes(4).toString('hex')}.db` : await createDatabase());
  const env = sqlite
    ? { ...commonEnv, DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: database, ...options.env }
    : appEnv(database, options.env);
  Object.assign(process.env, env);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createStrapi } = require('@strapi/strapi') as typeof import('@strapi/strapi');
  const strapi = createStrapi({ appDir: root, distDir: path.join(root, 'dist') });
  strapi.log.level = 'error';
  await strapi.load();
  await strapi.server.mount();
  return {
    strapi,
    database,
    async stop({ keepDatabase = false } = {}) {
      await strapi.destroy();
      if (sqlite) {
        // The next test file boots on PostgreSQL again (appEnv sets its own DATABASE_CLIENT).
        delete process.env.DATABASE_FILENAME;
        if (!keepDatabase) for (const suffix of ['', '-wal', '-shm']) rmSync(path.join(root, `${database}${suffix}`), { force: true });
      } else if (!keepDatabase) await dropDatabase(database);
    },
  };
};
