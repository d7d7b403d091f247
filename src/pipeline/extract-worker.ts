import { parentPort } from 'node:worker_threads';
import { extractPosting } from '../extract/extract.js';
import { normalizePosting } from '../normalize/posting.js';
import { loadCompiledTaxonomy } from '../sources/taxonomy-files.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { RawPosting } from '../types.js';
import type { StoredText } from './pool.js';

/** A worker thread of the extraction pool: normalizes and extracts batches of raw postings, or extracts stored texts. */
let compiled: CompiledTaxonomy | undefined;

/**
 * Test hook (tests/pipeline/pool.test.ts): a worker started with this variable set exits when it
 * comes to the posting of this origin, mid-batch, as a crashed worker would. Read nowhere else.
 */
const CRASH_AT_ORIGIN = process.env.SKILLPULSE_TEST_WORKER_CRASH_AT;

parentPort?.on(
  'message',
  (msg: { type: 'init'; taxonomy?: string; addTaxonomy: string[]; cacheDir?: string } | { type: 'batch'; id: number; items: RawPosting[] } | { type: 'extract'; id: number; items: StoredText[] }) => {
    if (msg.type === 'init') {
      compiled = loadCompiledTaxonomy({ dir: msg.taxonomy, extra: msg.addTaxonomy, cacheDir: msg.cacheDir });
      parentPort?.postMessage({ type: 'ready', version: compiled.taxonomy.version });
      return;
    }
    const c = compiled as CompiledTaxonomy;
    // Both kinds answer as 'batch': the pool matches answers by id.
    const results =
      msg.type === 'extract'
        ? msg.items.map((doc) => extractPosting(doc, c))
        : msg.items.map((raw) => {
            if (raw.origin === CRASH_AT_ORIGIN) process.exit(70);
            try {
              const posting = normalizePosting(raw);
              return { posting, extraction: extractPosting(posting, c) };
            } catch (err) {
              return { origin: raw.origin, error: (err as Error).message };
            }
          });
    parentPort?.postMessage({ type: 'batch', id: msg.id, results });
  },
);
