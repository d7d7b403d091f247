/** The data contracts between the stages (see DESIGN.md). */

/** Fields a source already knows about a posting (board API fields, CSV columns, JSON-LD). */
export interface PostingHints {
  title?: string;
  company?: string;
  location?: string;
  /** ISO 8601 date or date-time. */
  postedAt?: string;
  remote?: boolean;
  salary?: string;
}

/** What a source hands over: one posting, not yet normalized. */
export interface RawPosting {
  /** Where it came from: `file`, `greenhouse:acme`, ... */
  source: string;
  /** The source's own id for the posting, or a path-derived key for local files. */
  externalId?: string;
  url?: string;
  /** ISO 8601 time the source read it. */
  fetchedAt: string;
  contentType: 'text/plain' | 'text/markdown' | 'text/html';
  body: string;
  hints: PostingHints;
  /** Human-readable origin for messages: a path, a path with a record number, a URL. */
  origin: string;
}

export type SectionKind =
  | 'requirements'
  | 'preferred'
  | 'responsibilities'
  | 'about'
  | 'benefits'
  /** The stack the team works with ("Tech stack"): its skills are used, not asked for. */
  | 'stack'
  | 'other';

export interface Section {
  kind: SectionKind;
  /** UTF-16 offsets into Posting.text; the heading itself is inside [start, end). */
  start: number;
  end: number;
  heading: string;
}

/** A normalized posting: plain text with block structure kept as newlines. */
export interface Posting {
  id: string;
  source: string;
  externalId?: string;
  url?: string;
  origin: string;
  title?: string;
  company?: string;
  location?: string;
  remote?: boolean;
  postedAt?: string;
  salary?: string;
  text: string;
  sections: Section[];
  /** sha256 of the normalized text and hints: tells an edited posting from an unchanged one. */
  contentHash: string;
  /** sha256 of the normalized text alone: finds the same posting posted again, under another id or source. */
  textHash: string;
  fetchedAt: string;
}

export type Requirement = 'required' | 'preferred' | 'unspecified';

export interface Mention {
  start: number;
  end: number;
  /** `posting.text.slice(start, end)`. */
  text: string;
  section: SectionKind;
  /** The sentence around the mention, as offsets into the posting text. */
  sentenceStart: number;
  sentenceEnd: number;
}

export interface SkillHit {
  id: string;
  name: string;
  category: string;
  requirement: Requirement;
  years?: number;
  negated: boolean;
  confidence: number;
  mentions: Mention[];
}

export type Degree = 'none' | 'associate' | 'bachelor' | 'master' | 'phd';
export type Seniority = 'intern' | 'junior' | 'mid' | 'senior' | 'staff' | 'principal' | 'lead' | 'manager' | 'director';

/** Why a mention was counted: requirement wording or section, the team's stack, or named without either. */
export type CountedReason = 'asked' | 'stack' | 'mentioned';

/** Why a mention was set aside: it names no demand of the role. */
export type SetAsideReason = 'title' | 'position' | 'employer' | 'description' | 'benefits' | 'apply' | 'legal' | 'url' | 'email' | 'degree-field' | 'umbrella' | 'generic';

/** One candidate mention and why it was counted or set aside (`extract --explain`). */
export interface ExplainedMention {
  id: string;
  name: string;
  start: number;
  end: number;
  text: string;
  section: SectionKind;
  counted: boolean;
  /**
   * Counted: `asked` (requirement wording or section), `stack` (the team's stack), `mentioned`.
   * Set aside: `title`, `position`, `employer`, `description`, `benefits`, `apply`, `legal`,
   * `url`, `email`, `degree-field`, `umbrella` (a broad field the text does not ask for),
   * `generic` (the work itself: "research experience").
   */
  reason: CountedReason | SetAsideReason;
  /** The level this mention gives, when counted. */
  requirement?: Requirement;
  /** Counted, but ruled out by its sentence ("we moved off Java"): negated skills are no demand. */
  negated?: boolean;
}

export interface Extraction {
  skills: SkillHit[];
  degree?: Degree;
  minYears?: number;
  seniority?: Seniority;
  taxonomyVersion: string;
  extractorVersion: string;
  /** Every candidate mention with its reason, when asked for. */
  explain?: ExplainedMention[];
}

/** One skill of the taxonomy, as written in taxonomy/*.yaml (after defaults). */
export interface SkillEntry {
  id: string;
  name: string;
  category: string;
  parent?: string;
  aliases: string[];
  exact: string[];
  /**
   * `tool` for a named technology ("Terraform"), `field` for an area of work ("data engineering",
   * "DevOps"): years stated for a field are the role's experience, years for a tool are the tool's.
   * `umbrella` for a broad field that also names what a company or team does ("Security",
   * "APIs"): it counts only where the text asks for it as a competence. `generic` for the work
   * itself ("research experience", "publications"): the guidelines' bare generic words, listed by
   * `extract --explain` but never counted.
   */
  kind: 'tool' | 'field' | 'umbrella' | 'generic';
  /** True when some forms need supporting context. */
  ambiguous: boolean;
  /** The forms (as written in aliases/exact) that count only with supporting context. */
  ambiguousForms: string[];
  context: string[];
  not: string[];
  source?: string;
  /** The file the entry came from, for messages. */
  file: string;
}

export interface Taxonomy {
  skills: SkillEntry[];
  categories: string[];
  /** Content hash of the files it was parsed from. */
  version: string;
}

/** A taxonomy entry as the reports see it: what the store keeps of each skill. */
export interface SkillMeta {
  id: string;
  name: string;
  category: string;
  parent: string | null;
}

/** Postings per period and mentions per skill and period: what every trend report is computed from. */
export interface DemandRows {
  periodTotals: { period: string; total: number }[];
  skillCounts: { skillId: string; period: string; count: number }[];
  skills: SkillMeta[];
}
