#!/usr/bin/env node
'use strict';
/**
 * `npm run bench` (after bench/run.js), or alone with `node bench/retention.js`: the retention
 * job (services/privacy.ts eraseLapsed) on 100,000 reservations of a performance that started 31
 * days ago, while visitors confirm reservations of an upcoming performance at a steady pace on an
 * app instance in its own process. Measures the job's time and the confirmations' latency, first
 * without the job (the baseline), then while it runs. Writes bench/RETENTION.md.
 *
 * Needs the plugin built and the app compiled (`npm run -w strapi-plugin-booking build` and
 * `npx tsc -p tsconfig.json`, or bench/run.js's build).
 * PostgreSQL is TEST_DATABASE_URL when set, otherwise a throwaway embedded server.
 */
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { startEmbeddedPostgres } = require('../tests/support/embedded-postgres');
const { loadApp, tablesOf, createPerformance, addReservations } = require('./seed');

const root = path.join(__dirname, '..');
const RESERVATIONS = Number(process.env.BENCH_RETENTION_RESERVATIONS ?? 100_000);
const RATE = Number(process.env.BENCH_RETENTION_RATE ?? 40); // confirmations per second, a busy on-sale hour
const BASELINE_SECONDS = 15;
const MAX_JOB_SECONDS = 180;
const PORT = 4111;
const secrets = {
  // At least 16 characters each, 8 of them different: outside development shorter ones stop the start.
  APP_KEYS: 'bench-app-key-one-0123,bench-app-key-two-4567',
  API_TOKEN_SALT: 'bench-api-token-salt',
  ADMIN_JWT_SECRET: 'bench-admin-jwt-secret',
  TRANSFER_TOKEN_SALT: 'bench-transfer-token-salt',
  ENCRYPTION_KEY: 'bench-encryption-key-0123456789',
  JWT_SECRET: 'bench-jwt-secret',
};
const log = (...args) => console.log('[bench:retention]', ...args);

/** The app in its own process (tests/support/app-process.js), serving on PORT. */
const startInstance = (env) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'tests/support/app-process.js')], {
      cwd: root,
      env: { ...process.env, ...env, PORT: String(PORT), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Its output is shown only if it fails to start (Strapi's own SIGTERM handler and the
    // runner's both destroy it at the end, and the second one complains).
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      if (String(chunk).includes('READY')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`instance exited with ${code}:\n${output}`)));
  });

/** Confirmations at `RATE` per second from a queue of tokens; `stop()` ends them early. */
const confirmations = (tokens, amount) => {
  let stop = () => {};
  const done = new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${PORT}`,
        connections: 8,
        overallRate: RATE,
        amount,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/api/booking/reservations/confirm',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({ ...req, body: JSON.stringify({ token: tokens.pop() }) }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result))
    );
    stop = () => instance.stop();
  });
  return { done, stop: () => stop() };
};

const main = async () => {
  let embedded = null;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedPostgres();
    serverUrl = embedded.url;
  }
  const database = `booking_bench_retention_${Date.now()}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dbUrl = new URL(serverUrl);
  dbUrl.pathname = `/${database}`;
  const env = {
    ...secrets,
    NODE_ENV: 'test',
    STRAPI_TELEMETRY_DISABLED: 'true',
    DATABASE_CLIENT: 'postgres',
    DATABASE_URL: dbUrl.toString(),
    DATABASE_POOL_MAX: '10',
    // Mail goes nowhere: the confirmation's answer does not wait for it.
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: '9',
    BOOKING_RATE_LIMIT_PER_MINUTE: '0',
    BOOKING_SEED_DEMO: 'false',
    // The job runs here, by hand, to be timed; the instance must not sweep at its start.
    BOOKING_SCHEDULED_JOBS: 'false',
    // Plain HTTP on localhost: outside development HTTPS public URLs are needed otherwise.
    ALLOW_HTTP_LINKS: 'true',
  };
  let child = null;
  try {
    Object.assign(process.env, env);
    const app = await loadApp();
    const knex = app.db.connection;
    const t = tablesOf(app);

    log(`seeding ${RESERVATIONS.toLocaleString('en')} reservations of a performance 31 days ago…`);
    const past = await createPerformance(knex, t, { capacity: RESERVATIONS, startsInMinutes: -31 * 24 * 60 });
    await addReservations(knex, t, past.id, RESERVATIONS, { status: 'confirmed' });
    await knex(t.reservations).update({ phone: '+39 333 0000000', notes: 'accesso con sedia a rotelle' });
    const tokenCount = RATE * (BASELINE_SECONDS + MAX_JOB_SECONDS);
    const upcoming = await createPerformance(knex, t, { capacity: tokenCount, startsInMinutes: 3 * 24 * 60 });
    const tokens = await addReservations(knex, t, upcoming.id, tokenCount, {
      status: 'pending',
      purpose: 'confirmation',
      tokenExpires: new Date(Date.now() + 3600_000),
    });
    await knex.raw('ANALYZE');
    const statsOf = async () => ({
      past: await app.plugin('booking').service('door-reports').statistics(past.documentId),
    });
    const before = await statsOf();

    child = await startInstance(env);
    log(`baseline: ${RATE} confirmations/s for ${BASELINE_SECONDS} s, no job…`);
    const baseline = await confirmations(tokens, RATE * BASELINE_SECONDS).done;

    log('the job, with confirmations at the same pace…');
    const load = confirmations(tokens, tokens.length);
    await new Promise((r) => setTimeout(r, 1000));
    const started = process.hrtime.bigint();
    const erased = await app.plugin('booking').service('privacy').eraseLapsed(new Date());
    const jobMs = Number(process.hrtime.bigint() - started) / 1e6;
    load.stop();
    const during = await load.done;

    const after = await statsOf();
    const left = await knex(t.reservations)
      .whereNot('email', 'erased@erased.invalid')
      .whereIn('id', knex(t.resPerf.table).select(t.resPerf.from).where(t.resPerf.to, past.id))
      .count({ n: '*' });
    if (erased !== RESERVATIONS || Number(left[0].n) !== 0) throw new Error(`erased ${erased}, ${left[0].n} left`);
    if (JSON.stringify(before) !== JSON.stringify(after)) throw new Error('the statistics changed');
    await app.destroy();

    const figure = (r) => ({
      sent: r.requests.total,
      ok: r['2xx'],
      non2xx: r.non2xx + r.errors,
      p50: r.latency.p50,
      p99: r.latency.p99,
      max: r.latency.max,
    });
    const result = {
      reservations: RESERVATIONS,
      erased,
      jobSeconds: +(jobMs / 1000).toFixed(2),
      perSecond: Math.round(erased / (jobMs / 1000)),
      baseline: figure(baseline),
      duringJob: figure(during),
      statisticsUnchanged: true,
    };
    const cpus = os.cpus();
    const md = [
      '# Retention job',
      '',
      `Written by \`node bench/retention.js\` (part of \`npm run bench\`) on ${new Date().toISOString()}.`,
      '',
      `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, Node ${process.version}, PostgreSQL ${embedded ? 'embedded' : `at ${new URL(serverUrl).host}`};`,
      'the app instance, the job (in the bench process, on its own connection pool), the load generator and the database share the machine.',
      '',
      '| figure | measured |',
      '|---|---|',
      `| the job: personal data erased from ${RESERVATIONS.toLocaleString('en')} reservations (batches of 500) | ${result.jobSeconds} s (${result.perSecond.toLocaleString('en')} reservations/s) |`,
      `| confirmations at ${RATE}/s, no job (baseline) | p50 ${result.baseline.p50} ms, p99 ${result.baseline.p99} ms, max ${result.baseline.max} ms; ${result.baseline.ok} confirmed, ${result.baseline.non2xx} non-2xx |`,
      `| confirmations at ${RATE}/s while the job runs | p50 ${result.duringJob.p50} ms, p99 ${result.duringJob.p99} ms, max ${result.duringJob.max} ms; ${result.duringJob.ok} confirmed, ${result.duringJob.non2xx} non-2xx |`,
      '| statistics of the erased performance | identical before and after |',
      '',
      '```json',
      JSON.stringify(result, null, 2),
      '```',
      '',
    ].join('\n');
    writeFileSync(path.join(__dirname, 'RETENTION.md'), md);
    console.log(md);
  } finally {
    if (child && child.exitCode === null) {
      child.removeAllListeners('exit');
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    if (embedded) await embedded.stop();
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
