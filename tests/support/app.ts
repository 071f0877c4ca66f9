/**
 * Boots the real application for an integration test file: a fresh PostgreSQL database on the
 * test server, the compiled app from dist/ (scripts/test.js compiles it), the HTTP server
 * mounted for supertest. `stop()` destroys the app and drops the database.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client } from 'pg';
import type { Core } from '@strapi/strapi';

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

export interface TestApp {
  strapi: Core.Strapi;
  database: string;
  /** Destroys the app; drops the database unless `keepDatabase`. */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

/** The environment an app process of the tests runs with (also used for child processes). */
export const appEnv = (database: string, extra: Record<string, string> = {}) => ({
  ...testSecrets,
  NODE_ENV: 'test',
  STRAPI_TELEMETRY_DISABLED: 'true',
  DATABASE_CLIENT: 'postgres',
  DATABASE_URL: databaseUrlFor(database),
  DATABASE_POOL_MIN: '0',
  DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
  BOOKING_SEED_DEMO: 'false',
  // Tests read seats right after changing them; the short public cache has a test of its own.
  BOOKING_PUBLIC_CACHE_SECONDS: '0',
  BOOKING_CHECKIN_RATE_LIMIT_PER_MINUTE: '0',
  ...extra,
});

export const startApp = async (
  options: { database?: string; env?: Record<string, string> } = {}
): Promise<TestApp> => {
  const database = options.database ?? (await createDatabase());
  Object.assign(process.env, appEnv(database, options.env));
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
      if (!keepDatabase) await dropDatabase(database);
    },
  };
};
