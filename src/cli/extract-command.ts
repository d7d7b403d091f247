import { extractPosting } from '../extract/extract.js';
import { type ExtractionRecord, extractionRecord } from '../extract/record.js';
import { limitsFromEnv } from '../normalize/limits.js';
import { normalizePosting } from '../normalize/posting.js';
import { terminalText } from '../report/model.js';
import { readPostingFiles, screenItem } from '../sources/files.js';
import type { Posting } from '../types.js';
import { oneOf, parseCommandArgs, TAXONOMY_OPTIONS } from './args.js';
import { InterruptedError } from '../errors.js';
import { wrapText } from '../report/fit.js';
import { abortable, type CliIO, counted, EXIT, outputWidth, printProblems, stdinIdOption, UsageError } from './io.js';
import { createProgress, showsProgress } from './progress.js';
import { compiledTaxonomyOption } from './taxonomy-option.js';

export async function runExtract(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' }, explain: { type: 'boolean' }, 'with-text': { type: 'boolean' }, id: { type: 'string' }, quiet: { type: 'boolean' }, ...TAXONOMY_OPTIONS });
  if (positionals.length === 0) throw new UsageError('give at least one file, directory or - for standard input');
  const format = oneOf(values.format, ['json', 'table'] as const, '--format', 'table');
  const stdin = stdinIdOption(values.id, positionals);
  if (values['with-text'] && format !== 'json') throw new UsageError('--with-text goes with --format json');
  const limits = limitsFromEnv(io.env);
  const compiled = compiledTaxonomyOption(values, io.env);
  const now = new Date().toISOString();
  const results: ExtractionRecord[] = [];
  const failures: { input: string; reason: string }[] = [];
  const warnings: { input: string; reason: string }[] = [];
  const width = outputWidth(io);
  // Progress on the terminal while a table is not being printed to it (the table shows progress itself).
  const progress = createProgress({ stream: io.stderr, enabled: showsProgress(io.stderr, values.quiet) && (format === 'json' || io.stdout.isTTY !== true), unit: 'posting' });
  let read = 0;
  for await (const file of readPostingFiles(positionals, { readStdin: () => abortable(io.readStdin(), io.signal), ...stdin, limits, now })) {
    // Ctrl-C stops at once, between two postings: what was printed stands, nothing more is.
    if (io.signal?.aborted) {
      progress.clear();
      printProblems(io, failures, warnings);
      throw new InterruptedError(`interrupted (${String(io.signal.reason ?? 'signal')}) after ${counted(read, 'posting')}`);
    }
    progress.update(++read);
    const item = screenItem(file, limits, now);
    if (!item.ok) {
      failures.push(item);
      continue;
    }
    for (const w of item.warnings) warnings.push({ input: item.raw.origin, reason: w });
    let posting: Posting;
    let x: ReturnType<typeof extractPosting>;
    try {
      posting = normalizePosting(item.raw);
      x = extractPosting(posting, compiled, { explain: values.explain === true });
    } catch (err) {
      // A posting that breaks the extractor is reported; the others are still extracted.
      failures.push({ input: item.raw.origin, reason: `cannot analyze: ${(err as Error).message}` });
      continue;
    }
    if (format === 'json') {
      results.push(extractionRecord(posting, x, { withText: values['with-text'] === true }));
    } else {
      // Posting and taxonomy text through terminalText: shown, never acted on by the terminal.
      io.stdout.write(`${terminalText(posting.origin)}${posting.title ? ` — ${terminalText(posting.title)}` : ''}: ${skillCount(x.skills)}\n`);
      // Negated skills ("no PHP needed") last, marked as such: never shown as a requirement (issue 15).
      for (const s of [...x.skills.filter((k) => !k.negated), ...x.skills.filter((k) => k.negated)]) {
        const where = s.mentions.map((m) => `${m.start}-${m.end}`).join(', ');
        const head = `  ${terminalText(s.name).padEnd(28)} ${terminalText(s.category).padEnd(20)} ${(s.negated ? 'NOT wanted' : s.requirement).padEnd(11)} @ `;
        // Many mentions wrap under one another rather than past the terminal's edge.
        const offsets = width === undefined || head.length + where.length <= width ? [where] : wrapText(where, Math.max(head.length + 8, width), ' '.repeat(head.length));
        io.stdout.write(`${head}${offsets.join('\n')}\n`);
      }
      if (x.explain) {
        io.stdout.write(`  every candidate mention (${x.explain.length}; + counted, - set aside):\n`);
        for (const e of x.explain) {
          const why = e.counted ? `${e.reason}, ${e.negated ? 'negated, NOT wanted' : e.requirement}` : e.reason;
          io.stdout.write(`    ${e.counted ? '+' : '-'} ${terminalText(e.name)} [${why}] ${JSON.stringify(terminalText(e.text))} @ ${e.start}-${e.end} in ${e.section}\n`);
        }
      }
    }
  }
  progress.clear();
  if (format === 'json') io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  printProblems(io, failures, warnings);
  return failures.length > 0 ? EXIT.itemsFailed : EXIT.ok;
}

/** "3 skills", or "3 skills, 1 of them negated (not wanted)": negated skills are no demand. */
function skillCount(skills: { negated: boolean }[]): string {
  const asked = skills.filter((s) => !s.negated).length;
  const negated = skills.length - asked;
  return `${asked} skill${asked === 1 ? '' : 's'}${negated ? `; ${negated} negated (not wanted)` : ''}`;
}
