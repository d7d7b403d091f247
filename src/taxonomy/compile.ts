import { nlp } from './nlp.js';
import type { SkillEntry, Taxonomy } from '../types.js';
import { Gap, tokenize } from './tokens.js';

/** A form that ends at a trie node: which skill it names, and its case when it must match exactly. */
export interface Terminal {
  skill: number;
  /** The form counts only with supporting context. */
  ambiguous: boolean;
  /** A one-word ambiguous form that English also uses as a verb ("go", "react", "spark"): only these need compromise's reading. */
  verbLike: boolean;
  /** Original-case token texts for `exact` forms; undefined for case-insensitive aliases. */
  exact?: string[];
}

export interface TrieNode {
  /** Next tokens that follow with no space between ("node" -> "." -> "js"). */
  joined?: Map<string, TrieNode>;
  /** Next tokens that follow after spaces on the same line ("machine" -> "learning"). */
  spaced?: Map<string, TrieNode>;
  terminals?: Terminal[];
}

/** A taxonomy made ready for matching: a token trie over every form, and the rules per skill. */
export interface CompiledTaxonomy {
  taxonomy: Taxonomy;
  skills: SkillEntry[];
  indexById: Map<string, number>;
  root: Map<string, TrieNode>;
  /** Per skill: `not` phrases, each as lowercased token keys. */
  notPhrases: string[][][];
  /** Per skill: context words or phrases (as token keys), and context skills (as indexes). */
  contextPhrases: string[][][];
  /** Per skill: the first token of each context phrase, so a scan tries a phrase only where it can start. */
  contextFirst: Set<string>[];
  contextSkills: Set<number>[];
}

/** Compiles a taxonomy into a token trie (longest match, whole tokens) plus disambiguation rules. */
export function compileTaxonomy(taxonomy: Taxonomy): CompiledTaxonomy {
  const skills = taxonomy.skills;
  const indexById = new Map(skills.map((s, i) => [s.id, i]));
  const root = new Map<string, TrieNode>();
  skills.forEach((skill, index) => {
    const ambiguous = new Set(skill.ambiguousForms);
    for (const alias of skill.aliases) {
      const a = ambiguous.has(alias);
      for (const variant of formVariants(alias)) addForm(root, variant, { skill: index, ambiguous: a, verbLike: a && isVerbLike(variant) });
    }
    for (const form of skill.exact) {
      const t = tokenize(form);
      const a = ambiguous.has(form);
      addForm(root, form, { skill: index, ambiguous: a, verbLike: a && isVerbLike(form), exact: t.starts.map((s, k) => form.slice(s, t.ends[k])) });
    }
  });
  const phrases = (list: string[]) => list.map((p) => tokenize(p).keys);
  const contextPhrases = skills.map((s) => phrases(s.context.filter((c) => !indexById.has(c))));
  return {
    taxonomy,
    skills,
    indexById,
    root,
    notPhrases: skills.map((s) => phrases(s.not)),
    contextPhrases,
    contextFirst: contextPhrases.map((list) => new Set(list.map((p) => p[0] as string))),
    contextSkills: skills.map((s) => new Set(s.context.flatMap((c) => indexById.get(c) ?? []))),
  };
}

const verbLikeCache = new Map<string, boolean>();

/** Whether compromise reads a one-word form as a verb after "to" ("to go", "to spark"; not "to kafka"). */
function isVerbLike(form: string): boolean {
  const word = form.toLowerCase();
  if (!/^[a-z]+$/.test(word)) return false;
  let v = verbLikeCache.get(word);
  if (v === undefined) {
    const tags = (nlp()(`to ${word}`).json() as { terms: { tags: string[] }[] }[])[0]?.terms[1]?.tags ?? [];
    v = tags.includes('Verb') && !tags.includes('Gerund');
    verbLikeCache.set(word, v);
  }
  return v;
}

/** "machine learning" also matches "machine-learning", and "scikit-learn" also "scikit learn". */
function formVariants(alias: string): string[] {
  const variants = [alias];
  if (/^[\p{L}\p{N}]+(?: [\p{L}\p{N}]+)+$/u.test(alias)) variants.push(alias.replace(/ /g, '-'));
  if (/^[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+$/u.test(alias)) variants.push(alias.replace(/-/g, ' '));
  return variants;
}

function addForm(root: Map<string, TrieNode>, form: string, terminal: Terminal): void {
  const t = tokenize(form);
  let map = root;
  let node: TrieNode | undefined;
  for (let k = 0; k < t.keys.length; k++) {
    const key = t.keys[k] as string;
    if (k > 0) {
      const parent = node as TrieNode;
      map = t.gaps[k] === Gap.None ? (parent.joined ??= new Map()) : (parent.spaced ??= new Map());
    }
    node = map.get(key);
    if (!node) {
      node = {};
      map.set(key, node);
    }
  }
  if (!node) return;
  node.terminals ??= [];
  if (!node.terminals.some((x) => x.skill === terminal.skill && String(x.exact) === String(terminal.exact))) {
    node.terminals.push(terminal);
  }
}
