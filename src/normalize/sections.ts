import type { Section, SectionKind } from '../types.js';

/**
 * Heading patterns per section kind, tried in order on a cleaned heading ("Preferred
 * qualifications" is preferred before it is requirements).
 */
const HEADINGS: [SectionKind, RegExp][] = [
  ['preferred', /\b(?:nice[- ]to[- ]haves?|preferred|bonus(?: points)?|pluses|plus(?:es)? if|good to have|desir(?:ed|able)|ideally|extra credit|would be (?:great|nice|a plus)|not required|added advantage|even better|brownie points|optional)\b/],
  ['benefits', /\b(?:benefits|perks|what we offer|we offer|our offer|compensation|salary|pay|why (?:join|work)|what'?s in it for you|rewards|package)\b/],
  ['requirements', /\b(?:requirements?|required|qualifications?|what you(?:'ll| will)? (?:bring|need|have)|what we(?:'re| are) looking for|what we (?:need|expect|require)|who you are|you have|you are|you bring|must[- ]haves?|(?:key |technical |core )?skills|experience|about you|your (?:profile|background|skills|experience)|we expect|ideal candidate|looking for|competenc(?:ies|e)|prerequisites|you(?:'ll)? need|you should have)\b/],
  ['responsibilities', /\b(?:responsibilit(?:y|ies)|what you(?:'ll| will) (?:do|work on|own|build)|the role|your role|role description|duties|day[- ]to[- ]day|in this role|your impact|the job|your mission|what the job involves|the opportunity|you will|tasks|key accountabilities)\b/],
  ['about', /\b(?:about (?:us|the company|the team|[\p{Lu}]\S*)|who we are|our (?:mission|story|company|team)|the team|company overview|the company|about)\b/u],
  ['other', /\b(?:how to apply|to apply|equal opportunity|eeo|diversity|application process|interview process|location|logistics)\b/],
];

const MAX_HEADING = 70;

/**
 * A line is a heading when it is marked as one (markdown #, **bold**, a trailing colon) or is
 * short and title-like, and it names a known section; "Requirements: Python, SQL" is a heading
 * with content on the same line.
 */
export function classifyHeading(line: string): { kind: SectionKind; heading: string } | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.length > 200) return undefined;
  const marked = /^(#{1,6}\s+|\*\*|__)/.test(trimmed) || /^[A-Z][A-Z &/'-]{2,}:?$/.test(trimmed);
  let heading = trimmed.replace(/^#{1,6}\s+/, '').replace(/^[*_]{2}(.+?)[*_]{2}/, '$1');
  const colon = heading.indexOf(':');
  let colonHeading = false;
  if (colon > 0 && colon <= MAX_HEADING) {
    heading = heading.slice(0, colon);
    colonHeading = true;
  } else if (heading.length > MAX_HEADING || /[.!?]$/.test(heading) || /^[-*•]/.test(heading)) {
    return undefined;
  }
  const clean = heading.toLowerCase().replace(/[’`]/g, "'").replace(/[*_#]/g, '').trim();
  if (clean === '' || clean.split(/\s+/).length > 8) return undefined;
  const titleLike = marked || colonHeading || /^[\p{Lu}]/u.test(heading);
  if (!titleLike) return undefined;
  // An unmarked line that reads like a requirement ("Experience with AWS or GCP") is an item, not a heading.
  if (!marked && !colonHeading && /^(?:experience|knowledge|familiarity|proficiency|understanding|expertise|background|strong|solid)\s+\S+\s+\S+/.test(clean)) return undefined;
  // A mid-sentence colon ("We use the following tools: ...") is not a heading.
  if (colonHeading && !marked && clean.split(/\s+/).length > 6) return undefined;
  for (const [kind, pattern] of HEADINGS) {
    if (pattern.test(clean)) return { kind, heading: heading.trim() };
  }
  return undefined;
}

/** Sections of a plain text, each from its heading line to the next heading. */
export function findSections(text: string): Section[] {
  const sections: Section[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const found = classifyHeading(line);
    if (found) {
      const last = sections[sections.length - 1];
      if (last) last.end = offset;
      sections.push({ kind: found.kind, start: offset, end: text.length, heading: found.heading });
    }
    offset += line.length + 1;
  }
  return sections;
}
