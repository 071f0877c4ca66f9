'use strict';
/**
 * What every bench script sets up the same way: the build, a fresh database on PostgreSQL
 * (TEST_DATABASE_URL, else a throwaway embedded server), the production instances' environment,
 * a free port.
 */
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { SMTPServer } = require('smtp-server');
const { startEmbeddedPostgres } = require('../tests/support/embedded-postgres');

const root = path.join(__dirname, '..');

// At least 16 characters each: production refuses shorter secrets (src/env/secrets.ts).
const secrets = {
  APP_KEYS: 'bench-app-key-one-0123,bench-app-key-two-4567',
  API_TOKEN_SALT: 'bench-api-token-salt-0123',
  ADMIN_JWT_SECRET: 'bench-admin-jwt-secret-0123',
  TRANSFER_TOKEN_SALT: 'bench-transfer-token-salt-0123',
  ENCRYPTION_KEY: 'bench-encryption-key-0123456789',
  JWT_SECRET: 'bench-jwt-secret-0123456789',
};

/** `npm run build` (the plugin, then strapi build) unless BENCH_SKIP_BUILD=1; exits on failure. */
const buildUnlessSkipped = (log) => {
  if (process.env.BENCH_SKIP_BUILD === '1') return;
  log('building (the plugin, then strapi build)…');
  const build = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' },
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
};

/** A new database named `<prefix>_<time>`; `drop()` removes it (and the embedded server). */
const freshDatabase = async (prefix) => {
  let embedded = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres();
    serverUrl = embedded.url;
  }
  const database = `${prefix}_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    /** Where the server is, for the results' header. */
    where: embedded ? 'embedded (embedded-postgres)' : `at ${new URL(serverUrl).host}`,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
      if (embedded) await embedded.stop();
    },
  };
};

/** A production instance's environment: this database, the bench's SMTP sink, rate limits off. */
const instanceEnv = (databaseUrl, smtpPort) => ({
  ...secrets,
  NODE_ENV: 'production',
  STRAPI_TELEMETRY_DISABLED: 'true',
  DATABASE_CLIENT: 'postgres',
  DATABASE_URL: databaseUrl,
  DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? '10',
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: String(smtpPort),
  // The bench's own sink on localhost speaks no TLS.
  SMTP_ALLOW_PLAINTEXT: 'true',
  BOOKING_RATE_LIMIT_PER_MINUTE: '0',
  BOOKING_CHECKIN_RATE_LIMIT_PER_MINUTE: '0',
  BOOKING_SEED_DEMO: 'false',
  // Plain http://127.0.0.1 here: production needs HTTPS public URLs otherwise (src/env/secrets.ts).
  ALLOW_HTTP_LINKS: 'true',
});

/** A port nothing listens on now: another bench may run on this machine. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** The instances started by `startInstance`, for a bench that fails to kill. */
const children = new Set();

/**
 * Starts a production instance exactly as `npm start` runs it (its V8 heap cap included),
 * without npm's own process (its leading variables, NODE_ENV=${NODE_ENV:-production}, are the
 * bench's own env here), with `nodeFlags` before the script (`--cpu-prof`); resolves once
 * `/_health` answers 204, with how long that took.
 */
const startInstance = async (env, port, { nodeFlags = [] } = {}) => {
  const started = Date.now();
  const words = require('../package.json')
    .scripts.start.split(/\s+/)
    .filter((word) => !/^[A-Z_]+=/.test(word));
  const [command, ...args] = words;
  if (command !== 'node') throw new Error(`bench: the start script should run node, not ${command}`);
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  let exited = false;
  child.once('exit', () => {
    exited = true;
    children.delete(child);
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (exited || child.exitCode !== null) throw new Error(`instance on ${port} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/_health`)).status === 204) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url, startMs: Date.now() - started };
};

/** An SMTP server on localhost that takes every mail, counting them and when the last came. */
const startSink = () =>
  new Promise((resolve) => {
    const sink = { mails: 0, lastAt: 0 };
    sink.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _s, cb) {
        stream.on('data', () => {});
        stream.on('end', () => {
          sink.mails += 1;
          sink.lastAt = Date.now();
          cb();
        });
      },
    });
    sink.server.listen(0, '127.0.0.1', () => resolve(Object.assign(sink, { port: sink.server.server.address().port })));
  });

/**
 * autocannon, as a promise. Its result also holds `lastAnswerAt` (Date.now() of the last answer):
 * autocannon notices that an `amount` of requests is done only at its next once-a-second tick, so
 * it resolves up to a second after the last answer, and a rate taken to its resolution is low by
 * that much (the route's floor, 2,000 answers, read 660/s in every run; to the last answer it
 * reads 690-880/s). Rates are taken to the last answer.
 */
const cannon = (opts) =>
  new Promise((resolve, reject) => {
    let lastAnswerAt = null;
    const instance = autocannon({ ...opts }, (error, result) =>
      // No answer at all (every request failed): its end, as before.
      error ? reject(error) : resolve({ ...result, lastAnswerAt: lastAnswerAt ?? Date.now() })
    );
    instance.on('response', () => {
      lastAnswerAt = Date.now();
    });
  });

/** Fires one POST per body from a shared queue, `connections` at a time, against `url`. */
const postQueue = (url, pathname, bodies, connections, headers = {}, overallRate = undefined) =>
  cannon({
    url,
    connections,
    overallRate,
    amount: bodies.length,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: pathname,
        headers: { 'content-type': 'application/json', ...headers },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(bodies.pop()) }),
      },
    ],
  });

module.exports = {
  cannon,
  postQueue,
  secrets,
  buildUnlessSkipped,
  freshDatabase,
  instanceEnv,
  freePort,
  children,
  startInstance,
  startSink,
};
