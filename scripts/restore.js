#!/usr/bin/env node
'use strict';
/**
 * `npm run restore -- FILE NEW_DATABASE`: creates NEW_DATABASE on the server of this app's
 * connection settings (it must not exist: a restore never writes over a database) and restores
 * FILE (from `npm run backup`) into it, in one transaction: all or nothing. Then says what to do
 * next: point the instances at it (DATABASE_URL / DATABASE_NAME) with the same secrets, start one,
 * check /api/booking/ready (README, "Backup and restore").
 */
const { connectionFromEnv, loadEnv, run } = require('./pg-tools');

const [file, database] = process.argv.slice(2);
if (!file || !database || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(database)) {
  console.error('Uso / Usage: npm run restore -- FILE NEW_DATABASE   (NEW_DATABASE: letters, digits, _)');
  process.exit(2);
}

loadEnv();
const server = connectionFromEnv();

(async () => {
  // createdb fails when the database exists: nothing is overwritten.
  await run('createdb', [database], server.env);
  await run(
    'pg_restore',
    ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${database}`, file],
    server.env
  );
  process.stdout.write(
    [
      `Ripristinato in / Restored into: ${database}`,
      'Next: set DATABASE_NAME (or the database in DATABASE_URL) to it, keep the same secrets (APP_KEYS, ...),',
      'start one instance and check GET /api/booking/ready, then the others. Mails queued in the backup go',
      'within a minute; mails marked sent are not sent again. See README, "Backup and restore".',
      '',
    ].join('\n')
  );
})().catch((error) => {
  console.error(`Ripristino non riuscito / Restore failed: ${error.message}`);
  process.exit(1);
});
