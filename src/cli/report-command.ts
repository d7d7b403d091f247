import { extname } from 'node:path';
import { StopBeforeWorkError } from '../errors.js';
import { buildReport, reportKinds } from '../pipeline/report.js';
import { PERIOD_KINDS, type PeriodKind } from '../periods.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../report/render.js';
import { writeFileAtomically } from '../atomic-write.js';
import { isStoreFile, openStore } from '../store/open.js';
import type { ReportFilters, Store } from '../store/store.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { SkillMeta } from '../types.js';
import { findSkill } from './taxonomy-command.js';
import { oneOf, parseCommandArgs, positiveInt } from './args.js';
import { compiledTaxonomyOption } from './taxonomy-option.js';
import { type CliIO, describeWriteError, EXIT, outputWidth, UsageError } from './io.js';
import { dbOption } from './store-option.js';

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** 2026-03 or 2026-03-01, a day that exists (2026-02-30 does not). */
function isCalendarDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * The filters checked against the database (issue 15: an unknown --category or --source gave an
 * empty report): each unknown value is a usage error naming the choices. --skill resolves aliases.
 */
async function checkFilters(store: Store, skills: SkillMeta[], filters: ReportFilters, taxonomy: () => CompiledTaxonomy): Promise<void> {
  if (filters.category !== undefined) {
    const categories = [...new Set(skills.map((s) => s.category))].sort();
    if (!categories.includes(filters.category)) throw new UsageError(`--category "${filters.category}" is not a category here; one of: ${categories.join(', ') || '(none: the database is empty)'}`);
  }
  if (filters.source !== undefined) {
    const stored = await store.readSources();
    const choices = [...new Set([...stored, ...stored.map((s) => s.split(':')[0] as string)])].sort();
    if (!choices.includes(filters.source)) throw new UsageError(`--source "${filters.source}" names no source of this database; one of: ${choices.join(', ') || '(none: the database is empty)'}`);
  }
  if (filters.skill !== undefined) filters.skill = resolveSkill(skills, filters.skill, taxonomy, '--skill');
}

/** A skill id, alias or name (as `taxonomy show` takes them) -> the id stored in the database; a usage error naming close ids when there is none. */
function resolveSkill(skills: SkillMeta[], query: string, taxonomy: () => CompiledTaxonomy, option: string): string {
  if (skills.some((s) => s.id === query)) return query;
  const found = findSkill(taxonomy().taxonomy, query);
  if (found && skills.some((s) => s.id === found.id)) return found.id;
  const q = query.toLowerCase();
  const close = skills.filter((s) => s.id.includes(q) || s.name.toLowerCase().includes(q)).slice(0, 10).map((s) => s.id);
  throw new UsageError(
    `${option}: no skill "${query}" in this database${close.length ? `; did you mean: ${close.join(', ')}` : ''} (skillpulse taxonomy list shows every id, skillpulse taxonomy show <alias> finds one)`,
  );
}

export async function runReport(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    db: { type: 'string' },
    kind: { type: 'string' },
    period: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    top: { type: 'string' },
    'min-support': { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    source: { type: 'string' },
    company: { type: 'string' },
    location: { type: 'string' },
    remote: { type: 'string' },
    category: { type: 'string' },
    skill: { type: 'string' },
    requirement: { type: 'string' },
    unique: { type: 'boolean' },
  });
  const db = dbOption(values.db, io.env);
  const kind = oneOf(values.kind, reportKinds().map((k) => k.name), '--kind', 'summary');
  const skillArg = reportKinds().find((k) => k.name === kind)?.takesSkill ? positionals.shift() : undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const out = values.out?.replace(/\{date\}/g, new Date().toISOString().slice(0, 10));
  if (out !== undefined && isStoreFile(out, db)) throw new UsageError(`--out ${out} is a file of the database ${db}: a report there would destroy it`);
  const format: ReportFormat = values.format === undefined && out !== undefined ? formatOfPath(out) : oneOf(values.format, REPORT_FORMATS, '--format', 'table');
  const period: PeriodKind = oneOf(values.period, PERIOD_KINDS, '--period', 'month');
  for (const [name, v] of [['--since', values.since], ['--until', values.until]] as const) {
    if (v !== undefined && !isCalendarDate(v)) throw new UsageError(`${name} must be a date like 2026-03-01 or 2026-03 (got "${v}")`);
  }
  if (values.since && values.until && values.since > values.until) throw new UsageError(`--since ${values.since} is after --until ${values.until}`);
  const remote = values.remote === undefined ? undefined : oneOf(values.remote, ['yes', 'no'] as const, '--remote', 'yes') === 'yes';
  const filters: ReportFilters = {
    ...(values.since && { since: values.since.length === 7 ? `${values.since}-01` : values.since }),
    ...(values.until && { until: values.until.length === 7 ? `${values.until}-31` : values.until }),
    ...(values.source && { source: values.source }),
    ...(values.company && { company: values.company }),
    ...(values.location && { location: values.location }),
    ...(remote !== undefined && { remote }),
    ...(values.category && { category: values.category }),
    ...(values.skill && { skill: values.skill }),
    ...(values.requirement && { requirement: oneOf(values.requirement, ['required', 'preferred', 'any'] as const, '--requirement', 'any') }),
    ...(values.unique && { unique: true }),
  };
  const top = values.top === '0' ? undefined : (positiveInt(values.top, '--top') ?? 25);
  const minSupport = positiveInt(values['min-support'], '--min-support');
  const store = await openStore(db, { readonly: true });
  try {
    const taxonomy = () => compiledTaxonomyOption({}, io.env);
    const skills = await store.readSkills();
    await checkFilters(store, skills, filters, taxonomy);
    const skill = skillArg === undefined ? filters.skill : resolveSkill(skills, skillArg, taxonomy, `--kind ${kind}`);
    const model = await buildReport(store, {
      kind,
      period,
      filters,
      ...(top !== undefined && { top }),
      ...(minSupport !== undefined && { minSupport }),
      ...(skill !== undefined && { skill }),
    }, taxonomy);
    const color = format === 'table' && out === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
    // A table for the terminal fits its width; a file written with --out keeps every column whole.
    const width = format === 'table' && out === undefined ? outputWidth(io) : undefined;
    const text = renderReport(model, format, { color, ...(width !== undefined && { width }) });
    if (out !== undefined) {
      await writeReport(out, text);
      io.stderr.write(`skillpulse: wrote ${out}\n`);
    } else {
      io.stdout.write(text);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** Writes a report whole or not at all: a failed write leaves the report that was there. */
async function writeReport(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomically(path, text);
  } catch (err) {
    throw new StopBeforeWorkError(`cannot write the report ${path}: ${describeWriteError(err)}; a report there before is left as it was`, { cause: err });
  }
}

const FORMAT_OF_EXTENSION: Record<string, ReportFormat> = { '.html': 'html', '.htm': 'html', '.md': 'md', '.markdown': 'md', '.csv': 'csv', '.json': 'json', '.txt': 'table', '': 'table' };

/** The format an --out file's extension asks for, when --format does not say (issue 15: x.html held a text table). */
export function formatOfPath(path: string): ReportFormat {
  const ext = extname(path).toLowerCase();
  const format = FORMAT_OF_EXTENSION[ext];
  if (format === undefined) throw new UsageError(`cannot tell the format of --out ${path} from "${ext}": give --format (${REPORT_FORMATS.join(', ')}) or end the name in .html, .md, .csv, .json or .txt`);
  return format;
}
