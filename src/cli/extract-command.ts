import { extractPosting } from '../extract/extract.js';
import { type ExtractionRecord, extractionRecord } from '../extract/record.js';
import { normalizePosting } from '../normalize/posting.js';
import { readPostingFiles } from '../sources/files.js';
import { oneOf, parseCommandArgs, TAXONOMY_OPTIONS } from './args.js';
import { type CliIO, EXIT, printProblems, UsageError } from './io.js';
import { compiledTaxonomyOption } from './taxonomy-option.js';

export async function runExtract(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' }, explain: { type: 'boolean' }, ...TAXONOMY_OPTIONS });
  if (positionals.length === 0) throw new UsageError('give at least one file, directory or - for standard input');
  const format = oneOf(values.format, ['json', 'table'] as const, '--format', 'table');
  const compiled = compiledTaxonomyOption(values, io.env);
  const results: ExtractionRecord[] = [];
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
      results.push(extractionRecord(posting, x));
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
}
