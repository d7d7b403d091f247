import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StopBeforeWorkError } from '../errors.js';
import { parseTaxonomy, type TaxonomyFile } from '../taxonomy/parse.js';
import type { Taxonomy } from '../types.js';

/** The taxonomy shipped with skillpulse (taxonomy/ at the package root). */
export function defaultTaxonomyDir(): string {
  // This file is src/sources/*.ts in development and dist/sources/*.js when built: both two levels down.
  return fileURLToPath(new URL('../../taxonomy', import.meta.url));
}

/** Reads every *.yaml / *.yml file of a taxonomy directory. */
export function readTaxonomyFiles(dir: string): TaxonomyFile[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new StopBeforeWorkError(`taxonomy ${dir}: not a directory`);
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    if (err instanceof StopBeforeWorkError) throw err;
    throw new StopBeforeWorkError(`taxonomy ${dir}: cannot read directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  if (names.length === 0) throw new StopBeforeWorkError(`taxonomy ${dir}: no .yaml files in the directory`);
  return names.map((n) => ({ path: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
}

/**
 * Reads and validates a taxonomy: the files of `dir` (default: the shipped taxonomy) plus those of
 * every `extra` directory, validated together (ids stay unique across all of them).
 */
export function loadTaxonomy(dir: string = defaultTaxonomyDir(), extra: readonly string[] = []): Taxonomy {
  return parseTaxonomy([dir, ...extra].flatMap(readTaxonomyFiles));
}
