import { describe, expect, it } from 'vitest';
import { type ExtractionPool, IN_FLIGHT_POSTINGS, InFlight } from '../../src/pipeline/pool.js';

/** InFlight only asks whether there is a pool: no worker is started here. */
const somePool = {} as ExtractionPool;

/** Batches of analyze's chunk size, and how many of them are kept in flight. */
const CHUNK = 200;
const IN_FLIGHT = IN_FLIGHT_POSTINGS / CHUNK;

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
    const q = new InFlight<number>(undefined, CHUNK);
    expect(await q.extractHere()).toBe(true);
    q.push(Promise.resolve(1));
    expect(q.full).toBe(true);
    expect(await q.shift()).toBe(1);
    expect(q.full).toBe(false);
  });

  it('never while fewer than IN_FLIGHT batches are out', async () => {
    const q = new InFlight<number>(somePool, CHUNK);
    for (let k = 0; k < IN_FLIGHT - 1; k++) {
      q.push(pending<number>().promise);
      expect(await q.extractHere()).toBe(false);
    }
  });

  it('when every batch is out and the oldest is not back, and not once it is back', async () => {
    const q = new InFlight<number>(somePool, CHUNK);
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
    const q = new InFlight<number>(somePool, CHUNK);
    const failing = pending<number>();
    q.push(failing.promise);
    for (let k = 1; k < IN_FLIGHT; k++) q.push(pending<number>().promise);
    failing.reject(new Error('worker died twice'));
    expect(await q.extractHere()).toBe(false);
    await expect(q.shift()).rejects.toThrow('worker died twice');
  });
});

describe('InFlight: how many batches it keeps out', () => {
  it('as many as hold IN_FLIGHT_POSTINGS postings: 12 chunks of 200, 2 batches of 1,000 stored texts', () => {
    expect(new InFlight(somePool, 200).limit).toBe(12);
    expect(new InFlight(somePool, 1000).limit).toBe(2);
  });

  it('never fewer than 2, however large the batches, so that one is extracted while another is stored', async () => {
    const q = new InFlight<number>(somePool, 100_000);
    expect(q.limit).toBe(2);
    q.push(pending<number>().promise);
    expect(await q.extractHere()).toBe(false);
    q.push(pending<number>().promise);
    expect(q.full).toBe(false);
    q.push(pending<number>().promise);
    expect(q.full).toBe(true);
  });
});
