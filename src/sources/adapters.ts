/**
 * The registry of sources: every adapter in adapters/, in the order help lists them. A new source
 * is one file in adapters/ (and its tests) plus its line here; a program using the library adds
 * its own with registerSource().
 */
import { ashby } from './adapters/ashby.js';
import { feed } from './adapters/feed.js';
import { greenhouse } from './adapters/greenhouse.js';
import { hn } from './adapters/hn.js';
import { lever } from './adapters/lever.js';
import { page } from './adapters/page.js';
import { smartrecruiters } from './adapters/smartrecruiters.js';
import { workable } from './adapters/workable.js';
import type { SourceAdapter } from './source.js';

export type { FetchContext, Listing, SourceAdapter } from './source.js';

/** Every registered source (live: registerSource adds to it). */
export const ADAPTERS: SourceAdapter[] = [greenhouse, lever, ashby, smartrecruiters, workable, page, feed, hn];

/** Adds a source (a program's own board, say); its name must be new. Returns what removes it again. */
export function registerSource(adapter: SourceAdapter): () => void {
  if (ADAPTERS.some((a) => a.name === adapter.name)) throw new Error(`source "${adapter.name}" is registered already`);
  ADAPTERS.push(adapter);
  return () => {
    const at = ADAPTERS.indexOf(adapter);
    if (at >= 0) ADAPTERS.splice(at, 1);
  };
}

/** The key a source's postings are stored under: `greenhouse:acme`; `url` and `hn` for those. */
export function sourceKey(adapter: SourceAdapter, arg: string): string {
  return adapter.key ? adapter.key(arg) : `${adapter.name}:${arg}`;
}

/** `greenhouse:acme` -> the greenhouse adapter and `acme`. */
export function parseSourceSpec(spec: string): { adapter: SourceAdapter; arg: string } | { error: string } {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const arg = colon < 0 ? '' : spec.slice(colon + 1);
  const adapter = ADAPTERS.find((a) => a.name === name);
  if (!adapter) return { error: `unknown source "${spec}" (known: ${ADAPTERS.map((a) => a.syntax).join(', ')})` };
  if (!arg) return { error: `source "${spec}" needs an argument: ${adapter.syntax}` };
  const problem = adapter.argProblem?.(arg);
  return problem ? { error: problem } : { adapter, arg };
}
