/**
 * The app as a server runs it: `strapi start` with NODE_ENV=production in a process of its own
 * (the compiled app in dist/, as `npm start` and deploy/azionelab-booking@.service run it), on a
 * database of the tests. Ready when /api/booking/ready answers 200. Its stdout is kept line by
 * line (the JSON log), stderr as text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { appEnv } from './app';
import { freePort } from './processes';

const root = path.join(__dirname, '..', '..');
const strapiBin = path.join(root, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js');

export interface ProductionProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** stdout, one entry per complete line. */
  lines: string[];
  stderr(): string;
  /** SIGTERM and wait (a clean stop). */
  stop(): Promise<void>;
  /** SIGKILL and wait (a crash). */
  kill(): Promise<void>;
}

const exited = (child: ChildProcess, signal: NodeJS.Signals) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
  });

export const startProductionProcess = async (database: string, env: Record<string, string> = {}): Promise<ProductionProcess> => {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--max-old-space-size=384', strapiBin, 'start'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...appEnv(database),
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      // Tests serve http: production otherwise refuses non-HTTPS links.
      ALLOW_HTTP_LINKS: 'true',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '9',
      SMTP_ALLOW_PLAINTEXT: 'true',
      BOOKING_SCHEDULED_JOBS: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr += chunk));
  let exitCode: number | null = null;
  child.on('exit', (code) => (exitCode = code ?? -1));

  const deadline = Date.now() + 180_000;
  for (;;) {
    if (exitCode !== null) throw new Error(`production process exited with ${exitCode}:\n${lines.join('\n')}\n${stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`production process not ready in time:\n${lines.join('\n')}\n${stderr}`);
    }
    const status = await fetch(`${url}/api/booking/ready`).then(
      (res) => res.status,
      () => 0
    );
    if (status === 200) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    port,
    child,
    lines,
    stderr: () => stderr,
    stop: () => exited(child, 'SIGTERM'),
    kill: () => exited(child, 'SIGKILL'),
  };
};
