import { createHash } from 'node:crypto';
import { isAbsolute, join, resolve as resolvePath } from 'node:path';
import { toJsonSchema } from '@valibot/to-json-schema';
import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { PERIOD_KINDS, type PeriodKind } from '../periods.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/render.js';
import { ADAPTERS, parseSourceSpec } from '../sources/adapters.js';
import { isPostgresUrl, storeFiles } from '../store/open.js';
import type { ReportFilters } from '../store/store.js';
import { REPORT_KINDS, reportKinds } from './report.js';
import { DEFAULT_BATCH_SIZE } from './pool.js';

/** One report a run writes. */
export interface ReportSpec {
  /** A registered report kind (REPORT_KINDS). */
  kind: string;
  format: ReportFormat;
  /** May contain {date}. */
  out: string;
  period: PeriodKind;
  top?: number;
  skill?: string;
  filters: ReportFilters;
}

/** A validated `skillpulse run` configuration, paths resolved against the config file's folder. */
export interface RunConfig {
  db: string;
  /** Source specs as `fetch` takes them, plus `path:<file or dir>`. */
  sources: string[];
  reports: ReportSpec[];
  contact?: string;
  taxonomy?: string;
  addTaxonomy: string[];
  batchSize: number;
  http: {
    concurrency?: number;
    perHost?: number;
    intervalMs?: number;
    ignoreRobots: boolean;
    allowPrivateHosts: boolean;
    maxPages?: number;
    maxThreadItems?: number;
    maxRequests?: number;
  };
  baseUrls: Record<string, string>;
  /** Clear the stored text of postings not seen for this many days (their skills stay). */
  keepTextDays?: number;
  /** Distributed runs (enqueue, schedule, worker): where the queue is and how jobs are retried. */
  queue: {
    /** redis:// URL; SKILLPULSE_QUEUE_URL overrides it. */
    url?: string;
    prefix: string;
    batch: number;
    attempts: number;
    backoffMs: number;
  };
  /** sha256 of the config text, recorded with the run. */
  hash: string;
}

export interface ConfigProblem {
  key: string;
  message: string;
}

export type ConfigResult = { ok: true; value: RunConfig } | { ok: false; problems: ConfigProblem[] };

const text = (message = 'expected a non-empty string') => v.pipe(v.string(message), v.regex(/\S/, message));

/** A whole number from `min` to `max` (by default the largest a timer or a count here takes: 1e20 is an error, not a bug later). */
function wholeNumber(min: number, max = 2_147_483_647) {
  const message = `expected a whole number of at least ${min}`;
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, `expected a whole number of at most ${max}`));
}

const flag = v.boolean('expected true or false');

const oneOf = <const T extends readonly string[]>(options: T) => v.picklist(options, `expected one of ${options.join(', ')}`);

const described = <S extends v.GenericSchema>(schema: S, description: string) => v.pipe(schema, v.description(description));

/**
 * A mapping with exactly these keys (a YAML list is none): a missing key is `required` with the
 * key's description, an unknown one is named with the known keys.
 */
function mapping<const E extends v.ObjectEntries>(entries: E, expected: string, unknownKey = 'unknown key') {
  const unknown = `${unknownKey} (known: ${Object.keys(entries).join(', ')})`;
  const required = (key: keyof E) => {
    const description = v.getDescription(entries[key] as v.GenericSchema);
    return description ? `required: ${description}` : 'required';
  };
  return v.pipe(
    v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), expected),
    v.strictObject(entries, (issue) => (issue.expected === 'never' ? unknown : issue.path ? required(String(issue.path[0].key)) : expected)),
  );
}

/** Why a source spec is wrong (undefined when it is right): `path:<file or dir>`, or what `fetch` takes. */
function sourceSpecProblem(spec: string): string | undefined {
  if (spec.startsWith('path:')) return spec === 'path:' ? 'path: needs a file or directory' : undefined;
  const parsed = parseSourceSpec(spec);
  return 'error' in parsed ? parsed.error : undefined;
}

const source = v.pipe(
  v.string('expected a source string like greenhouse:acme or path:postings/'),
  v.check((spec) => sourceSpecProblem(spec) === undefined, (issue) => sourceSpecProblem(String(issue.input)) ?? ''),
);

const REQUIREMENT_FILTERS = ['required', 'preferred', 'any'] as const satisfies readonly NonNullable<ReportFilters['requirement']>[];

const filterText = (description: string) => v.optional(described(v.string('expected a string'), description));

const filters = mapping(
  {
    since: filterText('first day counted (YYYY-MM-DD)'),
    until: filterText('last day counted (YYYY-MM-DD)'),
    source: filterText('greenhouse counts every greenhouse:<board>, greenhouse:acme that board'),
    company: filterText('a part of the company name, any case'),
    location: filterText('a part of the location, any case'),
    remote: v.optional(flag),
    category: filterText('a taxonomy category'),
    skill: filterText('a skill id'),
    requirement: v.optional(oneOf(REQUIREMENT_FILTERS)),
  },
  'expected a mapping',
  'unknown filter',
);

const report = v.pipe(
  mapping(
    {
      kind: v.optional(oneOf(REPORT_KINDS), 'summary'),
      format: v.optional(oneOf(REPORT_FORMATS), 'md'),
      out: described(text(), "the file to write; {date} becomes the run's date"),
      period: v.optional(oneOf(PERIOD_KINDS), 'month'),
      top: v.optional(wholeNumber(1)),
      skill: v.optional(described(text(), 'the skill id a skill report is about')),
      filters: v.optional(filters, {}),
    },
    'expected a mapping { kind, format, out }',
  ),
  v.forward(
    v.partialCheck([['kind'], ['skill']], (r) => r.skill !== undefined || !reportKinds().find((k) => k.name === r.kind)?.takesSkill, 'required for kind skill'),
    ['skill'],
  ),
  // The same rule for editors: JSON Schema cannot run the check above.
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
  v.metadata({ if: { properties: { kind: { const: 'skill' } }, required: ['kind'] }, then: { required: ['skill'] } }),
);

const redisUrl = v.pipe(v.string('expected a redis:// URL'), v.regex(/^rediss?:\/\/\S+$/, 'expected a redis:// URL'));

const queuePrefix = v.pipe(v.string('expected a prefix of letters, digits, - _ . or :'), v.regex(/^[\w.:-]+$/, 'expected a prefix of letters, digits, - _ . or :'));

const httpUrl = v.pipe(v.string('expected an http(s) URL'), v.regex(/^https?:\/\//, 'expected an http(s) URL'));

/** One key per source with a base URL (those that call an API). */
const baseUrls = mapping(
  Object.fromEntries(ADAPTERS.flatMap((a) => (a.defaultBaseUrl ? [[a.name, v.optional(described(httpUrl, `instead of ${a.defaultBaseUrl}`))]] : []))),
  'expected a mapping of source name to URL',
  'unknown source',
);

/** The run configuration file as written: the keys, what each holds, and the defaults. */
export const CONFIG_FILE_SCHEMA = v.pipe(
  mapping(
    {
      db: described(text(), 'the SQLite database (created if missing) or a postgres:// URL; SKILLPULSE_DB_URL overrides it'),
      sources: described(
        v.pipe(v.array(source, 'expected a list of sources'), v.minLength(1, 'expected at least one source')),
        `a list of sources (${[...ADAPTERS.map((a) => a.syntax), 'path:<file or dir>'].join(', ')})`,
      ),
      reports: v.optional(described(v.array(report, 'expected a list of { kind, format, out }'), 'what to write after each run'), []),
      contact: v.optional(described(text(), 'a URL or email of yours: it goes into the User-Agent so site owners can reach you')),
      taxonomy: v.optional(described(text(), 'a taxonomy directory that replaces the shipped taxonomy')),
      addTaxonomy: v.optional(described(v.array(text('expected a directory path'), 'expected a list of directories'), 'taxonomy directories whose skills are added'), []),
      batchSize: v.optional(described(wholeNumber(1), 'postings per database transaction'), DEFAULT_BATCH_SIZE),
      http: v.optional(
        mapping(
          {
            concurrency: v.optional(described(wholeNumber(1), 'requests in flight at once, over all hosts (default 8)')),
            perHost: v.optional(described(wholeNumber(1), 'requests in flight at once to one host (default 2)')),
            intervalMs: v.optional(described(wholeNumber(0), 'least time between the starts of two requests to one host')),
            ignoreRobots: v.optional(described(flag, 'fetch what robots.txt disallows'), false),
            allowPrivateHosts: v.optional(described(flag, 'let requests reach private and loopback addresses, for a self-hosted board'), false),
            maxPages: v.optional(described(wholeNumber(1), 'pages read of one paged listing, Lever or SmartRecruiters (default 100)')),
            maxThreadItems: v.optional(described(wholeNumber(1), 'comments fetched of one Hacker News thread per run (default 1000)')),
            maxRequests: v.optional(described(wholeNumber(1), 'HTTP requests one source may send per run, tries and redirects counted (default 10000)')),
          },
          'expected a mapping',
        ),
        {},
      ),
      baseUrls: v.optional(described(baseUrls, "base URLs of the sources' APIs, for a proxy or a mirror"), {}),
      keepTextDays: v.optional(described(wholeNumber(1, 36_500), 'clear the text of postings unseen for this many days (their skills stay)')),
      queue: v.optional(
        described(
          mapping(
            {
              url: v.optional(described(redisUrl, 'the Redis of the BullMQ queue, redis://host:port; SKILLPULSE_QUEUE_URL overrides it')),
              prefix: v.optional(described(queuePrefix, 'the key prefix of the queue in Redis, one per deployment; SKILLPULSE_QUEUE_PREFIX overrides it'), 'skillpulse'),
              batch: v.optional(described(wholeNumber(1, 100_000), 'postings per extract job'), 200),
              attempts: v.optional(described(wholeNumber(1, 1000), 'tries per job, the first included, before it is failed (queue retry-failed brings it back)'), 5),
              backoffMs: v.optional(described(wholeNumber(0), 'wait before the first retry of a job, doubled each time'), 5000),
            },
            'expected a mapping',
          ),
          'distributed runs: enqueue, schedule and worker (a BullMQ queue on Redis)',
        ),
        {},
      ),
    },
    'expected a mapping with db, sources and reports',
  ),
  v.title('skillpulse run configuration'),
);

type ConfigFile = v.InferOutput<typeof CONFIG_FILE_SCHEMA>;

/**
 * Parses and validates a run configuration (YAML or JSON: JSON is YAML). Pure: `dir` is the
 * config file's folder, against which relative paths resolve. Every problem names its key.
 */
export function parseConfig(text: string, dir: string, file?: string): ConfigResult {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { ok: false, problems: [{ key: '(file)', message: `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}` }] };
  }
  const parsed = v.safeParse(CONFIG_FILE_SCHEMA, doc);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.issues) };
  const value = resolveConfig(parsed.output, dir, createHash('sha256').update(text).digest('hex').slice(0, 12));
  const clashes = reportPathProblems(value, file);
  return clashes.length ? { ok: false, problems: clashes } : { ok: true, value };
}

/** Reports that would be written over the database, its journals or lock, or the config `file` itself. */
function reportPathProblems(config: RunConfig, file: string | undefined): ConfigProblem[] {
  const kept: [string, string][] = [
    ...(storeFiles(config.db).map((f): [string, string] => [f, `a file of the database ${config.db}`])),
    ...(file === undefined ? [] : [[file, 'the config file itself'] as [string, string]]),
  ];
  return config.reports.flatMap((r, k) => {
    const clash = kept.find(([f]) => outMatches(r.out, f));
    return clash ? [{ key: `reports[${k}].out`, message: `${r.out} is ${clash[1]}: a report there would destroy it` }] : [];
  });
}

/** Whether a report's `out` (where {date} is any date) names `file`. */
function outMatches(out: string, file: string): boolean {
  const pattern = resolvePath(out)
    .split('{date}')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\d{4}-\\d{2}-\\d{2}');
  return new RegExp(`^${pattern}$`).test(resolvePath(file));
}

/** One problem per key and message (a number can fail as a fraction and as too small at once). */
function problemsOf(issues: readonly v.BaseIssue<unknown>[]): ConfigProblem[] {
  const problems = new Map<string, ConfigProblem>();
  for (const issue of issues) {
    const key = keyOf(issue);
    problems.set(`${key}\0${issue.message}`, { key, message: issue.message });
  }
  return [...problems.values()];
}

/** `reports[0].kind`, `baseUrls.greenhouse`; `(file)` for the document itself. */
function keyOf(issue: v.BaseIssue<unknown>): string {
  let key = '';
  for (const { key: k } of issue.path ?? []) key += typeof k === 'number' ? `[${k}]` : `${key ? '.' : ''}${String(k)}`;
  return key || '(file)';
}

/** The config as the run uses it: paths resolved against the config file's folder. */
function resolveConfig(file: ConfigFile, dir: string, hash: string): RunConfig {
  const resolve = (p: string) => (isAbsolute(p) ? p : join(dir, p));
  const { db, sources, reports, taxonomy, addTaxonomy, baseUrls, ...rest } = file;
  return {
    ...rest,
    // A postgres:// URL is no path to resolve.
    db: db === ':memory:' || isPostgresUrl(db) ? db : resolve(db),
    sources: sources.map((s) => (s.startsWith('path:') ? `path:${resolve(s.slice(5))}` : s)),
    reports: reports.map((r) => ({ ...r, out: resolve(r.out) })),
    ...(taxonomy !== undefined && { taxonomy: resolve(taxonomy) }),
    addTaxonomy: addTaxonomy.map(resolve),
    // A source left out is absent, never undefined.
    baseUrls: baseUrls as Record<string, string>,
    hash,
  };
}

/**
 * The JSON Schema of the config file for editors, as committed in schema/config.schema.json
 * (scripts/config-schema.mjs writes it). What JSON Schema cannot state (which sources exist;
 * `skill` for kind skill has its own `if`/`then`) is left to `skillpulse config check`.
 */
export function renderConfigJsonSchema(): string {
  const { $schema, ...schema } = toJsonSchema(CONFIG_FILE_SCHEMA, { typeMode: 'output', ignoreActions: ['check', 'partial_check'] });
  return `${JSON.stringify({ $schema, ...schema }, null, 2)}\n`;
}

/** The commented example config `skillpulse init` writes. */
export const EXAMPLE_CONFIG = `# skillpulse run configuration: \`skillpulse run --config skillpulse.yaml\` does a whole batch.
# Relative paths are relative to this file. Check it with \`skillpulse config check skillpulse.yaml\`.

# The SQLite database (created if missing).
db: data/postings.sqlite

# Put a URL or email of yours here: it goes into the User-Agent so site owners can reach you.
contact: https://example.org/about-me

# Where postings come from: the same syntax as \`skillpulse fetch\`, plus path:<file or dir>.
sources:
  - path:postings/                   # local files: .txt .md .html .json .jsonl .csv
  # - greenhouse:<board>
  # - lever:<company>
  # - ashby:<org>
  # - smartrecruiters:<company>
  # - workable:<account>
  # - url:https://example.org/jobs/123
  # - feed:https://example.org/jobs.rss
  # - hn:whoishiring

# What to write after each run. kind: summary | trends | skill | cooccurrence | salary | emerging;
# format: table | md | csv | json | html; {date} in out becomes the run's date (quote such values).
reports:
  - { kind: summary, format: md, out: "reports/summary-{date}.md", period: month }
  - { kind: trends, format: html, out: "reports/trends-{date}.html", period: quarter }
  # - { kind: skill, skill: kubernetes, format: json, out: reports/kubernetes.json }
  # - { kind: trends, format: csv, out: reports/remote.csv, filters: { remote: true, since: "2026-01-01" } }

# Optional:
# taxonomy: my-taxonomy/             # replaces the shipped taxonomy
# addTaxonomy: [my-skills/]          # adds skills to it
# batchSize: 1000                    # postings per database transaction
# http: { concurrency: 8, perHost: 2, intervalMs: 250, ignoreRobots: false, allowPrivateHosts: false,
#         maxPages: 100, maxThreadItems: 1000, maxRequests: 10000 }
# baseUrls: { greenhouse: https://proxy.example.org/greenhouse }
# keepTextDays: 365                  # clear the text of postings unseen for a year (their skills stay)
# queue: { url: "redis://127.0.0.1:6379", prefix: skillpulse, batch: 200, attempts: 5, backoffMs: 5000 }
#                                    # for skillpulse enqueue, schedule and worker (see README: Scaling out)
`;
