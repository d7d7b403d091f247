import { InterruptedError } from '../errors.js';
import { EXTRACTOR_VERSION, extractPosting } from '../extract/extract.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits } from '../normalize/limits.js';
import { normalizePosting } from '../normalize/posting.js';
import { type SourceItem, screenItem } from '../sources/files.js';
import type { AnalyzedPosting, RunCounts, RunFailure, RunStatus, Store } from '../store/store.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { RawPosting } from '../types.js';
import { DEFAULT_BATCH_SIZE, type ExtractionPool, InFlight, type PoolResult, startPool } from './pool.js';

export interface RunSummary extends RunCounts {
  runId: number;
  status: RunStatus;
  failures: RunFailure[];
  warnings: RunFailure[];
  durationMs: number;
}

/** Counts and failures gathered while a run works. */
export interface Tally extends RunCounts {
  failures: RunFailure[];
  warnings: RunFailure[];
}

export const emptyTally = (): Tally => ({ new: 0, changed: 0, unchanged: 0, failed: 0, mentions: 0, closed: 0, reextracted: 0, failures: [], warnings: [] });

/** Stops at a batch boundary when the run was asked to (SIGINT, SIGTERM). */
export function checkInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError(`interrupted (${String(signal.reason ?? 'signal')}); stopped at a batch boundary`);
}

export interface IngestOptions {
  /** Postings per write transaction (DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  signal?: AbortSignal;
  onBatch?: (stored: number) => void;
  /** Called for every item read, good or failed, with the count so far (a progress line). */
  onItem?: (read: number) => void;
  /**
   * Extract on worker threads once more than `threshold` postings have come (PARALLEL_THRESHOLD
   * unless told otherwise). The workers load the same taxonomy.
   */
  parallel?: { threads?: number; threshold?: number; taxonomy?: string; addTaxonomy?: string[]; cacheDir?: string };
  /**
   * The longest posting text analyzed, the longest a worker may spend on one, and the posted dates
   * taken as real (default DEFAULT_INPUT_LIMITS).
   */
  limits?: Pick<InputLimits, 'maxPostingChars' | 'maxPostingMs' | 'dates'>;
}

/** Postings handed to a worker at once. */
const CHUNK = 200;

/**
 * Postings after which analyze extracts on worker threads (and reextract, stale postings): five
 * chunks. The workers start in the background after the first chunk (a worker loads the
 * taxonomy's snapshot in about 0.3 s here, on the other core), so they are ready by then. A fresh
 * worker takes several times as long on its first chunk as a warm thread, so a run a little over
 * the threshold gains nothing (runs of 2,000 postings took about 0.5 s longer than on one
 * thread); two chunks made runs of 1,000 that much slower, with no gain on large runs.
 */
export const PARALLEL_THRESHOLD = 5 * CHUNK;

/**
 * Normalizes, extracts and stores every posting the items yield, in batched transactions. A
 * failed item is recorded with its reason and the rest go on; an abort stops after a whole batch.
 */
export async function ingestItems(
  items: AsyncIterable<SourceItem> | Iterable<SourceItem>,
  store: Store,
  compiled: CompiledTaxonomy,
  seenAt: string,
  tally: Tally,
  options: IngestOptions = {},
): Promise<void> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const parallel = options.parallel;
  const threshold = parallel?.threshold ?? PARALLEL_THRESHOLD;
  const limits = options.limits ?? DEFAULT_INPUT_LIMITS;
  let batch: AnalyzedPosting[] = [];
  let stored = 0;
  let starting: Promise<ExtractionPool> | undefined;
  let pool: ExtractionPool | undefined;
  let seen = 0;
  let itemsRead = 0;
  let chunk: RawPosting[] = [];
  // Chunks in the order they came; made with the pool.
  let queue = new InFlight<PoolResult[]>(undefined, CHUNK);
  const flush = async () => {
    if (batch.length === 0) return;
    for (const status of await store.savePostings(batch, seenAt)) tally[status]++;
    stored += batch.length;
    batch = [];
    options.onBatch?.(stored);
    checkInterrupted(options.signal);
  };
  const drainOne = async () => {
    for (const r of (await queue.shift()) ?? []) {
      if ('error' in r) {
        tally.failed++;
        tally.failures.push({ input: r.origin, reason: `cannot analyze: ${r.error}` });
        continue;
      }
      tally.mentions += r.extraction.skills.reduce((a, s) => a + s.mentions.length, 0);
      batch.push(r);
      if (batch.length >= batchSize) await flush();
    }
  };
  const dispatch = async () => {
    if (chunk.length === 0) return;
    const raws = chunk;
    chunk = [];
    // The workers start in the background once a whole chunk has come (a run that large likely
    // goes on), so that they are ready when the threshold is passed; a smaller run starts none.
    if (!starting && parallel && (raws.length >= CHUNK || seen > threshold)) {
      starting = startPool({ ...parallel, expectVersion: compiled.taxonomy.version, maxPostingMs: limits.maxPostingMs });
      // A failed start is seen where the pool is awaited (or when it is closed), never unhandled.
      starting.catch(() => {});
    }
    if (!pool && starting && seen > threshold) {
      pool = await starting;
      // Nothing is in flight here: every chunk so far was extracted and stored in turn.
      queue = new InFlight(pool, CHUNK);
    }
    // The main thread extracts this chunk itself only when it would otherwise wait for the workers.
    const inline = await queue.extractHere();
    queue.push(inline ? Promise.resolve(raws.map((raw) => extractInline(raw, compiled))) : (pool as ExtractionPool).run(raws));
    while (queue.full) await drainOne();
  };
  const finish = async () => {
    await dispatch();
    while (queue.length > 0) await drainOne();
    await flush();
  };
  checkInterrupted(options.signal);
  try {
    try {
      for await (const read of items) {
        const item = screenItem(read, limits, seenAt);
        options.onItem?.(++itemsRead);
        if (!item.ok) {
          tally.failed++;
          tally.failures.push({ input: item.input, reason: item.reason });
          continue;
        }
        for (const w of item.warnings) tally.warnings.push({ input: item.raw.origin, reason: w });
        chunk.push(item.raw);
        seen++;
        if (chunk.length >= CHUNK) await dispatch();
      }
    } catch (err) {
      // The source died: what it gave before still lands.
      await finish();
      throw err;
    }
    await finish();
  } finally {
    // Workers started but never needed (the run ended before the threshold) are stopped too.
    await (pool ?? (await starting?.catch(() => undefined)))?.close();
  }
}

function extractInline(raw: RawPosting, compiled: CompiledTaxonomy): PoolResult {
  try {
    const posting = normalizePosting(raw);
    return { posting, extraction: extractPosting(posting, compiled) };
  } catch (err) {
    return { origin: raw.origin, error: (err as Error).message };
  }
}

export interface RunOptions {
  command: string;
  batchSize?: number;
  configHash?: string;
  signal?: AbortSignal;
  /** The clock, for tests. */
  now?: () => Date;
}

/**
 * Runs `work` as a recorded run: started, then finished with its status and counts, even when it
 * throws (status failed) or is interrupted (status interrupted).
 */
export async function recordRun(store: Store, compiled: CompiledTaxonomy, options: RunOptions, work: (seenAt: string, tally: Tally) => Promise<void>): Promise<RunSummary> {
  const now = options.now ?? (() => new Date());
  const started = now();
  await store.upsertSkills(compiled.taxonomy);
  const runId = await store.startRun({
    command: options.command,
    taxonomyVersion: compiled.taxonomy.version,
    extractorVersion: EXTRACTOR_VERSION,
    startedAt: started.toISOString(),
    ...(options.configHash && { configHash: options.configHash }),
  });
  const tally = emptyTally();
  let status: RunStatus = 'failed';
  try {
    await work(started.toISOString(), tally);
    // Nothing read and something failed (every source or input): the run failed, not partly.
    const read = tally.new + tally.changed + tally.unchanged + tally.closed + tally.reextracted;
    status = tally.failed === 0 ? 'ok' : read === 0 ? 'failed' : 'partial';
  } catch (err) {
    if (err instanceof InterruptedError) status = 'interrupted';
    throw err;
  } finally {
    await store.finishRun(runId, status, tally, tally.failures, now().toISOString());
  }
  return { runId, status, ...tally, durationMs: now().getTime() - started.getTime() };
}

/** Analyzes items (local files) into the database as one recorded run. */
export function analyzeItems(
  items: AsyncIterable<SourceItem>,
  store: Store,
  compiled: CompiledTaxonomy,
  options: RunOptions & Pick<IngestOptions, 'parallel' | 'limits' | 'onItem'>,
): Promise<RunSummary> {
  return recordRun(store, compiled, options, (seenAt, tally) =>
    ingestItems(items, store, compiled, seenAt, tally, {
      ...(options.batchSize && { batchSize: options.batchSize }),
      ...(options.signal && { signal: options.signal }),
      ...(options.parallel && { parallel: options.parallel }),
      ...(options.limits && { limits: options.limits }),
      ...(options.onItem && { onItem: options.onItem }),
    }),
  );
}
