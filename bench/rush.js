#!/usr/bin/env node
'use strict';
/**
 * `npm run bench:rush` (and the second step of `npm run bench`): an on-sale rush (issue 20 item
 * 5). Two production instances on one PostgreSQL (TEST_DATABASE_URL, else a throwaway embedded
 * server), the in-process SMTP sink, rate limits off, a 200-seat performance:
 *
 * 1. 1,000 `POST /api/booking/reservations` spread evenly over one second (one every
 *    millisecond, distinct addresses, alternately to each instance), plain fetch on a timer;
 * 2. the 1,000 confirmation mails counted at the sink, and each one's link read from its text
 *    part (API.md: the answer never holds a token);
 * 3. the 1,000 links clicked, spread evenly over the next five seconds (one every 5 ms, alternately
 *    to each instance): exactly 200 confirmed and 800 `sold_out`, nothing else (asserted, and
 *    counted again in the database);
 * 4. the 200 ticket mails counted at the sink.
 *
 * Latency is from a request's send to its whole answer. Writes bench/RUSH.md; exits non-zero
 * when a guarantee fails (the figures are written first). Needs a built app (`npm run build`,
 * or `BENCH_SKIP_BUILD=1` when dist/ is current).
 */
const { writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');
const { buildUnlessSkipped, children, freshDatabase, freePort, instanceEnv, startInstance } = require('./harness');
const { loadApp, tablesOf, createPerformance } = require('./seed');

const RUSH = { requests: 1000, overMs: 1000, seats: 200, clicksOverMs: 5000 };
const GOALS = { reserveP99Ms: 2000, confirmP99Ms: 1000, mailsWithinMs: 10_000 };
const log = (...args) => console.log('[rush]', ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

/** The SMTP sink: keeps each mail's raw text while `keep` is on, and when every mail arrived. */
const startSink = () =>
  new Promise((resolve) => {
    const sink = { arrivals: [], raws: [], keep: true };
    sink.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _s, cb) {
        const chunks = [];
        stream.on('data', (chunk) => sink.keep && chunks.push(chunk));
        stream.on('end', () => {
          sink.arrivals.push(nowMs());
          if (sink.keep) sink.raws.push(Buffer.concat(chunks));
          cb();
        });
      },
    });
    sink.server.listen(0, '127.0.0.1', () => resolve(Object.assign(sink, { port: sink.server.server.address().port })));
  });

/** A port nobody listens on now (other benches may run on this machine: never a fixed port). */
/**
 * Sends `bodies.length` POSTs, the i-th at `i * overMs / n` ms after the start (a timer that fires
 * every request already due), to `urls[i % urls.length]`. Resolves with each answer's status,
 * details.code, latency (send to whole answer) and when it was sent.
 */
const spread = async (urls, pathname, bodies, overMs) => {
  const n = bodies.length;
  const answers = new Array(n);
  const pending = [];
  const start = nowMs();
  const fire = (i) => {
    const sent = nowMs();
    const url = `${urls[i % urls.length]}${pathname}`;
    pending.push(
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(bodies[i]) })
        .then(async (res) => {
          const text = await res.text();
          let code = null;
          try {
            code = JSON.parse(text)?.error?.details?.code ?? null;
          } catch {
            // not JSON
          }
          answers[i] = { status: res.status, code, ms: nowMs() - sent, sent };
        })
        .catch((error) => {
          answers[i] = { status: 0, code: String(error.cause?.code ?? error.message), ms: nowMs() - sent, sent };
        })
    );
  };
  let next = 0;
  while (next < n) {
    const elapsed = nowMs() - start;
    while (next < n && (next * overMs) / n <= elapsed) fire(next++);
    if (next < n) await sleep(Math.max(0, (next * overMs) / n - (nowMs() - start)));
  }
  const lastSent = nowMs();
  await Promise.all(pending);
  return { answers, start, lastSent, end: nowMs() };
};

const tally = (answers) => {
  const counts = {};
  for (const { status, code } of answers) {
    const key = code ? `${status} ${code}` : String(status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
};
const describe = (counts) =>
  Object.entries(counts)
    .map(([key, n]) => `${key} ×${n}`)
    .join(', ');

/** Waits until `count` mails have arrived since index `from`, or `timeoutMs` passed. */
const waitForMails = async (sink, from, count, timeoutMs) => {
  const started = Date.now();
  while (sink.arrivals.length - from < count && Date.now() - started < timeoutMs) await sleep(50);
  return sink.arrivals.slice(from, from + count);
};

const main = async () => {
  const benchStarted = Date.now();
  // Other work on the machine shows in every figure: its load when the rush began goes with them.
  const loadAtStart = os.loadavg().map((x) => x.toFixed(2));
  buildUnlessSkipped(log);
  const fresh = await freshDatabase('booking_rush');
  const sink = await startSink();
  const env = instanceEnv(fresh.url, sink.port);

  log('starting two instances…');
  const a = await startInstance(env, await freePort());
  const b = await startInstance(env, await freePort());
  log('seeding…');
  Object.assign(process.env, env, { NODE_ENV: 'test' });
  const seeder = await loadApp();
  const t = tablesOf(seeder);
  const perf = await createPerformance(seeder.db.connection, t, { capacity: RUSH.seats, startsInMinutes: 3 * 24 * 60 });
  await seeder.destroy();
  const db = new Client({ connectionString: fresh.url });
  await db.connect();
  await db.query('ANALYZE');
  await sleep(1000);

  const failures = [];
  const urls = [a.url, b.url];

  // 1. The rush: 1,000 reservations in one second.
  log(`${RUSH.requests} reservations over ${RUSH.overMs} ms…`);
  const stamp = Date.now().toString(36);
  const bodies = Array.from({ length: RUSH.requests }, (_, i) => ({
    data: { performance: perf.documentId, name: `Spettatore ${i}`, email: `rush-${stamp}-${i}@example.test`, party_size: 1, locale: 'it' },
  }));
  const mailsBefore = sink.arrivals.length;
  const reserve = await spread(urls, '/api/booking/reservations', bodies, RUSH.overMs);
  const reserveMs = reserve.answers.map((x) => x.ms);
  const reserveCounts = tally(reserve.answers);
  log(
    `answered in ${((reserve.end - reserve.start) / 1000).toFixed(1)} s: p50 ${percentile(reserveMs, 50).toFixed(0)} ms, p99 ${percentile(reserveMs, 99).toFixed(0)} ms; ${describe(reserveCounts)}`
  );
  if (reserveCounts['201'] !== RUSH.requests) failures.push(`reservations: ${describe(reserveCounts)}, not ${RUSH.requests} × 201`);

  // 2. The confirmation mails, and their links.
  const created = reserveCounts['201'] ?? 0;
  const confirmationMails = await waitForMails(sink, mailsBefore, created, 120_000);
  const lastConfirmationMail = confirmationMails.length > 0 ? Math.max(...confirmationMails) : NaN;
  const confirmationMailsMs = lastConfirmationMail - reserve.lastSent;
  const confirmationMailRate = confirmationMails.length / ((lastConfirmationMail - reserve.start) / 1000);
  log(
    `${confirmationMails.length} confirmation mails, the last ${(confirmationMailsMs / 1000).toFixed(1)} s after the last request (${confirmationMailRate.toFixed(0)} mails/s from the first request)`
  );
  if (confirmationMails.length !== created) failures.push(`confirmation mails: ${confirmationMails.length} of ${created}`);
  sink.keep = false;
  const tokens = new Set();
  for (const raw of sink.raws.splice(0)) {
    const mail = await simpleParser(raw);
    const match = /\/confirm\?token=([A-Za-z0-9_-]{43})/.exec(mail.text ?? '');
    if (match) tokens.add(match[1]);
  }
  if (tokens.size !== created) failures.push(`confirmation links: ${tokens.size} distinct tokens read from ${created} mails`);

  // 3. The links clicked over the next five seconds.
  await sleep(500);
  log(`${tokens.size} confirmations over ${RUSH.clicksOverMs} ms…`);
  const ticketsBefore = sink.arrivals.length;
  const confirm = await spread(
    urls,
    '/api/booking/reservations/confirm',
    [...tokens].map((token) => ({ token })),
    RUSH.clicksOverMs
  );
  const confirmMs = confirm.answers.map((x) => x.ms);
  const confirmCounts = tally(confirm.answers);
  log(
    `answered: p50 ${percentile(confirmMs, 50).toFixed(0)} ms, p99 ${percentile(confirmMs, 99).toFixed(0)} ms; ${describe(confirmCounts)}`
  );
  const confirmed = confirmCounts['200'] ?? 0;
  const soldOut = confirmCounts['409 sold_out'] ?? 0;
  if (confirmed !== RUSH.seats || soldOut !== RUSH.requests - RUSH.seats || confirmed + soldOut !== confirm.answers.length) {
    failures.push(
      `confirmations: ${describe(confirmCounts)}, not exactly ${RUSH.seats} × 200 and ${RUSH.requests - RUSH.seats} × 409 sold_out`
    );
  }
  const { rows } = await db.query(
    `SELECT r.reservation_status AS status, count(*)::int AS n FROM ${t.resPerf.table} l JOIN ${t.reservations} r ON r.id = l.${t.resPerf.from}
     WHERE l.${t.resPerf.to} = $1 GROUP BY 1 ORDER BY 1`,
    [perf.id]
  );
  const byStatus = Object.fromEntries(rows.map((row) => [row.status, row.n]));
  const { rows: counter } = await db.query('SELECT confirmed_seats FROM booking_performance_seats WHERE performance_id = $1', [perf.id]);
  log(`in the database: ${JSON.stringify(byStatus)}, confirmed_seats ${counter[0]?.confirmed_seats}`);
  if (byStatus.confirmed !== RUSH.seats || byStatus.pending !== RUSH.requests - RUSH.seats || counter[0]?.confirmed_seats !== RUSH.seats) {
    failures.push(`database: ${JSON.stringify(byStatus)}, confirmed_seats ${counter[0]?.confirmed_seats}`);
  }

  // 4. The ticket mails.
  const ticketMails = await waitForMails(sink, ticketsBefore, confirmed, 60_000);
  const lastTicketMail = ticketMails.length > 0 ? Math.max(...ticketMails) : NaN;
  const ticketMailsMs = lastTicketMail - confirm.lastSent;
  const ticketMailRate = ticketMails.length / ((lastTicketMail - confirm.start) / 1000);
  log(`${ticketMails.length} ticket mails, the last ${(ticketMailsMs / 1000).toFixed(1)} s after the last click`);
  if (ticketMails.length !== confirmed) failures.push(`ticket mails: ${ticketMails.length} of ${confirmed}`);
  await sleep(1000);
  const extra = sink.arrivals.length - ticketsBefore - ticketMails.length;
  if (extra !== 0) failures.push(`${extra} mails more than the tickets`);

  await db.end();
  for (const child of [a.child, b.child]) child.kill('SIGTERM');
  await Promise.all([a.child, b.child].map((child) => (child.exitCode === null ? new Promise((r) => child.once('exit', r)) : null)));
  sink.server.close();
  await fresh.drop();

  const yes = (ok) => (ok ? 'met' : '**missed**');
  const ms = (v) => `${Math.round(v)} ms`;
  const reserveP99 = percentile(reserveMs, 99);
  const confirmP99 = percentile(confirmMs, 99);
  const table = [
    [
      `${RUSH.requests} reservations spread over ${RUSH.overMs / 1000} s, ${RUSH.seats}-seat performance, half to each instance`,
      `p50 ${ms(percentile(reserveMs, 50))}, p99 ${ms(reserveP99)}, max ${ms(Math.max(...reserveMs))}; last answer ${ms(reserve.end - reserve.start)} after the first request`,
      describe(reserveCounts),
      `p99 ≤ ${GOALS.reserveP99Ms / 1000} s, all 201`,
      yes(reserveP99 <= GOALS.reserveP99Ms && reserveCounts['201'] === RUSH.requests),
    ],
    [
      `their ${RUSH.requests} confirmation mails handed to SMTP`,
      `the last ${ms(confirmationMailsMs)} after the last request`,
      `${confirmationMails.length} mails, ${confirmationMailRate.toFixed(0)} mails/s from the first request`,
      `all within ${GOALS.mailsWithinMs / 1000} s`,
      yes(confirmationMails.length === created && created === RUSH.requests && confirmationMailsMs <= GOALS.mailsWithinMs),
    ],
    [
      `the ${tokens.size} confirmation links (read from the mails) clicked over ${RUSH.clicksOverMs / 1000} s, half to each instance`,
      `p50 ${ms(percentile(confirmMs, 50))}, p99 ${ms(confirmP99)}, max ${ms(Math.max(...confirmMs))}`,
      describe(confirmCounts),
      `p99 ≤ ${GOALS.confirmP99Ms / 1000} s, exactly ${RUSH.seats} confirmed and ${RUSH.requests - RUSH.seats} sold_out`,
      yes(confirmP99 <= GOALS.confirmP99Ms && confirmed === RUSH.seats && soldOut === RUSH.requests - RUSH.seats),
    ],
    [
      `their ${confirmed} ticket mails handed to SMTP`,
      `the last ${ms(ticketMailsMs)} after the last click`,
      `${ticketMails.length} mails, ${ticketMailRate.toFixed(0)} mails/s from the first click`,
      `all within ${GOALS.mailsWithinMs / 1000} s`,
      yes(ticketMails.length === confirmed && ticketMailsMs <= GOALS.mailsWithinMs),
    ],
  ];
  const cpus = os.cpus();
  const md = [
    '# On-sale rush',
    '',
    `Written by \`npm run bench:rush\` (also the second step of \`npm run bench\`) on ${new Date().toISOString()} in ${((Date.now() - benchStarted) / 1000).toFixed(0)} s.`,
    '',
    `Machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ` +
      `PostgreSQL ${fresh.where}; two production instances, the load (plain fetch on a timer) ` +
      'and the SMTP sink (in the bench process) and the database share the machine. One run: latency from a request sent to its whole answer.',
    `Load average when the run began (1, 5, 15 min): ${loadAtStart.join(', ')}.`,
    '',
    '| figure | measured | answers | goal | |',
    '|---|---|---|---|---|',
    ...table.map((r) => `| ${r.join(' | ')} |`),
    '',
    `In the database after the clicks: ${JSON.stringify(byStatus)}, confirmed_seats ${counter[0]?.confirmed_seats}.`,
    failures.length > 0 ? `\n**Guarantees failed:** ${failures.join('; ')}.` : '',
    '',
  ].join('\n');
  writeFileSync(path.join(__dirname, 'RUSH.md'), md);
  console.log(md);
  if (failures.length > 0) throw new Error(`the rush broke a guarantee: ${failures.join('; ')}`);
};

main().catch((error) => {
  console.error(error);
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
