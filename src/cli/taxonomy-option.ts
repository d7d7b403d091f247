import { homedir } from 'node:os';
import { join } from 'node:path';
import type { IngestOptions } from '../pipeline/analyze.js';
import { loadCompiledTaxonomy, loadTaxonomy } from '../sources/taxonomy-files.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { Taxonomy } from '../types.js';
import { positiveInt } from './args.js';

/** The worker-thread settings of `--threads` and the taxonomy options (undefined for `--threads 0`). */
export function parallelOption(values: { threads?: string | undefined; taxonomy?: string | undefined; 'add-taxonomy'?: string[] | undefined }, env: CliEnv): IngestOptions['parallel'] {
  const threads = values.threads === '0' ? 0 : positiveInt(values.threads, '--threads');
  if (threads === 0) return undefined;
  const cacheDir = taxonomyCacheDir(env);
  return { ...(threads !== undefined && { threads }), ...(values.taxonomy && { taxonomy: values.taxonomy }), addTaxonomy: values['add-taxonomy'] ?? [], ...(cacheDir && { cacheDir }) };
}

type CliEnv = Record<string, string | undefined>;

/**
 * Where compiled taxonomy snapshots are kept: $SKILLPULSE_CACHE_DIR (set empty: nowhere), else
 * $XDG_CACHE_HOME/skillpulse, else ~/.cache/skillpulse.
 */
export function taxonomyCacheDir(env: CliEnv): string | undefined {
  const set = env.SKILLPULSE_CACHE_DIR;
  if (set !== undefined) return set === '' ? undefined : set;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'skillpulse');
}

/** The taxonomy the options name, read and validated. */
export function loadTaxonomyOption(values: { taxonomy?: string | undefined; 'add-taxonomy'?: string[] | undefined }): Taxonomy {
  return loadTaxonomy(values.taxonomy, values['add-taxonomy'] ?? []);
}

/** The taxonomy the options name, compiled for matching (from a snapshot when one is kept). */
export function compiledTaxonomyOption(values: { taxonomy?: string | undefined; 'add-taxonomy'?: string[] | undefined }, env: CliEnv): CompiledTaxonomy {
  return loadCompiledTaxonomy({ dir: values.taxonomy, extra: values['add-taxonomy'] ?? [], cacheDir: taxonomyCacheDir(env) });
}
