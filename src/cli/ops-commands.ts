import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StopBeforeWorkError } from '../errors.js';
import { limitsFromEnv } from '../normalize/limits.js';
import { EXAMPLE_CONFIG, parseConfig, type RunConfig } from '../pipeline/config.js';
import { reextractStale } from '../pipeline/reextract.js';
import { type BatchOutcome, runBatch } from '../pipeline/run.js';
import { terminalText } from '../report/model.js';
import { writeFileAtomically } from '../atomic-write.js';
import { redactRedisUrl } from '../queue/settings.js';
import { describeStoreError, isStoreFile, openStore, redactUrl } from '../store/open.js';
import { oneOf, parseCommandArgs, positiveInt, TAXONOMY_OPTIONS } from './args.js';
import { compiledTaxonomyOption, parallelOption, taxonomyCacheDir } from './taxonomy-option.js';
import { userAgent } from './fetch-command.js';
import { renderTextTable } from '../report/render.js';
import { counted, type CliIO, describeWriteError, EXIT, outputWidth, UsageError } from './io.js';
import { createLogger, type Logger } from './log.js';
import { createProgress, showsProgress } from './progress.js';
import { dbOption } from './store-option.js';

/** Reads and validates a config file; every problem names its key. */
export function readConfig(path: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StopBeforeWorkError(`config ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const r = parseConfig(text, dirname(resolve(path)), resolve(path));
  if (!r.ok) throw new StopBeforeWorkError(`config ${path} is invalid:\n${r.problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
  return r.value;
}

export async function runBatchCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    config: { type: 'string' },
    'log-format': { type: 'string' },
    quiet: { type: 'boolean' },
    verbose: { type: 'boolean' },
  });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.config) throw new UsageError('--config <file> is required');
  if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose do not go together');
  const log = terminalSafe(
    createLogger({
      stream: io.stderr,
      format: oneOf(values['log-format'], ['human', 'json'] as const, '--log-format', 'human'),
      verbosity: values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal',
    }),
  );
  const config = readConfig(values.config);
  // SKILLPULSE_DB_URL stands in for the config's db (one config, a store per environment).
  if (io.env.SKILLPULSE_DB_URL) config.db = io.env.SKILLPULSE_DB_URL;
  log.debug('config read', { db: redactUrl(config.db), sources: config.sources.length, reports: config.reports.length, hash: config.hash });
  const cacheDir = taxonomyCacheDir(io.env);
  let outcome: BatchOutcome;
  try {
    outcome = await runBatch(config, {
      env: io.env,
      userAgent: userAgent(config.contact ?? io.env.SKILLPULSE_CONTACT),
      events: log,
      configPath: values.config,
      ...(cacheDir && { cacheDir }),
      ...(io.signal && { signal: io.signal }),
    });
  } catch (err) {
    const problem = describeStoreError(err);
    throw problem ? new StopBeforeWorkError(`database ${redactUrl(config.db)}: ${problem}`, { cause: err }) : err;
  }
  for (const f of outcome.failures) log.warn(`failed: ${f.input}: ${f.reason}`);
  const line = `run ${outcome.runId} ${outcome.status}: ${outcome.new} new, ${outcome.changed} changed, ${outcome.unchanged} unchanged, ${outcome.closed} closed, ${outcome.failed} failed; ${counted(outcome.mentions, 'mention')}; ${outcome.reextracted} re-extracted; ${counted(outcome.reports.filter((r) => !r.error).length, 'report')}; ${(outcome.durationMs / 1000).toFixed(1)} s`;
  // The one-line summary: always printed, even with --quiet.
  if (values['log-format'] === 'json') {
    io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'summary', runId: outcome.runId, status: outcome.status, new: outcome.new, changed: outcome.changed, unchanged: outcome.unchanged, closed: outcome.closed, failed: outcome.failed, mentions: outcome.mentions, reextracted: outcome.reextracted, reports: outcome.reports, durationMs: outcome.durationMs })}\n`);
  } else {
    io.stderr.write(`skillpulse: ${line}\n`);
  }
  // Every source failed and nothing was read: told apart from a partial run, for cron (issue 15).
  const nothingLanded = outcome.new + outcome.changed + outcome.unchanged === 0 && outcome.sources.every((s) => s.error !== undefined);
  if (outcome.failed > 0 && nothingLanded && config.sources.length > 0) return EXIT.allFailed;
  return outcome.failed > 0 ? EXIT.itemsFailed : EXIT.ok;
}

/** The logger with every message and text field made plain text: log lines quote sources, postings and servers. */
function terminalSafe(log: Logger): Logger {
  const safe =
    (write: Logger['info']): Logger['info'] =>
    (msg, fields) =>
      write(terminalText(msg), fields && Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? terminalText(v) : v])));
  return { debug: safe(log.debug), info: safe(log.info), warn: safe(log.warn), error: safe(log.error), progress: (label, done, total) => log.progress(terminalText(label), done, total) };
}

export async function runConfig(args: string[], io: CliIO): Promise<number> {
  const [sub, file, ...rest] = args;
  if (sub !== 'check' || !file || rest.length) throw new UsageError('usage: skillpulse config check <file>');
  const c = readConfig(file);
  // A local path that is not there is no error (it may be mounted or made before the run), but worth a word (issue 15).
  for (const [k, spec] of c.sources.entries()) {
    if (spec.startsWith('path:') && !existsSync(spec.slice(5))) io.stderr.write(`skillpulse config: warning: sources[${k}]: ${terminalText(spec.slice(5))} does not exist (yet)\n`);
  }
  const queue = c.queue.url ? `, queue ${redactRedisUrl(c.queue.url)} (prefix ${c.queue.prefix})` : '';
  io.stdout.write(`ok: ${file}: database ${redactUrl(c.db)}, ${c.sources.length} source${c.sources.length === 1 ? '' : 's'}, ${c.reports.length} report${c.reports.length === 1 ? '' : 's'}${queue}\n`);
  return EXIT.ok;
}

export async function runInit(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { force: { type: 'boolean' } });
  const path = positionals[0] ?? 'skillpulse.yaml';
  if (existsSync(path) && !values.force) throw new StopBeforeWorkError(`${path} exists; use --force to overwrite it`);
  try {
    await writeFileAtomically(path, EXAMPLE_CONFIG);
  } catch (err) {
    throw new StopBeforeWorkError(`cannot write ${path}: ${describeWriteError(err)}`, { cause: err });
  }
  io.stdout.write(`wrote ${path}: edit it, then skillpulse config check ${path} and skillpulse run --config ${path}\n`);
  return EXIT.ok;
}

export async function runRuns(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, last: { type: 'string' }, format: { type: 'string' } });
  const format = oneOf(values.format, ['table', 'json'] as const, '--format', 'table');
  const store = await openStore(dbOption(values.db, io.env), { readonly: true });
  try {
    const runs = await store.listRuns(positiveInt(values.last, '--last') ?? 20);
    if (format === 'json') {
      // camelCase like every other JSON skillpulse prints (issue 15); the table keeps the database's column names.
      const json = runs.map((r) => ({
        id: r.id,
        command: r.command,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        status: r.status,
        taxonomyVersion: r.taxonomy_version,
        extractorVersion: r.extractor_version,
        new: r.new,
        changed: r.changed,
        unchanged: r.unchanged,
        closed: r.closed,
        failed: r.failed,
        mentions: r.mentions,
        reextracted: r.reextracted,
        configHash: r.config_hash,
        failures: JSON.parse(r.failures),
      }));
      io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      // Fitted to the terminal: the taxonomy version, re-extracted and closed counts give way first.
      const width = outputWidth(io);
      const table = renderTextTable(
        {
          title: '',
          columns: ['Id', 'Status', 'Started', 'Duration', 'New', 'Changed', 'Unchanged', 'Closed', 'Failed', 'Re-extracted', 'Taxonomy', 'Command'],
          numeric: [true, false, false, true, true, true, true, true, true, true, false, false],
          rows: runs.map((r) => [
            String(r.id),
            r.status,
            r.started_at.slice(0, 19).replace('T', ' '),
            r.finished_at ? `${((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(1)} s` : '-',
            ...[r.new, r.changed, r.unchanged, r.closed, r.failed, r.reextracted].map(String),
            r.taxonomy_version,
            r.command,
          ]),
          fit: { drop: [10, 9, 7, 5], whole: [1, 2] },
        },
        { hint: '--format json has them all', ...(width !== undefined && { width }) },
      );
      io.stdout.write(`${runs.length === 0 ? '(no runs)' : table.slice(1).join('\n')}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export async function runReextract(args: string[], io: CliIO): Promise<number> {
  const { values } = parseCommandArgs(args, { db: { type: 'string' }, threads: { type: 'string' }, quiet: { type: 'boolean' }, ...TAXONOMY_OPTIONS });
  const db = dbOption(values.db, io.env);
  const parallel = parallelOption(values, io.env);
  const compiled = compiledTaxonomyOption(values, io.env);
  const store = await openStore(db, { mustExist: true, command: 'reextract' });
  const progress = createProgress({ stream: io.stderr, enabled: showsProgress(io.stderr, values.quiet), unit: 'posting' });
  try {
    const n = await reextractStale(store, compiled, {
      limits: limitsFromEnv(io.env),
      onBatch: (done, total) => progress.update(done, total),
      ...(io.signal && { signal: io.signal }),
      ...(parallel && { parallel }),
    });
    progress.clear();
    io.stderr.write(`skillpulse: re-extracted ${counted(n, 'posting')} with taxonomy ${compiled.taxonomy.version}\n`);
    return EXIT.ok;
  } finally {
    progress.clear();
    await store.close();
  }
}

export async function runDb(args: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || !['stats', 'vacuum', 'export', 'prune'].includes(sub)) throw new UsageError('db needs a subcommand: stats, vacuum, export, prune');
  const { values } = parseCommandArgs(rest, { db: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, 'keep-text': { type: 'string' } });
  const db = dbOption(values.db, io.env);
  if (values.out !== undefined && isStoreFile(values.out, db)) throw new UsageError(`--out ${values.out} is a file of the database ${db}: an export there would destroy it`);
  // stats and export only read: a read-only database works, and nothing is written to it.
  const store = await openStore(db, sub === 'stats' || sub === 'export' ? { readonly: true } : { mustExist: true, command: `db ${sub}` });
  try {
    if (sub === 'stats') {
      const s = await store.stats();
      if (oneOf(values.format, ['table', 'json'] as const, '--format', 'table') === 'json') io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      else {
        io.stdout.write(
          [
            `${terminalText(s.path)}: ${(s.sizeBytes / 1048576).toFixed(1)} MB, schema ${s.schemaVersion}`,
            `postings: ${s.postings} (${s.open} open, ${s.closed} closed, ${s.withoutText} without text)${s.medianDaysOpen === null ? '' : `; closed postings stayed up a median of ${counted(s.medianDaysOpen, 'day')}`}`,
            `skills mentioned: ${s.skillsMentioned}; mentions: ${s.mentions}`,
            `runs: ${s.runs}${s.lastRun ? `; last: ${s.lastRun.id} ${s.lastRun.status} ${s.lastRun.finishedAt ?? ''}` : ''}`,
            ...s.versions.map((v) => `extracted with taxonomy ${v.taxonomyVersion}, extractor ${v.extractorVersion}: ${v.postings}`),
            '',
          ].join('\n'),
        );
      }
    } else if (sub === 'vacuum') {
      await store.vacuum();
      io.stderr.write(`skillpulse: vacuumed ${redactUrl(db)}\n`);
    } else if (sub === 'export') {
      // Written as it is read: an export of millions of postings never sits in memory. A file is
      // written whole or not at all, so a failed export leaves the last one.
      let n = 0;
      if (values.out) await writeExport(values.out, async (append) => void (n = await store.exportPostings(append)));
      else n = await store.exportPostings((l) => io.stdout.write(l));
      io.stderr.write(`skillpulse: exported ${counted(n, 'posting')}${values.out ? ` to ${values.out}` : ''}\n`);
    } else {
      const days = positiveInt(values['keep-text'], '--keep-text');
      if (!days) throw new UsageError('prune needs --keep-text <days>');
      const n = await store.pruneText(new Date(Date.now() - days * 86_400_000).toISOString());
      io.stderr.write(`skillpulse: cleared the text of ${counted(n, 'posting')} unseen for ${counted(days, 'day')}\n`);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Writes an export whole or not at all: a failed write leaves the export that was there. */
async function writeExport(path: string, write: (append: (text: string) => void) => Promise<void>): Promise<void> {
  try {
    await writeFileAtomically(path, write);
  } catch (err) {
    throw new StopBeforeWorkError(`cannot write the export ${path}: ${describeWriteError(err)}; an export there before is left as it was`, { cause: err });
  }
}
