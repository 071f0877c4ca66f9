import { createMicroCache } from '../micro-cache';

describe('createMicroCache', () => {
  afterEach(() => jest.useRealTimers());

  test('reuses an answer within its time to live and loads again after it', async () => {
    jest.useFakeTimers({ now: 0 });
    const cache = createMicroCache<number>(2000);
    let loads = 0;
    const load = async () => (loads += 1);
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(1);
    jest.setSystemTime(2001);
    expect(await cache.get('k', load)).toBe(2);
  });

  test('concurrent misses share one load', async () => {
    const cache = createMicroCache<number>(2000);
    let loads = 0;
    const load = () => new Promise<number>((resolve) => setTimeout(() => resolve((loads += 1)), 10));
    expect(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)])).toEqual([1, 1, 1]);
  });

  test('keeps a not-found answer but forgets a failure, so a database outage is not remembered', async () => {
    const cache = createMicroCache<number>(2000);
    const notFound = Object.assign(new Error('nope'), { name: 'NotFoundError' });
    await expect(cache.get('a', () => Promise.reject(notFound))).rejects.toBe(notFound);
    await expect(cache.get('a', async () => 1)).rejects.toBe(notFound);
    await expect(cache.get('b', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('b', async () => 2)).toBe(2);
  });

  test('a time to live of 0 never caches', async () => {
    const cache = createMicroCache<number>(0);
    let loads = 0;
    await cache.get('k', async () => (loads += 1));
    await cache.get('k', async () => (loads += 1));
    expect(loads).toBe(2);
  });
});

describe('createMicroCache: eviction and invalidation', () => {
  test('the least recently used answer goes first, so a page still read survives a walk through other keys', async () => {
    const cache = createMicroCache<string>(60_000, { maxEntries: 2 });
    let loads = 0;
    const load = (value: string) => async () => {
      loads += 1;
      return value;
    };
    await cache.get('popular', load('p'));
    await cache.get('a', load('a'));
    await cache.get('popular', load('p')); // read again: now the most recent
    await cache.get('b', load('b')); // evicts 'a', not 'popular'
    expect(loads).toBe(3);
    await cache.get('popular', load('p'));
    expect(loads).toBe(3);
    await cache.get('a', load('a'));
    expect(loads).toBe(4);
  });

  test('not-found answers have a cache of their own: a flood of made-up keys evicts no real page', async () => {
    const cache = createMicroCache<string>(60_000, { maxEntries: 2, maxNotFound: 2 });
    let loads = 0;
    await cache.get('real', async () => {
      loads += 1;
      return 'page';
    });
    const notFound = Object.assign(new Error('nope'), { name: 'NotFoundError' });
    for (let i = 0; i < 50; i += 1) {
      await cache.get(`made-up-${i}`, () => Promise.reject(notFound)).catch(() => undefined);
    }
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('real', async () => 'reloaded')).toBe('page');
    expect(loads).toBe(1);
    expect(cache.size).toBe(3);
  });

  test('invalidate(tag) drops only the answers with that tag; invalidate() drops all', async () => {
    const cache = createMicroCache<{ seats: number[] }>(60_000);
    const tagsOf = (value: { seats: number[] }) => value.seats.map((id) => `seats:${id}`);
    await cache.get('show', async () => ({ seats: [1, 2] }), tagsOf);
    await cache.get('p3', async () => ({ seats: [3] }), tagsOf);
    cache.invalidate('seats:2');
    expect(await cache.get('show', async () => ({ seats: [9] }), tagsOf)).toEqual({ seats: [9] });
    expect(await cache.get('p3', async () => ({ seats: [0] }), tagsOf)).toEqual({ seats: [3] });
    cache.invalidate();
    expect(await cache.get('p3', async () => ({ seats: [0] }), tagsOf)).toEqual({ seats: [0] });
  });

  test('a load in flight when a change is announced is answered but not kept', async () => {
    const cache = createMicroCache<string>(60_000);
    let release: (value: string) => void = () => undefined;
    const first = cache.get('k', () => new Promise<string>((resolve) => (release = resolve)));
    cache.invalidate();
    release('read before the change');
    expect(await first).toBe('read before the change');
    expect(await cache.get('k', async () => 'fresh')).toBe('fresh');
  });

  test('a seat change drops every seat-tagged load in flight (its tags are not known yet), never an untagged one', async () => {
    const cache = createMicroCache<{ seats: number[] }>(60_000);
    const tagsOf = (value: { seats: number[] }) => value.seats.map((id) => `seats:${id}`);
    const releases: Array<() => void> = [];
    const pending = (value: { seats: number[] }) => () =>
      new Promise<{ seats: number[] }>((resolve) => releases.push(() => resolve(value)));
    const readsOne = cache.get('p1', pending({ seats: [1] }), tagsOf);
    const readsTwo = cache.get('p2', pending({ seats: [2] }), tagsOf);
    // Loaded without tagsOf: depends on no seats (a confirmation's answer replaces them).
    const info = cache.get('info1', pending({ seats: [] }));
    cache.invalidate('seats:1');
    for (const release of releases) release();
    await Promise.all([readsOne, readsTwo, info]);
    await new Promise((r) => setImmediate(r));
    expect(await cache.get('p1', async () => ({ seats: [100] }), tagsOf)).toEqual({ seats: [100] });
    expect(await cache.get('p2', async () => ({ seats: [200] }), tagsOf)).toEqual({ seats: [200] });
    expect(await cache.get('info1', async () => ({ seats: [300] }))).toEqual({ seats: [] });
  });

  test('a storm of seat changes does not empty an answer that depends on no seats', async () => {
    const cache = createMicroCache<string>(60_000);
    let loads = 0;
    const load = () =>
      new Promise<string>((resolve) => {
        loads += 1;
        setImmediate(() => resolve('performance'));
      });
    const answers = [];
    for (let i = 0; i < 20; i += 1) {
      answers.push(cache.get('performance-info', load));
      cache.invalidate(`seats:${i % 3}`);
    }
    await Promise.all(answers);
    expect(await cache.get('performance-info', load)).toBe('performance');
    expect(loads).toBe(1);
  });
});
