import { nlp } from '../taxonomy/nlp.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { tokenize } from '../taxonomy/tokens.js';
import { findCandidates } from './match.js';

/** A term documents use like a skill that the taxonomy does not know. */
export interface MinedCandidate {
  /** Lowercased token key, the identity of the candidate. */
  key: string;
  /** The most frequent spelling. */
  name: string;
  /** Documents that name it in a skill-like context. */
  documents: number;
  mentions: number;
  /** A sentence that shows the context. */
  example: string;
}

/** Phrases after which postings and articles list skills: "experience with X", "tools like X, Y and Z". */
const CUE =
  /\b(?:experience (?:with|in|using|of)|familiar(?:ity)? with|proficien(?:t|cy) (?:in|with)|expertise (?:in|with)|knowledge of|skilled in|fluent in|hands-on (?:with|experience (?:with|in))|(?:tools|technologies|frameworks|libraries|languages|platforms|systems)(?: like| such as|:)|such as|including|we use|our stack(?: is|:)?|stack:|built (?:with|on)|written in|work(?:ing)? with|use[sd]? (?:of )?|like)\s+/gi;

/** Words that end a list: what follows is no longer a skill name. */
const CLAUSE_END = /[.;:!?]\s|\s(?:to|for|that|which|who|where|when|because|so|is|are|will|would|can|should)\s/i;

/** Nouns that are not skills on their own, dropped from the ends of an item ("Python experience"). */
const GENERIC = new Set(
  'experience experiences knowledge skills skill understanding background expertise familiarity ability abilities proficiency tools tool technologies technology frameworks framework libraries library languages language platforms platform systems system environment environments etc things stuff others other similar related various modern relevant strong solid good great deep excellent basic advanced working practical professional proven demonstrated hands-on equivalent plus bonus years year least more one two three some any all the a an and or of with in on using our your their its like such as e.g i.e including similar team teams work projects project development developers engineers people we you they it this that these those data products product code software solutions solution applications application services service writing models model day days every daily week engineering design analytics management business operations science programming integration deployment storage structures infrastructure architecture performance processing practices methodologies techniques areas variety time world company customers clients community culture startup startups hardware vision sales marketing education reviews opportunity folks hours equity web stack jobs careers'.split(
    ' ',
  ),
);

function cleanItem(raw: string): string | undefined {
  let item = raw.replace(/^[\s"'“”‘’*•\-–—([]+|[\s"'“”‘’*•\-–—)\].,]+$/g, '').replace(/\s+/g, ' ');
  if (item === '' || item.length > 60) return undefined;
  // compromise reads the item: drop leading determiners, adjectives, adverbs and numbers.
  const terms = nlp()(item).json()[0]?.terms as { text: string; tags: string[] }[] | undefined;
  if (!terms) return undefined;
  let from = 0;
  while (from < terms.length) {
    const t = terms[from] as { text: string; tags: string[] };
    const lead = t.tags.some((tag) => ['Determiner', 'Adverb', 'Possessive', 'Value', 'Pronoun', 'Preposition', 'Conjunction'].includes(tag));
    const adjective = t.tags.includes('Adjective') && t.text === t.text.toLowerCase();
    if (!(lead || adjective || GENERIC.has(t.text.toLowerCase()))) break;
    from++;
  }
  let to = terms.length;
  while (to > from && GENERIC.has((terms[to - 1] as { text: string }).text.toLowerCase().replace(/[.,]$/, ''))) to--;
  const kept = terms.slice(from, to);
  if (kept.length === 0 || kept.length > 4) return undefined;
  if (kept.some((t) => t.tags.includes('Verb') && t.text === t.text.toLowerCase())) return undefined;
  item = kept.map((t) => t.text).join(' ').replace(/[.,;:]+$/, '');
  // A skill name looks like a name: a capital, a digit or a symbol (C#, Node.js), or a noun phrase.
  const namelike = /[A-Z0-9#+.]/.test(item) || kept.every((t) => t.tags.includes('Noun') || t.tags.includes('Singular'));
  if (!namelike || !/\p{L}/u.test(item) || item.length < 2) return undefined;
  return item;
}

/**
 * True when the taxonomy already names the candidate: its skills cover it, but for lower-case
 * words around them ("Python every day", "AWS services").
 */
function isKnown(item: string, compiled: CompiledTaxonomy): boolean {
  const t = tokenize(item);
  const hits = findCandidates(item, t, compiled);
  if (hits.length === 0) return false;
  const covered = new Set<number>();
  for (const h of hits) for (let k = h.tokenStart; k < h.tokenEnd; k++) covered.add(k);
  return t.keys.every((_, k) => covered.has(k) || item.slice(t.starts[k], t.ends[k]) === t.keys[k]);
}

/** Splits a list into items, never inside a name the taxonomy knows ("Python/R/SQL" splits, "CI/CD" does not). */
function splitList(list: string, compiled: CompiledTaxonomy): string[] {
  let masked = list;
  // Masking keeps every offset, so the items are cut from the original text at the same places.
  for (const h of findCandidates(list, tokenize(list), compiled)) {
    masked = `${masked.slice(0, h.start)}${masked.slice(h.start, h.end).replace(/[/,&;()]/g, '_')}${masked.slice(h.end)}`;
  }
  const items: string[] = [];
  let from = 0;
  for (const m of masked.matchAll(/,|\/|;|\(|\)|\band\b|\bor\b|&|\bas well as\b|\bplus\b/gi)) {
    items.push(list.slice(from, m.index));
    from = (m.index as number) + m[0].length;
  }
  items.push(list.slice(from));
  return items;
}

/**
 * Proposes skills from documents: the items of lists that follow skill cues ("experience with X",
 * "tools like X, Y and Z", "proficiency in X"), cleaned with compromise, ranked by how many
 * documents name them, leaving out what the taxonomy already knows. compromise reads only the
 * items of cue sentences, never whole documents.
 */
export function mineCandidates(documents: readonly string[], compiled: CompiledTaxonomy, options: { minDocuments?: number; top?: number } = {}): MinedCandidate[] {
  const found = new Map<string, { spellings: Map<string, number>; documents: number; mentions: number; example: string }>();
  for (const doc of documents) {
    const seen = new Set<string>();
    // Hard-wrapped prose joins back into sentences; list items and headings stay lines of their own.
    const unwrapped = doc.replace(/([^\n.:!?])\n(?![\n\s]*(?:[-*•]|\d+[.)])\s)(?=\S)/g, '$1 ');
    for (const sentence of unwrapped.split(/\n|(?<=[.!?])\s+/)) {
      CUE.lastIndex = 0;
      for (let m = CUE.exec(sentence); m !== null; m = CUE.exec(sentence)) {
        const rest = sentence.slice(m.index + m[0].length);
        const end = rest.search(CLAUSE_END);
        const list = end < 0 ? rest : rest.slice(0, end);
        for (const part of splitList(list, compiled)) {
          const item = cleanItem(part);
          if (!item || isKnown(item, compiled)) continue;
          const key = tokenize(item).keys.join(' ');
          let entry = found.get(key);
          if (!entry) found.set(key, (entry = { spellings: new Map(), documents: 0, mentions: 0, example: sentence.trim().replace(/^[-*•·]\s+/, '').slice(0, 160) }));
          entry.spellings.set(item, (entry.spellings.get(item) ?? 0) + 1);
          entry.mentions++;
          if (!seen.has(key)) {
            seen.add(key);
            entry.documents++;
          }
        }
      }
    }
  }
  const minDocuments = options.minDocuments ?? 2;
  return [...found]
    .filter(([, e]) => e.documents >= minDocuments)
    .map(([key, e]) => ({
      key,
      name: [...e.spellings].sort((a, b) => b[1] - a[1])[0]?.[0] ?? key,
      documents: e.documents,
      mentions: e.mentions,
      example: e.example,
    }))
    .sort((a, b) => b.documents - a.documents || b.mentions - a.mentions || (a.key < b.key ? -1 : 1))
    .slice(0, options.top ?? 100);
}

/** `1 document`, `2 documents`. */
const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** The candidates as taxonomy YAML, ready to edit into taxonomy/<category>.yaml. */
export function renderCandidatesYaml(candidates: readonly MinedCandidate[], documentCount: number): string {
  const quote = (s: string) => JSON.stringify(s);
  const lines = [
    `# skillpulse taxonomy mine: ${counted(candidates.length, 'candidate skill')} from ${counted(documentCount, 'document')}, not in the taxonomy yet.`,
    '# Keep the real skills: give each a category (move it into taxonomy/<category>.yaml), add aliases, delete the rest.',
  ];
  for (const c of candidates) {
    const id = c.key.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'candidate';
    lines.push(`- id: ${id}`, `  name: ${quote(c.name)}`, '  aliases: []', `  source: ${quote(`mined: ${counted(c.documents, 'document')}, ${counted(c.mentions, 'mention')}, e.g. "${c.example}"`)}`);
  }
  return `${lines.join('\n')}\n`;
}
