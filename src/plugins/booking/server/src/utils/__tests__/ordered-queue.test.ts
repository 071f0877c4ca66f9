import { createOrderedQueue } from '../ordered-queue';

describe('createOrderedQueue', () => {
  test('runs at most `atOnce` items at a time, in the order they came, and settles when all are done', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const queue = createOrderedQueue<number>(3, async (item) => {
      started.push(item);
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2 + (item % 4)));
      running -= 1;
      if (item === 5) throw new Error('one failure does not stop the queue');
    });
    for (let i = 0; i < 20; i += 1) queue.push(i);
    expect(queue.size).toBe(20);
    await queue.settle();
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(queue.size).toBe(0);
    expect(running).toBe(0);
  });

  test('settle waits for items pushed while it waits, and answers at once when idle', async () => {
    const done: string[] = [];
    const queue = createOrderedQueue<string>(1, async (item) => {
      await new Promise((resolve) => setImmediate(resolve));
      done.push(item);
      if (item === 'a') queue.push('b');
    });
    await queue.settle();
    queue.push('a');
    await queue.settle();
    expect(done).toEqual(['a', 'b']);
  });
});
