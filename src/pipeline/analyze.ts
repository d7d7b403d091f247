import { EXTRACTOR_VERSION, extractPosting } from '../extract/extract.js';
import { normalizePosting } from '../normalize/posting.js';
import type { SourceItem } from '../sources/files.js';
import type { DB } from '../store/db.js';
import { type AnalyzedPosting, upsertPostings, upsertSkills } from '../store/postings.js';
import { finishRun, type RunCounts, type RunFailure, type RunStatus, startRun } from '../store/runs.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';

export interface RunSummary extends RunCounts {
  runId: number;
  status: RunStatus;
  failures: RunFailure[];
  warnings: RunFailure[];
  durationMs: number;
}

export interface AnalyzeOptions {
  command: string;
  /** Postings per write transaction. */
  batchSize?: number;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * Normalizes, extracts and stores every posting the items yield, in batched transactions, and
 * records the run. A failed item is recorded with its reason and the batch goes on.
 */
export async function analyzeItems(
  items: AsyncIterable<SourceItem>,
  db: DB,
  compiled: CompiledTaxonomy,
  options: AnalyzeOptions,
): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const batchSize = options.batchSize ?? 500;
  upsertSkills(db, compiled.taxonomy);
  const runId = startRun(db, options.command, compiled.taxonomy.version, EXTRACTOR_VERSION, started.toISOString());
  const counts: RunCounts = { new: 0, changed: 0, unchanged: 0, failed: 0, mentions: 0 };
  const failures: RunFailure[] = [];
  const warnings: RunFailure[] = [];
  const seenAt = started.toISOString();
  let batch: AnalyzedPosting[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    for (const status of upsertPostings(db, batch, seenAt)) counts[status]++;
    batch = [];
  };
  let status: RunStatus = 'failed';
  try {
    for await (const item of items) {
      if (!item.ok) {
        counts.failed++;
        failures.push({ input: item.input, reason: item.reason });
        continue;
      }
      for (const w of item.warnings) warnings.push({ input: item.raw.origin, reason: w });
      try {
        const posting = normalizePosting(item.raw);
        const extraction = extractPosting(posting, compiled);
        counts.mentions += extraction.skills.reduce((a, s) => a + s.mentions.length, 0);
        batch.push({ posting, extraction });
      } catch (err) {
        counts.failed++;
        failures.push({ input: item.raw.origin, reason: `cannot analyze: ${(err as Error).message}` });
        continue;
      }
      if (batch.length >= batchSize) flush();
    }
    flush();
    status = counts.failed > 0 ? 'partial' : 'ok';
  } finally {
    finishRun(db, runId, status, counts, failures, now().toISOString());
  }
  return { runId, status, ...counts, failures, warnings, durationMs: now().getTime() - started.getTime() };
}
