import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StopBeforeWorkError } from '../errors.js';
import { EXAMPLE_CONFIG, parseConfig, type RunConfig } from '../pipeline/config.js';
import { reextractStale } from '../pipeline/reextract.js';
import { runBatch } from '../pipeline/run.js';
import { openDatabase } from '../store/db.js';
import { exportPostings, pruneText, readDbStats, vacuumDatabase } from '../store/maintenance.js';
import { listRuns } from '../store/runs.js';
import { compileTaxonomy } from '../taxonomy/compile.js';
import { type Command, loadTaxonomyOption, oneOf, parallelOption, parseCommandArgs, positiveInt, TAXONOMY_HELP, TAXONOMY_OPTIONS, THREADS_HELP } from './args.js';
import { userAgent } from './fetch-command.js';
import { type CliIO, EXIT, UsageError } from './io.js';
import { createLogger } from './log.js';

/** Reads and validates a config file; every problem names its key. */
export function readConfig(path: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StopBeforeWorkError(`config ${path}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const r = parseConfig(text, dirname(resolve(path)));
  if (!r.ok) throw new StopBeforeWorkError(`config ${path} is invalid:\n${r.problems.map((p) => `  ${p.key}: ${p.message}`).join('\n')}`);
  return r.value;
}

const runCommand: Command = {
  name: 'run',
  summary: 'a whole batch from a config file: fetch, extract, store, re-extract, write reports (for cron)',
  usage: 'skillpulse run --config <file> [--log-format human|json] [--quiet | --verbose]',
  options: [
    '--config <file>        YAML or JSON config (skillpulse init writes an example)',
    '--log-format <f>       human (default) or json: one JSON object per line on stderr',
    '--quiet                warnings and errors only',
    '--verbose              debug lines too',
  ],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      config: { type: 'string' },
      'log-format': { type: 'string' },
      quiet: { type: 'boolean' },
      verbose: { type: 'boolean' },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.config) throw new UsageError('--config <file> is required');
    if (values.quiet && values.verbose) throw new UsageError('--quiet and --verbose do not go together');
    const log = createLogger({
      stream: io.stderr,
      format: oneOf(values['log-format'], ['human', 'json'] as const, '--log-format', 'human'),
      verbosity: values.quiet ? 'quiet' : values.verbose ? 'verbose' : 'normal',
    });
    const config = readConfig(values.config);
    log.debug('config read', { db: config.db, sources: config.sources.length, reports: config.reports.length, hash: config.hash });
    const outcome = await runBatch(config, {
      env: io.env,
      userAgent: userAgent(config.contact ?? io.env.SKILLPULSE_CONTACT),
      events: log,
      configPath: values.config,
      ...(io.signal && { signal: io.signal }),
    });
    for (const f of outcome.failures) log.warn(`failed: ${f.input}: ${f.reason}`);
    const line = `run ${outcome.runId} ${outcome.status}: ${outcome.new} new, ${outcome.changed} changed, ${outcome.unchanged} unchanged, ${outcome.closed} closed, ${outcome.failed} failed; ${outcome.mentions} mentions; ${outcome.reextracted} re-extracted; ${outcome.reports.filter((r) => !r.error).length} reports; ${(outcome.durationMs / 1000).toFixed(1)} s`;
    // The one-line summary: always printed, even with --quiet.
    if (values['log-format'] === 'json') {
      io.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'summary', runId: outcome.runId, status: outcome.status, new: outcome.new, changed: outcome.changed, unchanged: outcome.unchanged, closed: outcome.closed, failed: outcome.failed, mentions: outcome.mentions, reextracted: outcome.reextracted, reports: outcome.reports, durationMs: outcome.durationMs })}\n`);
    } else {
      io.stderr.write(`skillpulse: ${line}\n`);
    }
    return outcome.failed > 0 ? EXIT.itemsFailed : EXIT.ok;
  },
};

const configCommand: Command = {
  name: 'config',
  summary: 'check a run config file without doing any work',
  usage: 'skillpulse config check <file>',
  options: [],
  async run(args, io) {
    const [sub, file, ...rest] = args;
    if (sub !== 'check' || !file || rest.length) throw new UsageError('usage: skillpulse config check <file>');
    const c = readConfig(file);
    io.stdout.write(`ok: ${file}: database ${c.db}, ${c.sources.length} source${c.sources.length === 1 ? '' : 's'}, ${c.reports.length} report${c.reports.length === 1 ? '' : 's'}\n`);
    return EXIT.ok;
  },
};

const initCommand: Command = {
  name: 'init',
  summary: 'write a commented example run config',
  usage: 'skillpulse init [file] [--force]',
  options: ['file                  where to write it (default: skillpulse.yaml)', '--force               overwrite an existing file'],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { force: { type: 'boolean' } });
    const path = positionals[0] ?? 'skillpulse.yaml';
    if (existsSync(path) && !values.force) throw new StopBeforeWorkError(`${path} exists; use --force to overwrite it`);
    writeFileSync(path, EXAMPLE_CONFIG);
    io.stdout.write(`wrote ${path}: edit it, then skillpulse config check ${path} and skillpulse run --config ${path}\n`);
    return EXIT.ok;
  },
};

const runsCommand: Command = {
  name: 'runs',
  summary: 'list the recorded runs of a database',
  usage: 'skillpulse runs --db <path> [--last N] [--format table|json]',
  options: ['--db <path>', '--last <N>             how many, newest first (default 20)', '--format <f>           table (default) or json'],
  async run(args, io) {
    const { values } = parseCommandArgs(args, { db: { type: 'string' }, last: { type: 'string' }, format: { type: 'string' } });
    if (!values.db) throw new UsageError('--db <path> is required');
    const format = oneOf(values.format, ['table', 'json'] as const, '--format', 'table');
    const db = openDatabase(values.db, { mustExist: true });
    try {
      const runs = listRuns(db, positiveInt(values.last, '--last') ?? 20);
      if (format === 'json') {
        io.stdout.write(`${JSON.stringify(runs.map((r) => ({ ...r, failures: JSON.parse(r.failures) })), null, 2)}\n`);
      } else {
        io.stdout.write('id    status       started               duration  new  changed  unchanged  closed  failed  reextracted  taxonomy      command\n');
        for (const r of runs) {
          const secs = r.finished_at ? `${((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(1)} s` : '-';
          io.stdout.write(
            `${String(r.id).padEnd(5)} ${r.status.padEnd(12)} ${r.started_at.slice(0, 19).padEnd(21)} ${secs.padStart(8)}  ${String(r.new).padStart(3)}  ${String(r.changed).padStart(7)}  ${String(r.unchanged).padStart(9)}  ${String(r.closed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.reextracted).padStart(11)}  ${r.taxonomy_version.padEnd(12)}  ${r.command}\n`,
          );
        }
      }
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};

const reextractCommand: Command = {
  name: 'reextract',
  summary: 're-extract stored postings that an older taxonomy or extractor produced (no fetching)',
  usage: 'skillpulse reextract --db <path> [--threads N] [--taxonomy <dir>] [--add-taxonomy <dir>]',
  options: ['--db <path>', THREADS_HELP, ...TAXONOMY_HELP],
  async run(args, io) {
    const { values } = parseCommandArgs(args, { db: { type: 'string' }, threads: { type: 'string' }, ...TAXONOMY_OPTIONS });
    if (!values.db) throw new UsageError('--db <path> is required');
    const parallel = parallelOption(values);
    const compiled = compileTaxonomy(loadTaxonomyOption(values));
    const db = openDatabase(values.db, { mustExist: true });
    try {
      const n = await reextractStale(db, compiled, { ...(io.signal && { signal: io.signal }), ...(parallel && { parallel }) });
      io.stderr.write(`skillpulse: re-extracted ${n} postings with taxonomy ${compiled.taxonomy.version}\n`);
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};

const dbCommand: Command = {
  name: 'db',
  summary: 'database upkeep: stats, vacuum, export, prune',
  usage: 'skillpulse db stats|vacuum|export|prune --db <path> [--format table|json] [--out <file>] [--keep-text <days>]',
  options: [
    'stats                  postings, open and closed, mentions, runs, size, extraction versions',
    'vacuum                 recount the daily aggregates, compact the file, refresh query statistics',
    'export                 every posting with its skills as JSON lines (--out <file>, else standard output)',
    'prune --keep-text <N>  clear the stored text of postings unseen for N days (their skills stay)',
  ],
  async run(args, io: CliIO) {
    const [sub, ...rest] = args;
    if (!sub || !['stats', 'vacuum', 'export', 'prune'].includes(sub)) throw new UsageError('db needs a subcommand: stats, vacuum, export, prune');
    const { values } = parseCommandArgs(rest, { db: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, 'keep-text': { type: 'string' } });
    if (!values.db) throw new UsageError('--db <path> is required');
    const db = openDatabase(values.db, { mustExist: true });
    try {
      if (sub === 'stats') {
        const s = readDbStats(db, values.db);
        if (oneOf(values.format, ['table', 'json'] as const, '--format', 'table') === 'json') io.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
        else {
          io.stdout.write(
            [
              `${s.path}: ${(s.sizeBytes / 1048576).toFixed(1)} MB, schema ${s.schemaVersion}`,
              `postings: ${s.postings} (${s.open} open, ${s.closed} closed, ${s.withoutText} without text)${s.medianDaysOpen === null ? '' : `; closed postings stayed up a median of ${s.medianDaysOpen} days`}`,
              `skills mentioned: ${s.skillsMentioned}; mentions: ${s.mentions}`,
              `runs: ${s.runs}${s.lastRun ? `; last: ${s.lastRun.id} ${s.lastRun.status} ${s.lastRun.finishedAt ?? ''}` : ''}`,
              ...s.versions.map((v) => `extracted with taxonomy ${v.taxonomyVersion}, extractor ${v.extractorVersion}: ${v.postings}`),
              '',
            ].join('\n'),
          );
        }
      } else if (sub === 'vacuum') {
        vacuumDatabase(db);
        io.stderr.write(`skillpulse: vacuumed ${values.db}\n`);
      } else if (sub === 'export') {
        // Written as it is read: an export of millions of postings never sits in memory.
        const fd = values.out ? openSync(values.out, 'w') : undefined;
        let n: number;
        try {
          n = exportPostings(db, fd === undefined ? (l) => io.stdout.write(l) : (l) => writeSync(fd, l));
        } finally {
          if (fd !== undefined) closeSync(fd);
        }
        io.stderr.write(`skillpulse: exported ${n} postings${values.out ? ` to ${values.out}` : ''}\n`);
      } else {
        const days = positiveInt(values['keep-text'], '--keep-text');
        if (!days) throw new UsageError('prune needs --keep-text <days>');
        const n = pruneText(db, new Date(Date.now() - days * 86_400_000).toISOString());
        io.stderr.write(`skillpulse: cleared the text of ${n} postings unseen for ${days} days\n`);
      }
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};

export const OPS_COMMANDS: Command[] = [runCommand, configCommand, initCommand, runsCommand, reextractCommand, dbCommand];
