'use strict';
/**
 * A second app instance in its own process, for the tests that prove guarantees across
 * instances: the compiled app from dist/, listening on PORT, against the DATABASE_URL it is given.
 * Prints READY when it serves; stops cleanly on SIGTERM.
 */
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const root = path.join(__dirname, '..', '..');

(async () => {
  const app = createStrapi({ appDir: root, distDir: path.join(root, 'dist') });
  app.log.level = 'error';
  await app.start();
  process.stdout.write('READY\n');
  const stop = async () => {
    await app.destroy();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
