/**
 * A tiny time-to-live cache for public reads. Many visitors asking for the same show page within
 * a second or two get one database round, and concurrent misses share one promise. Seats shown
 * may be that many seconds old at most, and less when a change is announced (`invalidate`): the
 * binding check is at confirmation, under the row lock.
 *
 * - Least recently used entries go first when the cache is full, so a popular page stays while
 *   a crawler walks through random slugs.
 * - Not-found answers are kept apart, in a smaller cache of their own: a flood of made-up slugs
 *   can only evict other made-up slugs, never a page visitors read.
 * - Each entry may carry tags (the performances its seats come from): `invalidate(tag)` drops
 *   the entries with that tag, `invalidate()` drops everything. A load still running when an
 *   invalidation comes is answered but not kept, since it may have read the database before
 *   the change was committed: after `invalidate()` every such load; after `invalidate(tag)` only
 *   the loads whose answer turns out to carry that tag. An entry loaded without `tagsOf` carries
 *   no tag and depends on no seats: a storm of confirmations, each saying its performance's
 *   seats changed, leaves it alone (it was dropped at each one, and every confirmation's answer
 *   loaded its performance again: issue 20).
 */
export const createMicroCache = <T>(ttlMs: number, { maxEntries = 1000, maxNotFound = 200 } = {}) => {
  interface Entry {
    expires: number;
    value: Promise<T>;
    tags: readonly string[];
    settled: boolean;
    /** Loaded with `tagsOf`: its tags are known once it settles. */
    tagged: boolean;
    /** The loaded value, once settled and kept (for `peek`). */
    loaded?: { value: T };
  }
  const entries = new Map<string, Entry>();
  const notFound = new Map<string, Entry>();
  /** Raised by every invalidation; `cleared` and `tagInvalidated` say which generation did what. */
  let generation = 0;
  let cleared = 0;
  const tagInvalidated = new Map<string, number>();

  /** Map order is insertion order: re-inserting a hit makes it the most recent. */
  const touch = (map: Map<string, Entry>, key: string, entry: Entry) => {
    map.delete(key);
    map.set(key, entry);
  };
  const trim = (map: Map<string, Entry>, max: number) => {
    while (map.size > max) map.delete(map.keys().next().value as string);
  };

  return {
    get(key: string, load: () => Promise<T>, tagsOf?: (value: T) => readonly string[]): Promise<T> {
      if (ttlMs <= 0) return load();
      const now = Date.now();
      for (const map of [entries, notFound]) {
        const hit = map.get(key);
        if (hit && hit.expires > now) {
          touch(map, key, hit);
          return hit.value;
        }
        if (hit) map.delete(key);
      }
      const started = generation;
      const entry: Entry = { expires: now + ttlMs, value: load(), tags: [], settled: false, tagged: tagsOf !== undefined };
      entries.set(key, entry);
      trim(entries, maxEntries);
      entry.value.then(
        (value) => {
          entry.settled = true;
          if (entries.get(key) !== entry) return;
          const tags = tagsOf ? tagsOf(value) : [];
          // Dropped if what it read may have changed while it was loading.
          if (cleared > started || tags.some((tag) => (tagInvalidated.get(tag) ?? 0) > started)) entries.delete(key);
          else {
            entry.tags = tags;
            entry.loaded = { value };
          }
        },
        (error: { name?: string }) => {
          entry.settled = true;
          if (entries.get(key) !== entry) return;
          entries.delete(key);
          // A failure that is not an answer (the database away) is not kept; a not-found is,
          // apart from the real pages.
          if (error?.name === 'NotFoundError' && cleared <= started) {
            notFound.set(key, entry);
            trim(notFound, maxNotFound);
          }
        }
      );
      return entry.value;
    },

    /**
     * The value kept for `key` when it is loaded and fresh, else undefined; loads nothing. For an
     * answer that need not wait for a promise (services/public-answers.ts).
     */
    peek(key: string): T | undefined {
      if (ttlMs <= 0) return undefined;
      const hit = entries.get(key);
      if (!hit?.loaded || hit.expires <= Date.now()) return undefined;
      touch(entries, key, hit);
      return hit.loaded.value;
    },

    /** Drops the entries tagged `tag`, or every entry when no tag is given. */
    invalidate(tag?: string) {
      generation += 1;
      if (tag === undefined) {
        cleared = generation;
        tagInvalidated.clear();
        entries.clear();
        notFound.clear();
        return;
      }
      tagInvalidated.set(tag, generation);
      // A tagged load in flight has no tags yet: it may be for this tag, so it goes too.
      for (const [key, entry] of entries) if ((!entry.settled && entry.tagged) || entry.tags.includes(tag)) entries.delete(key);
    },

    /** How many answers are kept (for tests). */
    get size() {
      return entries.size + notFound.size;
    },
  };
};

export type MicroCache<T> = ReturnType<typeof createMicroCache<T>>;
