/**
 * The files of deploy/ as the tools that will read them read them: systemd's own check of the
 * template unit (`systemd-analyze verify`, on an instance name as systemctl would start it) and
 * Caddy's own validation of the shipped Caddyfile with the variables README sets. Each check runs
 * where the machine has the tool and says so where it does not; caddy-https.test.ts runs the site
 * configuration for real.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const deploy = path.join(__dirname, '..', '..', 'deploy');

const run = (command: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: -1, output: error.message }));
    child.on('exit', (code) => resolve({ code: code ?? -1, output }));
  });

let work: string;
beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'booking-deploy-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

test('systemd-analyze verify finds nothing to say about azionelab-booking@1337.service', async () => {
  if (!['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].some(existsSync)) {
    console.warn('systemd-analyze not installed: the unit file is not verified here');
    return;
  }
  copyFileSync(path.join(deploy, 'azionelab-booking@.service'), path.join(work, 'azionelab-booking@.service'));
  const verified = await run('systemd-analyze', ['verify', path.join(work, 'azionelab-booking@1337.service')]);
  expect(verified).toEqual({ code: 0, output: '' });
  // The check is not blind: a mistake in the same file is reported.
  const broken = path.join(work, 'broken@.service');
  copyFileSync(path.join(deploy, 'azionelab-booking@.service'), broken);
  writeFileSync(broken, readFileSync(broken, 'utf8').replace('KillSignal=SIGTERM', 'KillSignal=SIGNOTHING'));
  expect((await run('systemd-analyze', ['verify', path.join(work, 'broken@1337.service')])).output).toMatch(/SIGNOTHING/);
});

test("caddy validate accepts deploy/Caddyfile with README's variables", async () => {
  const caddy = ['/usr/bin/caddy', '/usr/local/bin/caddy'].find(existsSync);
  if (!caddy) {
    console.warn('caddy not installed: the Caddyfile is validated by caddy-https.test.ts where it is');
    return;
  }
  const env = {
    PATH: process.env.PATH,
    HOME: work,
    XDG_DATA_HOME: work,
    XDG_CONFIG_HOME: work,
    ACME_EMAIL: 'tecnico@example.org',
    BOOKING_SITE: 'booking.example.org',
    BOOKING_UPSTREAMS: '127.0.0.1:1337 127.0.0.1:1338',
  };
  const validated = await run(caddy, ['validate', '--adapter', 'caddyfile', '--config', path.join(deploy, 'Caddyfile')], env);
  expect(validated.code).toBe(0);
  expect(validated.output).toMatch(/Valid configuration/);
});
