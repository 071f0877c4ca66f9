/**
 * Work done after the answer, at most `atOnce` items at a time, in the order they came. `settle`
 * waits for everything queued and running (shutdown, tests). An item's failure is the runner's
 * to report: it never stops the queue.
 */
export const createOrderedQueue = <T>(atOnce: number, run: (item: T) => Promise<unknown>) => {
  const waiting: T[] = [];
  const idle: Array<() => void> = [];
  let running = 0;

  const pump = () => {
    while (running < atOnce && waiting.length > 0) {
      const item = waiting.shift() as T;
      running += 1;
      void Promise.resolve()
        .then(() => run(item))
        .catch(() => undefined)
        .finally(() => {
          running -= 1;
          pump();
        });
    }
    if (running === 0 && waiting.length === 0) for (const done of idle.splice(0)) done();
  };

  return {
    push(item: T): void {
      waiting.push(item);
      pump();
    },
    /** Resolves once nothing is queued or running. */
    settle(): Promise<void> {
      if (running === 0 && waiting.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
    get size() {
      return running + waiting.length;
    },
  };
};
