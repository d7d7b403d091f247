import { describe, expect, it } from 'vitest';
import { type ExtractionPool, IN_FLIGHT, InFlight } from '../../src/pipeline/pool.js';

/** InFlight only asks whether there is a pool: no worker is started here. */
const somePool = {} as ExtractionPool;

/** A promise and the function that settles it. */
function pending<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('InFlight: when the caller extracts a batch itself', () => {
  it('always without a pool, and stores each batch before it hands out the next', async () => {
    const q = new InFlight<number>(undefined);
    expect(await q.extractHere()).toBe(true);
    q.push(Promise.resolve(1));
    expect(q.full).toBe(true);
    expect(await q.shift()).toBe(1);
    expect(q.full).toBe(false);
  });

  it('never while fewer than IN_FLIGHT batches are out', async () => {
    const q = new InFlight<number>(somePool);
    for (let k = 0; k < IN_FLIGHT - 1; k++) {
      q.push(pending<number>().promise);
      expect(await q.extractHere()).toBe(false);
    }
  });

  it('when every batch is out and the oldest is not back, and not once it is back', async () => {
    const q = new InFlight<number>(somePool);
    const oldest = pending<number>();
    q.push(oldest.promise);
    for (let k = 1; k < IN_FLIGHT; k++) q.push(pending<number>().promise);
    expect(q.full).toBe(false);
    expect(await q.extractHere()).toBe(true);
    oldest.resolve(7);
    expect(await q.extractHere()).toBe(false);
    q.push(Promise.resolve(8));
    expect(q.full).toBe(true);
    expect(await q.shift()).toBe(7);
  });

  it('keeps a failed batch for the caller to see when it takes it, and counts it as back', async () => {
    const q = new InFlight<number>(somePool);
    const failing = pending<number>();
    q.push(failing.promise);
    for (let k = 1; k < IN_FLIGHT; k++) q.push(pending<number>().promise);
    failing.reject(new Error('worker died twice'));
    expect(await q.extractHere()).toBe(false);
    await expect(q.shift()).rejects.toThrow('worker died twice');
  });
});
