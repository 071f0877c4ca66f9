import { spawn } from 'node:child_process';
import path from 'node:path';

export interface PostgresProcess {
  url: string;
  /** Stops PostgreSQL (open connections are cut), waits `downMs`, starts it again. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A PostgreSQL of the test's own, which it may restart (see pg-server-process.js). */
export const startPostgresProcess = async (): Promise<PostgresProcess> => {
  const child = spawn(process.execPath, [path.join(__dirname, 'pg-server-process.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = '';
  const waiters: Array<{ prefix: string; resolve: (line: string) => void }> = [];
  child.stdout!.on('data', (chunk) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const waiter = waiters.findIndex((w) => line.startsWith(w.prefix));
      if (waiter >= 0) waiters.splice(waiter, 1)[0].resolve(line);
    }
  });
  const expectLine = (prefix: string) => new Promise<string>((resolve) => waiters.push({ prefix, resolve }));
  const url = (await expectLine('URL ')).slice(4);
  return {
    url,
    async restart(downMs = 0) {
      const done = expectLine('RESTARTED');
      child.stdin!.write(`restart ${downMs}\n`);
      await done;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.write('stop\n');
      }),
  };
};
