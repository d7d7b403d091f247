import type { RunConfig } from '../pipeline/config.js';
import type { CacheEntry } from '../sources/http.js';
import type { RunCounts, RunFailure } from '../store/store.js';

/**
 * What `enqueue` (or a schedule's tick) asks for: one source fetched, staged and extracted. Small:
 * settings and, once the worker has fetched, the step reached, counts and cache validators. Never
 * posting text (that is staged in the store).
 */
export interface FetchJobData {
  source: string;
  /** What the run row says did it (`enqueue --config x.yaml`). */
  command: string;
  configHash?: string;
  userAgent: string;
  http: RunConfig['http'];
  baseUrls: Record<string, string>;
  /** Postings per extract job. */
  batch: number;
  attempts: number;
  backoffMs: number;
  /** The run row, recorded as soon as it is started: a try that dies while fetching leaves no second one. */
  runId?: number;
  /** Written by the worker as the job moves on, so a job delivered again resumes where it was. */
  state?: FetchState;
}

export interface FetchState {
  /** `staged`: raws staged, extract jobs maybe added; `waiting`: all added; `finishing`: counts final. */
  step: 'staged' | 'waiting' | 'finishing';
  runId: number;
  /** Postings staged (numbered 0 to staged - 1). */
  staged: number;
  /** The store's source key, for touching and closing (undefined for local files). */
  sourceKey?: string;
  notModified: boolean;
  /** External ids the listing knows unchanged (not fetched again). */
  unchanged: string[];
  complete: boolean;
  limitsHit: string[];
  /** Conditional-request validators to commit once every posting is stored (URL + ETag/Last-Modified). */
  cache: [url: string, entry: CacheEntry][];
  /** Inputs that failed before staging (unreadable, too long), and warnings. */
  failures: RunFailure[];
  warnings: RunFailure[];
  /** Why the whole source failed, when it did. */
  error?: string;
  /** The run's final counts (step finishing). */
  counts?: RunCounts;
}

/** One batch of a fetch job's staged postings: numbers `from` (inclusive) to `to` (exclusive). */
export interface ExtractJobData {
  stage: string;
  from: number;
  to: number;
  /** The fetch job's time: every try writes the same last_seen and day. */
  seenAt: string;
}

/** What an extract job returns (kept by BullMQ in its parent). */
export interface ExtractResult {
  new: number;
  changed: number;
  unchanged: number;
  failed: number;
  mentions: number;
  failures: RunFailure[];
}

/** What a fetch job returns: the run it recorded. */
export interface FetchResult extends RunCounts {
  runId: number;
  source: string;
  status: string;
  staged: number;
  error?: string;
}

/** A schedule's tick: it enqueues the fetch job (deduplicated) with this data. */
export type TickJobData = Omit<FetchJobData, 'state' | 'runId'>;

export const JOB = { fetch: 'fetch', extract: 'extract', tick: 'tick' } as const;
