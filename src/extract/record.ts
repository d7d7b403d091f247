import type { Extraction, ExplainedMention, Posting, Requirement, SectionKind } from '../types.js';

/** One skill of an extraction record: absent values are null, never missing keys. */
export interface SkillRecord {
  id: string;
  name: string;
  category: string;
  requirement: Requirement;
  years: number | null;
  negated: boolean;
  confidence: number;
  mentions: { start: number; end: number; text: string; section: SectionKind }[];
}

/**
 * What `skillpulse extract --format json` prints for a posting (one element of its array), and
 * what a program calling the library gets back in the same shape: the posting's identity and
 * meta, the skills with their evidence, and with `explain` every candidate mention.
 */
export interface ExtractionRecord {
  source: string;
  id: string;
  title: string | null;
  company: string | null;
  postedAt: string | null;
  degree: string | null;
  minYears: number | null;
  seniority: string | null;
  skills: SkillRecord[];
  taxonomyVersion: string;
  explain?: ExplainedMention[];
  /** The normalized text the offsets point into (`extract --format json --with-text`, and extractSkills). */
  text?: string;
}

/** The JSON record of a posting and its extraction. */
export function extractionRecord(posting: Pick<Posting, 'origin' | 'id' | 'title' | 'company' | 'postedAt' | 'text'>, x: Extraction, options: { withText?: boolean } = {}): ExtractionRecord {
  return {
    source: posting.origin,
    id: posting.id,
    title: posting.title ?? null,
    company: posting.company ?? null,
    postedAt: posting.postedAt ?? null,
    degree: x.degree ?? null,
    minYears: x.minYears ?? null,
    seniority: x.seniority ?? null,
    skills: x.skills.map((s) => ({
      id: s.id,
      name: s.name,
      category: s.category,
      requirement: s.requirement,
      years: s.years ?? null,
      negated: s.negated,
      confidence: s.confidence,
      mentions: s.mentions.map((m) => ({ start: m.start, end: m.end, text: m.text, section: m.section })),
    })),
    taxonomyVersion: x.taxonomyVersion,
    ...(x.explain && { explain: x.explain }),
    ...(options.withText && { text: posting.text }),
  };
}
