#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:profile [-- confirm|reserve|check-in]`: where an instance spends its time under
 * one load. Starts one production instance (the command of `npm start`) with `--cpu-prof` on a
 * fresh PostgreSQL database (TEST_DATABASE_URL, else a throwaway embedded server), seeds with
 * plain SQL (bench/seed.js), fires the load with autocannon, waits for the outbox's mails to
 * reach the in-process SMTP sink, stops the instance and prints a summary of its CPU profile:
 * self time by package and by source file, and the hottest functions. The `.cpuprofile` stays in
 * bench/profiles/ (ignored by git) for Chrome's DevTools or speedscope. Needs a built app
 * (`npm run build`, or `BENCH_SKIP_BUILD=1` when dist/ is current).
 *
 * - confirm: 2,000 confirmation links of pending one-seat reservations for 1,000 seats, 32
 *   connections (the bench's confirmation storm on one instance);
 * - reserve: 1,000 new reservations for a 200-seat performance, 32 connections;
 * - check-in: 1,000 check-ins of distinct tickets by 10 scanners flat out;
 * - floor: 2,000 confirmations of well-formed links that match no reservation (one indexed read,
 *   a 404): what the framework and the plugin's route cost around the work;
 * - read: GET of a performance's public page (BENCH_READ=show: its show's page), 64 connections
 *   for 10 s (the bench's reads);
 * - health: GET /_health, 64 connections for 10 s (the framework's floor, to compare with read).
 */
const { randomBytes } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const autocannon = require('autocannon');
const { buildUnlessSkipped, freshDatabase, freePort, instanceEnv, postQueue, startInstance, startSink } = require('./harness');
const { loadApp, tablesOf, createPerformance, addReservations } = require('./seed');

const root = path.join(__dirname, '..');
const scenario = process.argv[2] ?? 'confirm';
const SCENARIOS = ['confirm', 'reserve', 'check-in', 'floor', 'read', 'health'];
if (!SCENARIOS.includes(scenario)) {
  console.error(`bench/profile.js: one of ${SCENARIOS.join(', ')}, not ${scenario}`);
  process.exit(2);
}
const profiles = path.join(root, 'bench/profiles');
/** CPU time (user + system) a process has used, in ms, from /proc (Linux). */
const cpuMs = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  if (process.env.BENCH_CPU_SPLIT) console.log('[profile] utime', fields[11], 'stime', fields[12]);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...args) => console.log('[profile]', ...args);

const getFor = (url, pathname, seconds, connections) =>
  new Promise((resolve, reject) =>
    autocannon({ url: `${url}${pathname}`, connections, duration: seconds, timeout: 30 }, (error, result) =>
      error ? reject(error) : resolve(result)
    )
  );

/** Self time per node of a V8 CPU profile, gathered by a key of its call frame. */
const summarise = (profile, keyOf) => {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  const dt = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]);
    const key = keyOf(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + (dt[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return { total, rows: [...self.entries()].sort((a, b) => b[1] - a[1]) };
};

/**
 * Total (inclusive) time per key: each sample counts once for every distinct key on its stack,
 * so a middleware's row is what it and everything it calls (`next()` excluded when the key is
 * the middleware's own file) cost. Keys are kept only when `keep(key)`.
 */
const summariseInclusive = (profile, keyOf, keep) => {
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const total = new Map();
  let all = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    all += dt;
    const seen = new Set();
    for (let id = profile.samples[i]; id !== undefined; id = parent.get(id)) {
      const key = keyOf(byId.get(id).callFrame);
      if (keep(key)) seen.add(key);
    }
    for (const key of seen) total.set(key, (total.get(key) ?? 0) + dt);
  }
  return { total: all, rows: [...total.entries()].sort((a, b) => b[1] - a[1]) };
};

const packageOf = ({ url, functionName }) => {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (file.includes('/dist/src/plugins/booking/') || file.includes('/src/plugins/booking/')) return 'booking plugin';
  if (file.startsWith('node:')) return 'node';
  return path.relative(root, file) || file;
};
const fileOf = ({ url, functionName }) => {
  if (!url) return functionName;
  const file = url.replace(/^file:\/\//, '');
  const modules = file.lastIndexOf('node_modules/');
  return modules >= 0 ? file.slice(modules + 'node_modules/'.length) : path.relative(root, file);
};
const functionOf = (frame) => `${frame.functionName || '(anonymous)'} ${fileOf(frame)}:${frame.lineNumber + 1}`;

const print = (title, { total, rows }, limit) => {
  console.log(`\n${title} (${title.includes('inclusive') ? '' : 'self time, '}${(total / 1e6).toFixed(1)} s sampled)`);
  for (const [key, us] of rows.slice(0, limit)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
  }
};

const main = async () => {
  buildUnlessSkipped(log);
  const fresh = await freshDatabase('booking_profile');
  const sink = await startSink();
  const env = { ...instanceEnv(fresh.url, sink.port), NODE_ENV: process.env.BENCH_NODE_ENV ?? 'production' };

  rmSync(profiles, { recursive: true, force: true });
  mkdirSync(profiles, { recursive: true });
  // BENCH_PROFILE=0: the same load without the profiler, for its figures alone.
  const profiling = process.env.BENCH_PROFILE !== '0';
  const { child, url } = await startInstance(env, await freePort(), {
    nodeFlags: profiling ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : [],
  });

  log('seeding…');
  Object.assign(process.env, env, { NODE_ENV: 'test' });
  const seeder = await loadApp();
  const knex = seeder.db.connection;
  const t = tablesOf(seeder);
  let fire;
  if (scenario === 'confirm') {
    // BENCH_CAPACITY / BENCH_REQUESTS: e.g. 0 seats for sold-out answers only.
    const capacity = Number(process.env.BENCH_CAPACITY ?? 1000);
    const perf = await createPerformance(knex, t, { capacity, startsInMinutes: 3 * 24 * 60 });
    const tokens = await addReservations(knex, t, perf.id, Number(process.env.BENCH_REQUESTS ?? 2000), {
      status: 'pending',
      purpose: 'confirmation',
      tokenExpires: new Date(Date.now() + 3600_000),
    });
    fire = () =>
      postQueue(
        url,
        '/api/booking/reservations/confirm',
        tokens.map((token) => ({ token })),
        32
      );
  } else if (scenario === 'floor') {
    const tokens = Array.from({ length: 2000 }, () => randomBytes(32).toString('base64url'));
    fire = () =>
      postQueue(
        url,
        '/api/booking/reservations/confirm',
        tokens.map((token) => ({ token })),
        32
      );
  } else if (scenario === 'reserve') {
    const perf = await createPerformance(knex, t, { capacity: 200, startsInMinutes: 3 * 24 * 60 });
    // The contract's envelope: { data: { performance, name, email, party_size, locale } }.
    const bodies = Array.from({ length: 1000 }, (_, i) => ({
      data: { performance: perf.documentId, name: `Spettatore ${i}`, email: `rush${i}@example.test`, party_size: 1, locale: 'it' },
    }));
    fire = () => postQueue(url, '/api/booking/reservations', bodies, 32);
  } else if (scenario === 'read' || scenario === 'health') {
    const perf = await createPerformance(knex, t, { capacity: 1000, startsInMinutes: 3 * 24 * 60 });
    // BENCH_READ=show: the show page instead of the performance.
    const read = process.env.BENCH_READ === 'show' ? `/api/booking/shows/${perf.showSlug}` : `/api/booking/performances/${perf.documentId}`;
    const pathname = scenario === 'read' ? read : '/_health';
    fire = () => getFor(url, pathname, 10, 64);
  } else {
    const perf = await createPerformance(knex, t, { capacity: 5000, startsInMinutes: 30 });
    const tokens = await addReservations(knex, t, perf.id, 1000, {
      status: 'confirmed',
      purpose: 'check_in',
      tokenExpires: new Date(Date.now() + 6 * 3600_000),
    });
    const role = await seeder.db.query('admin::role').findOne({ where: { code: 'booking-door-staff' } });
    const password = await seeder.service('admin::auth').hashPassword('Bench-password-1');
    await seeder.db.query('admin::user').create({
      data: { email: 'door@example.test', firstname: 'Paolo', lastname: 'Rossi', password, isActive: true, roles: [role.id] },
    });
    const login = await fetch(`${url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'door@example.test', password: 'Bench-password-1' }),
    });
    const jwt = (await login.json()).data.token;
    const scans = tokens.map((token) => ({ token, performance: perf.documentId, source: 'qr_scan' }));
    fire = () => postQueue(url, '/booking/check-ins', scans, 10, { authorization: `Bearer ${jwt}` });
  }
  await seeder.destroy();

  log(`firing ${scenario}…`);
  const cpuBefore = cpuMs(child.pid);
  const window = { from: Number(process.hrtime.bigint() / 1000n), to: 0 };
  const started = Date.now();
  const result = await fire();
  // To the last answer (autocannon resolves at its next whole-second tick: bench/harness.js); the
  // reads (getFor) run for a fixed duration and carry no last answer.
  const seconds = ((result.lastAnswerAt ?? Date.now()) - started) / 1000;
  const cpuAnswers = cpuMs(child.pid) - cpuBefore;
  const statuses = Object.entries(result.statusCodeStats ?? {})
    .map(([code, { count }]) => `${code}×${count}`)
    .join(' ');
  log(
    `${result.requests.sent} requests in ${seconds.toFixed(1)} s (${(result.requests.sent / seconds).toFixed(0)}/s), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; ${statuses}`
  );
  // The mails the load owes, handed to the sink (the outbox drains after the answers).
  const mailStart = Date.now();
  let last = -1;
  while (sink.mails !== last || Date.now() - mailStart < 2000) {
    last = sink.mails;
    await sleep(1000);
  }
  window.to = Number(process.hrtime.bigint() / 1000n);
  const cpuAll = cpuMs(child.pid) - cpuBefore;
  const afterAnswers = sink.mails > 0 ? ((sink.lastAt - started) / 1000 - seconds).toFixed(1) : '0';
  log(`${sink.mails} mails reached the SMTP sink, the last ${afterAnswers} s after the last answer`);
  // CPU the instance spent per request: steadier than times on a shared machine.
  log(
    `instance CPU per request: ${(cpuAnswers / result.requests.sent).toFixed(2)} ms until the last answer, ${(cpuAll / result.requests.sent).toFixed(2)} ms with the mails`
  );

  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  sink.server.close();
  await fresh.drop();

  if (!profiling) return;
  const file = readdirSync(profiles).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written (did the instance exit cleanly?)');
  const profile = JSON.parse(readFileSync(path.join(profiles, file), 'utf8'));
  // Only the load's window, from its first request to the last mail: V8's profile clock and
  // process.hrtime are both the system's monotonic clock (microseconds here).
  const cut = { ...profile, samples: [], timeDeltas: [] };
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i];
    if (at < window.from || at > window.to) continue;
    cut.samples.push(profile.samples[i]);
    cut.timeDeltas.push(profile.timeDeltas[i]);
  }
  if (cut.samples.length === 0) throw new Error("no sample in the load's window");
  // The window alone, for a call tree of the load without the start.
  writeFileSync(path.join(profiles, `${scenario}-window.cpuprofile`), JSON.stringify(cut));
  print('By package', summarise(cut, packageOf), 25);
  print('By file', summarise(cut, fileOf), 30);
  print('Hottest functions', summarise(cut, functionOf), 40);
  print(
    "Total time under the plugin's and Strapi's functions (inclusive: with what they call)",
    summariseInclusive(cut, functionOf, (key) => /(^| )(src\/plugins\/booking\/|@strapi\/(core|database|utils))/.test(key)),
    40
  );
  console.log(`\nProfile: ${path.relative(root, path.join(profiles, file))} (the load's window alone: ${scenario}-window.cpuprofile)`);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
