'use strict';
/**
 * What backup.js and restore.js share: the connection the app would use (config/database.ts's
 * variables), handed to PostgreSQL's own tools as PG* variables, so no password is on a command
 * line (visible in `ps`).
 */
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

const loadEnv = () => {
  const file = path.join(__dirname, '..', '.env');
  if (existsSync(file)) require('dotenv').config({ path: file });
};

/** The server and database of the app's settings, as PG* variables for pg_dump, createdb, pg_restore. */
const connectionFromEnv = (env = process.env) => {
  if ((env.DATABASE_CLIENT || 'sqlite') !== 'postgres') {
    throw new Error('DATABASE_CLIENT is not postgres: a SQLite database is backed up by copying its file (app stopped)');
  }
  const pg = {};
  let database;
  if (env.DATABASE_URL) {
    const url = new URL(env.DATABASE_URL);
    Object.assign(pg, {
      PGHOST: url.hostname,
      PGPORT: url.port || '5432',
      PGUSER: decodeURIComponent(url.username),
      PGPASSWORD: decodeURIComponent(url.password),
    });
    database = decodeURIComponent(url.pathname.slice(1));
    const sslmode = url.searchParams.get('sslmode');
    if (sslmode) pg.PGSSLMODE = sslmode;
  } else {
    Object.assign(pg, {
      PGHOST: env.DATABASE_HOST || 'localhost',
      PGPORT: env.DATABASE_PORT || '5432',
      PGUSER: env.DATABASE_USERNAME || env.PGUSER || '',
      PGPASSWORD: env.DATABASE_PASSWORD || env.PGPASSWORD || '',
    });
    database = env.DATABASE_NAME || 'strapi';
    if (env.DATABASE_SSL === 'true') pg.PGSSLMODE = 'require';
  }
  for (const key of Object.keys(pg)) if (!pg[key]) delete pg[key];
  return { database, env: { ...env, ...pg, PGDATABASE: database } };
};

/** Runs a PostgreSQL tool; rejects with its stderr when it fails. */
const run = (command, args, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim()}`))));
  });

module.exports = { connectionFromEnv, loadEnv, run };
