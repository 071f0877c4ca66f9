/**
 * The answer concern: a scanned or typed code goes to the server; with no network (the browser
 * says so, or the request cannot reach the server) it is judged on the device from the snapshot,
 * and an admission waits in the queue. The answer stays on screen, then the page moves on by
 * itself: after a good scan a countdown shows when.
 */
import * as React from 'react';
import { useQueryClient } from 'react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import { API } from '../api';
import type { AccessNeed, CheckInResult, CreateCheckIn } from '../../../shared/contracts';
import { isNetworkError, requestProblem, type RequestProblem } from './errors';
import { signal, type Tone } from './feedback';
import { judge } from './judge';
import { openSealed, ticketId } from './seal';
import { doorStore } from './store';
import { extractToken } from './token';

/** What the door can say after a scan. */
export type AnswerResult =
  | CheckInResult
  | RequestProblem
  /** Offline, and this device never held the performance's snapshot. */
  | 'no_snapshot'
  /** Offline, a typed reference: the snapshot carries no reference in clear. */
  | 'offline_reference';

export interface DoorAnswer {
  result: AnswerResult;
  /** Judged on this device, with no network. */
  offline: boolean;
  party_size?: number;
  holder?: string;
  reference?: string;
  show_title?: string;
  access_needs?: AccessNeed[];
  checked_in_at?: string;
  checked_in_by?: string;
  /** wrong_performance: when the ticket's evening starts. */
  ticket_starts_at?: string;
  check_in_opens_at?: string;
}

/**
 * The same code seen again within this window is the same scan (a phone sees a QR many times a
 * second, and a ticket held in front of the camera comes back each time the answer clears). The
 * window slides: every sighting of the held code extends it, so a code held still is sent once.
 */
const REPEAT_MS = 8000;
/** A printed reference: 6 to 16 letters and digits once spaces and dashes are gone (a token is longer). */
const REFERENCE = /^[A-Za-z0-9]{6,16}$/;
/** How long an answer stays on screen before the page is back to scanning. */
export const SHOW_ANSWER_MS = 3500;
/**
 * How long a scan waits for the server before the phone judges it (a network that is up but
 * reaches nothing can hold a request for a minute). The scan keeps its idempotency key: if the
 * request did land, the upload later gets the server's first answer back, not a conflict.
 */
const ANSWER_TIMEOUT_MS = 6000;

class ServerTooSlow extends Error {
  override name = 'ServerTooSlow';
}

const newKey = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');

export const toneOf = (result: AnswerResult): Tone =>
  result === 'ok'
    ? 'ok'
    : ['already_checked_in', 'rate_limited', 'server_busy', 'no_snapshot', 'offline_reference'].includes(result)
      ? 'warn'
      : 'error';

const fromServer = (data: CreateCheckIn.Response['data']): DoorAnswer => ({
  result: data.result,
  offline: false,
  party_size: data.ticket?.party_size,
  holder: data.ticket?.holder,
  reference: data.ticket?.reference,
  show_title: data.ticket?.show_title,
  access_needs: data.ticket?.access_needs,
  checked_in_at: data.checked_in_at,
  checked_in_by: data.checked_in_by,
  ticket_starts_at: data.result === 'wrong_performance' ? data.ticket?.starts_at : undefined,
  check_in_opens_at: data.check_in_opens_at,
});

/** The scan judged from the snapshots on this device; an admission is queued before it is shown. */
const judgeHere = async (text: string, performance: string, source: 'qr_scan' | 'manual', key: string): Promise<DoorAnswer> => {
  const snapshot = await doorStore.snapshot(performance);
  if (!snapshot) return { result: 'no_snapshot', offline: true };
  const token = extractToken(text);
  const id = token === null ? null : await ticketId(token);
  const now = new Date();
  const judgement = judge({
    id,
    snapshot,
    others: await doorStore.snapshots(),
    admittedAt: id === null ? null : await doorStore.admittedAt(performance, id),
    now,
  });
  if (judgement.result === 'ok' && token !== null && id !== null) {
    await doorStore.enqueue({ idempotency_key: key, token, performance, source, scanned_at: now.toISOString(), ticket_id: id });
  }
  const record = judgement.entry?.sealed && token !== null ? await openSealed(token, judgement.entry.sealed) : null;
  return {
    result: judgement.result,
    offline: true,
    party_size: judgement.entry?.party_size,
    holder: record?.holder,
    reference: record?.reference,
    show_title: judgement.performance?.show_title,
    access_needs: record?.access_needs,
    checked_in_at: judgement.checked_in_at,
    ticket_starts_at: judgement.result === 'wrong_performance' ? judgement.performance?.starts_at : undefined,
    check_in_opens_at: judgement.result === 'too_early' ? judgement.performance?.check_in_opens_at : undefined,
  };
};

export const useScan = (performance: string, onQueued: () => void) => {
  const { post } = useFetchClient();
  const client = useQueryClient();
  const [answer, setAnswer] = React.useState<DoorAnswer | null>(null);
  /** How many answers this page has shown: each answer is told from the one before. */
  const [count, setCount] = React.useState(0);
  const [shownAt, setShownAt] = React.useState(0);
  const [now, setNow] = React.useState(0);
  const lastSeen = React.useRef<{ text: string; at: number } | null>(null);

  const show = React.useCallback(
    (next: DoorAnswer) => {
      setAnswer(next);
      setCount((n) => n + 1);
      setShownAt(Date.now());
      setNow(Date.now());
      signal(toneOf(next.result));
      void client.invalidateQueries(['booking', 'stats']);
    },
    [client]
  );
  const dismiss = React.useCallback(() => setAnswer(null), []);

  // The answer's clock: a tick a quarter of a second while one is shown, then back to scanning.
  React.useEffect(() => {
    if (!answer) return;
    const timer = window.setInterval(() => {
      const at = Date.now();
      if (at - shownAt >= SHOW_ANSWER_MS) setAnswer(null);
      else setNow(at);
    }, 250);
    return () => window.clearInterval(timer);
  }, [answer, shownAt]);

  const submit = React.useCallback(
    /** `camera`: a sighting of the camera, which sees a held ticket many times (a reader or a typed code is meant each time). */
    async (text: string, source: 'qr_scan' | 'manual', camera = false) => {
      const at = Date.now();
      if (camera) {
        const repeat = lastSeen.current?.text === text && at - lastSeen.current.at < REPEAT_MS;
        // Camera sightings only: a typed or read code neither starts nor breaks the held ticket's window.
        lastSeen.current = { text, at };
        if (repeat) return;
      }
      const compact = text.replace(/[\s-]+/g, '');
      const byReference = source === 'manual' && REFERENCE.test(compact) && performance !== '';
      const body: CreateCheckIn.Request = byReference
        ? { reference: compact.toUpperCase(), performance, source, idempotency_key: newKey() }
        : { token: text, performance: performance || undefined, source, idempotency_key: newKey() };
      const offline = async () => {
        if (byReference) return show({ result: 'offline_reference', offline: true });
        if (!performance) return show({ result: 'no_snapshot', offline: true });
        try {
          show(await judgeHere(text, performance, source, body.idempotency_key ?? newKey()));
          onQueued();
        } catch (error) {
          // The device's storage failed (private mode, full): no judgment is possible here.
          console.warn('[booking] the scan could not be judged on this device:', error);
          show({ result: 'no_snapshot', offline: true });
        }
      };
      // The browser knows it has no network: no request to wait for.
      if (!navigator.onLine) return offline();
      try {
        let timer: number | undefined;
        const tooSlow = new Promise<never>((_, reject) => {
          timer = window.setTimeout(() => reject(new ServerTooSlow()), ANSWER_TIMEOUT_MS);
        });
        const { data } = await Promise.race([post<CreateCheckIn.Response>(API.checkIn, body), tooSlow]).finally(() =>
          window.clearTimeout(timer)
        );
        // Remembered here too: a network drop right after cannot let the same ticket in again.
        const token = byReference ? null : extractToken(text);
        show(fromServer(data.data));
        if (token && performance && (data.data.result === 'ok' || data.data.result === 'already_checked_in')) {
          const at = data.data.checked_in_at ?? new Date().toISOString();
          // Apart from the answer: a device that cannot keep it (no WebCrypto over plain HTTP, no storage) still shows it.
          void ticketId(token)
            .then((id) => doorStore.markAdmitted(performance, id, at))
            .catch((error: unknown) => console.warn('[booking] this admission could not be kept on the device:', error));
        }
      } catch (error) {
        if (error instanceof ServerTooSlow || isNetworkError(error)) return offline();
        show({ result: requestProblem(error) ?? 'invalid', offline: false });
      }
    },
    [onQueued, performance, post, show]
  );

  const secondsLeft = answer ? Math.max(0, Math.ceil((SHOW_ANSWER_MS - (now - shownAt)) / 1000)) : 0;
  return { answer, count, submit, dismiss, secondsLeft };
};
