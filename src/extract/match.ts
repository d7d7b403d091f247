import type { CompiledTaxonomy, Terminal, TrieNode } from '../taxonomy/compile.js';
import { Gap, type Tokens } from '../taxonomy/tokens.js';

/** A form of a skill found in the text, before any disambiguation. */
export interface Candidate {
  skill: number;
  start: number;
  end: number;
  /** Token index range [tokenStart, tokenEnd). */
  tokenStart: number;
  tokenEnd: number;
  /** Matched an `exact` (case-sensitive) form. */
  exact: boolean;
  /** Matched a form that counts only with supporting context. */
  ambiguous: boolean;
  /** The form is a word English also uses as a verb. */
  verbLike: boolean;
  /** An `exact` form found in another case ("react" for React): counts only inside a list of technologies. */
  caseMismatch: boolean;
}

/**
 * One pass of the token trie over the text: at each token the longest form that matches wins
 * ("Spark Streaming" over "Spark"), and matching resumes after it. Forms never cross a line break.
 */
export function findCandidates(text: string, tokens: Tokens, compiled: CompiledTaxonomy): Candidate[] {
  const out: Candidate[] = [];
  const { keys, starts, ends, gaps } = tokens;
  const n = keys.length;
  let i = 0;
  while (i < n) {
    // A form that starts with punctuation (".NET") does not start inside a word ("acme.net").
    let node: TrieNode | undefined = compiled.root.get(keys[i] as string);
    if (node && gluedToWord(keys, gaps, i)) node = undefined;
    let bestEnd = -1;
    let best: Terminal[] | undefined;
    let j = i;
    while (node) {
      if (node.terminals) {
        best = node.terminals;
        bestEnd = j + 1;
      }
      j++;
      if (j >= n) break;
      const gap = gaps[j];
      const next: Map<string, TrieNode> | undefined =
        gap === Gap.None ? node.joined : gap === Gap.Inline ? node.spaced : undefined;
      node = next?.get(keys[j] as string);
    }
    if (best) {
      // One candidate per skill: the surest form wins (in its own case, then unambiguous).
      const found = new Map<number, Candidate>();
      for (const t of best) {
        const caseMismatch = t.exact !== undefined && !exactMatches(text, starts, ends, i, t.exact);
        const prev = found.get(t.skill);
        if (prev && doubt(prev) <= (caseMismatch ? 2 : 0) + (t.ambiguous ? 1 : 0)) continue;
        found.set(t.skill, {
          skill: t.skill,
          start: starts[i] as number,
          end: ends[bestEnd - 1] as number,
          tokenStart: i,
          tokenEnd: bestEnd,
          exact: t.exact !== undefined,
          ambiguous: t.ambiguous,
          verbLike: t.verbLike,
          caseMismatch,
        });
      }
      out.push(...found.values());
      i = bestEnd;
    } else {
      i++;
    }
  }
  return out;
}

const doubt = (c: Candidate) => (c.caseMismatch ? 2 : 0) + (c.ambiguous ? 1 : 0);

const WORD = /^[\p{L}\p{N}]/u;

function gluedToWord(keys: string[], gaps: Tokens['gaps'], i: number): boolean {
  return i > 0 && gaps[i] === Gap.None && !WORD.test(keys[i] as string) && WORD.test(keys[i - 1] as string);
}

function exactMatches(text: string, starts: number[], ends: number[], from: number, forms: string[]): boolean {
  for (let k = 0; k < forms.length; k++) {
    const s = starts[from + k] as number;
    const e = ends[from + k] as number;
    const form = forms[k] as string;
    if (e - s !== form.length || !text.startsWith(form, s)) return false;
  }
  return true;
}
