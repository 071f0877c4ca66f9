/** What the mailer makes of a failed send: when to try again, what to record, whether ever. */

/** 30 s, 1 min, 2 min, ... up to 30 min between attempts: the mail is retried until it goes. */
export const retryDelayMs = (attempts: number) => Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 30 * 60_000);

/** Error text for operators, without the addresses an SMTP refusal may quote. */
export const describe = (error: unknown) =>
  String(error instanceof Error ? error.message : error)
    .replace(/[^\s<>"']+@[^\s<>"']+/g, '<address>')
    .slice(0, 500);

/**
 * Whether the SMTP server refused this very mail for good: a 5xx reply to its envelope (MAIL
 * FROM, RCPT TO: no such mailbox) or to its content (DATA). Retrying it would be refused again,
 * every 30 minutes for weeks. A 5xx at login (EAUTH) or at the greeting is the server's set-up,
 * not the mail's fault: those, and every 4xx or network failure, are retried as before.
 */
export const isPermanentRefusal = (error: unknown): boolean => {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  return (code === 'EENVELOPE' || code === 'EMESSAGE') && typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
};
