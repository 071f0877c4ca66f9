/**
 * The queue concern: scans admitted offline wait in IndexedDB and go to the server, oldest first,
 * each with its idempotency key, `offline: true` and the time it was judged, as soon as the
 * network answers (at once on the browser's `online` event, then every few seconds while any
 * wait). The server records each once however often it is sent; a scan it says was already in
 * is an offline conflict there (someone let in twice), counted here so staff hear of it.
 */
import * as React from 'react';
import { useQuery, useQueryClient } from 'react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import { API } from '../api';
import type { CreateCheckIn } from '../../../shared/contracts';
import { isNetworkError, statusOf } from './errors';
import { doorStore } from './store';

const QUEUE_KEY = ['booking', 'door-queue'] as const;
const SYNC_KEY = ['booking', 'door-queue-sync'] as const;
const RETRY_MS = 4000;
/** A send the server has not answered by then is tried again at the next round (same key: recorded once). */
const SEND_TIMEOUT_MS = 10_000;

/** The request, or a network-like failure when it hangs (a network that is up but reaches nothing). */
const withTimeout = <T>(request: Promise<T>): Promise<T> => {
  let timer: number | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = window.setTimeout(() => reject(new Error('no answer in time')), SEND_TIMEOUT_MS);
  });
  return Promise.race([request, hung]).finally(() => window.clearTimeout(timer));
};

export interface SyncReport {
  sent: number;
  /** Sent scans the server found already checked in: let in twice. */
  conflicts: number;
  /** Whether the last attempt reached the server. */
  reached: boolean;
}

/** One flush at a time in this tab (the interval, the online event and a new scan may all ask). */
let flushing: Promise<SyncReport> | null = null;

export const useDoorQueue = () => {
  const { post } = useFetchClient();
  const client = useQueryClient();
  const queue = useQuery(QUEUE_KEY, () => doorStore.queued(), { staleTime: Infinity });
  const waiting = queue.data?.length ?? 0;
  const [totals, setTotals] = React.useState({ sent: 0, conflicts: 0 });

  const flush = React.useCallback(
    () =>
      (flushing ??= (async (): Promise<SyncReport> => {
        const report: SyncReport = { sent: 0, conflicts: 0, reached: true };
        try {
          for (const scan of await doorStore.queued()) {
            const body: CreateCheckIn.Request & { scanned_at: string; offline: true } = {
              token: scan.token,
              performance: scan.performance,
              source: scan.source,
              idempotency_key: scan.idempotency_key,
              scanned_at: scan.scanned_at,
              offline: true,
            };
            try {
              const { data } = await withTimeout(post<CreateCheckIn.Response>(API.checkIn, body));
              if (data.data.result === 'already_checked_in') report.conflicts += 1;
            } catch (error) {
              const status = statusOf(error);
              // No network, a busy server, or a refusal of the staff member: kept, in order, for the next try.
              if (isNetworkError(error) || status === undefined || status >= 500 || [401, 403, 408, 429].includes(status)) {
                report.reached = !isNetworkError(error);
                return report;
              }
              // A 4xx about the scan itself would refuse it every time: it leaves the queue.
            }
            await doorStore.dequeue(scan.seq);
            report.sent += 1;
          }
          return report;
        } finally {
          flushing = null;
          if (report.sent > 0) {
            setTotals((t) => ({ sent: t.sent + report.sent, conflicts: t.conflicts + report.conflicts }));
            void client.invalidateQueries(QUEUE_KEY);
            void client.invalidateQueries(['booking', 'stats']);
          }
        }
      })()),
    [client, post]
  );

  const sync = useQuery(SYNC_KEY, flush, {
    enabled: waiting > 0,
    refetchInterval: waiting > 0 ? RETRY_MS : false,
    refetchIntervalInBackground: true,
    retry: false,
    cacheTime: 0,
  });
  const { refetch } = sync;

  React.useEffect(() => {
    const online = () => void refetch();
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, [refetch]);

  const changed = React.useCallback(() => client.invalidateQueries(QUEUE_KEY), [client]);

  return { waiting, loaded: queue.isSuccess, lastSync: sync.data, totals, changed, flush: refetch };
};
