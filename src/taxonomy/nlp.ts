import { createRequire } from 'node:module';
import type nlpType from 'compromise';

type Nlp = typeof nlpType;
let loaded: Nlp | undefined;

/**
 * compromise, loaded the first time a sentence needs it. It costs about a third of a second to
 * load, and most postings (and every `--help`) never need it; the extractor is synchronous, so
 * it is required, not imported (compromise ships the same build for both).
 */
export function nlp(): Nlp {
  loaded ??= createRequire(import.meta.url)('compromise') as Nlp;
  return loaded;
}
