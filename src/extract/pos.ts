import { nlp } from '../taxonomy/nlp.js';

/** Part-of-speech tags compromise gives the word at `offset` of `sentence` (cached per sentence). */
const cache = new Map<string, { start: number; tags: string[] }[]>();
const CACHE_LIMIT = 5000;

export function tagsAt(sentence: string, offset: number): string[] {
  let terms = cache.get(sentence);
  if (!terms) {
    const json = nlp()(sentence).json({ offset: true }) as {
      terms: { offset: { start: number; length: number }; tags: string[] }[];
    }[];
    terms = json.flatMap((s) => s.terms.map((t) => ({ start: t.offset.start, end: t.offset.start + t.offset.length, tags: t.tags })));
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(sentence, terms);
  }
  let found: string[] = [];
  for (const t of terms) {
    if (t.start <= offset) found = t.tags;
    else break;
  }
  return found;
}
