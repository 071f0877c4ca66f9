/**
 * A real SMTP server in the test process (smtp-server), parsing what it receives with
 * mailparser. `stop()` and `start()` on the same port let a test take the mail server down and
 * bring it back.
 */
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

export interface SmtpSink {
  port: number;
  messages: ParsedMail[];
  /** SMTP connections opened so far. */
  readonly connections: number;
  /** The most mails the server was receiving at one time (DATA begun, not yet answered). */
  readonly mostAtOnce: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves with the first message matching, waiting up to `timeoutMs`. */
  waitFor(match: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail>;
  to(address: string): ParsedMail[];
  /**
   * Makes the server refuse mail to `address` at RCPT TO with this SMTP reply code (550: no such
   * mailbox, permanent; 450: mailbox busy, temporary); `null` accepts it again.
   */
  refuse(address: string, code: number | null): void;
  /** RCPT TO commands refused so far, per address. */
  refusedCount(address: string): number;
}

/** `holdMs`: how long the server waits before it answers each mail's DATA (a slow server). */
export const startSmtpSink = async (options: { holdMs?: number } = {}): Promise<SmtpSink> => {
  const messages: ParsedMail[] = [];
  let server: SMTPServer | null = null;
  let port = 0;
  let connections = 0;
  let receiving = 0;
  let mostAtOnce = 0;
  const refusals = new Map<string, number>();
  const refused = new Map<string, number>();

  const start = () =>
    new Promise<void>((resolve, reject) => {
      server = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        // A client's idle pooled connection is closed at stop() after this, not after 30 s.
        closeTimeout: 200,
        onConnect(_session, callback) {
          connections += 1;
          callback();
        },
        onRcptTo(address, _session, callback) {
          const code = refusals.get(address.address.toLowerCase());
          if (code === undefined) return callback();
          refused.set(address.address.toLowerCase(), (refused.get(address.address.toLowerCase()) ?? 0) + 1);
          const error = new Error(code >= 500 ? 'No such mailbox here' : 'Mailbox busy, try later') as Error & { responseCode: number };
          error.responseCode = code;
          return callback(error);
        },
        onData(stream, _session, callback) {
          receiving += 1;
          mostAtOnce = Math.max(mostAtOnce, receiving);
          simpleParser(stream)
            .then((mail) => new Promise<ParsedMail>((resolve) => setTimeout(() => resolve(mail), options.holdMs ?? 0)))
            .then((mail) => {
              messages.push(mail);
              receiving -= 1;
              callback();
            })
            .catch((error: Error) => {
              receiving -= 1;
              callback(error);
            });
        },
      });
      server.on('error', () => {});
      server.listen(port, '127.0.0.1', () => {
        port = (server!.server.address() as AddressInfo).port;
        resolve();
      });
      server.server.once('error', reject);
    });

  const stop = () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

  await start();
  return {
    get port() {
      return port;
    },
    get connections() {
      return connections;
    },
    get mostAtOnce() {
      return mostAtOnce;
    },
    messages,
    start,
    stop,
    refuse(address, code) {
      if (code === null) refusals.delete(address.toLowerCase());
      else refusals.set(address.toLowerCase(), code);
    },
    refusedCount: (address) => refused.get(address.toLowerCase()) ?? 0,
    to: (address) =>
      messages.filter((mail) => {
        const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
        return to.some((t) => t.value.some((v) => v.address === address));
      }),
    async waitFor(match, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error('no matching e-mail arrived');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
};

/** The first URL in a text that starts with `prefix`. */
export const linkIn = (text: string, prefix: string) => {
  const match = text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}[^\\s"<>]+`));
  if (!match) throw new Error(`no link starting with ${prefix}`);
  return match[0];
};

export const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';
