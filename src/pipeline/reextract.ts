import { EXTRACTOR_VERSION, extractPosting } from '../extract/extract.js';
import type { DB } from '../store/db.js';
import { readStalePostings, replaceExtractions } from '../store/maintenance.js';
import { upsertSkills } from '../store/postings.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { checkInterrupted } from './analyze.js';

/**
 * Re-extracts, from their stored text and without fetching, every posting that another taxonomy
 * or extractor version extracted, so reports never mix versions. Batched; stops at a batch
 * boundary when interrupted, and the next call picks up where it stopped.
 */
export function reextractStale(db: DB, compiled: CompiledTaxonomy, options: { batchSize?: number; signal?: AbortSignal; onBatch?: (done: number) => void } = {}): number {
  upsertSkills(db, compiled.taxonomy);
  const batchSize = options.batchSize ?? 500;
  let done = 0;
  let after = 0;
  for (;;) {
    checkInterrupted(options.signal);
    const batch = readStalePostings(db, compiled.taxonomy.version, EXTRACTOR_VERSION, after, batchSize);
    if (batch.length === 0) return done;
    replaceExtractions(
      db,
      batch.map((p) => ({ key: p.key, extraction: extractPosting({ text: p.text, sections: p.sections, title: p.title ?? undefined }, compiled) })),
    );
    done += batch.length;
    after = (batch[batch.length - 1] as { key: number }).key;
    options.onBatch?.(done);
  }
}
