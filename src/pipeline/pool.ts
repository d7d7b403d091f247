import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnalyzedPosting } from '../store/postings.js';
import type { Extraction, Posting, RawPosting } from '../types.js';

/** A stored posting's text, for re-extraction. */
export type StoredText = Pick<Posting, 'text' | 'sections'> & { title?: string | undefined };

export type PoolResult = AnalyzedPosting | { origin: string; error: string };

/** Extraction spread over worker threads, each with its own compiled taxonomy. */
export interface ExtractionPool {
  /** Normalizes and extracts a batch on the next free worker; results in input order. */
  run(raws: RawPosting[]): Promise<PoolResult[]>;
  /** Extracts stored texts (re-extraction) on the next free worker; results in input order. */
  extract(docs: StoredText[]): Promise<Extraction[]>;
  /** Whether every worker has at least `depth` batches queued: work given now would wait. */
  saturated(depth: number): boolean;
  close(): Promise<void>;
}

/** The worker script: built JavaScript beside this module (tests running the TypeScript sources use the build). */
function workerUrl(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts') ? new URL('../../dist/pipeline/extract-worker.js', here) : new URL('./extract-worker.js', here);
}

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
    saturated(depth) {
      return [...load.values()].every((n) => n >= depth);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
