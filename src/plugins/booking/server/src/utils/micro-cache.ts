/**
 * A tiny time-to-live cache for public reads. Many visitors asking for the same show page within
 * a second or two get one database round, and concurrent misses share one promise. Seats shown
 * may be that many seconds old: the binding check is at confirmation, under the row lock.
 */
export const createMicroCache = <T>(ttlMs: number, maxEntries = 1000) => {
  const entries = new Map<string, { expires: number; value: Promise<T> }>();
  return {
    get(key: string, load: () => Promise<T>): Promise<T> {
      if (ttlMs <= 0) return load();
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && hit.expires > now) return hit.value;
      const value = load();
      entries.set(key, { expires: now + ttlMs, value });
      // A failure that is not an answer (the database away) is not kept.
      value.catch((error: { name?: string }) => {
        if (error?.name !== 'NotFoundError') entries.delete(key);
      });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
      return value;
    },
    clear() {
      entries.clear();
    },
  };
};
