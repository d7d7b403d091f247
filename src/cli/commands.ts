import { extractPosting } from '../extract/extract.js';
import { normalizePosting } from '../normalize/posting.js';
import { analyzeItems } from '../pipeline/analyze.js';
import { readPostingFiles } from '../sources/files.js';
import { openDatabase } from '../store/db.js';
import { compileTaxonomy } from '../taxonomy/compile.js';
import type { SkillHit } from '../types.js';
import { type Command, loadTaxonomyOption, oneOf, parallelOption, parseCommandArgs, TAXONOMY_HELP, TAXONOMY_OPTIONS, THREADS_HELP } from './args.js';
import { evalCommand } from './eval-command.js';
import { fetchCommand } from './fetch-command.js';
import { OPS_COMMANDS } from './ops-commands.js';
import { reportCommand } from './report-command.js';
import { type CliIO, EXIT, UsageError } from './io.js';
import { taxonomyCommand } from './taxonomy-command.js';


function printProblems(io: CliIO, failures: { input: string; reason: string }[], warnings: { input: string; reason: string }[] = []): void {
  for (const w of warnings) io.stderr.write(`skillpulse: warning: ${w.input}: ${w.reason}\n`);
  for (const f of failures) io.stderr.write(`skillpulse: ${f.input}: ${f.reason}\n`);
}

const extract: Command = {
  name: 'extract',
  summary: 'print the skills each posting names (no database)',
  usage: 'skillpulse extract <file|dir|->... [--format json|table] [--explain] [--taxonomy <dir>] [--add-taxonomy <dir>]',
  options: [
    '--format json|table     output format (default: table)',
    '--explain              also list every candidate mention: counted or set aside, and why',
    ...TAXONOMY_HELP,
  ],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' }, explain: { type: 'boolean' }, ...TAXONOMY_OPTIONS });
    if (positionals.length === 0) throw new UsageError('give at least one file, directory or - for standard input');
    const format = oneOf(values.format, ['json', 'table'] as const, '--format', 'table');
    const compiled = compileTaxonomy(loadTaxonomyOption(values));
    const results: object[] = [];
    const failures: { input: string; reason: string }[] = [];
    const warnings: { input: string; reason: string }[] = [];
    for await (const item of readPostingFiles(positionals, { readStdin: io.readStdin })) {
      if (!item.ok) {
        failures.push(item);
        continue;
      }
      for (const w of item.warnings) warnings.push({ input: item.raw.origin, reason: w });
      const posting = normalizePosting(item.raw);
      const x = extractPosting(posting, compiled, { explain: values.explain === true });
      if (format === 'json') {
        results.push({
          source: posting.origin,
          id: posting.id,
          title: posting.title ?? null,
          company: posting.company ?? null,
          postedAt: posting.postedAt ?? null,
          degree: x.degree ?? null,
          minYears: x.minYears ?? null,
          seniority: x.seniority ?? null,
          skills: x.skills.map(skillJson),
          taxonomyVersion: x.taxonomyVersion,
          ...(x.explain && { explain: x.explain }),
        });
      } else {
        io.stdout.write(`${posting.origin}${posting.title ? ` — ${posting.title}` : ''}: ${x.skills.length} skill${x.skills.length === 1 ? '' : 's'}\n`);
        for (const s of x.skills) {
          const where = s.mentions.map((m) => `${m.start}-${m.end}`).join(', ');
          io.stdout.write(`  ${s.name.padEnd(28)} ${s.category.padEnd(20)} ${s.requirement.padEnd(11)} @ ${where}\n`);
        }
        if (x.explain) {
          io.stdout.write(`  every candidate mention (${x.explain.length}; + counted, - set aside):\n`);
          for (const e of x.explain) {
            const why = e.counted ? `${e.reason}, ${e.requirement}${e.negated ? ', negated' : ''}` : e.reason;
            io.stdout.write(`    ${e.counted ? '+' : '-'} ${e.name} [${why}] ${JSON.stringify(e.text)} @ ${e.start}-${e.end} in ${e.section}\n`);
          }
        }
      }
    }
    if (format === 'json') io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    printProblems(io, failures, warnings);
    return failures.length > 0 ? EXIT.itemsFailed : EXIT.ok;
  },
};

function skillJson(s: SkillHit) {
  return {
    id: s.id,
    name: s.name,
    category: s.category,
    requirement: s.requirement,
    years: s.years ?? null,
    negated: s.negated,
    confidence: s.confidence,
    mentions: s.mentions.map((m) => ({ start: m.start, end: m.end, text: m.text, section: m.section })),
  };
}

const analyze: Command = {
  name: 'analyze',
  summary: 'read postings from files into the database, with their skills',
  usage: 'skillpulse analyze <file|dir|->... --db <path> [--threads N] [--taxonomy <dir>] [--add-taxonomy <dir>]',
  options: ['--db <path>            SQLite database file (created if missing)', THREADS_HELP, ...TAXONOMY_HELP],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' }, threads: { type: 'string' }, ...TAXONOMY_OPTIONS });
    if (!values.db) throw new UsageError('--db <path> is required');
    if (positionals.length === 0) throw new UsageError('give at least one file, directory or - for standard input');
    const parallel = parallelOption(values);
    const compiled = compileTaxonomy(loadTaxonomyOption(values));
    const db = openDatabase(values.db);
    try {
      const summary = await analyzeItems(readPostingFiles(positionals, { readStdin: io.readStdin }), db, compiled, {
        command: `analyze ${positionals.join(' ')}`,
        ...(io.signal && { signal: io.signal }),
        ...(parallel && { parallel }),
      });
      printProblems(io, summary.failures, summary.warnings);
      io.stderr.write(
        `skillpulse: analyzed into ${values.db}: ${summary.new} new, ${summary.changed} changed, ${summary.unchanged} unchanged, ` +
          `${summary.failed} failed; ${summary.mentions} mentions; ${(summary.durationMs / 1000).toFixed(1)} s\n`,
      );
      return summary.failed > 0 ? EXIT.itemsFailed : EXIT.ok;
    } finally {
      db.close();
    }
  },
};

export const COMMANDS: Command[] = [extract, analyze, fetchCommand, reportCommand, ...OPS_COMMANDS, taxonomyCommand, evalCommand];
