import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { InterruptedError } from '../errors.js';
import { renderReport } from '../report/render.js';
import { readPostingFiles } from '../sources/files.js';
import { limitsFromEnv } from '../normalize/limits.js';
import { HttpClient } from '../sources/http.js';
import { loadCompiledTaxonomy } from '../sources/taxonomy-files.js';
import { writeFileAtomically } from '../atomic-write.js';
import { isPostgresUrl, isStoreFile, openStore, type Recovered } from '../store/open.js';
import { ingestItems, type RunSummary, recordRun } from './analyze.js';
import type { RunConfig } from './config.js';
import { cacheFor, fetchInto, type SourceSummary } from './fetch.js';
import { reextractStale } from './reextract.js';
import { buildReport } from './report.js';

/** What a run reports to whoever watches it (the CLI's logger). */
export interface RunEvents {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  progress(label: string, done: number, total?: number): void;
}

export interface BatchOptions {
  env: Record<string, string | undefined>;
  userAgent: string;
  events: RunEvents;
  signal?: AbortSignal;
  now?: () => Date;
  /** The config file, for the run's record. */
  configPath: string;
  /** Where compiled taxonomy snapshots are kept (none: compiled on every run). */
  cacheDir?: string;
}

export interface BatchOutcome extends RunSummary {
  sources: SourceSummary[];
  reports: { out: string; error?: string }[];
}

/**
 * A whole batch from a config: lock, fetch and read every source, store, re-extract what an older
 * taxonomy or extractor produced, prune old text, write the reports. Throws LockHeldError when
 * another run holds the lock, InterruptedError when stopped by a signal (the database is then
 * consistent and the next run picks up).
 */
export async function runBatch(config: RunConfig, o: BatchOptions): Promise<BatchOutcome> {
  const limits = limitsFromEnv(o.env);
  const compiled = loadCompiledTaxonomy({ dir: config.taxonomy, extra: config.addTaxonomy, cacheDir: o.cacheDir });
  const now = o.now ?? (() => new Date());
  if (config.db !== ':memory:' && !isPostgresUrl(config.db)) mkdirSync(dirname(config.db), { recursive: true });
  // A SQLite store holds the database's lock until it is closed (released at once when opening fails).
  const store = await openStore(config.db, { command: `run --config ${o.configPath}`, onRecover: (r) => reportRecovery(r, o.events) });
  const cache = cacheFor(store);
  const http = new HttpClient({
    userAgent: o.userAgent,
    cache,
    robots: !config.http.ignoreRobots,
    allowPrivateHosts: config.http.allowPrivateHosts,
    ...(o.signal && { signal: o.signal }),
    ...(config.http.concurrency && { concurrency: config.http.concurrency }),
    ...(config.http.perHost && { perHostConcurrency: config.http.perHost }),
    ...(config.http.intervalMs !== undefined && { minIntervalMs: config.http.intervalMs }),
  });
  const reports: BatchOutcome['reports'] = [];
  let sources: SourceSummary[] = [];
  try {
    const signal = o.signal;
    const summary = await recordRun(store, compiled, { command: `run --config ${o.configPath}`, configHash: config.hash, now, ...(signal && { signal }) }, async (seenAt, tally) => {
      const paths = config.sources.filter((s) => s.startsWith('path:')).map((s) => s.slice(5));
      const remote = config.sources.filter((s) => !s.startsWith('path:'));
      if (paths.length) {
        o.events.info('reading local postings', { paths: paths.length });
        await ingestItems(readPostingFiles(paths, { limits }), store, compiled, seenAt, tally, {
          batchSize: config.batchSize,
          limits,
          ...(signal && { signal }),
          // Large local batches are extracted on worker threads, as analyze does.
          parallel: { ...(config.taxonomy !== undefined && { taxonomy: config.taxonomy }), addTaxonomy: config.addTaxonomy, ...(o.cacheDir && { cacheDir: o.cacheDir }) },
          onBatch: (n) => {
            o.events.progress('reading files', n);
            o.events.debug('batch stored', { stage: 'files', stored: n });
          },
        });
      }
      if (remote.length) {
        let done = 0;
        sources = await fetchInto(remote, store, compiled, http, cache, seenAt, tally, {
          env: o.env,
          baseUrls: config.baseUrls,
          // maxPages, maxThreadItems and maxRequests, where the config sets them.
          limits: config.http,
          batchSize: config.batchSize,
          ...(signal && { signal }),
          onSource: (s) => {
            o.events.progress('fetching sources', ++done, remote.length);
            if (s.error) o.events.warn(`${s.source}: ${s.error}`);
            else o.events.info(`${s.source}: ${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.closed} closed, ${s.failed} failed${s.notModified ? ' (not modified)' : ''}`, { source: s.source });
            for (const limit of s.limits ?? []) o.events.warn(`${s.source}: stopped short: ${limit}`, { source: s.source });
          },
        });
      }
      tally.reextracted = await reextractStale(store, compiled, {
        batchSize: config.batchSize,
        limits,
        parallel: { ...(config.taxonomy !== undefined && { taxonomy: config.taxonomy }), addTaxonomy: config.addTaxonomy, ...(o.cacheDir && { cacheDir: o.cacheDir }) },
        ...(signal && { signal }),
        onBatch: (n) => {
          o.events.progress('re-extracting', n);
          o.events.debug('batch stored', { stage: 'reextract', stored: n });
        },
      });
      if (tally.reextracted) o.events.info(`re-extracted ${tally.reextracted} stored postings with taxonomy ${compiled.taxonomy.version}`);
      if (config.keepTextDays) {
        const before = new Date(now().getTime() - config.keepTextDays * 86_400_000).toISOString();
        const pruned = await store.pruneText(before);
        if (pruned) o.events.info(`cleared the text of ${pruned} postings unseen for ${config.keepTextDays} days`);
      }
      const date = now().toISOString().slice(0, 10);
      for (const spec of config.reports) {
        const out = spec.out.replace(/\{date\}/g, date);
        try {
          const model = await buildReport(store, { kind: spec.kind, period: spec.period, filters: spec.filters, ...(spec.top && { top: spec.top }), ...(spec.skill && { skill: spec.skill }) }, () => compiled);
          if (isStoreFile(out, config.db)) throw new Error(`${out} is a file of the database ${config.db}: not written over`);
          await writeFileAtomically(out, renderReport(model, spec.format));
          reports.push({ out });
          o.events.info(`wrote ${spec.kind} report`, { out });
        } catch (err) {
          reports.push({ out, error: (err as Error).message });
          tally.failed++;
          tally.failures.push({ input: `report ${out}`, reason: (err as Error).message });
        }
      }
    });
    return { ...summary, sources, reports };
  } catch (err) {
    if (err instanceof InterruptedError) o.events.warn(err.message);
    throw err;
  } finally {
    await http.close();
    await store.close();
  }
}

/** Tells what killed runs left behind: a stale lock taken over, runs recorded as interrupted. */
function reportRecovery(r: Recovered, events: RunEvents): void {
  if (r.tookOver) events.warn('took over a stale lock left by a killed run', { pid: r.tookOver.pid, since: r.tookOver.startedAt });
  const n = r.interrupted;
  if (n) events.warn(`${n} earlier run${n === 1 ? ' was' : 's were'} killed before finishing; recorded as interrupted, this run completes the work`);
}
