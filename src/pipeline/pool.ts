import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnalyzedPosting } from '../store/postings.js';
import type { Extraction, Posting, RawPosting } from '../types.js';

/** A stored posting's text, for re-extraction. */
export type StoredText = Pick<Posting, 'text' | 'sections'> & { title?: string | undefined; company?: string | undefined };

export type PoolResult = AnalyzedPosting | { origin: string; error: string };

/** Extraction spread over worker threads, each with its own compiled taxonomy. */
export interface ExtractionPool {
  /** Normalizes and extracts a batch on the next free worker; results in input order. */
  run(raws: RawPosting[]): Promise<PoolResult[]>;
  /** Extracts stored texts (re-extraction) on the next free worker; results in input order. */
  extract(docs: StoredText[]): Promise<Extraction[]>;
  /**
   * Whether the caller should extract the next batch itself: every worker already has
   * STEAL_DEPTH batches queued, so one given now would wait. Lets finished batches' answers in
   * first, so the queues are counted as they are.
   */
  busy(): Promise<boolean>;
  close(): Promise<void>;
}

/** The worker script: built JavaScript beside this module (tests running the TypeScript sources use the build). */
function workerUrl(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts') ? new URL('../../dist/pipeline/extract-worker.js', here) : new URL('./extract-worker.js', here);
}

/** Batches queued on every worker before the caller extracts one itself (3 and 4 measured best). */
const STEAL_DEPTH = 3;

/** Batches a caller keeps in flight before it waits to store the oldest. */
export const IN_FLIGHT = 6;

export interface PoolOptions {
  threads?: number;
  /** The taxonomy the workers load: the same one the caller compiled. */
  taxonomy?: string;
  addTaxonomy?: string[];
  /** The version the workers' taxonomy must have (guards against a taxonomy edited meanwhile). */
  expectVersion: string;
}

/** Starts `threads` workers (default: the cores) and waits until each has compiled the taxonomy. */
export async function startPool(o: PoolOptions): Promise<ExtractionPool> {
  // One core stays with the main thread, which reads and stores (and extracts a chunk itself when the workers are busy).
  const threads = Math.max(1, o.threads ?? availableParallelism() - 1);
  const workers = Array.from({ length: threads }, () => new Worker(workerUrl()));
  const pending = new Map<number, { resolve: (r: unknown[]) => void; reject: (e: Error) => void }>();
  const load = new Map<Worker, number>(workers.map((w) => [w, 0]));
  let nextId = 0;
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('error', reject);
          w.once('message', (m: { type: string; version: string }) => {
            if (m.version !== o.expectVersion) reject(new Error(`worker taxonomy ${m.version} differs from ${o.expectVersion}: was the taxonomy edited during the run?`));
            else resolve();
          });
          w.postMessage({ type: 'init', taxonomy: o.taxonomy, addTaxonomy: o.addTaxonomy ?? [] });
        }),
    ),
  );
  for (const w of workers) {
    w.on('message', (m: { type: string; id: number; results: unknown[] }) => {
      if (m.type !== 'batch') return;
      load.set(w, (load.get(w) ?? 1) - 1);
      pending.get(m.id)?.resolve(m.results);
      pending.delete(m.id);
    });
    w.on('error', (err) => {
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    });
  }
  const send = <T>(type: 'batch' | 'extract', items: unknown[]): Promise<T[]> => {
    const id = nextId++;
    // The least busy worker takes the batch.
    const w = [...load].sort((a, b) => a[1] - b[1])[0]?.[0] as Worker;
    load.set(w, (load.get(w) ?? 0) + 1);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (r: unknown[]) => void, reject });
      w.postMessage({ type, id, items });
    });
  };
  return {
    run: (raws) => send<PoolResult>('batch', raws),
    extract: (docs) => send<Extraction>('extract', docs),
    async busy() {
      await new Promise((resolve) => setImmediate(resolve));
      return [...load.values()].every((n) => n >= STEAL_DEPTH);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
