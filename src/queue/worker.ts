import { type Job, Queue, WaitingChildrenError, Worker } from 'bullmq';
import { EXTRACTOR_VERSION, extractPosting } from '../extract/extract.js';
import type { InputLimits } from '../normalize/limits.js';
import { normalizePosting } from '../normalize/posting.js';
import { emptyTally } from '../pipeline/analyze.js';
import { type FetchContext, parseSourceSpec, sourceKey } from '../sources/adapters.js';
import { readPostingFiles, screenItem, type SourceItem } from '../sources/files.js';
import { type CacheEntry, HttpClient } from '../sources/http.js';
import { budgetedHttp, fetchLimits, requestBudget } from '../sources/source.js';
import type { AnalyzedPosting, RunCounts, Store } from '../store/store.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { RawPosting } from '../types.js';
import { redisOptions } from './connection.js';
import { QUEUE_NAME, type QueueSettings } from './settings.js';
import { enqueueFetch, jobOptions } from './control.js';
import { type ExtractJobData, type ExtractResult, type FetchJobData, type FetchResult, type FetchState, JOB, type TickJobData } from './jobs.js';

/** What a worker reports (the CLI's logger). */
export interface WorkerEvents {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Fault hooks for tests (SKILLPULSE_TEST_* variables; never set in production):
 * exitAfterSave: the process exits (code 137, no ack) right after an extract job's postings are committed;
 * throwOnce: an extract job whose id ends with this suffix throws on its first try.
 */
export interface WorkerHooks {
  exitAfterSave?: boolean;
  throwOnce?: string;
}

export interface WorkerOptions {
  queue: Pick<QueueSettings, 'url' | 'prefix'>;
  store: Store;
  compiled: CompiledTaxonomy;
  /** Environment for sources that read API keys. */
  env: Record<string, string | undefined>;
  limits: Pick<InputLimits, 'maxPostingChars' | 'dates' | 'maxFileBytes'>;
  /** Jobs run at once by this process (default 1: extraction is CPU-bound, run more processes instead). */
  concurrency?: number;
  /** BullMQ's job lock: a job whose worker stops renewing it is given to another after this long (default 30 s). */
  lockMs?: number;
  events?: WorkerEvents;
  hooks?: WorkerHooks;
}

export interface RunningWorker {
  /** Finishes the jobs in hand, then disconnects (the store is the caller's to close). */
  close(): Promise<void>;
  /** Resolves when the worker has closed (asked to, or its connection given up). */
  closed: Promise<void>;
}

/** Starts a worker on the queue: fetch jobs, their extract jobs, schedule ticks. */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const connection = redisOptions(o.queue.url);
  // Extract jobs are added to the same queue with the fetch job as their parent.
  const queue = new Queue(QUEUE_NAME, { connection, prefix: o.queue.prefix });
  queue.on('error', () => {});
  const ctx: HandlerContext = { ...o, jobs: queue, events: o.events ?? { info() {}, warn() {} }, hooks: o.hooks ?? {} };
  const lockMs = o.lockMs ?? 30_000;
  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job, token?: string) => {
      if (job.name === JOB.extract) return processExtract(job as Job<ExtractJobData>, ctx);
      if (job.name === JOB.fetch) return processFetch(job as Job<FetchJobData>, token, ctx);
      if (job.name === JOB.tick) return processTick(job as Job<TickJobData>, ctx);
      throw new Error(`unknown job ${job.name}`);
    },
    {
      connection,
      prefix: o.queue.prefix,
      concurrency: o.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(1000, Math.floor(lockMs / 2)),
      // A job whose worker died is handed out again this often before it is failed (retry-failed brings it back).
      maxStalledCount: 5,
    },
  );
  worker.on('error', (err) => ctx.events.warn(`queue: ${err.message}`));
  worker.on('failed', (job, err) => {
    if (job) ctx.events.warn(`job ${job.id} (${job.name}) failed on try ${job.attemptsMade}: ${err.message}`, { job: job.id });
  });
  await worker.waitUntilReady();
  let done: () => void = () => {};
  const closed = new Promise<void>((resolve) => (done = resolve));
  worker.on('closed', () => done());
  return {
    closed,
    async close() {
      await worker.close();
      await queue.close();
      done();
    },
  };
}

interface HandlerContext extends WorkerOptions {
  jobs: Queue;
  events: WorkerEvents;
  hooks: WorkerHooks;
}

/** A schedule's tick: enqueue the source's fetch job, deduplicated, its id from the tick's time (a tick delivered twice adds one). */
async function processTick(job: Job<TickJobData>, ctx: HandlerContext): Promise<unknown> {
  const r = await enqueueFetch(ctx.jobs, job.data, job.timestamp);
  ctx.events.info(r.added ? `scheduled fetch of ${job.data.source} queued (${r.jobId})` : `scheduled fetch of ${job.data.source} skipped: job ${r.jobId} is pending`);
  return r;
}

/**
 * A fetch job, in steps recorded in its data (a job delivered again resumes at its step):
 * 1. start a run, fetch the listing (or read the files), stage the raw postings under the job id;
 * 2. add one extract job per `batch` postings as its children (ids `<stage>-<from>`: adding again adds nothing), wait for them;
 * 3. sum their results, touch the unchanged and close the unseen postings, commit the fetch
 *    cache, finish the run, drop the stage.
 */
async function processFetch(job: Job<FetchJobData>, token: string | undefined, ctx: HandlerContext): Promise<FetchResult> {
  const { store } = ctx;
  const stage = String(job.id);
  // The job's time, not the try's: a job delivered again writes the same values.
  const seenAt = new Date(job.timestamp).toISOString();
  let state = job.data.state;
  if (!state) {
    state = await fetchAndStage(job, stage, seenAt, ctx);
    await job.updateData({ ...job.data, runId: state.runId, state });
  }
  if (state.step === 'staged') {
    const b = Math.max(1, job.data.batch);
    const children = [];
    for (let from = 0; from < state.staged; from += b) {
      const data: ExtractJobData = { stage, from, to: Math.min(state.staged, from + b), seenAt };
      children.push({ name: JOB.extract, data, opts: { ...jobOptions(job.data), jobId: `${stage}-${from}`, parent: { id: stage, queue: job.queueQualifiedName } } });
    }
    if (children.length) await ctx.jobs.addBulk(children);
    state = { ...state, step: 'waiting' };
    await job.updateData({ ...job.data, state });
    if (children.length) ctx.events.info(`${job.data.source}: staged ${state.staged} postings in ${children.length} extract jobs`, { job: stage });
  }
  if (state.step === 'waiting') {
    if (token && state.staged > 0 && (await job.moveToWaitingChildren(token))) throw new WaitingChildrenError();
    const counts = await finishCounts(job, state, seenAt, ctx);
    state = { ...state, step: 'finishing', counts };
    await job.updateData({ ...job.data, state });
  }
  const counts = state.counts ?? { ...emptyTally() };
  const children = state.staged > 0 ? (Object.values(await job.getChildrenValues()) as ExtractResult[]) : [];
  const failures = [...state.failures, ...children.flatMap((c) => c.failures)];
  // A listing cut short by a limit keeps no validators: a 304 next run would stand for pages never read.
  if (!state.error && state.limitsHit.length === 0 && state.cache.length) await store.writeFetchCache(state.cache, new Date().toISOString());
  const read = counts.new + counts.changed + counts.unchanged + counts.closed;
  const status = counts.failed === 0 ? 'ok' : read === 0 ? 'failed' : 'partial';
  await store.finishRun(state.runId, status, counts, failures, new Date().toISOString());
  await store.dropStaged(stage, `${stage}-`);
  const result: FetchResult = { runId: state.runId, source: job.data.source, status, staged: state.staged, ...counts, ...(state.error && { error: state.error }) };
  ctx.events.info(
    `run ${state.runId} ${status}: ${job.data.source}: ${counts.new} new, ${counts.changed} changed, ${counts.unchanged} unchanged, ${counts.closed} closed, ${counts.failed} failed${state.notModified ? ' (not modified)' : ''}`,
    { job: stage, runId: state.runId },
  );
  return result;
}

/** Step 1: the run row, the listing, its raw postings staged. A failed source is recorded, not retried (as `fetch` does). */
async function fetchAndStage(job: Job<FetchJobData>, stage: string, seenAt: string, ctx: HandlerContext): Promise<FetchState> {
  const { store, compiled } = ctx;
  const d = job.data;
  let runId = d.runId;
  if (runId === undefined) {
    runId = await store.startRun({
      command: `${d.command}: ${d.source}`,
      taxonomyVersion: compiled.taxonomy.version,
      extractorVersion: EXTRACTOR_VERSION,
      startedAt: seenAt,
      ...(d.configHash && { configHash: d.configHash }),
    });
    await job.updateData({ ...d, runId });
  }
  const state: FetchState = { step: 'staged', runId, staged: 0, notModified: false, unchanged: [], complete: false, limitsHit: [], cache: [], failures: [], warnings: [] };
  const raws: RawPosting[] = [];
  const take = (item: SourceItem) => {
    const screened = screenItem(item, ctx.limits, seenAt);
    if (!screened.ok) state.failures.push({ input: screened.input, reason: screened.reason });
    else {
      for (const w of screened.warnings) state.warnings.push({ input: screened.raw.origin, reason: w });
      raws.push(screened.raw);
    }
  };
  if (d.source.startsWith('path:')) {
    // Read by the worker: the path must be readable where the worker runs.
    for await (const item of readPostingFiles([d.source.slice(5)], { now: seenAt, limits: ctx.limits })) take(item);
  } else {
    const parsed = parseSourceSpec(d.source);
    if ('error' in parsed) return { ...state, error: parsed.error, failures: [{ input: d.source, reason: parsed.error }] };
    const pending = new Map<string, CacheEntry>();
    const http = new HttpClient({
      userAgent: d.userAgent,
      cache: { get: (url) => store.readFetchCache(url), put: (url, entry) => void pending.set(url, entry) },
      robots: !d.http.ignoreRobots,
      allowPrivateHosts: d.http.allowPrivateHosts,
      ...(d.http.concurrency && { concurrency: d.http.concurrency }),
      ...(d.http.perHost && { perHostConcurrency: d.http.perHost }),
      ...(d.http.intervalMs !== undefined && { minIntervalMs: d.http.intervalMs }),
    });
    try {
      const limits = fetchLimits(d.http);
      const fctx: FetchContext = {
        env: ctx.env,
        baseUrls: d.baseUrls,
        fetchedAt: seenAt,
        known: (source, ids) => store.knownPostings(source, ids),
        limits,
        http: budgetedHttp(http, requestBudget(limits.maxRequests)),
      };
      const listing = await parsed.adapter.fetch(parsed.arg, fctx);
      state.sourceKey = sourceKey(parsed.adapter, parsed.arg);
      if (listing.status === 'not-modified') state.notModified = true;
      else {
        for (const item of listing.items) take(item);
        state.unchanged = listing.unchanged;
        state.complete = listing.complete;
        state.limitsHit = listing.limitsHit ?? [];
        for (const reason of state.limitsHit) state.warnings.push({ input: d.source, reason });
      }
      state.cache = [...pending];
    } catch (err) {
      const reason = (err as Error).message;
      return { ...state, error: reason, failures: [{ input: d.source, reason }] };
    } finally {
      await http.close();
    }
  }
  const staged = lastOfEachId(raws);
  await store.stageRaw(stage, staged);
  return { ...state, staged: staged.length };
}

/**
 * The raws with each posting id once, as a run reading them in order would leave it: a later copy
 * that differs replaces the posting (with its origin), an identical one only marks it seen. Extract
 * jobs run side by side, so two copies of one posting in different batches would race.
 */
export function lastOfEachId(raws: readonly RawPosting[]): RawPosting[] {
  const at = new Map<string, number>();
  const out: (RawPosting | undefined)[] = [];
  for (const raw of raws) {
    // The id's own key where the raw has one; otherwise its content (then copies are identical).
    const own = raw.externalId ?? raw.url;
    const key = `${raw.source}\0${own === undefined ? `c\0${contentKey(raw)}` : `k\0${own}`}`;
    const k = at.get(key);
    if (k === undefined) {
      at.set(key, out.length);
      out.push(raw);
    } else if (contentKey(out[k] as RawPosting) !== contentKey(raw)) {
      out[k] = undefined;
      at.set(key, out.length);
      out.push(raw);
    }
  }
  return out.filter((r): r is RawPosting => r !== undefined);
}

function contentKey(raw: RawPosting): string {
  const h = raw.hints;
  return JSON.stringify([raw.contentType, raw.body, h.title, h.company, h.location, h.postedAt, h.salary, h.remote]);
}

/** Step 3's counts: the extract jobs' results summed, the unchanged touched, the unseen closed. */
async function finishCounts(job: Job<FetchJobData>, state: FetchState, seenAt: string, ctx: HandlerContext): Promise<RunCounts> {
  const t = emptyTally();
  t.failed = state.failures.length;
  if (state.staged > 0) {
    for (const c of Object.values(await job.getChildrenValues()) as ExtractResult[]) {
      t.new += c.new;
      t.changed += c.changed;
      t.unchanged += c.unchanged;
      t.failed += c.failed;
      t.mentions += c.mentions;
    }
  }
  if (state.sourceKey && !state.error) {
    if (state.notModified) t.unchanged += await ctx.store.touchPostings(state.sourceKey, 'all-open', seenAt);
    else {
      t.unchanged += await ctx.store.touchPostings(state.sourceKey, state.unchanged, seenAt);
      if (state.complete) t.closed = await ctx.store.closeUnseenPostings(state.sourceKey, seenAt);
    }
  }
  const { failures: _f, warnings: _w, ...counts } = t;
  return counts;
}

/** An extract job: its staged postings normalized, extracted and saved in one transaction recorded under the job id. */
async function processExtract(job: Job<ExtractJobData>, ctx: HandlerContext): Promise<ExtractResult> {
  const { stage, from, to, seenAt } = job.data;
  const jobId = String(job.id);
  if (ctx.hooks.throwOnce && jobId.endsWith(ctx.hooks.throwOnce) && job.attemptsMade === 0) throw new Error('test hook: this try fails');
  const raws = await ctx.store.readStaged(stage, from, to);
  const r: ExtractResult = { new: 0, changed: 0, unchanged: 0, failed: 0, mentions: 0, failures: [] };
  const batch: AnalyzedPosting[] = [];
  for (const raw of raws) {
    try {
      const posting = normalizePosting(raw);
      const extraction = extractPosting(posting, ctx.compiled);
      batch.push({ posting, extraction });
      r.mentions += extraction.skills.reduce((a, s) => a + s.mentions.length, 0);
    } catch (err) {
      r.failed++;
      r.failures.push({ input: raw.origin, reason: `cannot analyze: ${(err as Error).message}` });
    }
  }
  for (const status of await ctx.store.savePostings(batch, seenAt, jobId)) r[status]++;
  if (ctx.hooks.exitAfterSave) process.exit(137);
  return r;
}
