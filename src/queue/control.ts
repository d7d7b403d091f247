import { type Job, Queue } from 'bullmq';
import type { RunConfig } from '../pipeline/config.js';
import { redisOptions } from './connection.js';
import { QUEUE_NAME, type QueueSettings, sourceTag } from './settings.js';
import { type FetchJobData, JOB, type TickJobData } from './jobs.js';

/** A queue handle for enqueueing and inspecting; `close` ends its connection. */
export function openQueue(settings: Pick<QueueSettings, 'url' | 'prefix'>): Queue {
  return new Queue(QUEUE_NAME, { connection: redisOptions(settings.url), prefix: settings.prefix });
}

/** The fetch job of each source of a config (paths resolved, settings copied: a worker needs no config file for them). */
export function fetchJobsOf(config: RunConfig, settings: QueueSettings, o: { userAgent: string; command: string }): TickJobData[] {
  return config.sources.map((source) => ({
    source,
    command: o.command,
    configHash: config.hash,
    userAgent: o.userAgent,
    http: config.http,
    baseUrls: config.baseUrls,
    batch: settings.batch,
    attempts: settings.attempts,
    backoffMs: settings.backoffMs,
  }));
}

/** The options every job gets: tries with exponential backoff; finished jobs kept a day (and at most 1000) for `queue status`. */
export function jobOptions(data: Pick<FetchJobData, 'attempts' | 'backoffMs'>) {
  return {
    attempts: data.attempts,
    backoff: { type: 'exponential', delay: data.backoffMs },
    removeOnComplete: { age: 86_400, count: 1000 },
    removeOnFail: false,
  } as const;
}

export interface Enqueued {
  source: string;
  jobId: string;
  /** False: a fetch job of this source was pending already (that one's id is `jobId`). */
  added: boolean;
}

/**
 * Adds the fetch job of a source unless one is pending (waiting, active or waiting for its
 * extract jobs): BullMQ's deduplication on the source, released when the job completes or fails.
 * `at` (ms) makes the job id, the stage id and the run's time: the same `at` adds nothing twice.
 */
export async function enqueueFetch(queue: Queue, data: TickJobData, at: number): Promise<Enqueued> {
  const tag = sourceTag(data.source);
  const jobId = `f-${tag}-${at}`;
  const job = await queue.add(JOB.fetch, data, { ...jobOptions(data), jobId, timestamp: at, deduplication: { id: `fetch-${tag}` } });
  return { source: data.source, jobId: job.id ?? jobId, added: job.id === jobId };
}

/** Adds the fetch jobs of every source, in order. */
export async function enqueueSources(queue: Queue, jobs: readonly TickJobData[], now = Date.now()): Promise<Enqueued[]> {
  const out: Enqueued[] = [];
  for (const data of jobs) out.push(await enqueueFetch(queue, data, now));
  return out;
}

/** Scheduler ids are `src-<tag>`: one per source. */
const SCHEDULER = /^src-[0-9a-f]{16}$/;

/**
 * Makes the queue's schedules exactly these sources on `cron`: one BullMQ job scheduler per source
 * (upserted: a changed cron or setting replaces it), and the schedulers of sources no longer
 * listed removed. Each tick enqueues the source's fetch job as `enqueue` does (skipped while one is pending).
 */
export async function scheduleSources(queue: Queue, jobs: readonly TickJobData[], cron: string, tz?: string): Promise<{ upserted: string[]; removed: string[] }> {
  const wanted = new Map(jobs.map((d) => [`src-${sourceTag(d.source)}`, d]));
  for (const [id, data] of wanted) {
    await queue.upsertJobScheduler(id, { pattern: cron, tz: tz ?? 'UTC' }, { name: JOB.tick, data, opts: { attempts: data.attempts, backoff: { type: 'exponential', delay: data.backoffMs }, removeOnComplete: { age: 86_400, count: 100 } } });
  }
  const removed: string[] = [];
  for (const s of await queue.getJobSchedulers()) {
    if (SCHEDULER.test(s.key) && !wanted.has(s.key)) {
      await queue.removeJobScheduler(s.key);
      removed.push((s.template?.data as TickJobData | undefined)?.source ?? s.key);
    }
  }
  return { upserted: jobs.map((d) => d.source), removed };
}

/** Removes every skillpulse schedule of the queue; the sources they fetched. */
export async function removeSchedules(queue: Queue): Promise<string[]> {
  const removed: string[] = [];
  for (const s of await queue.getJobSchedulers()) {
    if (!SCHEDULER.test(s.key)) continue;
    await queue.removeJobScheduler(s.key);
    removed.push((s.template?.data as TickJobData | undefined)?.source ?? s.key);
  }
  return removed;
}

export interface QueueStatus {
  counts: Record<string, number>;
  schedules: { source: string; cron: string; next?: string }[];
  failed: { id: string; name: string; source?: string; reason: string; attempts: number; failedAt?: string }[];
}

const STATES = ['waiting', 'active', 'waiting-children', 'delayed', 'prioritized', 'completed', 'failed'] as const;

/** Jobs per state, the schedules, and the failed jobs (newest first, at most `maxFailed`). */
export async function readQueueStatus(queue: Queue, maxFailed = 20): Promise<QueueStatus> {
  const counts = await queue.getJobCounts(...STATES);
  const schedules = (await queue.getJobSchedulers())
    .filter((s) => SCHEDULER.test(s.key))
    .map((s) => ({
      source: (s.template?.data as TickJobData | undefined)?.source ?? s.key,
      cron: s.pattern ?? String(s.every ?? ''),
      ...(s.next !== undefined && { next: new Date(s.next).toISOString() }),
    }));
  const failed = ((await queue.getFailed(0, maxFailed - 1)) as Job[]).map((j) => ({
    id: String(j.id),
    name: j.name,
    ...(sourceOf(j) && { source: sourceOf(j) as string }),
    reason: j.failedReason ?? '',
    attempts: j.attemptsMade,
    ...(j.finishedOn && { failedAt: new Date(j.finishedOn).toISOString() }),
  }));
  return { counts: Object.fromEntries(STATES.map((s) => [s, counts[s] ?? 0])), schedules, failed };
}

function sourceOf(job: Job): string | undefined {
  const d = job.data as Partial<FetchJobData> & { stage?: string };
  return d.source ?? d.stage;
}

/** Moves every failed job back to waiting (they keep their ids: an extract job's parent then goes on); how many. */
export async function retryFailed(queue: Queue): Promise<number> {
  const n = (await queue.getJobCounts('failed')).failed ?? 0;
  if (n > 0) await queue.retryJobs({ state: 'failed', count: 1000 });
  return n;
}
