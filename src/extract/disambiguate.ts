import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { Gap, type Tokens } from '../taxonomy/tokens.js';
import type { Candidate } from './match.js';
import { tagsAt } from './pos.js';
import { SentenceIndex } from './sentences.js';

/**
 * Categories that are not technologies: their hits do not vouch for a neighbouring ambiguous
 * name, and their own ambiguous forms count only with their context words ("strong
 * communication skills", "experience in healthcare"), never because a technology stands nearby.
 */
export const NON_TECHNICAL = new Set(['soft-skills', 'education', 'domain']);

/** How far (UTF-16 units) around an ambiguous hit to look for supporting context, within its paragraph. */
const CONTEXT_WINDOW = 160;

/** How a kept candidate was confirmed, for its confidence. */
export type Support = 'firm' | 'list' | 'context' | 'tag-list';

/**
 * Keeps the candidates that name their skill: not ruled out by a `not` phrase, and, for ambiguous
 * forms, supported by their surroundings. Returns each kept candidate with how it was confirmed.
 */
export function disambiguate(
  text: string,
  tokens: Tokens,
  candidates: Candidate[],
  compiled: CompiledTaxonomy,
  sentences: SentenceIndex = new SentenceIndex(text),
): { candidate: Candidate; support: Support }[] {
  const kept: { candidate: Candidate; support: Support }[] = [];
  let runs: ListRuns | undefined;
  candidates.forEach((c, i) => {
    if (ruledOutByNot(c, tokens, compiled) || currencyCode(text, c)) return;
    if (c.caseMismatch) {
      runs ??= listRuns(candidates, tokens, compiled);
      if ((runs.firm[runs.of[i] as number] as number) - (vouches(c, compiled) ? 1 : 0) >= 2) kept.push({ candidate: c, support: 'tag-list' });
      return;
    }
    if (!c.ambiguous) {
      kept.push({ candidate: c, support: 'firm' });
      return;
    }
    const support = supported(c, i, candidates, text, tokens, compiled, sentences);
    if (support) kept.push({ candidate: c, support });
  });
  return kept;
}

/** A `not` phrase of the skill ("go-to-market", "R&D") covers the candidate. */
function ruledOutByNot(c: Candidate, tokens: Tokens, compiled: CompiledTaxonomy): boolean {
  for (const phrase of compiled.notPhrases[c.skill] ?? []) {
    // Try every alignment of the phrase that would cover the candidate's first token.
    for (let offset = 0; offset < phrase.length; offset++) {
      const from = c.tokenStart - offset;
      if (from < 0 || from + phrase.length < c.tokenEnd) continue;
      if (phraseAt(tokens, from, phrase)) return true;
    }
  }
  return false;
}

/** Currency codes, some of which are also skills' names (CAD). */
const CURRENCIES = new Set(['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'JPY', 'CNY', 'INR', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'HUF', 'SGD', 'HKD', 'BRL', 'MXN', 'ZAR', 'ILS', 'AED', 'KRW', 'TWD', 'UAH', 'RON', 'TRY']);

/** An amount's currency: "4,300 CAD", "120k CAD", "CAD $95,000", "CAD 95,000". */
function currencyCode(text: string, c: Candidate): boolean {
  if (c.end - c.start !== 3 || !CURRENCIES.has(text.slice(c.start, c.end))) return false;
  // Only amounts: "SQL 2016", "PHP 7" and "ISO 9001" are versions and standards.
  return /(?:\d{1,3}(?:[,.]\d{3})+|\d{3,}|\d[kKmM])\s*$/.test(text.slice(Math.max(0, c.start - 12), c.start)) || /^\s*(?:[$€£]\s*\d|\d{1,3}(?:,\d{3})+|\d+[kK]\b)/.test(text.slice(c.end, c.end + 12));
}

function phraseAt(tokens: Tokens, from: number, phrase: string[]): boolean {
  for (let k = 0; k < phrase.length; k++) {
    if (tokens.keys[from + k] !== phrase[k]) return false;
    if (k > 0 && tokens.gaps[from + k] === Gap.Line) return false;
  }
  return true;
}

/** Tokens that join the items of a list: "Go, Rust", "Python/R/SQL", "Go or Rust", "AWS (EC2, S3)". */
const LIST_JOINERS = new Set([',', '/', '&', 'and', 'or', '(', ')', ';', '+']);

function isTechnical(o: Candidate | undefined, compiled: CompiledTaxonomy): o is Candidate {
  const skill = o && compiled.skills[o.skill];
  return skill !== undefined && !NON_TECHNICAL.has(skill.category);
}

function vouches(o: Candidate | undefined, compiled: CompiledTaxonomy): boolean {
  return isTechnical(o, compiled) && !o.ambiguous && !o.caseMismatch;
}

/** Nothing but list joiners (at most two tokens) between two candidates on one line. */
function joinedInList(tokens: Tokens, from: number, to: number): boolean {
  if (to - from > 2) return false;
  if (tokens.gaps[to] === Gap.Line) return false;
  for (let t = from; t < to; t++) if (!LIST_JOINERS.has(tokens.keys[t] as string) || tokens.gaps[t] === Gap.Line) return false;
  return true;
}

/** The runs of candidates joined only by list joiners on one line, and how many vouching skills each holds. */
interface ListRuns {
  /** Run index per candidate. */
  of: number[];
  /** Unambiguous technical skills per run. */
  firm: number[];
}

/**
 * Runs of candidates joined only by list joiners on one line ("typescript javascript node.js react
 * go"), found in one pass: a candidate in another case counts when two unambiguous technical
 * skills share its run.
 */
function listRuns(all: Candidate[], tokens: Tokens, compiled: CompiledTaxonomy): ListRuns {
  const of: number[] = [];
  const firm: number[] = [];
  all.forEach((c, k) => {
    const joined = k > 0 && joinedInList(tokens, (all[k - 1] as Candidate).tokenEnd, c.tokenStart);
    if (!joined) firm.push(0);
    const run = firm.length - 1;
    of.push(run);
    if (vouches(c, compiled)) firm[run] = (firm[run] as number) + 1;
  });
  return { of, firm };
}

/**
 * What stands next to the candidate in a list ("Go, Rust", "Python/R/SQL", "Go or Rust"):
 * `firm` for an unambiguous technical skill, `ambiguous` for another ambiguous technical name.
 */
function listNeighbour(c: Candidate, i: number, all: Candidate[], tokens: Tokens, compiled: CompiledTaxonomy): 'firm' | 'ambiguous' | undefined {
  const joinedOnly = (from: number, to: number) => joinedInList(tokens, from, to);
  const prev = all[i - 1];
  const next = all[i + 1];
  const neighbours = [
    isTechnical(prev, compiled) && joinedOnly(prev.tokenEnd, c.tokenStart) ? prev : undefined,
    isTechnical(next, compiled) && joinedOnly(c.tokenEnd, next.tokenStart) ? next : undefined,
  ].filter((o): o is Candidate => o !== undefined);
  if (neighbours.some((o) => !o.ambiguous)) return 'firm';
  return neighbours.length > 0 ? 'ambiguous' : undefined;
}

/**
 * An ambiguous name counts only with support. Standing in a list next to an unambiguous
 * technical skill ("Go, Python", "Python/R") is enough. Otherwise it needs a context word or
 * context skill nearby, or another unambiguous technical skill in its sentence or paragraph, and
 * it does not count when compromise reads it as a verb ("react to feedback", "go to market") in
 * lower case or at the start of a sentence.
 */
function supported(c: Candidate, i: number, all: Candidate[], text: string, tokens: Tokens, compiled: CompiledTaxonomy, sentences: SentenceIndex): Support | undefined {
  const technical = isTechnical(c, compiled);
  const listed = technical ? listNeighbour(c, i, all, tokens, compiled) : undefined;
  if (listed === 'firm') return 'list';
  const [sentStart, sentEnd] = supportSentence(sentences, c.start, c.end, technical);
  // A list item that is nothing but the name ("- Go" under "Nice to have") is read with the
  // whole list around it, across blank lines, and is never a verb.
  const standalone = technical && standsAlone(text, c.start, c.end);
  // A technology is confirmed by what stands around it; a soft skill or domain only by how its
  // own sentence asks for it.
  const [winStart, winEnd] = standalone
    ? [Math.max(0, c.start - LIST_WINDOW), Math.min(text.length, c.end + LIST_WINDOW)]
    : technical
      ? contextWindow(text, c.start, c.end)
      : [sentStart, sentEnd];
  const lo = Math.min(winStart, sentStart);
  const hi = Math.max(winEnd, sentEnd);
  const contextSkills = compiled.contextSkills[c.skill] as Set<number>;
  // Candidates are in text order: only those from the window's start on are looked at.
  let support = false;
  for (let k = firstCandidateAt(all, lo); k < all.length && !support; k++) {
    const o = all[k] as Candidate;
    if (o.start >= hi) break;
    if (o === c || o.end > hi) continue;
    support = contextSkills.has(o.skill) || (technical && vouches(o, compiled));
  }
  const phrases = compiled.contextPhrases[c.skill] ?? [];
  const first = compiled.contextFirst[c.skill] as Set<string>;
  for (let t = firstTokenAt(tokens, lo); !support && phrases.length > 0 && t < tokens.keys.length && (tokens.starts[t] as number) < hi; t++) {
    if ((t >= c.tokenStart && t < c.tokenEnd) || !first.has(tokens.keys[t] as string)) continue;
    support = phrases.some((p) => phraseAt(tokens, t, p));
  }
  // "Knowledge of Databricks", "Experience with automation/scripting": the words that ask for a
  // skill name it as one.
  if (!support && technical && ASKED_BEFORE.test(text.slice(Math.max(sentStart, c.start - 40), c.start))) return 'context';
  if (!support) return undefined;
  // Two ambiguous names listed together ("Go or Rust") with support around them are names, not verbs.
  if (listed === undefined && !standalone && c.verbLike && !nounByNextWord(tokens, c.tokenEnd)) {
    const capitalizedMidSentence = c.start > sentStart && /^\p{Lu}/u.test(text.slice(c.start, c.end));
    if (!capitalizedMidSentence) {
      // compromise reads the word with a few words around it, not the whole sentence: its cost
      // grows with the length, and the verb reading is decided nearby.
      const from = Math.max(sentStart, tokens.starts[Math.max(0, c.tokenStart - 4)] as number);
      const to = Math.min(sentEnd, tokens.ends[Math.min(tokens.keys.length - 1, c.tokenEnd + 5)] as number);
      const tags = tagsAt(text.slice(from, to), c.start - from);
      // A gerund is usually the activity named as a noun ("Testing with Cypress", "mentoring engineers").
      if (tags.includes('Verb') && !tags.includes('Gerund')) return undefined;
    }
  }
  return 'context';
}

/**
 * How far either side of a technical name its sentence may vouch for it. A sentence is the unit of
 * support, but text whose line breaks were lost runs many lines into one "sentence": a skill a
 * paragraph away says nothing about this name. (A soft skill or domain is read by its own
 * sentence's wording, however long.)
 */
const SENTENCE_REACH = 200;

/** The sentence holding [start, end), cut to SENTENCE_REACH either side for a technical name. */
function supportSentence(sentences: SentenceIndex, start: number, end: number, technical: boolean): [number, number] {
  const [s, e] = sentences.at(start);
  return technical ? [Math.max(s, start - SENTENCE_REACH), Math.min(e, end + SENTENCE_REACH)] : [s, e];
}

/** Words right before a name that ask for it as a skill. */
const ASKED_BEFORE = /\b(?:experience (?:with|in|using)|knowledge of|proficiency (?:in|with)|proficient (?:in|with)|familiarity with|familiar with|expertise (?:in|with)|fluency in|fluent in)\s+$/i;

/** Words after which a name is a noun, not a verb: "Go is a plus", "Spark experience", "React, Vue". */
const NOUN_FOLLOWERS = new Set(['is', 'are', 'was', 'and', 'or', ',', '/', '(', ')', ':', ';', '.', '-', 'experience', 'skills', 'skill', 'knowledge', 'expertise', 'proficiency', 'background', 'developer', 'developers', 'engineer', 'engineers', 'programming', 'development', 'code', 'services', 'applications', 'apps', 'stack', 'ecosystem', 'based', 'frameworks', 'framework', 'clusters', 'pipelines', 'jobs', 'would', 'will', 'preferred', 'required', 'nice', 'a']);

/** The token after a one-word candidate shows it is a noun (a cheap check before compromise). */
function nounByNextWord(tokens: Tokens, next: number): boolean {
  if (next >= tokens.keys.length || tokens.gaps[next] === Gap.Line) return true;
  return NOUN_FOLLOWERS.has(tokens.keys[next] as string);
}

/** How far around a bare list item to look for the technologies that confirm it. */
const LIST_WINDOW = 300;

/** The line holds nothing but the name, a bullet and punctuation. */
function standsAlone(text: string, start: number, end: number): boolean {
  // Walked from the name outwards, only as far as the bullets and punctuation go: a line whose
  // breaks were lost would otherwise be read whole for every name in it.
  let i = start;
  while (i > 0 && text[i - 1] !== '\n' && /[\s\-*•·]/.test(text[i - 1] as string)) i--;
  if (i > 0 && text[i - 1] !== '\n') return false;
  let j = end;
  while (j < text.length && text[j] !== '\n' && /[\s.,;:]/.test(text[j] as string)) j++;
  return j === text.length || text[j] === '\n';
}

/** Index of the first candidate starting at or after `offset` (binary search; candidates are in text order). */
function firstCandidateAt(all: Candidate[], offset: number): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((all[mid] as Candidate).start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first token starting at or after `offset` (binary search). */
function firstTokenAt(tokens: Tokens, offset: number): number {
  let lo = 0;
  let hi = tokens.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens.starts[mid] as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** ±CONTEXT_WINDOW around [start, end), cut at blank lines (paragraph ends). */
function contextWindow(text: string, start: number, end: number): [number, number] {
  let lo = start;
  const minLo = Math.max(0, start - CONTEXT_WINDOW);
  while (lo > minLo && !(text[lo - 1] === '\n' && text[lo - 2] === '\n')) lo--;
  let hi = end;
  const maxHi = Math.min(text.length, end + CONTEXT_WINDOW);
  while (hi < maxHi && !(text[hi] === '\n' && text[hi + 1] === '\n')) hi++;
  return [lo, hi];
}

