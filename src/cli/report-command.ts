import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildReport } from '../pipeline/report.js';
import { REPORT_KINDS } from '../report/kinds-list.js';
import { PERIOD_KINDS, type PeriodKind } from '../report/periods.js';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../report/render.js';
import { loadTaxonomy } from '../sources/taxonomy-files.js';
import { openDatabase } from '../store/db.js';
import type { ReportFilters } from '../store/queries.js';
import { compileTaxonomy } from '../taxonomy/compile.js';
import { type Command, oneOf, parseCommandArgs, positiveInt } from './args.js';
import { type CliIO, EXIT, UsageError } from './io.js';


const DATE = /^\d{4}-\d{2}(?:-\d{2})?$/;

export const reportCommand: Command = {
  name: 'report',
  summary: 'skill demand and its trends from the database, as a table, Markdown, CSV, JSON or an HTML page',
  usage: 'skillpulse report --db <path> [--kind summary|trends|skill <id>|cooccurrence|salary|emerging] [--period week|month|quarter|year] [--format table|md|csv|json|html] [--out <file>] [filters]',
  options: [
    '--db <path>            SQLite database written by analyze or fetch',
    '--kind <k>             summary (default), trends, skill <id>, cooccurrence, salary, emerging',
    '--period <p>           week, month (default), quarter or year',
    '--format <f>           table (default), md, csv, json or html',
    '--out <file>           write to a file instead of standard output; {date} becomes today',
    '--top <N>              at most N skills or pairs (default 25; 0 = all)',
    '--min-support <N>      postings a change or pair needs before it is listed (default 10 for changes, 5 for pairs)',
    'filters: --since <date> --until <date> --source <s> --company <c> --location <l> --remote yes|no',
    '         --category <c> --skill <id> --requirement required|preferred|any',
  ],
  async run(args, io: CliIO) {
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
    });
    if (!values.db) throw new UsageError('--db <path> is required');
    const kind = oneOf(values.kind, REPORT_KINDS, '--kind', 'summary');
    const skillArg = kind === 'skill' ? positionals.shift() : undefined;
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
    };
    const top = values.top === '0' ? undefined : (positiveInt(values.top, '--top') ?? 25);
    const minSupport = positiveInt(values['min-support'], '--min-support');
    const db = openDatabase(values.db, { mustExist: true });
    try {
      const model = buildReport(db, {
        kind,
        period,
        filters,
        ...(top !== undefined && { top }),
        ...(minSupport !== undefined && { minSupport }),
        ...((skillArg ?? values.skill) !== undefined && { skill: skillArg ?? values.skill }),
      }, () => compileTaxonomy(loadTaxonomy()));
      const color = format === 'table' && !values.out && io.stdout.isTTY === true && !io.env.NO_COLOR;
      const text = renderReport(model, format, { color });
      if (values.out) {
        const path = values.out.replace(/\{date\}/g, new Date().toISOString().slice(0, 10));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
        io.stderr.write(`skillpulse: wrote ${path}\n`);
      } else {
        io.stdout.write(text);
      }
      return EXIT.ok;
    } finally {
      db.close();
    }
  },
};
