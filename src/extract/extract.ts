import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { Gap, type Tokens, tokenize } from '../taxonomy/tokens.js';
import type { Extraction, Mention, Posting, Requirement, SectionKind, SkillHit } from '../types.js';
import { type Candidate, findCandidates } from './match.js';
import { tagsAt } from './pos.js';
import { sentenceAt } from './sentences.js';

/** Bumped whenever a change to the extractor changes its output: stored mentions are then re-extracted. */
export const EXTRACTOR_VERSION = '1';

/**
 * Categories that are not technologies: their hits do not vouch for a neighbouring ambiguous
 * name, and their own ambiguous forms count only with their context words ("strong
 * communication skills", "experience in healthcare"), never because a technology stands nearby.
 */
const NON_TECHNICAL = new Set(['soft-skills', 'education', 'domain']);

/** How far (UTF-16 units) around an ambiguous hit to look for supporting context, within its paragraph. */
const CONTEXT_WINDOW = 160;

/** Extracts the skills a posting names, each with its evidence. Pure: same input, same output. */
export function extractPosting(posting: Pick<Posting, 'text' | 'sections'>, compiled: CompiledTaxonomy): Extraction {
  const text = posting.text;
  const tokens = tokenize(text);
  const candidates = findCandidates(text, tokens, compiled);
  const kept = candidates.filter((c, i) => {
    if (ruledOutByNot(c, tokens, compiled)) return false;
    if (c.caseMismatch) return firmTechInRun(i, candidates, tokens, compiled) >= 2;
    return !c.ambiguous || supported(c, i, candidates, text, tokens, compiled);
  });
  return {
    skills: groupHits(kept, posting, compiled),
    taxonomyVersion: compiled.taxonomy.version,
    extractorVersion: EXTRACTOR_VERSION,
  };
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

/**
 * How many unambiguous technical skills share the candidate's list: the run of candidates around
 * it joined only by list joiners on one line ("typescript javascript node.js react go").
 */
function firmTechInRun(i: number, all: Candidate[], tokens: Tokens, compiled: CompiledTaxonomy): number {
  let lo = i;
  while (lo > 0 && joinedInList(tokens, (all[lo - 1] as Candidate).tokenEnd, (all[lo] as Candidate).tokenStart)) lo--;
  let hi = i;
  while (hi + 1 < all.length && joinedInList(tokens, (all[hi] as Candidate).tokenEnd, (all[hi + 1] as Candidate).tokenStart)) hi++;
  let firm = 0;
  for (let k = lo; k <= hi; k++) if (k !== i && vouches(all[k], compiled)) firm++;
  return firm;
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
function supported(c: Candidate, i: number, all: Candidate[], text: string, tokens: Tokens, compiled: CompiledTaxonomy): boolean {
  const technical = isTechnical(c, compiled);
  const listed = technical ? listNeighbour(c, i, all, tokens, compiled) : undefined;
  if (listed === 'firm') return true;
  const [sentStart, sentEnd] = sentenceAt(text, c.start);
  // A technology is confirmed by what stands around it; a soft skill or domain only by how its
  // own sentence asks for it.
  const [winStart, winEnd] = technical ? contextWindow(text, c.start, c.end) : [sentStart, sentEnd];
  const lo = Math.min(winStart, sentStart);
  const hi = Math.max(winEnd, sentEnd);
  const contextSkills = compiled.contextSkills[c.skill] as Set<number>;
  let support = all.some((o) => {
    if (o === c || o.start < lo || o.end > hi) return false;
    return contextSkills.has(o.skill) || (technical && vouches(o, compiled));
  });
  if (!support) {
    const phrases = compiled.contextPhrases[c.skill] ?? [];
    for (let t = 0; t < tokens.keys.length && !support; t++) {
      const s = tokens.starts[t] as number;
      if (s < lo) continue;
      if (s >= hi) break;
      if (t >= c.tokenStart && t < c.tokenEnd) continue;
      support = phrases.some((p) => phraseAt(tokens, t, p));
    }
  }
  if (!support) return false;
  // Two ambiguous names listed together ("Go or Rust") with support around them are names, not verbs.
  if (listed === undefined && c.tokenEnd - c.tokenStart === 1) {
    const word = text.slice(c.start, c.end);
    const capitalizedMidSentence = c.start > sentStart && /^\p{Lu}/u.test(word);
    if (!capitalizedMidSentence && tagsAt(text.slice(sentStart, sentEnd), c.start - sentStart).includes('Verb')) return false;
  }
  return true;
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

function sectionAt(sections: Posting['sections'], offset: number): SectionKind {
  let kind: SectionKind = 'other';
  for (const s of sections) {
    if (s.start <= offset && offset < s.end) kind = s.kind;
  }
  return kind;
}

const SECTION_REQUIREMENT: Partial<Record<SectionKind, Requirement>> = {
  requirements: 'required',
  preferred: 'preferred',
};
const RANK: Record<Requirement, number> = { required: 2, preferred: 1, unspecified: 0 };

function groupHits(kept: Candidate[], posting: Pick<Posting, 'text' | 'sections'>, compiled: CompiledTaxonomy): SkillHit[] {
  const bySkill = new Map<number, { mentions: Mention[]; requirement: Requirement; ambiguous: boolean }>();
  for (const c of kept) {
    const section = sectionAt(posting.sections, c.start);
    const [sentenceStart, sentenceEnd] = sentenceAt(posting.text, c.start);
    const mention: Mention = { start: c.start, end: c.end, text: posting.text.slice(c.start, c.end), section, sentenceStart, sentenceEnd };
    const requirement = SECTION_REQUIREMENT[section] ?? 'unspecified';
    const hit = bySkill.get(c.skill);
    if (!hit) {
      bySkill.set(c.skill, { mentions: [mention], requirement, ambiguous: c.ambiguous });
    } else {
      hit.mentions.push(mention);
      hit.ambiguous &&= c.ambiguous;
      if (RANK[requirement] > RANK[hit.requirement]) hit.requirement = requirement;
    }
  }
  const hits: SkillHit[] = [];
  for (const [index, h] of bySkill) {
    const skill = compiled.skills[index];
    if (!skill) continue;
    const base = h.ambiguous ? 0.7 : 0.9;
    hits.push({
      id: skill.id,
      name: skill.name,
      category: skill.category,
      requirement: h.requirement,
      negated: false,
      confidence: Math.min(0.99, Number((base + 0.03 * (h.mentions.length - 1)).toFixed(2))),
      mentions: h.mentions,
    });
  }
  return hits.sort((a, b) => (a.mentions[0]?.start ?? 0) - (b.mentions[0]?.start ?? 0));
}
