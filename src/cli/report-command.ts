import { extname } from 'node:path';
import { InvalidParameterError, StopBeforeWorkError } from '../errors.js';
import { buildReport, reportKinds } from '../pipeline/report.js';
import { checkReportFilters, cliName, parseReportQuery, resolveSkill } from '../pipeline/report-query.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../report/render.js';
import { writeFileAtomically } from '../atomic-write.js';
import { isStoreFile, openStore } from '../store/open.js';
import { oneOf, parseCommandArgs } from './args.js';
import { compiledTaxonomyOption } from './taxonomy-option.js';
import { type CliIO, describeWriteError, EXIT, outputWidth, UsageError } from './io.js';
import { dbOption } from './store-option.js';

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
  const { period, filters, top, minSupport } = usage(() =>
    parseReportQuery({ ...values, kind, minSupport: values['min-support'] }, cliName),
  );
  const store = await openStore(db, { readonly: true });
  try {
    const taxonomy = () => compiledTaxonomyOption({}, io.env);
    const skills = await store.readSkills();
    await usage(() => checkReportFilters(store, skills, filters, taxonomy, cliName));
    const skill = skillArg === undefined ? filters.skill : usage(() => resolveSkill(skills, skillArg, taxonomy, `--kind ${kind}`));
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

/** Runs `f`, turning a bad parameter into a usage error (the message names the option, and the usage line follows). */
function usage<T>(f: () => T): T {
  const rethrow = (err: unknown): never => {
    throw err instanceof InvalidParameterError ? new UsageError(err.message) : err;
  };
  try {
    const r = f();
    return (r instanceof Promise ? r.catch(rethrow) : r) as T;
  } catch (err) {
    return rethrow(err);
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
