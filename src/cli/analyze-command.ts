import { limitsFromEnv } from '../normalize/limits.js';
import { analyzeItems } from '../pipeline/analyze.js';
import { readPostingFiles } from '../sources/files.js';
import { openDatabase } from '../store/db.js';
import { parseCommandArgs, TAXONOMY_OPTIONS } from './args.js';
import { type CliIO, EXIT, printProblems, stdinIdOption, UsageError } from './io.js';
import { compiledTaxonomyOption, parallelOption } from './taxonomy-option.js';

export async function runAnalyze(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' }, threads: { type: 'string' }, id: { type: 'string' }, ...TAXONOMY_OPTIONS });
  if (!values.db) throw new UsageError('--db <path> is required');
  if (positionals.length === 0) throw new UsageError('give at least one file, directory or - for standard input');
  const stdin = stdinIdOption(values.id, positionals);
  const parallel = parallelOption(values, io.env);
  const limits = limitsFromEnv(io.env);
  const compiled = compiledTaxonomyOption(values, io.env);
  const db = openDatabase(values.db);
  try {
    const summary = await analyzeItems(readPostingFiles(positionals, { readStdin: io.readStdin, ...stdin, limits }), db, compiled, {
      command: `analyze ${positionals.join(' ')}`,
      limits,
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
}
