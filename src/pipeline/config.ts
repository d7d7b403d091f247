import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPORT_KINDS, type ReportKind } from '../report/kinds-list.js';
import { PERIOD_KINDS, type PeriodKind } from '../report/periods.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/render.js';
import { parseSourceSpec } from '../sources/adapters.js';
import type { ReportFilters } from '../store/queries.js';

/** One report a run writes. */
export interface ReportSpec {
  kind: ReportKind;
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
  http: { concurrency?: number; perHost?: number; intervalMs?: number; ignoreRobots: boolean };
  baseUrls: Record<string, string>;
  /** Clear the stored text of postings not seen for this many days (their skills stay). */
  keepTextDays?: number;
  /** sha256 of the config text, recorded with the run. */
  hash: string;
}

export interface ConfigProblem {
  key: string;
  message: string;
}

export type ConfigResult = { ok: true; value: RunConfig } | { ok: false; problems: ConfigProblem[] };

const TOP_KEYS = ['db', 'sources', 'reports', 'contact', 'taxonomy', 'addTaxonomy', 'batchSize', 'http', 'baseUrls', 'keepTextDays'];
const REPORT_KEYS = ['kind', 'format', 'out', 'period', 'top', 'skill', 'filters'];
const FILTER_KEYS = ['since', 'until', 'source', 'company', 'location', 'remote', 'category', 'skill', 'requirement'];
const HTTP_KEYS = ['concurrency', 'perHost', 'intervalMs', 'ignoreRobots'];

/**
 * Parses and validates a run configuration (YAML or JSON: JSON is YAML). Pure: `dir` is the
 * config file's folder, against which relative paths resolve. Every problem names its key.
 */
export function parseConfig(text: string, dir: string): ConfigResult {
  const problems: ConfigProblem[] = [];
  const bad = (key: string, message: string) => problems.push({ key, message });
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    return { ok: false, problems: [{ key: '(file)', message: `not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}` }] };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, problems: [{ key: '(file)', message: 'expected a mapping with db, sources and reports' }] };
  const c = doc as Record<string, unknown>;
  for (const k of Object.keys(c)) if (!TOP_KEYS.includes(k)) bad(k, `unknown key (known: ${TOP_KEYS.join(', ')})`);
  const resolve = (p: string) => (isAbsolute(p) ? p : join(dir, p));
  const str = (key: string, v: unknown, required = false): string | undefined => {
    if (v === undefined || v === null) {
      if (required) bad(key, 'required');
      return undefined;
    }
    if (typeof v !== 'string' || v.trim() === '') {
      bad(key, 'expected a non-empty string');
      return undefined;
    }
    return v;
  };
  const int = (key: string, v: unknown, min: number): number | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      bad(key, `expected a whole number of at least ${min}`);
      return undefined;
    }
    return v;
  };

  const db = str('db', c.db, true);
  const sources: string[] = [];
  if (!Array.isArray(c.sources) || c.sources.length === 0) bad('sources', 'required: a list of sources (greenhouse:<board>, lever:<company>, ..., path:<file or dir>)');
  else
    for (const [k, s] of c.sources.entries()) {
      const key = `sources[${k}]`;
      if (typeof s !== 'string') {
        bad(key, 'expected a source string like greenhouse:acme or path:postings/');
      } else if (s.startsWith('path:')) {
        if (s.length === 5) bad(key, 'path: needs a file or directory');
        else sources.push(`path:${resolve(s.slice(5))}`);
      } else {
        const parsed = parseSourceSpec(s);
        if ('error' in parsed) bad(key, parsed.error);
        else sources.push(s);
      }
    }

  const reports: ReportSpec[] = [];
  if (c.reports !== undefined && !Array.isArray(c.reports)) bad('reports', 'expected a list of { kind, format, out }');
  for (const [k, r] of (Array.isArray(c.reports) ? c.reports : []).entries()) {
    const key = `reports[${k}]`;
    if (!r || typeof r !== 'object' || Array.isArray(r)) {
      bad(key, 'expected a mapping { kind, format, out }');
      continue;
    }
    const o = r as Record<string, unknown>;
    for (const x of Object.keys(o)) if (!REPORT_KEYS.includes(x)) bad(`${key}.${x}`, `unknown key (known: ${REPORT_KEYS.join(', ')})`);
    const kind = (o.kind ?? 'summary') as ReportKind;
    if (!REPORT_KINDS.includes(kind)) bad(`${key}.kind`, `expected one of ${REPORT_KINDS.join(', ')}`);
    const format = (o.format ?? 'md') as ReportFormat;
    if (!REPORT_FORMATS.includes(format)) bad(`${key}.format`, `expected one of ${REPORT_FORMATS.join(', ')}`);
    const period = (o.period ?? 'month') as PeriodKind;
    if (!PERIOD_KINDS.includes(period)) bad(`${key}.period`, `expected one of ${PERIOD_KINDS.join(', ')}`);
    const out = str(`${key}.out`, o.out, true);
    const top = int(`${key}.top`, o.top, 1);
    const skill = str(`${key}.skill`, o.skill);
    if (kind === 'skill' && !skill) bad(`${key}.skill`, 'required for kind skill');
    const filters: ReportFilters = {};
    if (o.filters !== undefined) {
      if (!o.filters || typeof o.filters !== 'object' || Array.isArray(o.filters)) bad(`${key}.filters`, 'expected a mapping');
      else
        for (const [fk, fv] of Object.entries(o.filters as Record<string, unknown>)) {
          if (!FILTER_KEYS.includes(fk)) bad(`${key}.filters.${fk}`, `unknown filter (known: ${FILTER_KEYS.join(', ')})`);
          else if (fk === 'remote') typeof fv === 'boolean' ? (filters.remote = fv) : bad(`${key}.filters.remote`, 'expected true or false');
          else if (typeof fv !== 'string') bad(`${key}.filters.${fk}`, 'expected a string');
          else (filters as Record<string, unknown>)[fk] = fv;
        }
    }
    if (out) reports.push({ kind, format, out: resolve(out), period, ...(top !== undefined && { top }), ...(skill !== undefined && { skill }), filters });
  }

  const http = { ignoreRobots: false } as RunConfig['http'];
  if (c.http !== undefined) {
    if (!c.http || typeof c.http !== 'object' || Array.isArray(c.http)) bad('http', 'expected a mapping');
    else {
      const h = c.http as Record<string, unknown>;
      for (const x of Object.keys(h)) if (!HTTP_KEYS.includes(x)) bad(`http.${x}`, `unknown key (known: ${HTTP_KEYS.join(', ')})`);
      const concurrency = int('http.concurrency', h.concurrency, 1);
      const perHost = int('http.perHost', h.perHost, 1);
      const intervalMs = int('http.intervalMs', h.intervalMs, 0);
      if (concurrency !== undefined) http.concurrency = concurrency;
      if (perHost !== undefined) http.perHost = perHost;
      if (intervalMs !== undefined) http.intervalMs = intervalMs;
      if (h.ignoreRobots !== undefined) typeof h.ignoreRobots === 'boolean' ? (http.ignoreRobots = h.ignoreRobots) : bad('http.ignoreRobots', 'expected true or false');
    }
  }
  const baseUrls: Record<string, string> = {};
  if (c.baseUrls !== undefined) {
    if (!c.baseUrls || typeof c.baseUrls !== 'object' || Array.isArray(c.baseUrls)) bad('baseUrls', 'expected a mapping of source name to URL');
    else for (const [k, v] of Object.entries(c.baseUrls as Record<string, unknown>)) {
      const u = str(`baseUrls.${k}`, v);
      if (u && !/^https?:\/\//.test(u)) bad(`baseUrls.${k}`, 'expected an http(s) URL');
      else if (u) baseUrls[k] = u;
    }
  }
  const addTaxonomy: string[] = [];
  if (c.addTaxonomy !== undefined) {
    if (!Array.isArray(c.addTaxonomy)) bad('addTaxonomy', 'expected a list of directories');
    else
      for (const [k, d] of c.addTaxonomy.entries()) {
        if (typeof d === 'string' && d) addTaxonomy.push(resolve(d));
        else bad(`addTaxonomy[${k}]`, 'expected a directory path');
      }
  }
  const contact = str('contact', c.contact);
  const taxonomy = str('taxonomy', c.taxonomy);
  const batchSize = int('batchSize', c.batchSize, 1) ?? 500;
  const keepTextDays = int('keepTextDays', c.keepTextDays, 1);
  if (problems.length > 0 || !db) return { ok: false, problems };
  return {
    ok: true,
    value: {
      db: db === ':memory:' ? db : resolve(db),
      sources,
      reports,
      ...(contact !== undefined && { contact }),
      ...(taxonomy !== undefined && { taxonomy: resolve(taxonomy) }),
      addTaxonomy,
      batchSize,
      http,
      baseUrls,
      ...(keepTextDays !== undefined && { keepTextDays }),
      hash: createHash('sha256').update(text).digest('hex').slice(0, 12),
    },
  };
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
# batchSize: 500                     # postings per database transaction
# http: { concurrency: 8, perHost: 2, intervalMs: 250, ignoreRobots: false }
# baseUrls: { greenhouse: https://proxy.example.org/greenhouse }
# keepTextDays: 365                  # clear the text of postings unseen for a year (their skills stay)
`;
