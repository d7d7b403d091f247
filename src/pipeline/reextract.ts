import { findSections } from '../normalize/sections.js';
import { EXTRACTOR_VERSION, extractPosting } from '../extract/extract.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../normalize/limits.js';
import type { Store } from '../store/store.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { Extraction } from '../types.js';
import { checkInterrupted, type IngestOptions, PARALLEL_THRESHOLD } from './analyze.js';
import { DEFAULT_BATCH_SIZE, type ExtractionPool, InFlight, startPool } from './pool.js';

/**
 * Re-extracts, from their stored text and without fetching, every posting that another taxonomy
 * or extractor version extracted, so reports never mix versions. Batched; above the parallel
 * threshold the batches are extracted on worker threads (and by the main thread when it would
 * otherwise wait for them), and written in order. Stops at a batch boundary when interrupted, and the next call
 * picks up where it stopped.
 */
export async function reextractStale(
  store: Store,
  compiled: CompiledTaxonomy,
  options: { batchSize?: number; signal?: AbortSignal; onBatch?: (done: number, total: number) => void; parallel?: IngestOptions['parallel']; limits?: Pick<InputLimits, 'maxPostingMs'> } = {},
): Promise<number> {
  await store.upsertSkills(compiled.taxonomy);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const version = [compiled.taxonomy.version, EXTRACTOR_VERSION] as const;
  // Most runs find nothing stale: the count (from the versions index) settles that cheaply.
  const stale = await store.countStalePostings(...version);
  if (stale === 0) return 0;
  const parallel = options.parallel;
  let pool: ExtractionPool | undefined;
  if (parallel && stale > (parallel.threshold ?? PARALLEL_THRESHOLD)) {
    pool = await startPool({ ...parallel, expectVersion: compiled.taxonomy.version, maxPostingMs: (options.limits ?? DEFAULT_INPUT_LIMITS).maxPostingMs });
  }
  let done = 0;
  let after = 0;
  // Batches in the order they were read: extraction may finish out of order, writing never does.
  type Extracted = { keys: number[]; extractions: Extraction[] };
  const queue = new InFlight<Extracted>(pool, batchSize);
  const writeOne = async () => {
    const { keys, extractions } = await (queue.shift() as Promise<Extracted>);
    await store.replaceExtractions(
      keys.map((key, i) => ({ key, extraction: extractions[i] as Extraction })),
    );
    done += keys.length;
    options.onBatch?.(done, stale);
  };
  try {
    for (;;) {
      checkInterrupted(options.signal);
      const batch = await store.readStalePostings(...version, after, batchSize);
      if (batch.length === 0) break;
      after = (batch[batch.length - 1] as { key: number }).key;
      const keys = batch.map((p) => p.key);
      // Sections are found again: a newer extractor may read headings an older one missed.
      const docs = batch.map((p) => ({ text: p.text, sections: findSections(p.text), title: p.title ?? undefined, company: p.company ?? undefined }));
      const inline = await queue.extractHere();
      queue.push(inline ? Promise.resolve({ keys, extractions: docs.map((d) => extractPosting(d, compiled)) }) : (pool as ExtractionPool).extract(docs).then((extractions) => ({ keys, extractions })));
      while (queue.full) await writeOne();
    }
    while (queue.length > 0) await writeOne();
    return done;
  } finally {
    await pool?.close();
  }
}
