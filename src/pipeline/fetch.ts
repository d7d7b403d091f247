import { type FetchContext, parseSourceSpec, sourceKey } from '../sources/adapters.js';
import type { CacheEntry, FetchCache, HttpClient } from '../sources/http.js';
import { budgetedHttp, type FetchLimits, fetchLimits, requestBudget } from '../sources/source.js';
import type { Store } from '../store/store.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { InterruptedError } from '../errors.js';
import { checkInterrupted, emptyTally, ingestItems, type RunOptions, type RunSummary, recordRun, type Tally } from './analyze.js';

/** What one source brought in. */
export interface SourceSummary {
  source: string;
  new: number;
  changed: number;
  unchanged: number;
  closed: number;
  failed: number;
  /** Why the whole source failed, when it did. */
  error?: string;
  /** The listing answered 304. */
  notModified: boolean;
  /** The limits this source hit (it stopped short), each saying what was left. */
  limits?: string[];
}

export interface FetchRunSummary extends RunSummary {
  sources: SourceSummary[];
}

export interface FetchOptions extends RunOptions {
  env: Record<string, string | undefined>;
  baseUrls?: Record<string, string | undefined>;
  /** Bounds on each source's fetch, where they differ from the defaults. */
  limits?: Partial<FetchLimits>;
  /** Called with each source once it is done (a summary line, a progress line). */
  onSource?: (s: SourceSummary) => void;
  /** Called for every posting read from a source, with the count so far in this run. */
  onItem?: (read: number) => void;
}

/**
 * The conditional-request cache for a store, whose writes wait until the postings they stand for
 * are stored: a run killed between fetching and storing must not leave an ETag that makes the
 * next run skip the listing.
 */
export function cacheFor(store: Store): PendingCache {
  const pending = new Map<string, CacheEntry>();
  return {
    get: (url) => store.readFetchCache(url),
    put: (url, entry) => void pending.set(url, entry),
    async commit() {
      const entries = [...pending];
      pending.clear();
      if (entries.length) await store.writeFetchCache(entries, new Date().toISOString());
    },
    discard: () => pending.clear(),
  };
}

/** The store's conditional-request cache, whose writes wait for `commit`. */
export type PendingCache = FetchCache & { commit(): Promise<void>; discard(): void };

/**
 * Fetches each source, then normalizes, extracts and stores its postings, and closes the board
 * postings that a complete listing no longer holds. A failed source is recorded with its reason in
 * the tally; the other sources still land. Stops between batches and sources when interrupted.
 */
export async function fetchInto(
  specs: readonly string[],
  store: Store,
  compiled: CompiledTaxonomy,
  http: HttpClient,
  cache: PendingCache,
  seenAt: string,
  tally: Tally,
  options: Omit<FetchOptions, 'command'>,
): Promise<SourceSummary[]> {
  const sources: SourceSummary[] = [];
  const limits = fetchLimits(options.limits);
  const shared: Omit<FetchContext, 'http'> = {
    env: options.env,
    ...(options.baseUrls && { baseUrls: options.baseUrls }),
    fetchedAt: seenAt,
    known: (source, ids) => store.knownPostings(source, ids),
    limits,
  };
  let read = 0;
  const onItem = options.onItem && ((n: number) => options.onItem?.(read + n));
  for (const spec of specs) {
    checkInterrupted(options.signal);
    const s: SourceSummary = { source: spec, new: 0, changed: 0, unchanged: 0, closed: 0, failed: 0, notModified: false };
    sources.push(s);
    const parsed = parseSourceSpec(spec);
    if ('error' in parsed) {
      s.failed = 1;
      s.error = parsed.error;
      tally.failed++;
      tally.failures.push({ input: spec, reason: parsed.error });
      options.onSource?.(s);
      continue;
    }
    try {
      // Each source has its own request budget for the run.
      const ctx: FetchContext = { ...shared, http: budgetedHttp(http, requestBudget(limits.maxRequests)) };
      const listing = await parsed.adapter.fetch(parsed.arg, ctx);
      const key = sourceKey(parsed.adapter, parsed.arg);
      if (listing.status === 'not-modified') {
        s.notModified = true;
        s.unchanged = await store.touchPostings(key, 'all-open', seenAt);
        tally.unchanged += s.unchanged;
        await cache.commit();
        options.onSource?.(s);
        continue;
      }
      const local = emptyTally();
      await ingestItems(listing.items, store, compiled, seenAt, local, {
        ...(options.batchSize && { batchSize: options.batchSize }),
        ...(options.signal && { signal: options.signal }),
        ...(onItem && { onItem }),
      });
      read += local.new + local.changed + local.unchanged + local.failed;
      noteLimits(s, listing.limitsHit, tally);
      const touched = await store.touchPostings(key, listing.unchanged, seenAt);
      if (listing.complete) s.closed = await store.closeUnseenPostings(key, seenAt);
      // A listing cut short by a limit keeps no validators: a 304 next run would stand for pages never read.
      if (listing.limitsHit?.length) cache.discard();
      else await cache.commit();
      Object.assign(s, { new: local.new, changed: local.changed, unchanged: local.unchanged + touched, failed: local.failed });
      tally.new += local.new;
      tally.changed += local.changed;
      tally.unchanged += local.unchanged + touched;
      tally.failed += local.failed;
      tally.mentions += local.mentions;
      tally.closed += s.closed;
      tally.failures.push(...local.failures);
      tally.warnings.push(...local.warnings);
    } catch (err) {
      cache.discard();
      if (err instanceof InterruptedError) throw err;
      s.failed++;
      s.error = (err as Error).message;
      tally.failed++;
      tally.failures.push({ input: spec, reason: (err as Error).message });
    }
    options.onSource?.(s);
  }
  return sources;
}

/** Records the limits a source hit: on its summary, and as warnings of the run. */
function noteLimits(s: SourceSummary, limitsHit: string[] | undefined, tally: Tally): void {
  if (!limitsHit?.length) return;
  s.limits = limitsHit;
  for (const reason of limitsHit) tally.warnings.push({ input: s.source, reason });
}

/** `fetchInto` as one recorded run (the fetch command). */
export async function fetchSources(
  specs: readonly string[],
  store: Store,
  compiled: CompiledTaxonomy,
  http: HttpClient,
  cache: PendingCache,
  options: FetchOptions,
): Promise<FetchRunSummary> {
  let sources: SourceSummary[] = [];
  const summary = await recordRun(store, compiled, options, async (seenAt, tally) => {
    sources = await fetchInto(specs, store, compiled, http, cache, seenAt, tally, options);
  });
  return { ...summary, sources };
}
