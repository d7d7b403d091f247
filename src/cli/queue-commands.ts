import { StopBeforeWorkError } from '../errors.js';
import { limitsFromEnv } from '../normalize/limits.js';
import type { RunConfig } from '../pipeline/config.js';
import { probeRedis } from '../queue/connection.js';
import { QUEUE_DEFAULTS, type QueueSettings, redactRedisUrl } from '../queue/settings.js';
import { enqueueSources, fetchJobsOf, openQueue, readQueueStatus, removeSchedules, retryFailed, scheduleSources } from '../queue/control.js';
import { startWorker, type WorkerHooks } from '../queue/worker.js';
import { terminalText } from '../report/model.js';
import { renderTextTable } from '../report/render.js';
import { loadCompiledTaxonomy } from '../sources/taxonomy-files.js';
import { openStore, redactUrl } from '../store/open.js';
import type { Store } from '../store/store.js';
import { oneOf, parseCommandArgs, positiveInt, TAXONOMY_OPTIONS } from './args.js';
import { userAgent } from './fetch-command.js';
import { type CliIO, counted, EXIT, UsageError } from './io.js';
import { createLogger } from './log.js';
import { readConfig } from './ops-commands.js';
import { taxonomyCacheDir } from './taxonomy-option.js';

const QUEUE_OPTIONS = { config: { type: 'string' }, queue: { type: 'string' }, prefix: { type: 'string' } } as const;

type Env = Record<string, string | undefined>;

/**
 * The queue a command uses: --queue and --prefix, else SKILLPULSE_QUEUE_URL and
 * SKILLPULSE_QUEUE_PREFIX, else the config's `queue` key.
 */
function queueSettings(values: { queue?: string | undefined; prefix?: string | undefined }, env: Env, config: RunConfig | undefined): QueueSettings {
  // An empty variable counts as unset.
  const url = values.queue ?? (env.SKILLPULSE_QUEUE_URL || config?.queue.url);
  if (!url) throw new UsageError('--queue <redis url> or --config <file> with queue.url is required (SKILLPULSE_QUEUE_URL gives a default)');
  const prefix = values.prefix ?? (env.SKILLPULSE_QUEUE_PREFIX || config?.queue.prefix || QUEUE_DEFAULTS.prefix);
  if (!/^[\w.:-]+$/.test(prefix)) throw new UsageError(`the queue prefix must be letters, digits, - _ . or : (got "${prefix}")`);
  return { ...QUEUE_DEFAULTS, ...config?.queue, url, prefix };
}

/** The config of --config, with SKILLPULSE_DB_URL standing in for its db. */
function configOption(path: string | undefined, env: Env): RunConfig | undefined {
  if (path === undefined) return undefined;
  const config = readConfig(path);
  if (env.SKILLPULSE_DB_URL) config.db = env.SKILLPULSE_DB_URL;
  return config;
}

export async function runWorker(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...QUEUE_OPTIONS,
    db: { type: 'string' },
    concurrency: { type: 'string' },
    'log-format': { type: 'string' },
    quiet: { type: 'boolean' },
    ...TAXONOMY_OPTIONS,
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const log = createLogger({ stream: io.stderr, format: oneOf(values['log-format'], ['human', 'json'] as const, '--log-format', 'human'), verbosity: values.quiet ? 'quiet' : 'normal' });
  const config = configOption(values.config, io.env);
  const settings = queueSettings(values, io.env, config);
  const db = values.db ?? (io.env.SKILLPULSE_DB_URL || config?.db);
  if (!db) throw new UsageError('--db <path|url> or --config <file> is required (SKILLPULSE_DB_URL gives a default)');
  const concurrency = positiveInt(values.concurrency, '--concurrency') ?? 1;
  const compiled = loadCompiledTaxonomy({
    dir: values.taxonomy ?? config?.taxonomy,
    extra: values['add-taxonomy'] ?? config?.addTaxonomy ?? [],
    cacheDir: taxonomyCacheDir(io.env),
  });
  await probeRedis(settings.url);
  let store: Store;
  try {
    store = await openStore(db, { command: 'worker' });
  } catch (err) {
    // Already in words and naming the URL (PostgreSQL), or the SQLite lock (exit 3).
    if (err instanceof StopBeforeWorkError || (err as Error).name === 'LockHeldError') throw err;
    throw new StopBeforeWorkError(`database ${redactUrl(db)}: cannot open it (${(err as Error).message})`, { cause: err });
  }
  try {
    await store.upsertSkills(compiled.taxonomy);
    const worker = await startWorker({
      queue: settings,
      store,
      compiled,
      env: io.env,
      limits: limitsFromEnv(io.env),
      concurrency,
      events: log,
      hooks: testHooks(io.env),
      ...(io.env.SKILLPULSE_QUEUE_LOCK_MS && { lockMs: Number(io.env.SKILLPULSE_QUEUE_LOCK_MS) }),
    });
    log.info(`worker ready: queue ${redactRedisUrl(settings.url)} (prefix ${settings.prefix}), database ${redactUrl(db)}, taxonomy ${compiled.taxonomy.version}`);
    // SIGINT or SIGTERM: the jobs in hand are finished, then the worker stops (exit 0).
    const stop = new Promise<void>((resolve) => {
      if (io.signal?.aborted) resolve();
      io.signal?.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([stop, worker.closed]);
    log.info('stopping: finishing the jobs in hand');
    await worker.close();
    log.info('worker stopped');
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Fault hooks for the queue's tests: SKILLPULSE_TEST_* (see WorkerHooks). */
function testHooks(env: Env): WorkerHooks {
  return {
    ...(env.SKILLPULSE_TEST_EXIT_AFTER_SAVE === '1' && { exitAfterSave: true }),
    ...(env.SKILLPULSE_TEST_THROW_ONCE && { throwOnce: env.SKILLPULSE_TEST_THROW_ONCE }),
  };
}

export async function runEnqueue(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, QUEUE_OPTIONS);
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.config) throw new UsageError('--config <file> is required');
  const config = configOption(values.config, io.env) as RunConfig;
  const settings = queueSettings(values, io.env, config);
  await probeRedis(settings.url);
  const queue = openQueue(settings);
  try {
    const jobs = fetchJobsOf(config, settings, { userAgent: userAgent(config.contact ?? io.env.SKILLPULSE_CONTACT), command: `enqueue --config ${values.config}` });
    const added = await enqueueSources(queue, jobs);
    for (const e of added) io.stdout.write(`${e.added ? 'queued' : 'pending already'}  ${terminalText(e.source)}  (job ${e.jobId})\n`);
    const n = added.filter((e) => e.added).length;
    io.stderr.write(`skillpulse: queued ${counted(n, 'fetch job')} on ${redactRedisUrl(settings.url)} (prefix ${settings.prefix})${n < added.length ? `; ${added.length - n} pending already` : ''}\n`);
    return EXIT.ok;
  } finally {
    await queue.close();
  }
}

export async function runSchedule(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...QUEUE_OPTIONS, cron: { type: 'string' }, tz: { type: 'string' }, remove: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (values.remove && (values.cron || values.tz)) throw new UsageError('--remove takes no --cron or --tz');
  if (!values.remove && !values.cron) throw new UsageError('--cron "<minute hour day month weekday>" or --remove is required');
  if (!values.remove && !values.config) throw new UsageError('--config <file> is required: its sources are what is scheduled');
  const config = configOption(values.config, io.env);
  const settings = queueSettings(values, io.env, config);
  await probeRedis(settings.url);
  const queue = openQueue(settings);
  try {
    if (values.remove) {
      const removed = await removeSchedules(queue);
      for (const s of removed) io.stdout.write(`unscheduled  ${terminalText(s)}\n`);
      io.stderr.write(`skillpulse: removed ${counted(removed.length, 'schedule')} from ${redactRedisUrl(settings.url)} (prefix ${settings.prefix})\n`);
      return EXIT.ok;
    }
    const jobs = fetchJobsOf(config as RunConfig, settings, { userAgent: userAgent(config?.contact ?? io.env.SKILLPULSE_CONTACT), command: `schedule --config ${values.config}` });
    let r: Awaited<ReturnType<typeof scheduleSources>>;
    try {
      r = await scheduleSources(queue, jobs, values.cron as string, values.tz);
    } catch (err) {
      if (/cron|pattern|Invalid|Validation/i.test((err as Error).message)) throw new UsageError(`--cron "${values.cron}": ${(err as Error).message}`);
      throw err;
    }
    for (const s of r.upserted) io.stdout.write(`scheduled    ${terminalText(s)}  ${values.cron}${values.tz ? ` (${values.tz})` : ''}\n`);
    for (const s of r.removed) io.stdout.write(`unscheduled  ${terminalText(s)}  (no longer in the config)\n`);
    io.stderr.write(`skillpulse: ${counted(r.upserted.length, 'source')} scheduled "${values.cron}" on ${redactRedisUrl(settings.url)} (prefix ${settings.prefix}); workers enqueue each tick\n`);
    return EXIT.ok;
  } finally {
    await queue.close();
  }
}

export async function runQueue(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'status' && sub !== 'retry-failed') throw new UsageError('queue needs a subcommand: status or retry-failed');
  const { values, positionals } = parseCommandArgs(rest, { ...QUEUE_OPTIONS, format: { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = oneOf(values.format, ['table', 'json'] as const, '--format', 'table');
  const settings = queueSettings(values, io.env, configOption(values.config, io.env));
  await probeRedis(settings.url);
  const queue = openQueue(settings);
  try {
    if (sub === 'retry-failed') {
      const n = await retryFailed(queue);
      io.stderr.write(`skillpulse: ${counted(n, 'failed job')} moved back to waiting\n`);
      return EXIT.ok;
    }
    const s = await readQueueStatus(queue);
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return EXIT.ok;
    }
    const lines = [
      `queue ${redactRedisUrl(settings.url)} (prefix ${settings.prefix})`,
      `jobs: ${Object.entries(s.counts)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}`,
    ];
    lines.push(s.schedules.length ? 'schedules:' : 'schedules: none');
    for (const c of s.schedules) lines.push(`  ${terminalText(c.source)}  ${c.cron}${c.next ? `  next ${c.next}` : ''}`);
    if (s.failed.length) {
      lines.push('failed jobs (queue retry-failed tries them again):');
      const table = renderTextTable({
        title: '',
        columns: ['Job', 'Kind', 'Source or stage', 'Tries', 'Reason'],
        numeric: [false, false, false, true, false],
        rows: s.failed.map((f) => [f.id, f.name, terminalText(f.source ?? ''), String(f.attempts), terminalText(f.reason)]),
      });
      lines.push(...table.slice(1));
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    await queue.close();
  }
}
