import { cacheFor, type FetchRunSummary, fetchSources } from '../pipeline/fetch.js';
import { ADAPTERS, parseSourceSpec } from '../sources/adapters.js';
import { HttpClient } from '../sources/http.js';
import type { FetchLimits } from '../sources/source.js';
import { openStore, redactUrl } from '../store/open.js';
import { packageVersion } from '../version.js';
import { parseCommandArgs, positiveInt, TAXONOMY_OPTIONS } from './args.js';
import { compiledTaxonomyOption } from './taxonomy-option.js';
import { type CliIO, EXIT, UsageError } from './io.js';
import { createProgress, showsProgress } from './progress.js';
import { dbOption } from './store-option.js';

/** The User-Agent: the tool, its version, and the contact the user gives (servers want to reach a person). */
export function userAgent(contact: string | undefined): string {
  return `skillpulse/${packageVersion()} (${contact ? `+${contact}` : 'no contact given; set --contact or SKILLPULSE_CONTACT'})`;
}

const LIMIT_OPTIONS = { 'max-pages': 'maxPages', 'max-thread-items': 'maxThreadItems', 'max-requests': 'maxRequests' } as const satisfies Record<string, keyof FetchLimits>;

/** The limits given on the command line (--max-pages, --max-thread-items, --max-requests). */
function limitsOption(values: Partial<Record<keyof typeof LIMIT_OPTIONS, string>>): Partial<FetchLimits> {
  const limits: Partial<FetchLimits> = {};
  for (const [option, key] of Object.entries(LIMIT_OPTIONS)) {
    const n = positiveInt(values[option as keyof typeof LIMIT_OPTIONS], `--${option}`);
    if (n !== undefined) limits[key] = n;
  }
  return limits;
}

export async function runFetch(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    db: { type: 'string' },
    contact: { type: 'string' },
    concurrency: { type: 'string' },
    'per-host': { type: 'string' },
    'interval-ms': { type: 'string' },
    'ignore-robots': { type: 'boolean' },
    'allow-private-hosts': { type: 'boolean' },
    'max-pages': { type: 'string' },
    'max-thread-items': { type: 'string' },
    'max-requests': { type: 'string' },
    quiet: { type: 'boolean' },
    ...TAXONOMY_OPTIONS,
  });
  const dbValue = dbOption(values.db, io.env);
  if (positionals.length === 0) throw new UsageError(`give at least one source: ${ADAPTERS.map((a) => a.syntax).join(', ')}`);
  // A malformed source is a mistake on the command line, as `config check` judges it: nothing is
  // fetched and no database is made (issue 15).
  for (const spec of positionals) {
    const parsed = parseSourceSpec(spec);
    if ('error' in parsed) throw new UsageError(parsed.error);
  }
  const interval = values['interval-ms'] === '0' ? 0 : positiveInt(values['interval-ms'], '--interval-ms');
  const limits = limitsOption(values);
  const compiled = compiledTaxonomyOption(values, io.env);
  const store = await openStore(dbValue);
  const cache = cacheFor(store);
  const http = new HttpClient({
    userAgent: userAgent(values.contact ?? io.env.SKILLPULSE_CONTACT),
    cache,
    robots: !values['ignore-robots'],
    allowPrivateHosts: values['allow-private-hosts'] === true,
    ...(values.concurrency && { concurrency: positiveInt(values.concurrency, '--concurrency') }),
    ...(values['per-host'] && { perHostConcurrency: positiveInt(values['per-host'], '--per-host') }),
    ...(interval !== undefined && { minIntervalMs: interval }),
    ...(io.signal && { signal: io.signal }),
  });
  // Postings read so far, and sources done of those given.
  const progress = createProgress({ stream: io.stderr, enabled: showsProgress(io.stderr, values.quiet), unit: 'posting' });
  let read = 0;
  let sourcesDone = 0;
  const show = () => progress.update(read, undefined, `${sourcesDone}/${positionals.length} sources done`);
  try {
    const summary = await fetchSources(positionals, store, compiled, http, cache, {
      command: `fetch ${positionals.join(' ')}`,
      env: io.env,
      limits,
      onItem: (n) => {
        read = n;
        show();
      },
      onSource: () => {
        sourcesDone++;
        show();
      },
      ...(io.signal && { signal: io.signal }),
    });
    progress.clear();
    printSummary(summary, redactUrl(dbValue), io);
    return fetchExitCode(summary);
  } finally {
    progress.clear();
    await http.close();
    await store.close();
  }
}

/** One line per source (and one per limit it hit), the failures, and the totals. */
function printSummary(summary: FetchRunSummary, db: string, io: CliIO): void {
  for (const s of summary.sources) {
    const counts = `${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.closed} closed, ${s.failed} failed`;
    io.stderr.write(`skillpulse: ${s.source}: ${s.error ? `FAILED: ${s.error}` : `${counts}${s.notModified ? ' (not modified)' : ''}`}\n`);
    for (const limit of s.limits ?? []) io.stderr.write(`skillpulse: ${s.source}: stopped short: ${limit}\n`);
  }
  for (const f of summary.failures) if (!summary.sources.some((s) => s.source === f.input)) io.stderr.write(`skillpulse: ${f.input}: ${f.reason}\n`);
  io.stderr.write(
    `skillpulse: fetched into ${db}: ${summary.new} new, ${summary.changed} changed, ${summary.unchanged} unchanged, ` +
      `${summary.sources.reduce((a, s) => a + s.closed, 0)} closed, ${summary.failed} failed; ${(summary.durationMs / 1000).toFixed(1)} s\n`,
  );
}

/** 0 all done, 1 some sources or postings failed, 4 every source failed: nothing was fetched (for cron, issue 15). */
export function fetchExitCode(summary: Pick<FetchRunSummary, 'failed' | 'sources'>): number {
  if (summary.sources.length > 0 && summary.sources.every((s) => s.error !== undefined)) return EXIT.allFailed;
  return summary.failed > 0 ? EXIT.itemsFailed : EXIT.ok;
}
