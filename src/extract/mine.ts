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

/** URLs, e-mail addresses and bare domains (acme.com, chimp.net, iterable.com/company/job). */
const URL = /\b(?:https?:\/\/|www\.)\S+|\S+@\S+\.\w+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|io|ai|co|dev|app|tech|us|uk|de|fr|eu)\b\S*/gi;

const URL_IN_ITEM = new RegExp(URL.source, 'i');

/** A cue that follows organisations ("companies like", "investors, including", "backed by firms such as") lists organisations. */
const ORGANISATIONS_BEFORE =
  /\b(?:compan(?:y|ies)|customers?|clients?|brands?|investors?|backers?|partners?|retailers?|chains?|firms?|organi[sz]ations?|businesses|enterprises|banks|advisors?|angels?|individuals|celebrities|additions|hires|alumni|founders?|veterans?|employers?|funds?|vcs?|backed by|worked at|came from|ex-|formerly (?:at|of)|from)\b(?:[\s,;]+[\w'’-]+){0,2}[\s,;]*$/i;

/**
 * Big employers and investors that postings name in passing ("engineers from Google and Facebook"):
 * never a skill by themselves; the skills named after them (Google Cloud, AWS) are in the taxonomy.
 */
const ORGANISATIONS = new Set(
  'google alphabet facebook meta amazon apple microsoft netflix uber lyft airbnb twitter linkedin paypal stripe intuit walmart target oracle ibm intel nvidia cisco salesforce adobe atlassian dropbox slack spotify shopify square tesla spacex yahoo ebay snap pinterest reddit github gitlab samsung sony deloitte accenture mckinsey goldman sachs morgan jpmorgan citi citigroup visa mastercard y combinator yc sequoia andreessen horowitz a16z accel kleiner perkins greylock benchmark khosla gv nea index ventures techstars'.split(
    ' ',
  ),
);

/**
 * Common words that the cue patterns catch but that no one would add to a taxonomy ("including
 * colleagues", "work with companies"): checked for candidates of one lower-case word.
 */
const COMMON_WORDS = new Set(
  'job jobs tech app apps class classes communities community companies corporations company colleagues customers clients users partners people person team teams office offices home remote travel benefits salary equity health insurance vacation food lunch snacks coffee problems problem challenges challenge ideas idea features feature tasks task things stuff parts part areas area fields field topics topic aspects aspect issues issue growth impact quality speed scale scaling users user support help feedback communication communications collaboration leadership ownership passion curiosity attention detail details focus mission vision values goals results success state art tooling internals basics fundamentals concepts principles patterns best head lead member members staff founders founder investors investor funding money payments payment content media news video videos images image text documents document files file reports report email emails phone mobile desktop browser browsers devices device hardware computers computer internet network networks security privacy analysis optimization delivery research writing reading math here there lots talented cool eye fit atmosphere eco environment stock options insurance client server side perks friends family'.split(
    ' ',
  ),
);

/** Lower-case words of the taxonomy's names of several words ("computer" of computer vision): fragments of known skills. */
const fragmentCache = new WeakMap<CompiledTaxonomy, Set<string>>();
function aliasFragments(compiled: CompiledTaxonomy): Set<string> {
  let set = fragmentCache.get(compiled);
  if (!set) {
    set = new Set();
    for (const s of compiled.taxonomy.skills) {
      for (const form of [s.name, ...s.aliases]) {
        const keys = tokenize(form).keys;
        if (keys.length > 1) for (const k of keys) set.add(k);
      }
    }
    fragmentCache.set(compiled, set);
  }
  return set;
}

/** A candidate not worth a look: an employer or investor, a URL, a common word, a fragment of a known name (issue 15). */
function isNoise(item: string, excluded: Set<string>, fragments: Set<string>): boolean {
  const key = tokenize(item).keys.join(' ');
  if (excluded.has(key) || ORGANISATIONS.has(key) || key.split(' ').every((w) => ORGANISATIONS.has(w))) return true;
  if (URL_IN_ITEM.test(item)) return true;
  // Lower-case words all common, or all fragments of known names ("stock options", "computer"): no new skill.
  if (/^[a-z][a-z -]*$/.test(item) && key.split(' ').every((w) => COMMON_WORDS.has(w) || fragments.has(w))) return true;
  // A capitalised common word at the start of a sentence ("Head of Data"), not a name.
  return /^[A-Z][a-z]+$/.test(item) && COMMON_WORDS.has(key);
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
export function mineCandidates(
  documents: readonly string[],
  compiled: CompiledTaxonomy,
  options: { minDocuments?: number; top?: number; /** Names never proposed: the employers of the documents, say. */ exclude?: Iterable<string> } = {},
): MinedCandidate[] {
  const found = new Map<string, { spellings: Map<string, number>; documents: number; mentions: number; example: string }>();
  const excluded = new Set([...(options.exclude ?? [])].map((n) => tokenize(n).keys.join(' ')).filter((k) => k !== ''));
  const fragments = aliasFragments(compiled);
  for (const doc of documents) {
    const seen = new Set<string>();
    // Hard-wrapped prose joins back into sentences; list items and headings stay lines of their own.
    // URLs and domains end a list: "jobs at https://acme.com/careers/job" names no skill (issue 15).
    const unwrapped = doc.replace(/([^\n.:!?])\n(?![\n\s]*(?:[-*•]|\d+[.)])\s)(?=\S)/g, '$1 ').replace(URL, '; ');
    for (const sentence of unwrapped.split(/\n|(?<=[.!?])\s+/)) {
      CUE.lastIndex = 0;
      for (let m = CUE.exec(sentence); m !== null; m = CUE.exec(sentence)) {
        // "companies like Walmart", "investors including GV": names of organisations, not skills.
        if (ORGANISATIONS_BEFORE.test(sentence.slice(Math.max(0, m.index - 60), m.index))) continue;
        const rest = sentence.slice(m.index + m[0].length);
        const end = rest.search(CLAUSE_END);
        const list = end < 0 ? rest : rest.slice(0, end);
        for (const part of splitList(list, compiled)) {
          const item = cleanItem(part);
          if (!item || isKnown(item, compiled) || isNoise(item, excluded, fragments)) continue;
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
