'use strict';
/**
 * An app instance in its own process that runs the webhook retry job once, on a signal: the
 * compiled app from dist/ (no HTTP server), against the DATABASE_URL it is given. Prints READY
 * once loaded; on a line `GO <epoch ms>` on stdin runs `deliverDue` with that clock, prints
 * `RESULT <json>` and exits. Two of them, told GO at once, race for the same due deliveries.
 */
const path = require('node:path');
const readline = require('node:readline');
const { createStrapi } = require('@strapi/strapi');

const root = path.join(__dirname, '..', '..');

(async () => {
  const app = createStrapi({ appDir: root, distDir: path.join(root, 'dist') });
  app.log.level = 'error';
  await app.load();
  process.stdout.write('READY\n');
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) {
    const [word, at] = line.trim().split(' ');
    if (word !== 'GO') continue;
    const results = await app
      .plugin('booking')
      .service('webhooks')
      .deliverDue(new Date(Number(at)));
    process.stdout.write(`RESULT ${JSON.stringify(results)}\n`);
    await app.destroy();
    process.exit(0);
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
