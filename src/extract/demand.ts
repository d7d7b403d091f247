/**
 * Demand versus description: whether a mention says what the role uses, needs or would like, or
 * only what the employer describes (its name, product, mission, benefits, how to apply), the
 * posting's title, a list of open positions, a URL, or the fields of a degree. Pure: text in,
 * decisions out.
 */

import { classifyHeading } from '../normalize/sections.js';
import { NON_TECHNICAL } from './disambiguate.js';
import { anyOf } from './qualifiers.js';
import type { CountedReason, SectionKind, SetAsideReason, SkillEntry } from '../types.js';

/** What the whole posting says about where demand can stand: computed once per posting. */
export interface DemandContext {
  /** [start, end) of the title heading line, or undefined. */
  title?: [number, number];
  /** Sorted [start, end) ranges of URLs and e-mail addresses, with what each is. */
  masked: [number, number, 'url' | 'email'][];
  /** Sorted [start, end) ranges where the employer's name stands. */
  employer: [number, number][];
  /** Sorted [start, end) ranges of the fields of study a degree names ("degree in Statistics, Mathematics"). */
  degreeFields: [number, number][];
}

// "https://x.io/a", "www.x.com", "acme.com/careers", "javascript:..."; a bare domain needs its
// top-level part in lower case: "ASP.NET" is a framework, "acme.net" a site. Other schemes only in
// lower case and glued to what follows: "JavaScript: React" is a skill and its list.
const URL_START = /\b(?:https?:\/\/|www\.|(?:javascript|vbscript|mailto|data|file):(?=\S))/gi;
const OTHER_SCHEME = /^(?:javascript|vbscript|mailto|data|file):$/;
const TOP_LEVEL = /\.(?:com|io|net|org|co|ai|dev|app|us|uk|de|fr|ly|gl|me|tech|jobs|careers)\b/g;
// "jobs@acme.dev", "jobs at acme dot com"
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/y;
const SPELLED_EMAIL = /\b[\w.+-]{1,64}\s+(?:\[at\]|\(at\)|at)\s+[\w-]{1,64}\s+(?:\[dot\]|\(dot\)|dot)\s+\w{1,24}\b/gi;

const isUrlChar = (c: string | undefined) => c !== undefined && !/[\s<>"')\]]/.test(c);
const isHostChar = (c: string | undefined) => c !== undefined && /[\w.-]/.test(c);

/** URLs and e-mail addresses, found from their anchors ("http", "www.", "@", ".com") outward. */
function maskedRanges(text: string): DemandContext['masked'] {
  // Every walk is bounded and resumes after the last range: hostile text ("a.a.a...", "@@@")
  // costs one pass, not one per anchor.
  const emails: DemandContext['masked'] = [];
  let lastEnd = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    if (at < lastEnd) continue;
    let start = at;
    while (start > lastEnd && at - start < 64 && /[\w.+-]/.test(text[start - 1] as string)) start--;
    EMAIL.lastIndex = start;
    const m = start < at ? EMAIL.exec(text) : null;
    if (m && m.index === start) {
      emails.push([start, start + m[0].length, 'email']);
      lastEnd = start + m[0].length;
    }
  }
  if (/\bdot\b/i.test(text)) for (const m of text.matchAll(SPELLED_EMAIL)) emails.push([m.index as number, (m.index as number) + m[0].length, 'email']);
  emails.sort((x, y) => x[0] - y[0]);
  const inEmail = (at: number) => {
    let lo = 0;
    let hi = emails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((emails[mid] as [number, number, string])[0] <= at) lo = mid + 1;
      else hi = mid;
    }
    const r = emails[lo - 1];
    return r !== undefined && at < r[1];
  };
  const urls: DemandContext['masked'] = [];
  lastEnd = 0;
  for (const m of text.matchAll(URL_START)) {
    const start = m.index as number;
    if (start < lastEnd || inEmail(start)) continue;
    // Schemes other than http only in lower case: "Data:Python" is a heading glued to its list.
    if (m[0].endsWith(':') && !OTHER_SCHEME.test(m[0])) continue;
    let end = start + m[0].length;
    while (end - start < 2048 && isUrlChar(text[end])) end++;
    urls.push([start, end, 'url']);
    lastEnd = end;
  }
  const linked = urls.length;
  let k = 0;
  lastEnd = 0;
  for (const m of text.matchAll(TOP_LEVEL)) {
    const dot = m.index as number;
    while (k < linked && (urls[k] as [number, number, string])[1] <= dot) k++;
    const inLink = k < linked && (urls[k] as [number, number, string])[0] <= dot;
    if (dot < lastEnd || inLink || inEmail(dot)) continue;
    let start = dot;
    while (start > lastEnd && dot - start < 253 && isHostChar(text[start - 1])) start--;
    if (start === dot || text[start - 1] === '@') continue;
    let end = dot + m[0].length;
    if (text[end] === '/') while (end - start < 2048 && isUrlChar(text[end])) end++;
    urls.push([start, end, 'url']);
    lastEnd = end;
  }
  return [...emails, ...urls].sort((x, y) => x[0] - y[0]);
}

/**
 * The posting's title heading: the first line when it is short and no sentence, or a
 * "Company | Role | Place" header. Text whose line breaks were lost keeps its header at the
 * front: it ends after the last "|" field, where a sentence (two lower-case words) begins.
 */
function titleLine(text: string, title: string | undefined): [number, number] | undefined {
  const end = text.indexOf('\n');
  const line = end < 0 ? text : text.slice(0, end);
  // "Acme | Role | Place", or a short "Acme (acme.com) - Boston, MA." with dashes between its fields.
  const header = /\s[|•]\s|\s\|\S|\S\|\s/.test(line.slice(0, 250)) || (line.length <= 120 && /\S\s[-–—]\s\S/.test(line) && line.split(/\s+/).length <= 14);
  // A source that knows the title (a board, a page) often leaves it out of the text: then only a
  // first line that repeats it, or a header, is the title.
  if (title !== undefined && !header && line.trim().toLowerCase() !== title.trim().toLowerCase()) return undefined;
  if (line.length > 200) {
    if (!header) {
      // "Iterable (http://iterable.com) - San Francisco ...", "Python web developer in Delft (on site) http://...":
      // where the line breaks were lost, a short run of words before the first web address, with no
      // sentence end in it, is the title.
      const url = /\bhttps?:\/\/|\bwww\./.exec(line.slice(0, 140));
      const head = url ? line.slice(0, url.index) : '';
      if (head.trim() === '' || head.length > 120 || head.trim().split(/\s+/).length > 16 || /[.!?:]\s/.test(head) || NOT_A_TITLE.test(head)) return undefined;
      return [0, head.trimEnd().length];
    }
    const head = line.slice(0, 250);
    const lastPipe = head.lastIndexOf('|');
    const sentence = /\s\S+\s+\p{Ll}+\s+\p{Ll}+/u.exec(line.slice(lastPipe + 1, lastPipe + 61));
    return [0, lastPipe + 1 + (sentence ? sentence.index : Math.min(40, line.length - lastPipe - 1))];
  }
  // "Requirements: Python, Kubernetes" opens a section; it names no title.
  if (classifyHeading(line)) return undefined;
  const words = line.trim().split(/\s+/).length;
  // One line and nothing else is the posting, not its title.
  if (end < 0 || text.slice(end).trim() === '') return undefined;
  if (!header && (words > 16 || /[.!?]\s*$/.test(line) || /[.!?]\s+\p{Lu}/u.test(line) || NOT_A_TITLE.test(line))) return undefined;
  return [0, line.length];
}

/** A first line that reads as a list item or a requirement, not a title. */
const NOT_A_TITLE = /^\s*(?:[-*•·]|\d+[.)])|\b(?:years?|experience|required|preferred|must|you|we)\b/i;

/** Names the posting gives its employer: the hint, the header's first field, "About X", "At X, we". */
function employerNames(text: string, company: string | undefined, title: [number, number] | undefined): string[] {
  const names = new Set<string>();
  const add = (n: string | undefined) => {
    const name = n?.replace(/\(.*?\)|https?:\/\/\S+|www\.\S+/g, '').replace(/[,.;:!]+$/, '').trim();
    if (name && name.length >= 2 && name.length <= 60 && /^\p{Lu}/u.test(name) && name.split(/\s+/).length <= 5) names.add(name);
  };
  add(company);
  // "Acme Robotics | Senior Engineer | Boston": a header's first field names the employer.
  const header = title && text.slice(title[0], title[1]);
  if (header && /\||\s[-–—]\s/.test(header)) add(header.split(/\s*\|\s*|\s[-–—]\s|\s\(/)[0]);
  if (text.includes('About ')) {
    for (const m of text.matchAll(/^(?:#+[ \t]*)?About[ \t]+(\p{Lu}[\w&.'-]*(?:[ \t]+\p{Lu}[\w&.'-]*){0,3})[ \t]*:?[ \t]*$/gmu)) {
      if (!/^(?:Us|You|The|This|Our|Me)\b/.test(m[1] as string)) add(m[1]);
    }
  }
  if (text.includes('At ')) for (const m of text.matchAll(/(?:^|[.!?][ \t]+)At[ \t]+(\p{Lu}[\w&.'-]*(?:[ \t]+\p{Lu}[\w&.'-]*){0,2}),[ \t]+(?:we|our)\b/gmu)) add(m[1]);
  return [...names];
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function employerRanges(text: string, names: string[]): [number, number][] {
  const out: [number, number][] = [];
  if (names.length === 0) return out;
  // Offsets found in a lower-cased copy hold only when lower-casing kept the length ("İ" does not).
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  const find = (form: string, anyCase: boolean) => {
    const push = (at: number, end: number) => {
      if (!WORD_CHAR.test(text.charAt(at - 1)) && !WORD_CHAR.test(text.charAt(end))) out.push([at, end]);
    };
    if (!anyCase) {
      for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) push(at, at + form.length);
    } else if (sameLength) {
      const key = form.toLowerCase();
      for (let at = lower.indexOf(key); at !== -1; at = lower.indexOf(key, at + 1)) push(at, at + key.length);
    } else {
      // A case-insensitive pattern costs far more to compile than a search: only for such text.
      for (const m of text.matchAll(new RegExp(form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'))) push(m.index as number, (m.index as number) + m[0].length);
    }
  };
  for (const name of names) {
    find(name, true);
    // "Aurora Solar" is also "Aurora" where the text writes it capitalized.
    const first = name.split(/\s+/)[0] as string;
    if (first !== name && first.length >= 4) find(first, false);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

// "degree in Statistics, Mathematics or a related field", "BS/MS in CS or Physics"
const DEGREE_LEVEL = String.raw`(?:bachelor'?s?|master'?s?|ph\.?\s?d\.?|doctorate|b\.?s\.?c?|m\.?s\.?c?|b\.?a\.?|m\.?a\.?|b\.?eng|m\.?eng|mba)`;
// A degree's level (bounded alternatives: "BS/MS", "Bachelor's or Master's") right before "in"/"of",
// or the word degree right before "in": not "a high degree of proficiency", not "MS Office skills in".
const DEGREE = new RegExp(
  String.raw`\b(?:${DEGREE_LEVEL}(?:\s*(?:\/|or|and)\s*${DEGREE_LEVEL}){0,3}(?:'s)?(?:\s+(?:degree|of science|of arts|of engineering))?\s+(?:in|of)|degrees?\s+in)\s+(?!experience|the\b|a\b|an\b)`,
  'gi',
);
const FIELD_LIST_END = /[.;:\n(]|\b(?:with|plus|including|preferred|required|is|are|and\s+(?:\d|at least|a\b|an\b|experience|strong|proven|\w+ing\b)|or\s+(?:equivalent|related|similar|other|a\b|an\b)|experience)\b|\d/i;

function degreeFieldRanges(text: string): [number, number][] {
  if (!/degree|bachelor|master|ph\.?d|\bb\.?s|\bm\.?s|doctorate|diploma|mba/i.test(text)) return [];
  const out: [number, number][] = [];
  for (const m of text.replace(/[’`]/g, "'").matchAll(DEGREE)) {
    const start = (m.index as number) + m[0].length;
    const rest = text.slice(start, start + 160);
    const end = FIELD_LIST_END.exec(rest);
    out.push([start, start + (end ? end.index : rest.length)]);
  }
  return out;
}

/** Everything about a posting that the per-mention decisions need, computed once. */
export function computeDemandContext(text: string, company?: string, postingTitle?: string): DemandContext {
  const title = titleLine(text, postingTitle);
  const masked = maskedRanges(text);
  return {
    ...(title && { title }),
    masked,
    employer: employerRanges(text, employerNames(text, company, title)),
    degreeFields: degreeFieldRanges(text),
  };
}

/** The range of a sorted list that holds [start, end), by binary search on the starts. */
function inside<T extends readonly [number, number, ...unknown[]]>(ranges: readonly T[], start: number, end: number): T | undefined {
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((ranges[mid] as T)[0] <= start) lo = mid + 1;
    else hi = mid;
  }
  // Ranges may nest (a header's name inside a longer one): look back over those that start earlier.
  for (let k = lo - 1; k >= 0 && k >= lo - 4; k--) {
    const r = ranges[k] as T;
    if (r[0] <= start && end <= r[1]) return r;
  }
  return undefined;
}

/** A letter or digit (ASCII fast, the rest by Unicode class). */
function isLetter(c: number): boolean {
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  return /[\p{L}\p{N}]/u.test(String.fromCharCode(c));
}

/** Words for the people a posting hires: "Python developers", "a Senior Android Engineer". */
const ROLE_NOUN = /^(?:engineers?|leaders?|developers?|devs?|programmers?|hackers?|coders?|designers?|architects?|scientists?|researchers?|analysts?|managers?|leads?|specialists?|administrators?|admins?|consultants?|interns?|testers?|ninjas?|rockstars?|gurus?|wizards?|evangelists?|advocates?|technicians?|sres?|sdets?|contractors?|freelancers?)$/i;
/** Words that may stand between a skill and the role noun of a job title: "Python web developer", "Full Stack Engineer". */
const TITLE_FILLER = /^(?:web|software|stack|full|end|side|app|application|apps|mobile|platform|systems?|senior|sr|junior|jr|lead|staff|principal|development|dev|infrastructure|ops|and|or|&|\/|,|-|\.|\(|\))$/i;
const HIRING = /\b(?:looking for|looking to (?:add|hire|grow)|seeking|hiring|searching for|recruiting|need|want|we'?re after)\b/i;

/**
 * A mention that names a job: "Ruby on Rails Engineer", "a Senior Android Engineer", "iOS
 * developer". Returns `demand` when the posting says it wants people who do it ("looking for
 * Python and C++ hackers"), `position` when it only names an opening.
 */
export function jobTitleRole(text: string, start: number, end: number, hiring: boolean, spanEnds: ReadonlyMap<number, number>): 'demand' | 'position' | undefined {
  if (positionLine(text, start)) return 'position';
  // "Senior Engineering Leader - Machine Learning": a capitalized name after an opening's role noun
  // and a dash, ending the line or running into the next capitalized title, specializes that
  // opening, also where the line breaks of a list were lost.
  const dash = text.charCodeAt(start - 2);
  const dashed = text.charCodeAt(start - 1) === 32 && (dash === 45 || dash === 0x2013 || dash === 0x2014) ? /(\p{Lu}\p{Ll}+) [-–—] $/u.exec(text.slice(Math.max(0, start - 24), start)) : null;
  if (dashed && ROLE_NOUN.test(dashed[1] as string) && /^\p{Lu}/u.test(text.slice(start, start + 1)) && /^[ \t]*(?:\n|$|\p{Lu})/u.test(text.slice(end, end + 3))) return 'position';
  // A form that is itself a job title ("full stack web developer") ends at its role noun.
  let ownStart = end;
  while (ownStart > start && isLetter(text.charCodeAt(ownStart - 1))) ownStart--;
  let i = ownStart < end && ROLE_NOUN.test(text.slice(ownStart, end)) ? ownStart : end;
  // Whether the walk has passed punctuation or another mention.
  let crossed = false;
  for (let steps = 0; steps < 10; steps++) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
    const spanEnd = spanEnds.get(i);
    if (spanEnd !== undefined && spanEnd > i) {
      // Another mention: skipped, unless it ends in the role noun itself and only words led to it
      // ("Full stack" + "web developer"; not "(Go, Python) - Front-end developer", another item).
      let last = spanEnd;
      while (last > i && isLetter(text.charCodeAt(last - 1))) last--;
      i = !crossed && last > i && ROLE_NOUN.test(text.slice(last, spanEnd)) ? last : spanEnd;
      if (i === spanEnd) {
        crossed = true;
        continue;
      }
    }
    let j = i;
    while (j < text.length && j - i < 40 && isLetter(text.charCodeAt(j))) j++;
    if (j === i && i < text.length && text[i] !== '\n') j = i + 1;
    const word = text.slice(i, j);
    if (word === '') return undefined;
    if (ROLE_NOUN.test(word)) {
      const plural = /s$/i.test(word) && !/^(?:sres?|sdets?)$/i.test(word);
      const capital = /^\p{Lu}/u.test(word);
      // "a Senior Android Engineer" is an opening; "hiring Senior Python Engineers" asks for people who do it.
      if (capital && !/^\p{Lu}+$/u.test(word) && !(hiring && plural)) return 'position';
      if (hiring) return 'demand';
      // "Engineering Lead, iOS developer, Android developer": a list of openings, not "as a Python developer you will".
      // "used by a quarter of Ruby developers" speaks of people, not of this role's demand.
      const from = titleStart(text, start);
      const before = text.slice(Math.max(0, from - 12), from);
      if (plural) return /\b(?:of|by|among)\s+(?:\S+\s+)?$/.test(before) ? 'position' : undefined;
      return /(?:^|[,:;•(]|\n)\s*(?:[-*]\s*)?(?:an?\s+)?$/.test(before) ? 'position' : undefined;
    }
    if (!TITLE_FILLER.test(word)) return undefined;
    if (!isLetter(word.charCodeAt(0))) crossed = true;
    i += word.length;
  }
  return undefined;
}

/** Where the job title holding a mention starts: back over title words ("Full stack web developer"). */
function titleStart(text: string, start: number): number {
  let s = start;
  for (let steps = 0; steps < 4; steps++) {
    let j = s;
    while (j > 0 && (text[j - 1] === ' ' || text[j - 1] === '\t')) j--;
    let k = j;
    while (k > 0 && isLetter(text.charCodeAt(k - 1))) k--;
    if (k === j || !TITLE_FILLER.test(text.slice(k, j))) break;
    s = k;
  }
  return s;
}

/**
 * A line that is an opening's name, as in a list of open positions: short, no sentence, no
 * "Company | Role | Stack" header, with a capitalized role noun ("Senior Engineering Leader - Machine Learning").
 */
function positionLine(text: string, offset: number): boolean {
  // Only lines of 80 characters or fewer: look for their ends no further than that.
  const window = text.slice(Math.max(0, offset - 81), offset + 81);
  const at = offset - Math.max(0, offset - 81);
  const before = window.lastIndexOf('\n', at - 1);
  const after = window.indexOf('\n', at);
  if ((before < 0 && offset > 81) || (after < 0 && offset + 81 < text.length)) return false;
  const from = offset - at + before + 1;
  const to = after < 0 ? text.length : offset - at + after;
  if (to - from > 80) return false;
  const raw = text.slice(from, to);
  const line = raw.replace(/^[\s\-*•·]+/, '').replace(/\b(?:https?:\/\/|www\.)\S+/g, '').trim();
  if (/[.!?]$|\|/.test(line)) return false;
  const words = line.split(/[\s,/()&:]+|\s-\s/).filter((w) => w !== '' && w !== '-');
  // A title is title-cased: "Lead a team of four engineers" is a duty, not an opening.
  if (words.some((w) => /^\p{Ll}/u.test(w) && !/^(?:of|and|for|in|the|at|to|with|on|or|a|an)$/.test(w))) return false;
  // "Machine Learning: https://...": an opening's name and the link to it.
  if (words.length <= 5 && /:\s*(?:https?:\/\/|www\.)\S+\s*$/.test(raw)) return true;
  return words.some((w) => ROLE_NOUN.test(w) && /^\p{Lu}\p{Ll}/u.test(w));
}

/** The mention stands in brackets right after a capitalized role noun, first or after a comma: "Engineer (Backend", "Developer (iOS, Backend". */
function bracketedInTitle(text: string, start: number): boolean {
  const m = /(\p{Lu}\p{Ll}+) \((?:[^()\n]{1,40},\s*)?$/u.exec(text.slice(Math.max(0, start - 60), start));
  return m !== null && ROLE_NOUN.test(m[1] as string);
}

/** Words before a company that someone founded or led: "VP Eng at", "founder of", "I founded". */
const LED = /\b(?:(?:co-?)?founders?\s+(?:of|at)|(?:co-?)?founded|ceo|cto|coo|vp(?:\s+(?:of\s+)?\w+)?|vice president(?:\s+of\s+\w+)?)\s+(?:(?:at|of)\s+)?$/i;

function ledCompany(text: string, start: number): boolean {
  return LED.test(text.slice(Math.max(0, start - 40), start));
}

/** Sentences about the employer, not the role: its mission, products, customers, funding. */
const DESCRIPTION = /^(?:our (?:mission|vision|products?|platform|customers|clients|users|company|business|goal|solutions?|investors|values|members|community)\b|we (?:make|provide|offer|sell|serve|help|empower|enable|believe|were founded|started|raised|just raised|just closed|closed|have raised|are backed|are funded|are proud|are a (?:public benefit|leading|global))\b|(?:founded|backed|trusted|funded|used) (?:in|by)\b|join us\b)/i;
/** Sentences that state the stack the team works with: these count wherever they stand. */
const STACK = /\b(?:we use|we're using|we are using|we've used|uses|using|we work (?:with|in)|built (?:on|with|in|using|entirely)|written (?:in|mostly in)|powered by|runs? on|running on|rel(?:y|ies) on|(?:tech(?:nology)?|software|engineering|backend|back-end|frontend|front-end|data|current|primary|main|core) stack|our stack|stack (?:is|includes|:)|technolog(?:y|ies) (?:we|include)|tools (?:we|include)|developed (?:in|with|using)|implemented in|shop\b|migrat(?:e|ing) to|moving to)/i;
const APPLY = /\b(?:send (?:us )?(?:your|a) (?:resume|cv|github|portfolio|application)|(?:e-?mail|contact|reach out to) (?:us|me|\w+@)|to apply\b|apply (?:at|here|online|now|via|through|today)|please (?:include|send|apply|mention|reach)|how to apply)/i;
const LEGAL = /\b(?:equal (?:employment )?opportunity|eeo|without regard to|discriminat|reasonable accommodations?|background check|e-verify|affirmative action|protected veteran|visa sponsorship|privacy (?:notice|policy)|under-?represented)\b/i;

/** What a sentence says about its mentions as a whole: computed once per sentence. */
export interface SentenceFacts {
  readonly text: string;
  /** Offset of the sentence in the posting text. */
  readonly start: number;
  /** It states the stack the team works with ("we use", "built on"). */
  readonly stack: boolean;
  /** It describes the employer ("Our mission is", "We help"). */
  readonly description: boolean;
  /** It says the employer wants people ("looking for", "hiring"). */
  readonly hiring: boolean;
  /** Where how-to-apply and legal wording stand in it, as sentence offsets. */
  readonly apply: [number, number][];
  readonly legal: [number, number][];
}

const matches = (re: RegExp, s: string): [number, number][] => {
  const out: [number, number][] = [];
  for (const m of s.matchAll(re)) out.push([m.index as number, (m.index as number) + m[0].length]);
  return out;
};
const APPLY_ALL = new RegExp(APPLY.source, 'gi');
// Words every match of a pattern holds: a sentence without any of them needs no pattern run.
const STACK_WORDS = ['use', 'using', 'built', 'written', 'powered', 'run', 'rel', 'stack', 'technolog', 'tools', 'developed', 'implemented', 'shop', 'migrat', 'moving', 'work with', 'work in'];
const APPLY_WORDS = ['send', 'mail', 'contact', 'reach out', 'apply', 'please'];
const LEGAL_WORDS = ['equal', 'eeo', 'regard', 'discriminat', 'accommodat', 'background check', 'verify', 'affirmative', 'veteran', 'visa', 'privacy', 'represented'];

const STACK_GATE = anyOf(STACK_WORDS);
const APPLY_GATE = anyOf(APPLY_WORDS);
const LEGAL_GATE = anyOf(LEGAL_WORDS);
const LEGAL_ALL = new RegExp(LEGAL.source, 'gi');

/** The facts of one sentence, each found the first time a mention asks for it. */
class LazySentenceFacts implements SentenceFacts {
  #stack?: boolean;
  #description?: boolean;
  #hiring?: boolean;
  #apply?: [number, number][];
  #legal?: [number, number][];
  constructor(
    readonly text: string,
    readonly start: number,
    lower?: string,
  ) {
    this.#lower = lower;
  }
  #lower?: string;
  /**
   * The sentence in lower case, for the cheap word tests that spare most sentences the patterns
   * (straight quotes or curly make no difference to them: their words hold none).
   */
  get lower(): string {
    this.#lower ??= this.text.toLowerCase();
    return this.#lower;
  }
  get stack(): boolean {
    this.#stack ??= STACK_GATE.test(this.lower) && STACK.test(this.text);
    return this.#stack;
  }
  get description(): boolean {
    this.#description ??= /^(?:our|we|founded|backed|trusted|funded|used|join)\b/i.test(this.text) && DESCRIPTION.test(this.text);
    return this.#description;
  }
  get hiring(): boolean {
    this.#hiring ??= HIRING.test(this.text);
    return this.#hiring;
  }
  get apply(): [number, number][] {
    this.#apply ??= APPLY_GATE.test(this.lower) ? matches(APPLY_ALL, this.text) : [];
    return this.#apply;
  }
  get legal(): [number, number][] {
    this.#legal ??= LEGAL_GATE.test(this.lower) ? matches(LEGAL_ALL, this.text) : [];
    return this.#legal;
  }
}

/** `lower`: the sentence in lower case, when the caller has it. */
export function computeSentenceFacts(text: string, start: number, lower?: string): SentenceFacts {
  return new LazySentenceFacts(text, start, lower);
}

export interface MentionFacts {
  start: number;
  end: number;
  skill: SkillEntry;
  section: SectionKind;
  /** The heading of the section the mention stands in. */
  heading: string;
  sentence: SentenceFacts;
  /** A requirement or preference cue of the sentence reaches the mention (explicit or weak). */
  cued: boolean;
  /** Joined in a list to another technical skill that is not an umbrella ("Skills: Data analysis, ETL, SQL"). */
  listed: boolean;
  /** Where each skill found in the text ends, by its start: job titles that name several ("RTL/Verilog Engineer"). */
  spanEnds: ReadonlyMap<number, number>;
}

/**
 * Wording of the sentence that stands near a mention and speaks for it: at most 100 characters
 * before it, or 60 after it in the same clause ("Mobile Developer (iOS) - email us"). A capitalized
 * word between starts another sentence whose end was lost: "Dependency Injection If interested,
 * please apply" does not set the skill aside.
 */
function nearby(ranges: readonly [number, number][], m: MentionFacts): boolean {
  const at = m.start - m.sentence.start;
  const from = at - 100;
  const end = at + (m.end - m.start);
  const to = end + 60;
  return ranges.some(([a, b]) => a < to && b > from && (a < end || !newSentence(m, end, a)));
}

/** A capitalized word that is no skill's name stands between [from, to) of the sentence: another sentence began. */
function newSentence(m: MentionFacts, from: number, to: number): boolean {
  for (const w of m.sentence.text.slice(from, to + 2).matchAll(/\s(\p{Lu}\p{Ll})/gu)) {
    if (!m.spanEnds.has(m.sentence.start + from + (w.index as number) + 1)) return true;
  }
  return false;
}

/** A colon and a link right after a name: the name labels the link. */
const LINK_LABEL = /^[\s)]*:[\s)]*(?:https?:\/\/|www\.)/i;

/** A colon right after a word makes it the label of what follows ("Cloud: Azure"), not a URL's scheme; so does a bracket that lists what it stands for ("front-end (JS, Knockout)"). */
const LABEL = /^\s?(?::(?!\/)|\((?!\s*(?:preferred|required|a plus|nice|bonus|optional|or\b|and\b|any\b|looking|ideally|preferably|e\.g|i\.e|a lot|mostly|some)))/i;

/** A hyphen and a participle or adjective after a word make it a modifier: "database-backed", "AI-powered". */
const MODIFIER = /^-(?:backed|based|driven|powered|enabled|native|first|focused|centric|oriented|heavy|intensive|adjacent|agnostic|facing|related|friendly|savvy|minded)\b/i;

/** What the place of a mention alone decides: inside a URL or address, or the title. */
export function decideByPlace(start: number, end: number, ctx: DemandContext): { counted: false; reason: SetAsideReason } | undefined {
  const mask = inside(ctx.masked, start, end);
  if (mask) return { counted: false, reason: mask[2] };
  if (ctx.title && start < ctx.title[1]) return { counted: false, reason: 'title' };
  return undefined;
}

export type DemandDecision = { counted: true; reason: CountedReason; required?: boolean } | { counted: false; reason: SetAsideReason };

/**
 * Whether a mention is demand. Set aside: URLs and addresses, the title heading, the employer's
 * name, job titles of open positions, the fields of a degree, the employer's description, benefits,
 * how-to-apply and legal text (unless the sentence states the stack), and umbrella entries
 * ("Security", "APIs") that the text does not ask for as a competence.
 */
export function decideDemand(text: string, m: MentionFacts, ctx: DemandContext): DemandDecision {
  const placed = decideByPlace(m.start, m.end, ctx);
  if (placed) return placed;
  // "Research experience", "publications": the work itself, never a skill of the posting.
  if (m.skill.kind === 'generic') return { counted: false, reason: 'generic' };
  const asked = m.section === 'requirements' || m.section === 'preferred';
  // The employer's name, unless the text asks for it ("Deep experience with MongoDB" at MongoDB),
  // and a company someone led or founded ("I was VP Eng at Bugsnag", "founder of CircleCI").
  if (!m.cued && !asked && (inside(ctx.employer, m.start, m.end) || ledCompany(text, m.start))) return { counted: false, reason: 'employer' };
  // Under a requirements heading a title-like item asks for the skill ("- Kubernetes Administrator
  // (CKA)"); under "We're looking for:" or "Open positions" it names an opening.
  const itemsAsked = asked && !/\b(?:looking for|hiring|positions?|roles|openings)\b/i.test(m.heading);
  // "Machine Learning: https://...", "(Full Stack, Back-end:) https://...": a name that labels a
  // link names the page of an opening, also where the line breaks of its list were lost.
  if (!itemsAsked && LINK_LABEL.test(text.slice(m.end, m.end + 16))) return { counted: false, reason: 'position' };
  // "Software Engineer (Full Stack, Back-end)": an umbrella word in an opening's brackets names the kind of job.
  if (!itemsAsked && m.skill.kind === 'umbrella' && !m.cued && !m.listed && bracketedInTitle(text, m.start)) return { counted: false, reason: 'position' };
  const job = itemsAsked || NON_TECHNICAL.has(m.skill.category) ? undefined : jobTitleRole(text, m.start, m.end, m.sentence.hiring, m.spanEnds);
  if (job === 'position') return { counted: false, reason: 'position' };
  if (job === 'demand') return { counted: true, reason: 'asked', required: true };
  if (inside(ctx.degreeFields, m.start, m.end)) return { counted: false, reason: 'degree-field' };
  const stack = m.section === 'stack' || m.sentence.stack;
  if (!stack) {
    if (m.section === 'benefits') return { counted: false, reason: 'benefits' };
    // Under "How to apply" or "Equal opportunity"; a "Location:" or "Logistics" heading sets nothing aside.
    if (m.section === 'other' && /\b(?:eeo|equal|diversity)\b/i.test(m.heading)) return { counted: false, reason: 'legal' };
    if (m.section === 'other' && /\b(?:apply|application|interview|contact|hiring|recruit(?:ing|ment)|selection|verification)\b/i.test(m.heading)) return { counted: false, reason: 'apply' };
    // How to apply and legal wording speak for what stands near them, not for a whole run-on paragraph.
    if (nearby(m.sentence.legal, m)) return { counted: false, reason: 'legal' };
    if (nearby(m.sentence.apply, m)) return { counted: false, reason: 'apply' };
    if (m.section === 'about' && !m.cued) return { counted: false, reason: 'description' };
    if (!m.cued && m.sentence.description) return { counted: false, reason: 'description' };
  }
  // Listed beside a technology, an umbrella word still only says what a thing is when it modifies
  // it ("AngularJS, database-backed services") or labels a list of the stack ("Cloud: Azure, AWS").
  if (m.skill.kind === 'umbrella' && !(m.cued || asked) && (!m.listed || MODIFIER.test(text.slice(m.end, m.end + 16)) || LABEL.test(text.slice(m.end, m.end + 16)))) {
    return { counted: false, reason: 'umbrella' };
  }
  return { counted: true, reason: m.cued || asked ? 'asked' : stack ? 'stack' : 'mentioned' };
}
