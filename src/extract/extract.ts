import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { tokenize } from '../taxonomy/tokens.js';
import type { ExplainedMention, Extraction, Mention, Posting, Requirement, Section, SectionKind, SkillHit } from '../types.js';
import { computeDemandContext, computeSentenceFacts, decideByPlace, decideDemand, type SentenceFacts } from './demand.js';
import { disambiguate, NON_TECHNICAL, type Support } from './disambiguate.js';
import { computeDegree, computeSeniority, DEGREE_OF_SKILL } from './document.js';
import { findCandidates } from './match.js';
import { analyzeSentence, levelOf, lowerSentence, negationOf, type SentenceCues, type YearsCue, yearsOf } from './qualifiers.js';
import { SentenceIndex } from './sentences.js';

/** Bumped whenever a change to the extractor changes its output: stored mentions are then re-extracted. */
export const EXTRACTOR_VERSION = '6';

const SECTION_REQUIREMENT: Partial<Record<SectionKind, Requirement>> = {
  requirements: 'required',
  preferred: 'preferred',
};
const RANK: Record<Requirement, number> = { required: 2, preferred: 1, unspecified: 0 };
const BASE_CONFIDENCE: Record<Support, number> = { firm: 0.9, list: 0.8, context: 0.7, 'tag-list': 0.65 };

/**
 * Words that may stand between a forward negation and the skill it negates: "no prior Java",
 * "without any Kubernetes", "not a Go role".
 */
const NEGATION_FILLER = /^(?:[\s,/&()]|\b(?:and|or|prior|previous|professional|formal|any|the|a|an|real|deep|commercial|production|hands-on|experience (?:with|in)|knowledge of|need for|(?:to )?(?:know|have|use|learn))\b)*$/i;

/** Words that may stand between a years figure and the skill it is for: "5+ years of professional experience with Python". */
const YEARS_FILLER = /^(?:[\s,/&()]|\b(?:and|or|of|in|with|using|on|a|an|the|professional|relevant|hands-on|industry|commercial|practical|working|related|production|prior|solid|strong|proven|experience|developing|building|writing|programming|coding|development)\b)*$/i;

interface Sentence {
  start: number;
  end: number;
  cues: SentenceCues;
  /** Computed when a mention in it needs them. */
  facts?: SentenceFacts;
}

const DEGREE_IDS = new Set(DEGREE_OF_SKILL.map(([id]) => id));

export interface ExtractOptions {
  /** List every candidate mention with the reason it was counted or set aside (`Extraction.explain`). */
  explain?: boolean;
}

/**
 * Extracts the skills a posting asks for, each with its evidence and qualifiers. Mentions that
 * only describe the employer, name the title or an open position, or stand in a URL are set
 * aside (see demand.ts). Pure: same input, same output.
 */
export function extractPosting(
  posting: Pick<Posting, 'text' | 'sections'> & { title?: string | undefined; company?: string | undefined },
  compiled: CompiledTaxonomy,
  options: ExtractOptions = {},
): Extraction {
  const text = posting.text;
  const tokens = tokenize(text);
  // Each sentence is found once, for disambiguation and for the qualifiers alike.
  const sentenceIndex = new SentenceIndex(text);
  const kept = disambiguate(text, tokens, findCandidates(text, tokens, compiled), compiled, sentenceIndex);
  const demand = computeDemandContext(text, posting.company, posting.title);
  const spanEnds = new Map<number, number>();
  for (const { candidate: c } of kept) spanEnds.set(c.start, Math.max(c.end, spanEnds.get(c.start) ?? 0));
  const explain: ExplainedMention[] = [];
  const degreesNamed = new Set<string>();

  // The cues read each sentence in lower case: a slice of the whole text's is the same where
  // lowering keeps the length and no capital sigma stands (its lower case depends on what follows).
  const loweredText = tokens.lower.length === text.length && !text.includes('Σ') ? lowerSentence(text, tokens.lower) : undefined;
  const sentences = new Map<number, Sentence>();
  let lastSentence: Sentence | undefined;
  const sentenceOf = (offset: number): Sentence => {
    // Mentions come in text order: most share the sentence before them (and a long one is read once).
    if (lastSentence && lastSentence.start <= offset && offset < lastSentence.end) return lastSentence;
    const [start, end] = sentenceIndex.at(offset);
    let s = sentences.get(start);
    if (!s) sentences.set(start, (s = { start, end, cues: analyzeSentence(text.slice(start, end), loweredText?.slice(start, end)) }));
    lastSentence = s;
    return s;
  };

  const bySkill = new Map<number, { mentions: Mention[]; levels: Requirement[]; negated: boolean[]; years: number[]; support: Support }>();
  const specificYears = new Set<YearsCue>();
  kept.forEach(({ candidate: c, support }, k) => {
    const skill = compiled.skills[c.skill];
    if (!skill) return;
    const sectionHere = sectionAt(posting.sections, c.start);
    const section = sectionHere?.kind ?? 'other';
    const note = (counted: boolean, reason: ExplainedMention['reason'], more: Partial<ExplainedMention> = {}) => {
      if (options.explain) explain.push({ id: skill.id, name: skill.name, start: c.start, end: c.end, text: text.slice(c.start, c.end), section, counted, reason, ...more });
    };
    const setAside = (reason: ExplainedMention['reason']) => {
      note(false, reason);
      // A degree counts wherever the posting names it, "Logistics" included.
      if (DEGREE_IDS.has(skill.id)) degreesNamed.add(skill.id);
    };
    // A URL or the title is decided by its place alone: no sentence to read.
    const placed = decideByPlace(c.start, c.end, demand);
    if (placed) {
      setAside(placed.reason);
      return;
    }
    const sentence = sentenceOf(c.start);
    const rel = [c.start - sentence.start, c.end - sentence.start] as const;
    const length = sentence.end - sentence.start;
    const cue = levelOf(sentence.cues, rel[0], rel[1], length);
    const decision = decideDemand(
      text,
      {
        start: c.start,
        end: c.end,
        skill,
        section,
        heading: sectionHere?.heading ?? '',
        sentence: (sentence.facts ??= computeSentenceFacts(text.slice(sentence.start, sentence.end), sentence.start, loweredText?.slice(sentence.start, sentence.end))),
        cued: cue !== undefined,
        listed: listedWithTechnology(text, kept, k, compiled),
        spanEnds,
      },
      demand,
    );
    let level: Requirement = (cue && !cue.weak ? cue.level : undefined) ?? SECTION_REQUIREMENT[section] ?? cue?.level ?? 'unspecified';
    if (decision.counted && decision.required && level === 'unspecified') level = 'required';
    if (!decision.counted) {
      setAside(decision.reason);
      return;
    }
    const negated = isNegated(text, sentence, rel[0], rel[1], kept);
    note(true, decision.reason, { requirement: level, ...(negated && { negated }) });
    const reachingYears = yearsOf(sentence.cues, rel[0], rel[1], length);
    const years =
      reachingYears && (reachingYears.dir === 'backward' || yearsFiller(betweenMentions(text, sentence, reachingYears.end, rel[0], kept))) ? reachingYears : undefined;
    if (years && skill.kind === 'tool') specificYears.add(years);
    const mention: Mention = { start: c.start, end: c.end, text: text.slice(c.start, c.end), section, sentenceStart: sentence.start, sentenceEnd: sentence.end };
    const hit = bySkill.get(c.skill);
    if (!hit) {
      bySkill.set(c.skill, { mentions: [mention], levels: [level], negated: [negated], years: years ? [years.years] : [], support });
    } else {
      hit.mentions.push(mention);
      hit.levels.push(level);
      hit.negated.push(negated);
      if (years) hit.years.push(years.years);
      if (BASE_CONFIDENCE[support] > BASE_CONFIDENCE[hit.support]) hit.support = support;
    }
  });

  const skills: SkillHit[] = [];
  for (const [index, h] of bySkill) {
    const skill = compiled.skills[index];
    if (!skill) continue;
    // Negated when every mention is, or when the posting rules it out and names it otherwise only in
    // passing ("We are moving from Java to Go. No Java experience needed.").
    const negated = h.negated.every(Boolean) || (h.negated.some(Boolean) && h.levels.every((l, k) => h.negated[k] || l === 'unspecified'));
    // Required wins over preferred over unspecified, among the mentions that are not negated.
    const levels = negated ? h.levels : h.levels.filter((_, k) => !h.negated[k]);
    const requirement = levels.reduce<Requirement>((best, l) => (RANK[l] > RANK[best] ? l : best), 'unspecified');
    const inListSection = h.mentions.some((m) => m.section === 'requirements' || m.section === 'preferred');
    const confidence = BASE_CONFIDENCE[h.support] + 0.03 * Math.min(3, h.mentions.length - 1) + (inListSection ? 0.03 : 0);
    skills.push({
      id: skill.id,
      name: skill.name,
      category: skill.category,
      requirement,
      ...(h.years.length > 0 && { years: Math.max(...h.years) }),
      negated,
      confidence: Math.min(0.99, Math.round(confidence * 100) / 100),
      mentions: h.mentions,
    });
  }
  skills.sort((a, b) => (a.mentions[0]?.start ?? 0) - (b.mentions[0]?.start ?? 0));

  const minYears = roleYears(text, tokens.lower, posting.sections, sentenceOf, specificYears);
  for (const s of skills) if (DEGREE_IDS.has(s.id) && !s.negated) degreesNamed.add(s.id);
  const degree = computeDegree(text, degreesNamed, tokens.lower);
  const seniority = computeSeniority(posting.title, text, tokens.lower);
  return {
    skills,
    ...(degree !== undefined && { degree }),
    ...(minYears !== undefined && { minYears }),
    ...(seniority !== undefined && { seniority }),
    taxonomyVersion: compiled.taxonomy.version,
    extractorVersion: EXTRACTOR_VERSION,
    ...(options.explain && { explain }),
  };
}

/** Tokens that join the items of a list: "Data analysis, ETL", "APIs (REST)", "Go or Rust". */
const LIST_GAP = /^\s*(?:[,/&()+;]|and|or|and\/or)(?:[\s,/&()]|and|or)*$/;

/**
 * The mention stands in a list next to another technical skill that is not an umbrella entry
 * ("Skills: Data analysis, ETL, SQL"): a list of skills asks for each of them.
 */
function listedWithTechnology(text: string, kept: { candidate: { start: number; end: number; skill: number } }[], k: number, compiled: CompiledTaxonomy): boolean {
  const c = kept[k]?.candidate;
  if (!c) return false;
  const technical = (i: number) => {
    const skill = compiled.skills[kept[i]?.candidate.skill ?? -1];
    return skill !== undefined && skill.kind !== 'umbrella' && skill.kind !== 'generic' && !NON_TECHNICAL.has(skill.category);
  };
  const prev = kept[k - 1]?.candidate;
  const next = kept[k + 1]?.candidate;
  const joined = (a: number, b: number) => b - a <= 9 && b > a && LIST_GAP.test(text.slice(a, b));
  return (prev !== undefined && technical(k - 1) && joined(prev.end, c.start)) || (next !== undefined && technical(k + 1) && joined(c.end, next.start));
}

/**
 * A negation reaches the mention: a backward cue ("Java is not required") anywhere after it in its
 * clause, or a forward cue ("no", "without", "unlike", "instead of") with only filler words and
 * other skills of the same list between them ("No Java, PHP or .NET experience needed").
 */
function isNegated(text: string, sentence: Sentence, start: number, end: number, kept: { candidate: { start: number; end: number } }[]): boolean {
  const cue = negationOf(sentence.cues, start, end, sentence.end - sentence.start);
  if (!cue) return false;
  return cue.dir === 'backward' || NEGATION_FILLER.test(betweenMentions(text, sentence, cue.end, start, kept));
}

/**
 * Whether a years figure reaches a mention across this text: only filler words and other skills,
 * and no new item: a comma or semicolon followed by a word other than "and"/"or" starts one ("3+
 * years of Python, strong SQL" gives SQL no years; "5+ years of Python, Java, and Go" gives all three).
 */
const yearsFiller = (between: string) => YEARS_FILLER.test(between) && !/[,;]\s*(?!(?:and|or|&)(?:\s|$))\p{L}/u.test(between);

/** The text between a cue and a mention (sentence offsets), with the other mentions in it blanked. */
function betweenMentions(text: string, sentence: Sentence, from: number, to: number, kept: { candidate: { start: number; end: number } }[]): string {
  const lo = sentence.start + from;
  let between = text.slice(lo, sentence.start + to);
  // The mentions are in text order: only those from the first at or after `lo` can stand between.
  let k = firstAtOrAfter(kept, lo);
  for (; k < kept.length; k++) {
    const o = (kept[k] as (typeof kept)[number]).candidate;
    const a = o.start - lo;
    const b = o.end - lo;
    if (a > between.length) break;
    if (b <= between.length) between = `${between.slice(0, a)}${' '.repeat(b - a)}${between.slice(b)}`;
  }
  return between;
}

/** The index of the first mention starting at or after `offset` (mentions are in text order). */
function firstAtOrAfter(kept: { candidate: { start: number } }[], offset: number): number {
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((kept[mid] as (typeof kept)[number]).candidate.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Words that tie a years figure to experience, not to the company's history ("for over six years"). */
const EXPERIENCE = /experience|\b(?:years?|yrs?)\s+(?:of|with|in|using|building|writing|developing|as)\b|\bexp\b|background|track record|\byoe\b|working|professional|industry|hands-on|in (?:a|the) (?:role|field|position)|\bas an?\b|\bof (?:\w+ )?(?:engineering|development|programming|coding|sales|marketing|management|analytics|research)\b/i;

/**
 * The role's overall experience, read as the guidelines define it: per sentence, the first figure
 * stated for experience in general or for a field ("5+ years in software engineering", not "2 years
 * of Terraform"; "5+ years, including 3 in ads" is 5), with its alternatives ("or 3 with a
 * Master's"); the smallest over the posting. Figures the posting only prefers do not count. With no
 * overall figure, the largest required figure for a single tool.
 */
function roleYears(text: string, lower: string, sections: readonly Section[], sentenceOf: (offset: number) => Sentence, specific: Set<YearsCue>): number | undefined {
  // Most postings name no years at all: a word test spares them the pattern.
  if (!lower.includes('year') && !lower.includes('yr') && !lower.includes('yoe')) return undefined;
  const overall: number[] = [];
  const tools: number[] = [];
  const seen = new Set<number>();
  for (const m of text.matchAll(/\b(?:years?|yrs?|yoe)\b/gi)) {
    const s = sentenceOf(m.index as number);
    if (seen.has(s.start) || s.cues.years.length === 0) continue;
    seen.add(s.start);
    const length = s.end - s.start;
    const section = sectionAt(sections, s.start)?.kind ?? 'other';
    const asked = section === 'requirements' || section === 'preferred';
    if (!asked && !EXPERIENCE.test(text.slice(s.start, s.end))) continue;
    let first = true;
    for (const y of s.cues.years) {
      const cue = levelOf(s.cues, y.start, y.end, length);
      const level = (cue && !cue.weak ? cue.level : undefined) ?? SECTION_REQUIREMENT[section] ?? 'required';
      if (level === 'preferred') continue;
      if (specific.has(y)) {
        tools.push(y.years);
      } else if (first) {
        overall.push(y.years, ...s.cues.alternativeYears);
        first = false;
      }
    }
  }
  if (overall.length > 0) return Math.min(...overall);
  return tools.length > 0 ? Math.max(...tools) : undefined;
}

function sectionAt(sections: readonly Section[], offset: number): Section | undefined {
  // Sections are in text order and do not overlap (findSections): the last one starting at or before the offset.
  let lo = 0;
  let hi = sections.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sections[mid] as Section).start <= offset) lo = mid + 1;
    else hi = mid;
  }
  const s = sections[lo - 1];
  return s && offset < s.end ? s : undefined;
}
