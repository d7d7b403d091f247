import { limitsFromEnv } from '../normalize/limits.js';
import { createExtractor } from '../serve/extractor.js';
import { runMcpServer } from '../serve/mcp.js';
import { loadCompiledTaxonomy } from '../sources/taxonomy-files.js';
import { openStore } from '../store/open.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { parseCommandArgs, TAXONOMY_OPTIONS } from './args.js';
import { type CliIO, EXIT, UsageError } from './io.js';
import { dbOption } from './store-option.js';
import { taxonomyCacheDir } from './taxonomy-option.js';

/** `skillpulse mcp`: the read API and the extractor as Model Context Protocol tools on standard input and output. */
export async function runMcp(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { db: { type: 'string' }, ...TAXONOMY_OPTIONS });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const db = dbOption(values.db, io.env);
  const limits = limitsFromEnv(io.env);
  const cacheDir = taxonomyCacheDir(io.env);
  const store = await openStore(db, { readonly: true, mustExist: true });
  let compiled: CompiledTaxonomy | undefined;
  const where = { dir: values.taxonomy, extra: values['add-taxonomy'] ?? [], ...(cacheDir && { cacheDir }) };
  const extractor = createExtractor({
    threads: 1,
    ...(cacheDir && { cacheDir }),
    ...(values.taxonomy && { taxonomy: values.taxonomy }),
    ...(values['add-taxonomy'] && { addTaxonomy: values['add-taxonomy'] }),
    timeLimitMs: Math.min(10_000, limits.maxPostingMs),
    maxQueued: 8,
    limits,
  });
  try {
    // Standard output carries the protocol only: messages go to standard error.
    io.stderr.write(`skillpulse mcp: serving tools on standard input and output, read-only on ${db}\n`);
    await Promise.race([
      runMcpServer({ store, taxonomy: () => (compiled ??= loadCompiledTaxonomy(where)), extractor }),
      new Promise<void>((resolve) => io.signal?.addEventListener('abort', () => resolve(), { once: true })),
    ]);
    return EXIT.ok;
  } finally {
    await extractor.close();
    await store.close();
  }
}
