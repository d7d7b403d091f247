import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnalyzedPosting } from '../store/store.js';
import type { Extraction, Posting, RawPosting } from '../types.js';

/** A stored posting's text, for re-extraction. */
export type StoredText = Pick<Posting, 'text' | 'sections'> & { title?: string | undefined; company?: string | undefined };

export type PoolResult = AnalyzedPosting | { origin: string; error: string };

/**
 * Extraction spread over worker threads, each with its own compiled taxonomy. A worker that dies
 * (throws, exits, runs out of memory) is replaced, and the batches it held go to the others; the
 * batch it was on when it died is tried once more, and if that kills a worker too, fails alone.
 * A worker that spends longer than the time limit on one posting is stopped and replaced: that
 * posting fails with the reason, and the rest of its batch is extracted again without it.
 */
export interface ExtractionPool {
  /**
   * Normalizes and extracts a batch on the next free worker; results in input order. A batch that
   * killed two workers comes back as one `{ origin, error }` per posting.
   */
  run(raws: RawPosting[]): Promise<PoolResult[]>;
  /**
   * Extracts stored texts (re-extraction) on the next free worker; results in input order. Rejects
   * for a batch that killed two workers.
   */
  extract(docs: StoredText[]): Promise<Extraction[]>;
  /** Stops the workers; batches still in flight are abandoned, never settled. */
  close(): Promise<void>;
}

/** The worker script: built JavaScript beside this module (tests running the TypeScript sources use the build). */
function workerUrl(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts') ? new URL('../../dist/pipeline/extract-worker.js', here) : new URL('./extract-worker.js', here);
}

/**
 * Postings per write transaction unless told otherwise: each commit writes every page the batch
 * touched, so fewer, larger ones are cheaper (1,000 against 500, with IN_FLIGHT_POSTINGS
 * being extracted meanwhile: 7% less time end to end on the Hacker News posts, a peak 30 MB higher).
 */
export const DEFAULT_BATCH_SIZE = 1000;

/**
 * Postings a caller keeps in flight before it waits to store the oldest batch, whatever the size
 * of its batches: enough that the workers are not left idle while the caller writes a transaction
 * of DEFAULT_BATCH_SIZE (analyze: 12 chunks of 200; 6 chunks and transactions of 500 took 7% longer
 * end to end on the Hacker News posts). Re-extraction hands out batches of 1,000 stored texts: 12
 * of those peaked 50 MB higher on the same posts, and were no faster than 2.
 */
export const IN_FLIGHT_POSTINGS = 2400;

/**
 * The caller's side of the pool: its batches in the order it handed them out (extraction may
 * finish out of order, storing never does), each with whether its answer is back.
 */
export class InFlight<T> {
  readonly #queue: { result: Promise<T>; back: boolean }[] = [];
  /** Batches kept in flight: as many as hold IN_FLIGHT_POSTINGS postings, at least 2. */
  readonly limit: number;
  /** `batchPostings`: the postings of a batch the caller hands out. */
  constructor(
    private readonly pool: ExtractionPool | undefined,
    batchPostings: number,
  ) {
    this.limit = Math.max(2, Math.floor(IN_FLIGHT_POSTINGS / batchPostings));
  }

  /** Adds a batch's answer to come. (A failure is the caller's to see when it takes the batch, never an unhandled rejection.) */
  push(result: Promise<T>): void {
    const entry = { result, back: false };
    result.then(
      () => (entry.back = true),
      () => (entry.back = true),
    );
    this.#queue.push(entry);
  }

  /** The oldest batch's answer, if any. */
  shift(): Promise<T> | undefined {
    return this.#queue.shift()?.result;
  }

  get length(): number {
    return this.#queue.length;
  }

  /** More batches than are kept in flight: the oldest is to be stored before another is handed out. */
  get full(): boolean {
    return this.#queue.length > (this.pool ? this.limit : 0);
  }

  /**
   * Whether the caller should extract the next batch itself: with no pool, always; otherwise only
   * when it would wait, its batches all in flight and the oldest not back (answers that came
   * meanwhile are let in first). When storing is the slower side, as with several aggregates to
   * write per posting, the caller leaves extraction to the workers; when extracting is, it takes
   * a share.
   */
  async extractHere(): Promise<boolean> {
    if (!this.pool) return true;
    if (this.#queue.length < this.limit) return false;
    await new Promise((resolve) => setImmediate(resolve));
    return !(this.#queue[0]?.back ?? true);
  }
}

/** Workers a batch may take down before it fails: the first death may be the worker's, not the batch's. */
const DEATHS_PER_BATCH = 2;

export interface PoolOptions {
  threads?: number;
  /** The taxonomy the workers load: the same one the caller compiled. */
  taxonomy?: string;
  addTaxonomy?: string[];
  /** Where compiled taxonomy snapshots are kept: each worker loads one in milliseconds. */
  cacheDir?: string;
  /**
   * The version the workers' taxonomy must have (guards against a taxonomy edited meanwhile).
   * Without it, the version the first worker compiles is the one every other must have (serve:
   * the main thread never compiles the taxonomy itself).
   */
  expectVersion?: string;
  /** The longest a worker may spend on one posting (default: no limit). */
  maxPostingMs?: number;
}

/** One batch handed to the pool, until it is answered or given up. */
interface Job {
  type: 'batch' | 'extract';
  id: number;
  items: unknown[];
  /** Workers that died while on it. */
  deaths: number;
  /** Postings (by index) that ran over the time limit, with the reason they fail: not sent again. */
  skip: Map<number, string>;
  resolve: (results: unknown[]) => void;
  /** Settles it as failed: every posting fails with the reason (run), or the promise rejects (extract). */
  fail: (reason: string) => void;
}

/** A worker and the jobs sent to it, oldest first: it answers in order, so the first is the one it is on. */
interface Slot {
  worker: Worker;
  jobs: Job[];
  /** Settles when the worker has compiled the expected taxonomy, or has died trying. */
  started: Promise<void>;
  ready: boolean;
  /** Why it died, when it said (an uncaught error, a taxonomy of another version). */
  error?: Error;
  /** [job id, posting index or -1], written by the worker as it starts each posting. */
  progress: Int32Array;
  /** The posting the watchdog last saw the worker on, and since when. */
  watched?: { id: number; index: number; since: number };
  /** Stopped by the watchdog: the posting, not the batch, is to blame. */
  timedOut?: boolean;
}

type WorkerMessage = { type: 'ready'; version: string } | { type: 'batch'; id: number; results: unknown[] };

/** Starts `threads` workers (default: the cores) and waits until each has compiled the taxonomy. */
export async function startPool(options: PoolOptions): Promise<ExtractionPool> {
  // Its own copy: without expectVersion, the first worker ready sets it.
  const o = { ...options };
  // One core stays with the main thread, which reads and stores (and extracts a chunk itself when it would otherwise wait for the workers).
  const threads = Math.max(1, o.threads ?? availableParallelism() - 1);
  const slots = new Set<Slot>();
  let nextId = 0;
  let closing = false;

  const spawn = () => {
    const slot = startWorker(o, onDeath);
    slots.add(slot);
    return slot;
  };
  /** Sends a job to the least busy worker. */
  const dispatch = (job: Job) => {
    const slot = [...slots].sort((a, b) => a.jobs.length - b.jobs.length)[0];
    if (!slot) return job.fail('no extraction worker is left');
    slot.jobs.push(job);
    slot.worker.postMessage({ type: job.type, id: job.id, items: job.items, ...(job.type === 'batch' && { skip: [...job.skip.keys()] }) });
  };
  /**
   * A worker died. One that never started is not replaced (its successor would fail the same way):
   * its jobs fail. Otherwise a fresh worker takes its place and its jobs are sent again, except the
   * one it was on, if that has now killed DEATHS_PER_BATCH workers.
   */
  function onDeath(dead: Slot, code: number) {
    slots.delete(dead);
    if (closing) return;
    const cause = dead.error ? `${dead.error.name}: ${dead.error.message}` : `exit code ${code}`;
    if (!dead.ready) {
      for (const job of dead.jobs) job.fail(`the extraction worker did not start (${cause})`);
      return;
    }
    if (dead.jobs.length === 0) return;
    spawn();
    const [current, ...queued] = dead.jobs as [Job, ...Job[]];
    if (!dead.timedOut) current.deaths++;
    if (current.deaths >= DEATHS_PER_BATCH) current.fail(`the extraction worker died ${current.deaths} times on this batch (${cause})`);
    else dispatch(current);
    for (const job of queued) dispatch(job);
  }

  /**
   * Stops a worker that has been on the same posting for longer than the limit. A posting of a
   * batch then fails alone; a re-extraction batch counts it as a death of its worker.
   */
  const watchdog = (limit: number) => () => {
    const now = performance.now();
    for (const slot of slots) {
      const id = Atomics.load(slot.progress, 0);
      const index = Atomics.load(slot.progress, 1);
      const job = slot.jobs[0];
      if (index < 0 || !job || job.id !== id || slot.timedOut) {
        slot.watched = undefined;
        continue;
      }
      if (slot.watched?.id !== id || slot.watched.index !== index) {
        slot.watched = { id, index, since: now };
        continue;
      }
      if (now - slot.watched.since < limit) continue;
      const reason = `extraction took over ${formatSeconds(limit)}, the limit per posting; not analyzed`;
      if (job.type === 'batch') {
        job.skip.set(index, reason);
        slot.timedOut = true;
      } else slot.error = new Error(`a stored posting took over ${formatSeconds(limit)} to extract`);
      void slot.worker.terminate();
    }
  };
  const timer = o.maxPostingMs ? setInterval(watchdog(o.maxPostingMs), Math.min(1000, Math.max(10, o.maxPostingMs / 4))) : undefined;
  timer?.unref();

  const first = Array.from({ length: threads }, spawn);
  try {
    await Promise.all(first.map((s) => s.started));
  } catch (err) {
    closing = true;
    clearInterval(timer);
    await Promise.all(first.map((s) => s.worker.terminate()));
    throw err;
  }

  const enqueue = (type: Job['type'], items: unknown[], resolve: Job['resolve'], fail: Job['fail']) => dispatch({ type, id: nextId++, items, deaths: 0, skip: new Map(), resolve, fail });
  return {
    run: (raws) =>
      new Promise((resolve) => {
        const failEach = (reason: string) => resolve(raws.map((raw) => ({ origin: raw.origin, error: reason })));
        enqueue('batch', raws, resolve as Job['resolve'], failEach);
      }),
    extract: (docs) =>
      new Promise((resolve, reject) => {
        const failAll = (reason: string) => reject(new Error(`cannot re-extract ${docs.length} stored postings: ${reason}`));
        enqueue('extract', docs, resolve as Job['resolve'], failAll);
      }),
    async close() {
      closing = true;
      clearInterval(timer);
      await Promise.all([...slots].map((s) => s.worker.terminate()));
    },
  };
}

/** Starts a worker on the taxonomy; `onDeath` hears when it stops, for whatever reason. */
function startWorker(o: PoolOptions, onDeath: (slot: Slot, code: number) => void): Slot {
  const worker = new Worker(workerUrl());
  const progress = new SharedArrayBuffer(8);
  const slot: Slot = { worker, jobs: [], ready: false, started: Promise.resolve(), progress: new Int32Array(progress) };
  Atomics.store(slot.progress, 1, -1);
  slot.started = new Promise<void>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'batch') return answer(slot, m.id, m.results);
      o.expectVersion ??= m.version;
      if (m.version === o.expectVersion) {
        slot.ready = true;
        return resolve();
      }
      slot.error = new Error(`worker taxonomy ${m.version} differs from ${o.expectVersion}: was the taxonomy edited during the run?`);
      void worker.terminate();
    });
    worker.on('error', (err) => {
      slot.error = err;
    });
    worker.on('exit', (code) => {
      reject(slot.error ?? new Error(`the extraction worker exited with code ${code} before it was ready`));
      onDeath(slot, code);
    });
  });
  // Only the first workers' start is awaited; a replacement that fails to start fails its jobs instead.
  slot.started.catch(() => {});
  worker.postMessage({ type: 'init', taxonomy: o.taxonomy, addTaxonomy: o.addTaxonomy ?? [], cacheDir: o.cacheDir, progress });
  return slot;
}

/** Settles the job a worker answered, with the failures of the postings it was told to skip. */
function answer(slot: Slot, id: number, results: unknown[]): void {
  const k = slot.jobs.findIndex((j) => j.id === id);
  if (k < 0) return;
  const job = slot.jobs.splice(k, 1)[0] as Job;
  for (const [index, error] of job.skip) results[index] = { origin: (job.items[index] as RawPosting).origin, error };
  job.resolve(results);
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
