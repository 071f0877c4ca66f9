/**
 * The snapshot concern: the chosen performance's snapshot, fetched when the page opens and every
 * 30 seconds (incremental: `since` the last cursor), merged into IndexedDB; and the snapshots of
 * the performances around it, every 5 minutes, so a ticket of another evening is told apart from
 * a made-up code when the network is down. With no network the stored snapshot stands.
 */
import { useQueries, useQuery } from 'react-query';
import { useFetchClient } from '@strapi/strapi/admin';
import { API } from '../api';
import type { DoorPerformance } from '../../../shared/contracts';
import { isNetworkError } from './errors';
import { mergeSnapshot } from './judge';
import { doorStore } from './store';
import type { DoorSnapshotResponse, StoredSnapshot } from './types';

export const SNAPSHOT_REFRESH_MS = 30_000;
const NEIGHBOUR_REFRESH_MS = 5 * 60_000;
/** How many other performances the device keeps, nearest to the chosen one first. */
const NEIGHBOURS = 8;

export interface DoorSnapshotState {
  snapshot: StoredSnapshot;
  /** False when the server could not be reached and the stored snapshot stands. */
  fresh: boolean;
}

export const snapshotKey = (performance: string) => ['booking', 'door-snapshot', performance] as const;

const useRefresh = () => {
  const { get } = useFetchClient();
  return async (performance: string): Promise<DoorSnapshotState> => {
    const stored = await doorStore.snapshot(performance);
    try {
      const { data } = await get<DoorSnapshotResponse>(API.doorSnapshot(performance, stored?.cursor));
      const snapshot = mergeSnapshot(stored, data.data, new Date());
      await doorStore.saveSnapshot(snapshot);
      return { snapshot, fresh: true };
    } catch (error) {
      if (stored && isNetworkError(error)) return { snapshot: stored, fresh: false };
      throw error;
    }
  };
};

/** The other performances worth keeping: not past, nearest in time to the chosen one. */
const neighboursOf = (performance: string, performances: DoorPerformance[]) => {
  const chosen = performances.find((p) => p.documentId === performance);
  const at = chosen ? Date.parse(chosen.starts_at) : Date.now();
  return performances
    .filter((p) => p.documentId !== performance && !p.past)
    .sort((a, b) => Math.abs(Date.parse(a.starts_at) - at) - Math.abs(Date.parse(b.starts_at) - at))
    .slice(0, NEIGHBOURS);
};

export const useDoorSnapshots = (performance: string, performances: DoorPerformance[] | undefined) => {
  const refresh = useRefresh();
  const chosen = useQuery(snapshotKey(performance), () => refresh(performance), {
    enabled: performance !== '',
    refetchInterval: SNAPSHOT_REFRESH_MS,
    refetchIntervalInBackground: true,
    retry: false,
  });
  useQueries(
    neighboursOf(performance, performances ?? []).map((p) => ({
      queryKey: snapshotKey(p.documentId),
      queryFn: () => refresh(p.documentId),
      refetchInterval: NEIGHBOUR_REFRESH_MS,
      retry: false,
    }))
  );
  return chosen;
};
