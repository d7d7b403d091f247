import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InterruptedError, LockHeldError } from '../errors.js';
import { renderReport } from '../report/render.js';
import { readPostingFiles } from '../sources/files.js';
import { HttpClient } from '../sources/http.js';
import { loadCompiledTaxonomy } from '../sources/taxonomy-files.js';
import { openDatabase } from '../store/db.js';
import { acquireLock } from '../store/lock.js';
import { pruneText } from '../store/maintenance.js';
import { markDeadRunsInterrupted } from '../store/runs.js';
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
  const compiled = loadCompiledTaxonomy({ dir: config.taxonomy, extra: config.addTaxonomy, cacheDir: o.cacheDir });
  const now = o.now ?? (() => new Date());
  if (config.db !== ':memory:') mkdirSync(dirname(config.db), { recursive: true });
  const lockPath = `${config.db}.lock`;
  const lock = config.db === ':memory:' ? { ok: true as const, release: () => undefined } : acquireLock(lockPath, `run --config ${o.configPath}`);
  if (!lock.ok) {
    throw new LockHeldError(`another run holds ${lockPath} (pid ${lock.holder.pid} on ${lock.holder.host}, since ${lock.holder.startedAt})`);
  }
  if ('tookOver' in lock && lock.tookOver) o.events.warn(`took over a stale lock left by a killed run`, { pid: lock.tookOver.pid, since: lock.tookOver.startedAt });
  const db = openDatabase(config.db);
  const cache = cacheFor(db);
  const http = new HttpClient({
    userAgent: o.userAgent,
    cache,
    robots: !config.http.ignoreRobots,
    ...(config.http.concurrency && { concurrency: config.http.concurrency }),
    ...(config.http.perHost && { perHostConcurrency: config.http.perHost }),
    ...(config.http.intervalMs !== undefined && { minIntervalMs: config.http.intervalMs }),
  });
  const reports: BatchOutcome['reports'] = [];
  let sources: SourceSummary[] = [];
  try {
    const dead = markDeadRunsInterrupted(db, now().toISOString());
    if (dead) o.events.warn(`${dead} earlier run${dead === 1 ? ' was' : 's were'} killed before finishing; recorded as interrupted, this run completes the work`);
    const signal = o.signal;
    const summary = await recordRun(db, compiled, { command: `run --config ${o.configPath}`, configHash: config.hash, now, ...(signal && { signal }) }, async (seenAt, tally) => {
      const paths = config.sources.filter((s) => s.startsWith('path:')).map((s) => s.slice(5));
      const remote = config.sources.filter((s) => !s.startsWith('path:'));
      if (paths.length) {
        o.events.info('reading local postings', { paths: paths.length });
        await ingestItems(readPostingFiles(paths), db, compiled, seenAt, tally, {
          batchSize: config.batchSize,
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
        sources = await fetchInto(remote, db, compiled, http, cache, seenAt, tally, {
          env: o.env,
          baseUrls: config.baseUrls,
          batchSize: config.batchSize,
          ...(signal && { signal }),
          onSource: (s) => {
            o.events.progress('fetching sources', ++done, remote.length);
            if (s.error) o.events.warn(`${s.source}: ${s.error}`);
            else o.events.info(`${s.source}: ${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.closed} closed, ${s.failed} failed${s.notModified ? ' (not modified)' : ''}`, { source: s.source });
          },
        });
      }
      tally.reextracted = await reextractStale(db, compiled, {
        batchSize: config.batchSize,
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
        const pruned = pruneText(db, before);
        if (pruned) o.events.info(`cleared the text of ${pruned} postings unseen for ${config.keepTextDays} days`);
      }
      const date = now().toISOString().slice(0, 10);
      for (const spec of config.reports) {
        const out = spec.out.replace(/\{date\}/g, date);
        try {
          const model = buildReport(db, { kind: spec.kind, period: spec.period, filters: spec.filters, ...(spec.top && { top: spec.top }), ...(spec.skill && { skill: spec.skill }) }, () => compiled);
          mkdirSync(dirname(out), { recursive: true });
          writeFileSync(out, renderReport(model, spec.format));
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
    db.close();
    lock.release();
  }
}
