import type { Degree, Seniority } from '../types.js';

/** Education skills that name a degree, lowest first. */
export const DEGREE_OF_SKILL: [string, Degree][] = [
  ['associate-degree', 'associate'],
  ['bachelors-degree', 'bachelor'],
  ['masters-degree', 'master'],
  ['phd', 'phd'],
];

const NO_DEGREE = /\b(?:no|without an?|don't need an?|do not need an?|not need an?)\s+(?:formal |college |university |cs |computer science )?degree\b|\bdegree (?:is |are )?(?:not |isn't |aren't )(?:required|necessary|needed|a requirement)\b|\bno formal (?:education|qualifications?)\b/i;

/** "a degree in Statistics", "University degree in CS": a degree named without its level is a bachelor's. */
const PLAIN_DEGREE = /\bdegree\s+(?:in|from)\b/gi;
/** What stands right before "degree" when it has a level: "Master's", "M.S.", "Bachelor of Science". */
const DEGREE_LEVEL_BEFORE = /(?:master|bachelor|associate|doctor|doctoral|graduate|advanced|postgraduate|\bm\.?\s?s\.?c?|\bm\.?\s?a\.?|\bb\.?\s?s\.?c?|\bb\.?\s?a\.?|ph\.?\s?d\.?|mba|m\.?eng|b\.?eng|science|arts|engineering)['’]?s?\W*$/i;

function plainDegree(text: string): boolean {
  if (!text.includes('egree')) return false;
  for (const m of text.matchAll(PLAIN_DEGREE)) {
    if (!DEGREE_LEVEL_BEFORE.test(text.slice(Math.max(0, (m.index as number) - 30), m.index))) return true;
  }
  return false;
}

/**
 * The degree a posting asks for: the lowest it names (a Master's or PhD still means a Master's is
 * enough; "a degree in X" is a bachelor's), `none` when it says no degree is needed, undefined when
 * it says nothing. `named` holds the degree skills named anywhere in the text, not negated.
 */
export function computeDegree(text: string, named: ReadonlySet<string>, lower = text.toLowerCase()): Degree | undefined {
  if ((text.includes('degree') || (lower.includes('no formal') && /no formal/i.test(text))) && NO_DEGREE.test(text)) return 'none';
  for (const [id, degree] of DEGREE_OF_SKILL) {
    if (named.has(id) || (degree === 'bachelor' && plainDegree(text))) return degree;
  }
  return undefined;
}

/** Seniority words in a title, most specific first ("Senior Staff" is staff, "Lead Data Engineer" is lead). */
const SENIORITY: [RegExp, Seniority][] = [
  [/\b(?:director|vp|vice president|head of)\b/i, 'director'],
  [/\b(?:manager|management)\b/i, 'manager'],
  [/\bprincipal\b/i, 'principal'],
  [/\bstaff\b/i, 'staff'],
  [/\b(?:lead|tech lead|team lead)\b/i, 'lead'],
  [/\b(?:senior|sr\.?)\b/i, 'senior'],
  [/\b(?:mid[- ]level|intermediate|mid)\b/i, 'mid'],
  [/\b(?:junior|jr\.?|entry[- ]level|graduate|new grad|associate)\b/i, 'junior'],
  [/\b(?:intern|internship|working student|trainee|apprentice)\b/i, 'intern'],
];

/** Each with the words one of which every match holds (in lower case): most texts hold none, and skip the pattern. */
const TEXT_SENIORITY: [RegExp, Seniority, string[]][] = [
  [/\b(?:senior[- ]level|senior position|senior role)\b/i, 'senior', ['senior']],
  [/\b(?:entry[- ]level|junior position|junior role|new grads?)\b/i, 'junior', ['entry', 'junior', 'new grad']],
  [/\b(?:mid[- ]level)\b/i, 'mid', ['mid']],
  [/\binternship\b/i, 'intern', ['internship']],
];

/** Seniority from the title, else from explicit phrases in the text ("entry-level"). `lower`: the text lowercased. */
export function computeSeniority(title: string | undefined, text: string, lower?: string): Seniority | undefined {
  if (title) {
    for (const [re, level] of SENIORITY) if (re.test(title)) return level;
  }
  const words = lower ?? text.toLowerCase();
  for (const [re, level, gate] of TEXT_SENIORITY) if (gate.some((w) => words.includes(w)) && re.test(text)) return level;
  return undefined;
}
