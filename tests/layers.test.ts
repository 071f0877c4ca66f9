/**
 * Rules of the server's layers (CONTRIBUTING.md, "Where things live"), checked on the source:
 * raw SQL only in `server/src/data/` (one module per table), seats change only in
 * `services/seat-ledger.ts`, no service file over 300 lines. The first is also a lint rule (eslint.config.mjs,
 * no-restricted-syntax); the last test proves that rule catches each form it names, so a change
 * of the config cannot quietly switch it off.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..');
const SERVER = join(ROOT, 'src/plugins/booking/server/src');

/** Every TypeScript file of the server code outside data/ and the unit tests, as [path, text]. */
const serverFiles = (): Array<[string, string]> => {
  const files: Array<[string, string]> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '__tests__' && path !== join(SERVER, 'data')) walk(path);
      } else if (entry.name.endsWith('.ts')) {
        files.push([relative(SERVER, path), readFileSync(path, 'utf8')]);
      }
    }
  };
  walk(SERVER);
  return files;
};

/** The lines of `text` matching `pattern` (whitespace and line breaks inside a call count as one). */
const offenders = (files: Array<[string, string]>, pattern: RegExp) =>
  files.flatMap(([path, text]) =>
    [...text.matchAll(new RegExp(pattern.source, 'g'))].map((match) => `${path}:${text.slice(0, match.index).split('\n').length}`)
  );

test('the walk sees the server code (services, controllers, utils), and not data/', () => {
  const paths = serverFiles().map(([path]) => path);
  expect(paths).toEqual(
    expect.arrayContaining(['services/privacy.ts', 'services/seat-ledger.ts', 'controllers/reservation.ts', 'utils/locales.ts'])
  );
  expect(paths.filter((path) => path.startsWith('data/'))).toEqual([]);
});

test('no raw SQL outside server/src/data/: no knex or trx query, no .raw(), no query on strapi.db.connection', () => {
  const raw =
    /\b(knex|trx)\s*\(|\.\s*raw\s*\(|\bdb\s*\.\s*connection\s*[(.]|\.\s*(transacting|forUpdate|forShare|whereRaw|joinRaw)\s*\(|\b(knex|trx)\s*\.\s*schema\b/;
  expect(offenders(serverFiles(), raw)).toEqual([]);
});

test('seats change only in services/seat-ledger.ts: no other caller of the performance lock or the counter writes', () => {
  const seatWrites =
    /\bperformances\s*\.\s*lock\s*\(|\bseats\s*\.\s*(takeSeats|lockAndTake|adjustConfirmedSeats|adjustHeldSeats|confirmHeldSeats)\s*\(/;
  const files = serverFiles();
  // The ledger itself does call them (so the pattern is the one it uses).
  expect(offenders(files, seatWrites).filter((line) => line.startsWith('services/seat-ledger.ts:')).length).toBeGreaterThanOrEqual(5);
  expect(offenders(files, seatWrites).filter((line) => !line.startsWith('services/seat-ledger.ts:'))).toEqual([]);
});

test('no service file is over 300 lines (split by job instead)', () => {
  const long = serverFiles()
    .filter(([path]) => path.startsWith('services/'))
    .map(([path, text]) => [path, text.split('\n').length - (text.endsWith('\n') ? 1 : 0)] as const)
    .filter(([, lines]) => lines > 300);
  expect(long).toEqual([]);
});

test('the lint rule refuses each form of raw SQL and `strapi.db.transaction` in a service, and lets data/ hold SQL', async () => {
  const probe = [
    "import type { Core } from '@strapi/strapi';",
    'export const probe = async (strapi: Core.Strapi) => {',
    '  const knex = strapi.db.connection;',
    "  await knex('booking_reservations').where('id', 1).first();",
    "  await strapi.db.connection('booking_reservations').delete();",
    "  await knex.raw('select 1');",
    '  await strapi.db.transaction(async () => 1);',
    '  return strapi.db.connection.client;',
    '};',
    '',
  ].join('\n');
  // In a process of its own: ESLint loads its ES-module config by import(), which jest's
  // CommonJS sandbox does not offer. Linted as the text of an existing file (type-aware lint
  // needs a file the tsconfig holds).
  const script = `
    const { ESLint } = require('eslint');
    (async () => {
      const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
      const out = {};
      for (const file of ['services/privacy.ts', 'data/seats.ts']) {
        const [result] = await eslint.lintText(process.env.PROBE, { filePath: ${JSON.stringify(SERVER)} + '/' + file });
        out[file] = result.messages.map((m) => [m.line, m.ruleId]);
      }
      process.stdout.write(JSON.stringify(out));
    })().catch((error) => { console.error(error); process.exit(1); });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: ROOT,
    env: { ...process.env, PROBE: probe },
    maxBuffer: 1 << 20,
  });
  const found = JSON.parse(stdout) as Record<string, Array<[number, string]>>;
  const rule = (file: string) => found[file].filter(([, id]) => id === 'no-restricted-syntax').map(([line]) => line);
  expect(rule('services/privacy.ts')).toEqual([4, 5, 6, 7, 8]);
  expect(rule('data/seats.ts')).toEqual([]);
});
