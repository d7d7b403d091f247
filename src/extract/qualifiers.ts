/**
 * What a sentence says about the skills it names: requirement cues ("must", "a plus"), negation
 * ("no Java experience needed", "not required"), and years ("5+ years of Python"). Cheap regular
 * expressions over one sentence, computed once per sentence and cached by the caller.
 *
 * A cue reaches the mentions on one side of it, within its clause: "must", "ideally" and "No"
 * reach forward; "is a plus", "is required" and "is not needed" reach back. Clauses end at ";",
 * "but", "however", "whereas", "while" and dashes.
 */

import type { Requirement } from '../types.js';

type Direction = 'forward' | 'backward';

export interface Cue {
  start: number;
  end: number;
  dir: Direction;
}

export interface LevelCue extends Cue {
  level: Exclude<Requirement, 'unspecified'>;
  /** A cue that gives way to the section and to explicit cues ("experience with", "strong"). */
  weak: boolean;
}

export interface YearsCue extends Cue {
  years: number;
}

export interface SentenceCues {
  level: LevelCue[];
  negation: Cue[];
  years: YearsCue[];
  /** "5 years, or 3 with a Master's": alternative figures for the role as a whole. */
  alternativeYears: number[];
  /** Offsets where a clause ends. */
  breaks: number[];
}

const WORD_NUMBERS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, twenty: 20, 'a couple of': 2, 'a few': 3,
};
const NUM = String.raw`(\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|twenty|a couple of|a few)`;

function toNumber(s: string): number {
  return WORD_NUMBERS[s] ?? Number(s);
}

/** Words every level cue contains one of (checked before the cue patterns run). */
const LEVEL_GATE = /ideal|prefer|option|bonus|nice|plus|extra|good|great|better|love|desir|must|requir|mandatory|essential|you|need|strong|solid|proven|deep|extensive|excellent|significant|demonstrat|expert|proficien|fluen|advantage|helpful|benefic|welcome|appreciat|necessary|compulsory|would be|expect|looking|seeking|hiring|searching|experience|knowledge|familiar|understanding|background|skill|comfortable/;

/** A form field's label glued to its value, after a space: " Family:Data Science", " Type of Requisition:Regular" (as short as sections.ts reads it). */
const GLUED_FIELD = /\s(?:\p{Lu}[\p{L}/&-]*\s+of\s+)?\p{Lu}[\p{L}/&-]*:(?=[\p{L}\d])/gu;

const BREAK = /;|\bbut\b|\bhowever\b|\bwhereas\b|\bwhile\b|\s[–—-]\s|\bthough\b|\s\|\s|\s•\s/g;

/**
 * Each pattern with the words every match of it contains: a pattern runs only on a sentence that
 * holds one of them (substring tests are far cheaper than the patterns' alternations). Weak cues
 * ("experience with", "strong", "knowledge of") say required only where neither an explicit cue
 * nor the section says otherwise: "Preferably strong SQL" is preferred, and so is "Experience with
 * Go" under "Nice to have".
 */
const LEVEL_CUES: [RegExp, LevelCue['level'], Direction, string[], boolean][] = [
  // "Nice to have: Go", "Ideally Rust", "Bonus points for Scala"
  [/\b(?:ideally|preferably|optionally|bonus(?: points)? (?:for|if you (?:have|know))|bonus(?: points)?:|nice[- ]to[- ]haves?:|(?:it'?s |it is )?a (?:big )?plus if you(?: have| know|'ve| bring)?|a plus:|pluses:|plus if you(?: have| know)?|extra credit(?: for| if)?|good to have:?|(?:it )?would be (?:great|nice|a plus) (?:if you (?:have|know)|to see)|even better if you(?: have| know)?|we'?d love (?:it if you (?:have|know)|to see)|you (?:might|may|could) (?:have|know|bring)|great if you (?:have|know)|desirable:|preferred:)(?:\b|(?<=:)):?/g, 'preferred', 'forward', ['ideally', 'preferabl', 'optionally', 'bonus', 'nice', 'plus', 'extra credit', 'good to have', 'would be', 'better if', 'love', 'great if', 'desirable:', 'preferred:', 'you might', 'you may', 'you could'], false],
  // "Kafka is a plus", "Terraform experience preferred", "familiarity with Go is helpful"
  [/\b(?:is |are )?not required,? but (?:a plus|nice to have|preferred|helpful|welcome)\b|\b(?:(?:is|are|would be|will be|as) )?(?:a (?:big |huge |strong |real |definite )?plus|an? (?:added |big )?(?:advantage|bonus)|a nice[- ]to[- ]have|nice[- ]to[- ]have|preferred|desired|considered a plus)\b|\b(?:(?:is|are|would be|will be|be|as|also|very|highly|especially|definitely|particularly) )(?:desirable|advantageous|helpful|beneficial|welcome|appreciated|optional)\b|\b(?:desirable|advantageous|helpful|beneficial|welcome|appreciated|optional)(?=\s*(?:[.;,)]|$))|\bwould be (?:nice|great|good|ideal|useful)\b/g, 'preferred', 'backward', ['plus', 'nice', 'prefer', 'helpful', 'welcome', 'advantage', 'bonus', 'desir', 'benefic', 'appreciat', 'optional', 'would be'], false],
  // "Must have Python", "Required: SQL", "You have 3 years of Go", "We're looking for Go hackers"
  [/\b(?:(?<!\ba )must(?: have| know| be| possess)?|must-haves?:?|required:|requirements?:|mandatory:|essential:|you (?:have|bring|know)|you(?:'ll| will) (?:need|bring)|you(?:'ll| will) have (?!a chance|the (?:chance|opportunity)|an? opportunity|access)|you should|we require|we expect|requires|require|need to (?:have|know)|you need|(?:we'?re|we are|i'?m|i am|are|is) (?:(?:currently|specifically|also|actively) )?(?:looking for|seeking|hiring|searching for))\b/g, 'required', 'forward', ['must', 'require', 'mandatory:', 'essential:', 'you', 'we expect', 'need to', 'looking for', 'seeking', 'hiring', 'searching'], false],
  // "Python is required", "SQL is a must", "AWS knowledge needed"
  [/\b(?:(?:is|are) )?(?:required|a must|mandatory|essential|needed|necessary|a requirement|compulsory)\b/g, 'required', 'backward', ['required', 'a must', 'mandatory', 'essential', 'needed', 'necessary', 'a requirement', 'compulsory'], false],
  // "Strong experience in AWS", "Experience with Go", "Knowledge of SQL", "Familiarity with Docker"
  // ("solid experience with", "deep knowledge of" are found by their nouns)
  [/\b(?:strong|expert(?:ise)? (?:in|with)|proficien(?:t|cy) (?:in|with|using)|fluen(?:t|cy) in|experience (?:with|in|using|of|building|developing|working with|writing)|experienced (?:with|in|at|using)|knowledge of|familiar(?:ity)? with|understanding of|background in|skills? in|comfortable (?:with|using|working with|in)|track record)\b/g, 'required', 'forward', ['strong', 'expert', 'proficien', 'fluen', 'experience', 'knowledge of', 'familiar', 'understanding of', 'background in', 'skill', 'comfortable', 'track record'], true],
];

/** A pattern that finds any of the words, as a substring: one scan of a sentence, not one per word. */
export function anyOf(words: readonly string[]): RegExp {
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

/** The cues with their words joined into one pattern each: one scan of the sentence, not one per word. */
const LEVEL_CUE_GATES = LEVEL_CUES.map(([re, lvl, dir, words, weak]) => [re, lvl, dir, anyOf(words), weak] as const);

// Forward negation: the next skill (within a couple of words) and the list it heads.
const NEGATION_FORWARD = /\bnot (?:required|needed|necessary):|\b(?:no|zero|without(?: any)?|unlike|instead of|rather than|not an?|not simply|no need for|dislikes?|(?:we )?(?:moved|moving|migrated|migrating) (?:off|away from)|(?:don't|do not|doesn't|does not|won't|will not) (?:need|require|use|expect)|never used|not using|not looking for)\b/g;
// Backward negation: "Java is not required", "no Java experience needed" (the "no" reaches forward too).
const NEGATION_BACKWARD = /\b(?:(?:is|are) not|isn't|aren't|not) (?:required|needed|necessary|a requirement|expected|mandatory)\b|\bnot needed\b|\bnot necessary\b/g;
// Phrases that look negative but are not: "not only", "including but not limited to".
const NOT_NEGATION = /\bnot (?:only|just|limited to|necessarily)\b|\bno (?:later|longer|matter|more than|less than|doubt)\b/g;

// "5+ years", "3-5 years", "at least two years", "five years'", "2 yrs"
// "three (3) years", "0-3 years", "5+ YOE"
const YEARS = new RegExp(String.raw`\b(?:(?:at least|minimum(?: of)?|min\.?|over|more than|a minimum of)\s+)?${NUM}(?:\s*\(\d{1,2}\+?\))?\s*\+?(?:\s*(?:-|–|to)\s*${NUM})?\s*\+?\s*(?:years?|yrs?|yoe)\b['’]?`, 'g');
// "or 3 with a Master's", "3 years with a PhD"
const ALTERNATIVE_YEARS = new RegExp(
  String.raw`\bor\s+${NUM}\s*\+?\s*(?:years?|yrs?)?\s*(?:of experience\s*)?(?:with|for those with|if you have|given)\s+(?:a|an)?\s*(?:master|ms\b|msc|m\.s|phd|ph\.d|doctorate|graduate|advanced|relevant)`,
  'g',
);

const PERSON = /\b(?:engineers?|developers?|programmers?|hackers?|designers?|scientists?|architects?|analysts?|people|person|someone|somebody|candidates?|individuals?|folks|talent|team members?|interns?|leads?|hires?)\b/;

/**
 * A sentence (or a whole text) in lower case with its curly and back quotes made straight: what
 * the cues are matched on. `lower`: the text lowercased, when the caller has it.
 */
export function lowerSentence(text: string, lower = text.toLowerCase()): string {
  return lower.includes('’') || lower.includes('`') ? lower.replace(/[’`]/g, "'") : lower;
}

/**
 * Finds the requirement, negation and years cues of one sentence (any case). `lowered`: the
 * sentence as lowerSentence gives it, when the caller has it (a slice of its whole text's).
 */
// Cheap gates: most sentences hold no cue of a family, and one test spares its long patterns.
const MAY_NEGATE = /\b(?:no|not|zero|without|unlike|instead|rather|don't|do|doesn't|does|won't|will|isn't|aren't|never|dislikes?|moved|moving|migrated|migrating)\b/;
const MAY_HAVE_YEARS = /\b(?:years?|yrs?|yoe)\b/;
const NO_CUES: SentenceCues = Object.freeze({ level: [], negation: [], years: [], alternativeYears: [], breaks: [] }) as SentenceCues;

export function analyzeSentence(sentence: string, lowered = lowerSentence(sentence)): SentenceCues {
  const s = lowered;
  const negatable = MAY_NEGATE.test(s);
  const withYears = MAY_HAVE_YEARS.test(s);
  const breaks: number[] = [];
  if (!negatable && !withYears && !LEVEL_GATE.test(s)) return NO_CUES;
  for (const m of s.matchAll(BREAK)) {
    // "not required but a plus" is one thought: no break inside it.
    if (m[0] === 'but' && /not required,?\s*$/.test(s.slice(0, m.index))) continue;
    breaks.push(m.index as number);
  }
  // "Required:BI Full 6C Job Family:Data Science": a form's next field ends the value before it.
  if (/[a-z]:[a-z0-9]/.test(s)) for (const m of sentence.matchAll(GLUED_FIELD)) breaks.push((m.index as number) + 1);
  // "the languages we use – C#, VBA and SQL – are helpful": a pair of dashes brackets a list, it does not end a clause.
  const dashes = breaks.length < 2 ? [] : [...s.matchAll(/\s[–—-]\s/g)].map((m) => m.index as number);
  if (dashes.length === 2 && s.slice(dashes[0], dashes[1]).includes(',')) {
    for (let k = breaks.length - 1; k >= 0; k--) if (dashes.includes(breaks[k] as number)) breaks.splice(k, 1);
  }
  const level: LevelCue[] = [];
  for (const [re, lvl, dir, gate, weak] of LEVEL_CUE_GATES) {
    if (!gate.test(s)) continue;
    for (const m of s.matchAll(re)) {
      const start = m.index as number;
      const end = start + m[0].length;
      if (level.some((c) => c.start < end && start < c.end)) continue; // earlier patterns win overlaps
      // "Familiarity with X is helpful" reaches back; a trailing colon always points forward.
      // "... A/B testing Nice to have • dbt": a capitalized cue inside a run-on line is a heading for what follows.
      const heading = dir === 'backward' && start > 0 && /\p{Lu}/u.test(sentence[start] ?? '') && /^\s*(?:[•·*-]|\p{Lu}|$)/u.test(sentence.slice(end));
      level.push({ start, end, dir: m[0].endsWith(':') || heading ? 'forward' : dir, level: lvl, weak });
    }
  }
  // "We're looking for engineers to build mobile apps": the hiring cue asks for the people it names
  // and the skills before them ("Python and C++ hackers"), not for what they will work on.
  for (const c of level) {
    if (!/looking for|seeking|hiring|searching for/.test(s.slice(c.start, c.end))) continue;
    const person = PERSON.exec(s.slice(c.end));
    if (person) breaks.push(c.end + person.index + person[0].length);
  }
  // "Go, Rust (nice to have)": a cue in brackets speaks for the item it follows, not the whole list.
  for (const c of level) {
    if (c.dir !== 'backward') continue;
    const open = /\(\s*$/.exec(s.slice(Math.max(0, c.start - 4), c.start));
    if (!open) continue;
    const comma = s.lastIndexOf(',', c.start);
    if (comma >= 0) breaks.push(comma);
  }
  const falseNegations = negatable ? [...s.matchAll(NOT_NEGATION)].map((m) => [m.index as number, (m.index as number) + m[0].length]) : [];
  const negation: Cue[] = [];
  for (const [re, dir] of (negatable ? [
    [NEGATION_FORWARD, 'forward'],
    [NEGATION_BACKWARD, 'backward'],
  ] : []) as [RegExp, Direction][]) {
    for (const m of s.matchAll(re)) {
      const start = m.index as number;
      const end = start + m[0].length;
      if (falseNegations.some(([a, b]) => (a as number) < end && start < (b as number))) continue;
      // "not required, but a plus" is a preference, not a negation.
      if (dir === 'backward' && (/^,?\s*but\b/.test(s.slice(end)) || s[end] === ':')) continue;
      negation.push({ start, end, dir });
    }
  }
  const negated = (c: Cue) => negation.some((n) => n.start < c.end && c.start < n.end);
  for (let k = level.length - 1; k >= 0; k--) if (negated(level[k] as LevelCue) && level[k]?.level === 'required') level.splice(k, 1);
  const years: YearsCue[] = [];
  for (const m of withYears ? s.matchAll(YEARS) : []) {
    const start = m.index as number;
    const low = toNumber(m[1] as string);
    // 0 only as the low end of a range ("0-2 years"); "4 years ago" and "10 years old" are not experience.
    if (!Number.isFinite(low) || low < 0 || (low === 0 && m[2] === undefined) || low > 40) continue;
    if (/^\s*(?:ago|old|in business|running)\b/.test(s.slice(start + m[0].length))) continue;
    // "Python (5+ years)", "Go: 3 years", "Java experience of 5 years" reach back; the rest forward.
    const before = s.slice(Math.max(0, start - 3), start);
    const after = s.slice(start + m[0].length, start + m[0].length + 40);
    // After a colon the figure reaches back ("Go: 3 years") unless it names what it is for: a
    // heading's colon ("Requirements: 5+ years of Python") leaves it reaching forward.
    const namesItsSkill = /^\s*(?:of|in|with|using)\s+(?!experience\b(?!\s+(?:in|with|using)\b))/i.test(after);
    const backward = (/\(\s*$/.test(before) || (/:\s*$/.test(before) && !namesItsSkill)) || /\bof\s*$/.test(s.slice(Math.max(0, start - 14), start)) || /^\s*(?:\)|$|[,.;])/.test(after);
    years.push({ start, end: start + m[0].length, dir: backward ? 'backward' : 'forward', years: low });
  }
  const alternativeYears = (withYears ? [...s.matchAll(ALTERNATIVE_YEARS)] : []).map((m) => toNumber(m[1] as string)).filter((n) => Number.isFinite(n) && n > 0);
  return { level, negation, years, alternativeYears, breaks };
}

/** The clause [start, end) of the sentence that holds `offset`. */
function clauseOf(cues: SentenceCues, offset: number, length: number): [number, number] {
  let start = 0;
  let end = length;
  for (const b of cues.breaks) {
    if (b <= offset) start = Math.max(start, b);
    else end = Math.min(end, b);
  }
  return [start, end];
}

/**
 * The cue that reaches a mention at [start, end) of the sentence: the nearest forward cue before
 * it or backward cue after it, in the same clause.
 */
function reaching<T extends Cue>(cues: T[], all: SentenceCues, start: number, end: number, length: number, accept?: (c: T) => boolean): T | undefined {
  const [lo, hi] = clauseOf(all, start, length);
  let best: T | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of cues) {
    if (accept && !accept(c)) continue;
    const distance = c.dir === 'forward' ? (c.end <= start && c.start >= lo ? start - c.end : -1) : c.start >= end && c.end <= hi ? c.start - end : -1;
    if (distance >= 0 && distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}

const isStrong = (c: LevelCue) => !c.weak;

/**
 * The requirement level the sentence's own words give a mention, if any: the nearest explicit cue,
 * else the nearest weak one (marked, so that the section can speak first).
 */
export function levelOf(cues: SentenceCues, start: number, end: number, length: number): { level: LevelCue['level']; weak: boolean } | undefined {
  const strong = reaching(cues.level, cues, start, end, length, isStrong);
  if (strong) return { level: strong.level, weak: false };
  const weak = reaching(cues.level, cues, start, end, length);
  return weak && { level: weak.level, weak: true };
}

/** The years the sentence gives a mention: "5+ years of Python", "Go (3 years)". */
export function yearsOf(cues: SentenceCues, start: number, end: number, length: number): YearsCue | undefined {
  return reaching(cues.years, cues, start, end, length);
}

/**
 * Whether a negation reaches a mention. A forward cue reaches the first mention right after it
 * (`firstAfterCue`: the caller knows the list runs); a backward cue every mention before it in
 * the clause.
 */
export function negationOf(cues: SentenceCues, start: number, end: number, length: number): Cue | undefined {
  return reaching(cues.negation, cues, start, end, length);
}
