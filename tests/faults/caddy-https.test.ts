/**
 * deploy/booking.caddy as a theatre runs it: Debian's Caddy (installed with apt-get when missing)
 * serving HTTPS from its internal certificate authority (`local_certs`, its data under a temporary
 * folder, non-privileged ports) in front of two production instances (`strapi start`), with the
 * active health checks on /api/booking/ready and the X-Forwarded-For that PROXY_TRUSTED_HOPS=1
 * expects.
 *
 * Door staff on a phone (Chromium at phone size, the fake camera showing a real ticket) open the
 * scanner at https://booking.test (mapped to 127.0.0.1): the page is a secure context, the camera
 * starts and the scan answers ok. Then one instance is killed: the next scans still answer,
 * through the other, each well within Caddy's health-check interval. Visitors booking through
 * Caddy are rate-limited by their own address (what Caddy saw), not Caddy's, whatever
 * X-Forwarded-For they send. Needs the admin panel built (dist/build) and Chromium.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createAdmin } from '../support/admin';
import { dropDatabase, startApp } from '../support/app';
import { artifact, describeInBrowser, launchBrowser } from '../support/browser';
import { writeQrVideo } from '../support/fake-camera';
import { confirmedReservation, createPerformance } from '../support/factories';
import { freePort } from '../support/processes';
import { startProductionProcess, type ProductionProcess } from '../support/production';

const root = path.join(__dirname, '..', '..');
const adminBuilt = existsSync(path.join(root, 'dist', 'build', 'index.html'));
const HOST = 'booking.test';
/** The health-check interval the test runs Caddy with (BOOKING_HEALTH_INTERVAL). */
const HEALTH_INTERVAL_MS = 2000;
const RATE_LIMIT = 3;

const findCaddy = () => ['/usr/bin/caddy', '/usr/local/bin/caddy'].find((candidate) => existsSync(candidate));

const runToEnd = (command: string, args: string[]) =>
  new Promise<number>((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    child.on('error', () => resolve(-1));
    child.on('exit', (code) => resolve(code ?? -1));
  });

/** Debian's caddy, installed as .ci/run installs it when this machine lacks it. */
const ensureCaddy = async () => {
  if (!findCaddy()) {
    console.log("caddy missing: apt-get install -y caddy (Debian's package)");
    if ((await runToEnd('apt-get', ['install', '-y', '-qq', 'caddy'])) !== 0) {
      await runToEnd('apt-get', ['update', '-qq']);
      await runToEnd('apt-get', ['install', '-y', '-qq', 'caddy']);
    }
  }
  const found = findCaddy();
  if (!found) throw new Error('caddy is not installed and apt-get could not install it (run .ci/run as root, or apt-get install caddy)');
  return found;
};

const maybe = adminBuilt ? describeInBrowser : describe.skip;

maybe('HTTPS through Caddy in front of two instances', () => {
  let database: string;
  let instances: ProductionProcess[] = [];
  let caddy: ChildProcess | null = null;
  let caddyLog = '';
  let work: string;
  let httpsPort: number;
  let ca: Buffer;
  let browser: Browser;
  let page: Page;
  let staff: { email: string };
  const tickets: string[] = [];
  let performance: string;

  /** A request to Caddy as a client at `localAddress` (any 127.x address is this machine) would make it. */
  const viaCaddy = (
    method: string,
    urlPath: string,
    options: { body?: unknown; localAddress?: string; headers?: Record<string, string> } = {}
  ) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> | null }>((resolve, reject) => {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const req = https.request(
        {
          host: '127.0.0.1',
          port: httpsPort,
          servername: HOST,
          ca,
          agent: false,
          method,
          path: urlPath,
          localAddress: options.localAddress,
          headers: {
            Host: `${HOST}:${httpsPort}`,
            ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(payload)) } : {}),
            ...options.headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => {
            let body: Record<string, unknown> | null;
            try {
              body = JSON.parse(text);
            } catch {
              body = null;
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
        }
      );
      req.on('error', reject);
      req.end(payload);
    });

  beforeAll(async () => {
    const caddyPath = await ensureCaddy();
    work = mkdtempSync(path.join(os.tmpdir(), 'booking-caddy-'));
    httpsPort = await freePort();
    const publicUrl = `https://${HOST}:${httpsPort}`;

    // The schema and an evening, made in this process, then served by two production instances.
    const app = await startApp();
    database = app.database;
    const perf = await createPerformance(app.strapi, { room_capacity: 100, startsInHours: 1 });
    performance = perf.documentId;
    for (const size of [2, 1, 1]) tickets.push((await confirmedReservation(app.strapi, perf.documentId, size)).checkInToken as string);
    staff = await createAdmin(app.strapi, { roleCode: 'booking-door-staff', firstname: 'Paolo', preferedLanguage: 'en' });
    await app.stop({ keepDatabase: true });

    const instanceEnv = {
      PUBLIC_URL: publicUrl,
      IS_PROXIED: 'true',
      PROXY_TRUSTED_HOPS: '1',
      LOG_FORMAT: 'json',
      BOOKING_RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
      BOOKING_PENDING_PER_EMAIL: '0',
      BOOKING_CHECKIN_RATE_LIMIT_PER_MINUTE: '0',
      BOOKING_PUBLIC_CACHE_SECONDS: '2',
    };
    instances = await Promise.all([startProductionProcess(database, instanceEnv), startProductionProcess(database, instanceEnv)]);

    // Caddy's own options for a test: no admin endpoint, its internal CA, nothing installed in the
    // system's trust store, unprivileged ports, its data in the temporary folder. The site is the
    // shipped deploy/booking.caddy, as is.
    const caddyfile = path.join(work, 'Caddyfile');
    writeFileSync(
      caddyfile,
      [
        '{',
        '\tadmin off',
        '\tlocal_certs',
        '\tskip_install_trust',
        `\thttp_port ${await freePort()}`,
        `\thttps_port ${httpsPort}`,
        '}',
        `import ${path.join(root, 'deploy', 'booking.caddy')}`,
        '',
      ].join('\n')
    );
    caddy = spawn(caddyPath, ['run', '--adapter', 'caddyfile', '--config', caddyfile], {
      env: {
        PATH: process.env.PATH,
        HOME: work,
        XDG_DATA_HOME: work,
        XDG_CONFIG_HOME: work,
        BOOKING_SITE: publicUrl,
        BOOKING_UPSTREAMS: instances.map((i) => `127.0.0.1:${i.port}`).join(' '),
        BOOKING_HEALTH_INTERVAL: `${HEALTH_INTERVAL_MS}ms`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    caddy.stdout!.on('data', (chunk) => (caddyLog += chunk));
    caddy.stderr!.on('data', (chunk) => (caddyLog += chunk));
    const rootCert = path.join(work, 'caddy', 'pki', 'authorities', 'local', 'root.crt');
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (caddy.exitCode !== null) throw new Error(`caddy exited:\n${caddyLog}`);
      if (existsSync(rootCert)) {
        ca = readFileSync(rootCert);
        const ready = await viaCaddy('GET', '/api/booking/ready').catch(() => null);
        if (ready?.status === 200) break;
      }
      if (Date.now() > deadline) throw new Error(`caddy not serving HTTPS in time:\n${caddyLog}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const video = artifact('caddy-ticket-qr.y4m');
    await writeQrVideo(tickets[0], video);
    browser = await launchBrowser([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
      // booking.test is this machine, as a DNS name would point at the server.
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    ]);
    // The browser visits booking.test only; its certificate comes from Caddy's test CA, which
    // this throwaway profile does not know.
    page = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'en-GB',
      ignoreHTTPSErrors: true,
    });
  }, 420_000);

  afterAll(async () => {
    // What Caddy and each instance wrote, for whoever reads a failure.
    writeFileSync(artifact('caddy-https-caddy.log'), caddyLog);
    instances.forEach((i, n) => writeFileSync(artifact(`caddy-https-instance-${n + 1}.log`), `${i.lines.join('\n')}\n${i.stderr()}`));
    await browser?.close();
    if (caddy && caddy.exitCode === null) {
      const stopped = new Promise((resolve) => caddy!.once('exit', resolve));
      caddy.kill('SIGTERM');
      await stopped;
    }
    await Promise.all(instances.map((i) => i.stop()));
    if (database) await dropDatabase(database);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the scanner over HTTPS: a secure context, the camera starts, ok; one instance killed, the next scans answer through the other', async () => {
    const base = `https://${HOST}:${httpsPort}`;
    await page.goto(`${base}/admin/auth/login`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await page.locator('input[name="email"]').fill(staff.email);
    await page.locator('input[name="password"]').fill('Secret-password-123');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/admin(\/)?$/, { timeout: 90_000 });

    await page.goto(`${base}/admin/plugins/booking`);
    const answer = page.getByTestId('scan-answer');
    await answer.and(page.locator('[data-result="ok"]')).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: artifact('caddy-scanner-ok.png') });
    await answer.waitFor({ state: 'detached', timeout: 10_000 });

    // One instance dies (a crash, not a clean stop): Caddy has not noticed yet.
    const [victim, survivor] = instances;
    const survivorLinesBefore = survivor.lines.length;
    await victim.kill();
    const killedAt = Date.now();

    const typedScan = async (token: string) => {
      const sent = Date.now();
      await page.getByLabel('Ticket code').fill(token);
      await page.getByRole('button', { name: 'Check' }).click();
      await answer.and(page.locator('[data-result="ok"]')).waitFor({ timeout: 10_000 });
      const ms = Date.now() - sent;
      await answer.waitFor({ state: 'detached', timeout: 10_000 });
      return ms;
    };
    const answerMs = [await typedScan(tickets[1]), await typedScan(tickets[2])];
    console.log(
      `after the kill: scans answered in ${answerMs.join(' and ')} ms (health interval ${HEALTH_INTERVAL_MS} ms; both done ${Date.now() - killedAt} ms after the kill)`
    );
    for (const ms of answerMs) expect(ms).toBeLessThan(HEALTH_INTERVAL_MS);
    // The survivor answered them: its JSON log has both check-ins.
    const checkIns = survivor.lines
      .slice(survivorLinesBefore)
      .map((line) => JSON.parse(line) as { route?: string; status?: number })
      .filter((entry) => entry.route === '/booking/check-ins' && entry.status === 200);
    expect(checkIns).toHaveLength(2);
  });

  test("visitors booking through Caddy are limited by their own address, not Caddy's, whatever X-Forwarded-For they send", async () => {
    const book = (localAddress: string, n: number) =>
      viaCaddy('POST', '/api/booking/reservations', {
        localAddress,
        // A client claiming to be someone else each time: Caddy does not pass it on.
        headers: { 'X-Forwarded-For': `198.51.100.${n}` },
        body: {
          data: { performance, party_size: 1, name: 'Ospite', email: `ospite${localAddress.replace(/\./g, '-')}-${n}@example.test` },
        },
      });
    const first: number[] = [];
    for (let n = 1; n <= RATE_LIMIT + 1; n++) first.push((await book('127.0.0.2', n)).status);
    expect(first).toEqual([...Array(RATE_LIMIT).fill(201), 429]);
    // Another visitor behind the same Caddy is not held back by the first one's limit.
    const other = await book('127.0.0.3', 1);
    expect(other.status).toBe(201);
    expect(other.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
