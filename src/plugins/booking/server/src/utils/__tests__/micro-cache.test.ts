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
