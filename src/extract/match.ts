import type { CompiledTaxonomy, Terminal, TrieNode } from '../taxonomy/compile.js';
import { Gap, type Tokens, tokenize } from '../taxonomy/tokens.js';

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
    // Shorter forms passed on the way to the longest ("AWS" in "AWS SageMaker").
    let prefixes: [Terminal[], number][] | undefined;
    let j = i;
    while (node) {
      if (node.terminals) {
        if (best) (prefixes ??= []).push([best, bestEnd]);
        best = node.terminals;
        bestEnd = j + 1;
      }
      j++;
      if (j >= n) break;
      const gap = gaps[j];
      const next: Map<string, TrieNode> | undefined =
        gap === Gap.None ? node.joined : gap === Gap.Inline ? node.spaced : undefined;
      const key = keys[j] as string;
      // A plural word after the first of a longer form: "data pipelines". (A stem of four letters
      // or more: "cloud runs" is a verb, not Cloud Run.)
      node = next?.get(key) ?? (gap === Gap.Inline && key.length > 4 && key.endsWith('s') ? next?.get(key.slice(0, -1)) : undefined);
    }
    if (best) {
      // One candidate per skill: the surest form wins (in its own case, then unambiguous). A form
      // names few skills: a list, not a map, in the order the skills first came.
      const found: Candidate[] = [];
      for (const t of best) {
        const caseMismatch = t.exact !== undefined && !exactMatches(text, starts, ends, i, t.exact);
        const at = found.findIndex((c) => c.skill === t.skill);
        const prev = found[at];
        if (prev && doubt(prev) <= (caseMismatch ? 2 : 0) + (t.ambiguous ? 1 : 0)) continue;
        const candidate: Candidate = {
          skill: t.skill,
          start: starts[i] as number,
          end: ends[bestEnd - 1] as number,
          tokenStart: i,
          tokenEnd: bestEnd,
          exact: t.exact !== undefined,
          ambiguous: t.ambiguous,
          verbLike: t.verbLike,
          caseMismatch,
        };
        if (prev) found[at] = candidate;
        else found.push(candidate);
      }
      // A service or framework named with its platform names the platform too: "AWS SageMaker" is
      // AWS and SageMaker, "Azure Data Factory" Azure, ".NET MVC" .NET. ("ASP.NET Core" is not
      // ASP.NET: only platforms, a cloud's or the root of a family.) The platform goes first, so that
      // the longest form stays next to what follows it ("C#/.NET MVC + angular").
      for (const [terminals, end] of prefixes ?? []) {
        for (const t of terminals) {
          if (t.exact || t.ambiguous || found.some((c) => c.skill === t.skill) || !platformLike(compiled, t.skill)) continue;
          if (!found.some((c) => isAncestor(compiled, t.skill, c.skill))) continue;
          out.push({ skill: t.skill, start: starts[i] as number, end: ends[end - 1] as number, tokenStart: i, tokenEnd: end, exact: false, ambiguous: false, verbLike: false, caseMismatch: false });
        }
      }
      for (const c of found) out.push(c);
      i = bestEnd;
    } else {
      i++;
    }
  }
  return addPlatformItems(addCoordinated(out, tokens, compiled), tokens, compiled);
}

/** A mark per token that some candidate already covers. */
function takenTokens(candidates: readonly Candidate[], tokenCount: number): Uint8Array {
  const taken = new Uint8Array(tokenCount);
  for (const c of candidates) taken.fill(1, c.tokenStart, c.tokenEnd);
  return taken;
}

/** A cloud platform or service, or the root of a family of entries (".NET", not "ASP.NET" under it). */
function platformLike(compiled: CompiledTaxonomy, skill: number): boolean {
  const entry = compiled.skills[skill];
  return entry !== undefined && (entry.category === 'cloud' || entry.parent === undefined);
}

function isAncestor(compiled: CompiledTaxonomy, ancestor: number, skill: number): boolean {
  let id = compiled.skills[skill]?.parent;
  for (let depth = 0; id !== undefined && depth < 8; depth++) {
    const index = compiled.indexById.get(id);
    if (index === ancestor) return true;
    id = index === undefined ? undefined : compiled.skills[index]?.parent;
  }
  return false;
}

/** The terminals of a form given as token keys, each after a space ("supervised" "learning"). */
function lookupSpaced(compiled: CompiledTaxonomy, keys: readonly string[]): Terminal[] | undefined {
  let node = compiled.root.get(keys[0] as string);
  for (let k = 1; node && k < keys.length; k++) node = node.spaced?.get(keys[k] as string);
  return node?.terminals;
}

const ITEM_ENDS = new Set([',', ')', '/', ';', 'and', 'or', '&']);
const platformForms = new WeakMap<CompiledTaxonomy, Map<number, string[][]>>();

/** The token keys of a cloud platform's forms ("aws", "amazon web services"), computed once per taxonomy. */
function formsOf(compiled: CompiledTaxonomy, skill: number): string[][] {
  let cache = platformForms.get(compiled);
  if (!cache) platformForms.set(compiled, (cache = new Map()));
  let forms = cache.get(skill);
  if (!forms) {
    const s = compiled.skills[skill];
    forms = s ? [s.name, ...s.aliases].map((a) => tokenize(a).keys).filter((k) => k.length > 0 && k.length <= 3) : [];
    cache.set(skill, forms);
  }
  return forms;
}

/**
 * The items of a bracketed list after a cloud platform are its services, as the guidelines read
 * "AWS (ECS, RDS, Lambda)": "Azure (Functions, Queue Storage)" names Azure Functions and Azure
 * Queue Storage. An item counts when the platform's name and the item's words form a known form.
 */
function addPlatformItems(out: Candidate[], tokens: Tokens, compiled: CompiledTaxonomy): Candidate[] {
  const { keys, starts, ends, gaps } = tokens;
  const added: Candidate[] = [];
  let taken: Uint8Array | undefined;
  const covered = (t: number) => taken?.[t] === 1;
  for (const c of out) {
    if (compiled.skills[c.skill]?.category !== 'cloud' || keys[c.tokenEnd] !== '(') continue;
    taken ??= takenTokens(out, keys.length);
    const prefixes = formsOf(compiled, c.skill);
    // A short list: at most eight items of at most four words each, closed on the same line.
    let t = c.tokenEnd + 1;
    for (let items = 0; items < 8 && t < keys.length && gaps[t] !== Gap.Line; items++) {
      let e = t;
      while (e < keys.length && e - t < 4 && !ITEM_ENDS.has(keys[e] as string) && gaps[e] !== Gap.Line) e++;
      if (e < keys.length && !ITEM_ENDS.has(keys[e] as string)) break; // no list item: prose in brackets
      const found = e > t ? bestItemForm(compiled, prefixes, keys, t, e, c.skill, covered) : undefined;
      if (found) {
        const [from, to, skill] = found;
        added.push({ skill, start: starts[from] as number, end: ends[to - 1] as number, tokenStart: from, tokenEnd: to, exact: false, ambiguous: false, verbLike: false, caseMismatch: false });
      }
      if (keys[e] === ')' || e >= keys.length) break;
      t = e + 1;
    }
  }
  if (added.length === 0) return out;
  return [...out, ...added].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** The longest run of an item's words that, after one of the platform's forms, is a form of another skill. */
function bestItemForm(compiled: CompiledTaxonomy, prefixes: string[][], keys: string[], t: number, e: number, platform: number, covered: (t: number) => boolean): [number, number, number] | undefined {
  for (let length = e - t; length > 0; length--) {
    for (let from = t; from + length <= e; from++) {
      if (covered(from) || covered(from + length - 1)) continue;
      for (const p of prefixes) {
        const terminal = lookupSpaced(compiled, [...p, ...keys.slice(from, from + length)])?.find((x) => !x.exact && x.skill !== platform);
        if (terminal) return [from, from + length, terminal.skill];
      }
    }
  }
  return undefined;
}

const COORDINATORS = new Set(['and', 'or', '&', '/', ',']);

/**
 * Forms that share a word with a neighbour through "and"/"or": "supervised and unsupervised
 * learning" names supervised learning too, and "data extraction and modeling" data modeling. The
 * added candidate spans the word that stands for its form.
 */
function addCoordinated(out: Candidate[], tokens: Tokens, compiled: CompiledTaxonomy): Candidate[] {
  const { keys, starts, ends, gaps } = tokens;
  let taken: Uint8Array | undefined;
  const added: Candidate[] = [];
  const add = (form: string[], at: number, like: Candidate) => {
    taken ??= takenTokens(out, keys.length);
    if (taken[at] === 1) return false;
    const terminal = lookupSpaced(compiled, form)?.find((t) => !t.exact && !t.ambiguous && t.skill !== like.skill);
    if (!terminal) return false;
    added.push({ skill: terminal.skill, start: starts[at] as number, end: ends[at] as number, tokenStart: at, tokenEnd: at + 1, exact: false, ambiguous: false, verbLike: false, caseMismatch: false });
    taken[at] = 1;
    return true;
  };
  const word = (t: number) => t >= 0 && t < keys.length && WORD.test(keys[t] as string) && gaps[t] !== Gap.Line;
  for (const c of out) {
    const n = c.tokenEnd - c.tokenStart;
    if (n < 2 || c.exact) continue;
    const form = keys.slice(c.tokenStart, c.tokenEnd);
    // Backward: "supervised and unsupervised learning", "batch, stream and real-time processing".
    for (let t = c.tokenStart; COORDINATORS.has(keys[t - 1] as string) && word(t - 2) && gaps[t - 1] !== Gap.Line; t -= 2) {
      if (!add([keys[t - 2] as string, ...form.slice(1)], t - 2, c)) break;
    }
    // Forward: "data extraction and modeling".
    for (let t = c.tokenEnd; COORDINATORS.has(keys[t] as string) && word(t + 1) && gaps[t + 1] !== Gap.Line; t += 2) {
      if (!add([...form.slice(0, -1), keys[t + 1] as string], t + 1, c)) break;
    }
  }
  if (added.length === 0) return out;
  return [...out, ...added].sort((a, b) => a.start - b.start || a.end - b.end);
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
