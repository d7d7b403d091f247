import { parentPort } from 'node:worker_threads';
import { extractPosting } from '../extract/extract.js';
import { normalizePosting } from '../normalize/posting.js';
import { loadCompiledTaxonomy } from '../sources/taxonomy-files.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { RawPosting } from '../types.js';
import type { StoredText } from './pool.js';

/** A worker thread of the extraction pool: normalizes and extracts batches of raw postings, or extracts stored texts. */
let compiled: CompiledTaxonomy | undefined;

/** Where the worker tells the pool which posting it is on: [batch id, index in the batch, or -1 between batches]. */
let progress: Int32Array | undefined;

/**
 * Test hooks (tests/pipeline/pool.test.ts), read nowhere else: a worker started with the first
 * set exits when it comes to the posting of that origin, mid-batch, as a crashed worker would;
 * with the second, it never finishes that posting (or the stored text of that title), as a
 * runaway extraction would not.
 */
const CRASH_AT_ORIGIN = process.env.SKILLPULSE_TEST_WORKER_CRASH_AT;
const STALL_AT_ORIGIN = process.env.SKILLPULSE_TEST_WORKER_STALL_AT;

/** Marks the posting the worker starts on, for the pool's time limit. */
function starting(id: number, index: number): void {
  if (!progress) return;
  Atomics.store(progress, 0, id);
  Atomics.store(progress, 1, index);
}

parentPort?.on(
  'message',
  (
    msg:
      | { type: 'init'; taxonomy?: string; addTaxonomy: string[]; cacheDir?: string; progress: SharedArrayBuffer }
      | { type: 'batch'; id: number; items: RawPosting[]; skip: number[] }
      | { type: 'extract'; id: number; items: StoredText[] },
  ) => {
    if (msg.type === 'init') {
      progress = new Int32Array(msg.progress);
      compiled = loadCompiledTaxonomy({ dir: msg.taxonomy, extra: msg.addTaxonomy, cacheDir: msg.cacheDir });
      parentPort?.postMessage({ type: 'ready', version: compiled.taxonomy.version });
      return;
    }
    const c = compiled as CompiledTaxonomy;
    // Both kinds answer as 'batch': the pool matches answers by id.
    // Postings that ran over the time limit on an earlier worker are not tried again: the pool fills in their failure.
    const skip = new Set(msg.type === 'batch' ? msg.skip : []);
    const results =
      msg.type === 'extract'
        ? msg.items.map((doc, i) => {
            starting(msg.id, i);
            if (doc.title !== undefined && doc.title === STALL_AT_ORIGIN) for (;;);
            return extractPosting(doc, c);
          })
        : msg.items.map((raw, i) => {
            if (skip.has(i)) return null;
            starting(msg.id, i);
            if (raw.origin === CRASH_AT_ORIGIN) process.exit(70);
            if (raw.origin === STALL_AT_ORIGIN) for (;;);
            try {
              const posting = normalizePosting(raw);
              return { posting, extraction: extractPosting(posting, c) };
            } catch (err) {
              return { origin: raw.origin, error: (err as Error).message };
            }
          });
    starting(msg.id, -1);
    parentPort?.postMessage({ type: 'batch', id: msg.id, results });
  },
);
