import { StopBeforeWorkError } from '../errors.js';
import { buildReport, reportKinds } from '../pipeline/report.js';
import { PERIOD_KINDS, type PeriodKind } from '../periods.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../report/render.js';
import { isDatabaseFile, openDatabase } from '../store/db.js';
import { writeFileAtomically } from '../store/maintenance.js';
import type { ReportFilters } from '../store/queries.js';
import { oneOf, parseCommandArgs, positiveInt } from './args.js';
import { compiledTaxonomyOption } from './taxonomy-option.js';
import { type CliIO, EXIT, outputWidth, UsageError } from './io.js';

const DATE = /^\d{4}-\d{2}(?:-\d{2})?$/;

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
  if (!values.db) throw new UsageError('--db <path> is required');
  const kind = oneOf(values.kind, reportKinds().map((k) => k.name), '--kind', 'summary');
  const skillArg = reportKinds().find((k) => k.name === kind)?.takesSkill ? positionals.shift() : undefined;
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format: ReportFormat = oneOf(values.format, REPORT_FORMATS, '--format', 'table');
  const period: PeriodKind = oneOf(values.period, PERIOD_KINDS, '--period', 'month');
  for (const [name, v] of [['--since', values.since], ['--until', values.until]] as const) {
    if (v !== undefined && !DATE.test(v)) throw new UsageError(`${name} must be a date like 2026-03-01 or 2026-03 (got "${v}")`);
  }
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
  const out = values.out?.replace(/\{date\}/g, new Date().toISOString().slice(0, 10));
  if (out !== undefined && isDatabaseFile(out, values.db)) throw new UsageError(`--out ${out} is a file of the database ${values.db}: a report there would destroy it`);
  const db = openDatabase(values.db, { readonly: true });
  try {
    const model = buildReport(db, {
      kind,
      period,
      filters,
      ...(top !== undefined && { top }),
      ...(minSupport !== undefined && { minSupport }),
      ...((skillArg ?? values.skill) !== undefined && { skill: skillArg ?? values.skill }),
    }, () => compiledTaxonomyOption({}, io.env));
    const color = format === 'table' && out === undefined && io.stdout.isTTY === true && !io.env.NO_COLOR;
    // A table for the terminal fits its width; a file written with --out keeps every column whole.
    const width = format === 'table' && out === undefined ? outputWidth(io) : undefined;
    const text = renderReport(model, format, { color, ...(width !== undefined && { width }) });
    if (out !== undefined) {
      writeReport(out, text);
      io.stderr.write(`skillpulse: wrote ${out}\n`);
    } else {
      io.stdout.write(text);
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}

/** Writes a report whole or not at all: a failed write leaves the report that was there. */
function writeReport(path: string, text: string): void {
  try {
    writeFileAtomically(path, text);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new StopBeforeWorkError(`cannot write the report ${path} (${why}); a report there before is left as it was`, { cause: err });
  }
}
