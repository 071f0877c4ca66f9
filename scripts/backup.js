#!/usr/bin/env node
'use strict';
/**
 * `npm run backup [-- FILE]`: the PostgreSQL database of this app (DATABASE_URL, or DATABASE_HOST,
 * DATABASE_PORT, DATABASE_NAME, DATABASE_USERNAME, DATABASE_PASSWORD, from the environment or
 * .env) into one file in pg_dump's custom format (compressed; pg_restore reads it). Default
 * file: backups/azionelab-<date>.dump. Needs pg_dump of the server's major version or newer.
 * Prints the file's path. The database stays in use: pg_dump reads one consistent snapshot.
 */
const { mkdirSync } = require('node:fs');
const path = require('node:path');
const { connectionFromEnv, loadEnv, run } = require('./pg-tools');

loadEnv();
const target = connectionFromEnv();
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = path.resolve(process.argv[2] || path.join('backups', `azionelab-${stamp}.dump`));
mkdirSync(path.dirname(file), { recursive: true });

run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${file}`, target.database], target.env)
  .then(() => process.stdout.write(`${file}\n`))
  .catch((error) => {
    console.error(`Backup non riuscito / Backup failed: ${error.message}`);
    process.exit(1);
  });
