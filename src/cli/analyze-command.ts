import { limitsFromEnv } from '../normalize/limits.js';
import { analyzeItems } from '../pipeline/analyze.js';
import { readPostingFiles } from '../sources/files.js';
import { openStore, redactUrl } from '../store/open.js';
import { parseCommandArgs, TAXONOMY_OPTIONS } from './args.js';
import { abortable, type CliIO, counted, EXIT, printProblems, stdinIdOption, UsageError } from './io.js';
import { createProgress, showsProgress } from './progress.js';
import { dbOption } from './store-option.js';
import { compiledTaxonomyOption, parallelOption } from './taxonomy-option.js';

export async function runAnalyze(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' }, threads: { type: 'string' }, id: { type: 'string' }, quiet: { type: 'boolean' }, ...TAXONOMY_OPTIONS });
  const dbValue = dbOption(values.db, io.env);
  if (positionals.length === 0) throw new UsageError('give at least one file, directory or - for standard input');
  const stdin = stdinIdOption(values.id, positionals);
  const parallel = parallelOption(values, io.env);
  const limits = limitsFromEnv(io.env);
  const compiled = compiledTaxonomyOption(values, io.env);
  const store = await openStore(dbValue);
  const progress = createProgress({ stream: io.stderr, enabled: showsProgress(io.stderr, values.quiet), unit: 'posting' });
  try {
    const summary = await analyzeItems(readPostingFiles(positionals, { readStdin: () => abortable(io.readStdin(), io.signal), ...stdin, limits }), store, compiled, {
      command: `analyze ${positionals.join(' ')}`,
      limits,
      onItem: (n) => progress.update(n),
      ...(io.signal && { signal: io.signal }),
      ...(parallel && { parallel }),
    });
    progress.clear();
    printProblems(io, summary.failures, summary.warnings);
    io.stderr.write(
      `skillpulse: analyzed into ${redactUrl(dbValue)}: ${summary.new} new, ${summary.changed} changed, ${summary.unchanged} unchanged, ` +
        `${summary.failed} failed; ${counted(summary.mentions, 'mention')}; ${(summary.durationMs / 1000).toFixed(1)} s\n`,
    );
    return summary.failed > 0 ? EXIT.itemsFailed : EXIT.ok;
  } finally {
    progress.clear();
    await store.close();
  }
}
