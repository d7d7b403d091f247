import type { PeriodKind } from '../periods.js';
import type { CacheEntry } from '../sources/http.js';
import type { DemandRows, Extraction, Posting, RawPosting, SkillMeta, Taxonomy } from '../types.js';

/**
 * The storage seam: everything the pipeline, the reports and the CLI ask of a database. Two
 * implementations: SQLite (src/store/sqlite, the embedded file, the default) and PostgreSQL
 * (src/store/postgres, the shared store of several workers). `openStore` picks one from the `db`
 * value. Every method is async, so the two are interchangeable; both keep the same schema, the
 * same daily aggregates and answer every read with the same rows.
 */
export interface Store {
  /** `sqlite` or `postgres`. */
  readonly dialect: 'sqlite' | 'postgres';
  /** What error messages name: the file path, or the URL without its password. */
  readonly location: string;
  close(): Promise<void>;

  // ---- writing postings ----
  /** Records the taxonomy's skills (replacing those of another version), so SQL users can join names. */
  upsertSkills(taxonomy: Taxonomy): Promise<void>;
  /**
   * Upserts a batch of analyzed postings in one transaction. A posting whose content and versions
   * are unchanged is only marked as seen; an edited or re-extracted one has its skills replaced.
   * The daily aggregates change with them, exactly, whatever other writers do at the same time.
   * With `job` (a distributed run's job id), the statuses are recorded in the same transaction;
   * a job already recorded writes nothing and returns the statuses recorded then, so a batch
   * delivered twice is stored and counted once.
   */
  savePostings(batch: readonly AnalyzedPosting[], seenAt: string, job?: string): Promise<SaveStatus[]>;
  /** Marks postings of a source as seen (a 304 listing, or comments known and not fetched again). */
  touchPostings(source: string, externalIds: readonly string[] | 'all-open', seenAt: string): Promise<number>;
  /** Closes the open postings of a source that its latest complete listing no longer holds. */
  closeUnseenPostings(source: string, seenAt: string): Promise<number>;
  /** Of these external ids of a source, the ones stored. */
  knownPostings(source: string, externalIds: readonly string[]): Promise<Set<string>>;

  // ---- distributed runs: a fetch job stages a source's raw postings, extract jobs read them back ----
  /** Stages raw postings under `stage`, numbered from 0 in order, replacing whatever that stage held. */
  stageRaw(stage: string, raws: readonly RawPosting[]): Promise<void>;
  /** The staged postings numbered `from` (inclusive) to `to` (exclusive), in order. */
  readStaged(stage: string, from: number, to: number): Promise<RawPosting[]>;
  /** Drops a stage's postings, and the recorded results of the jobs whose id starts with `jobPrefix`. */
  dropStaged(stage: string, jobPrefix?: string): Promise<void>;
  /** A finished job's recorded result (JSON), if any; `recordJob` records one (first write wins). */
  jobResult(job: string): Promise<string | undefined>;
  recordJob(job: string, result: string, at: string): Promise<void>;

  // ---- the HTTP client's conditional-request cache ----
  readFetchCache(url: string): Promise<CacheEntry | undefined>;
  writeFetchCache(entries: readonly [url: string, entry: CacheEntry][], at: string): Promise<void>;

  // ---- runs ----
  startRun(run: { command: string; taxonomyVersion: string; extractorVersion: string; startedAt: string; configHash?: string }): Promise<number>;
  finishRun(id: number, status: RunStatus, counts: RunCounts, failures: RunFailure[], finishedAt: string): Promise<void>;
  listRuns(last: number): Promise<RunRow[]>;

  // ---- maintenance ----
  /** Postings extracted with another taxonomy or extractor version (and whose text is still stored), in key order after `afterKey`. */
  readStalePostings(taxonomyVersion: string, extractorVersion: string, afterKey: number, limit: number): Promise<StoredPosting[]>;
  countStalePostings(taxonomyVersion: string, extractorVersion: string): Promise<number>;
  /** Replaces the skills and mentions of stored postings with a new extraction, in one transaction. */
  replaceExtractions(batch: readonly { key: number; extraction: Extraction }[]): Promise<void>;
  /** Clears the stored text of postings not seen since `before` (ISO date); their counts stay. */
  pruneText(before: string): Promise<number>;
  stats(): Promise<DbStats>;
  /** Counts the daily aggregates afresh from the postings and their skills. */
  recountDaily(): Promise<void>;
  /** Recounts, compacts and refreshes the planner's statistics. */
  vacuum(): Promise<void>;
  /** Every posting with its skills, one JSON line per call of `write`, in id order (streamed). */
  exportPostings(write: (line: string) => void): Promise<number>;

  // ---- reports ----
  readDemandRows(kind: PeriodKind, f?: ReportFilters): Promise<DemandRows>;
  readSources(): Promise<string[]>;
  readSkills(): Promise<SkillMeta[]>;
  readGroupCounts(kind: PeriodKind, f?: ReportFilters): Promise<{ category: GroupCount[]; family: GroupCount[] }>;
  readRequirementSplit(f?: ReportFilters): Promise<{ skillId: string; requirement: string; count: number }[]>;
  readBreakdown(skill: string, key: BreakdownKey, f?: ReportFilters, limit?: number): Promise<{ key: string; count: number; total: number }[]>;
  readSkillTotals(f?: ReportFilters): Promise<{ totals: Map<string, number>; postings: number }>;
  readPairs(f?: ReportFilters, skill?: string, minSupport?: number, limit?: number): Promise<{ a: string; b: string; together: number }[]>;
  readSalaries(f?: ReportFilters): Promise<{ skillId: string; salary: string }[]>;
  readRecentTexts(since: string, f?: ReportFilters, limit?: number): Promise<string[]>;
  readRecentCompanies(since: string, f?: ReportFilters): Promise<string[]>;
  readExamples(skill: string, f?: ReportFilters, limit?: number): Promise<Example[]>;

  /**
   * For one skill: how many postings (non-negated mentions, under the filters) state each number
   * of years of it (posting_skills.years, not null), fewest years first.
   */
  readYears(skill: string, f?: ReportFilters): Promise<{ years: number; postings: number }[]>;

  // ---- serve: reading postings ----
  /**
   * The postings that match `q`, newest first, one page of them, with the sentences that name
   * their skills. The contract, for every implementation:
   * - Matching (all given conditions hold; none given: every posting). `skill`: the posting has a
   *   non-negated row for that skill id in posting_skills. `text`: each of its first
   *   MAX_SEARCH_WORDS whitespace-separated words occurs in the title or the stored text, as a
   *   substring, literally (`%`, `_` and `\` are ordinary characters), case-insensitively at
   *   least for ASCII letters (SQLite's LIKE; ILIKE in PostgreSQL). `company`: a
   *   substring of the company, literally, case-insensitively (as ReportFilters.company).
   *   `source`: the source itself or, for a name without `:`, every `<source>:<board>` (as
   *   ReportFilters.source). `since`/`until`: period_date within them, inclusive.
   * - Order: period_date descending, then key descending (the latest stored first within a day):
   *   a total order, so pages never overlap or skip while nothing is written.
   * - Page: `offset` postings skipped, at most `limit` returned; `total` counts every match.
   * - Each item's `skills`: every row of its posting_skills (negated ones too, marked), by skill
   *   id. Its `evidence`: for `skill`, the mentions of that skill, else its mentions of any skill,
   *   in text order (start, then skill id), at most EVIDENCE_PER_POSTING; each with the mention's
   *   offsets and text and its sentence, `text` from sentence_start to sentence_end (UTF-16
   *   offsets, as stored; empty when the text was pruned).
   */
  searchPostings(q: PostingQuery): Promise<PostingPage>;
}

/** Words of a search's `text` that count; the rest are ignored (each is one more scan of the texts). */
export const MAX_SEARCH_WORDS = 8;

/** Evidence sentences searchPostings returns per posting at most. */
export const EVIDENCE_PER_POSTING = 3;

/** What searchPostings looks for; see its contract. */
export interface PostingQuery {
  skill?: string;
  text?: string;
  company?: string;
  source?: string;
  /** First and last day (YYYY-MM-DD), inclusive, of period_date. */
  since?: string;
  until?: string;
  offset: number;
  limit: number;
}

export interface PostingPage {
  /** Every match, not only this page's. */
  total: number;
  items: PostingHit[];
}

export interface PostingHit {
  /** The stable posting id (postings.id). */
  id: string;
  /** The day the reports count it under (period_date). */
  date: string;
  title: string | null;
  company: string | null;
  location: string | null;
  remote: boolean | null;
  source: string;
  origin: string;
  url: string | null;
  skills: { id: string; requirement: 'required' | 'preferred' | 'unspecified'; years: number | null; negated: boolean }[];
  evidence: { skillId: string; start: number; end: number; text: string; section: string; sentence: string }[];
}

export type SaveStatus = 'new' | 'changed' | 'unchanged';

export interface AnalyzedPosting {
  posting: Posting;
  extraction: Extraction;
}

export type RunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted';

export interface RunCounts {
  new: number;
  changed: number;
  unchanged: number;
  failed: number;
  mentions: number;
  closed: number;
  reextracted: number;
}

export interface RunFailure {
  input: string;
  reason: string;
}

export interface RunRow {
  id: number;
  command: string;
  started_at: string;
  finished_at: string | null;
  status: RunStatus;
  taxonomy_version: string;
  extractor_version: string;
  config_hash: string | null;
  new: number;
  changed: number;
  unchanged: number;
  closed: number;
  failed: number;
  mentions: number;
  reextracted: number;
  failures: string;
}

export interface StoredPosting {
  key: number;
  title: string | null;
  company: string | null;
  text: string;
}

export interface VersionCount {
  taxonomyVersion: string;
  extractorVersion: string;
  postings: number;
  withoutText: number;
}

export interface DbStats {
  path: string;
  sizeBytes: number;
  postings: number;
  open: number;
  closed: number;
  withoutText: number;
  /** How long closed postings stayed listed: median days from first seen to closed. */
  medianDaysOpen: number | null;
  skillsMentioned: number;
  mentions: number;
  runs: number;
  lastRun: { id: number; status: string; finishedAt: string | null } | null;
  schemaVersion: number;
  versions: VersionCount[];
}

/** Which postings and mentions a report counts. */
export interface ReportFilters {
  /** First and last day counted (YYYY-MM-DD), inclusive. */
  since?: string;
  until?: string;
  /** `greenhouse` matches every `greenhouse:<board>`; `greenhouse:acme` that board. */
  source?: string;
  /** Substring, any case. */
  company?: string;
  location?: string;
  remote?: boolean;
  category?: string;
  skill?: string;
  requirement?: 'required' | 'preferred' | 'any';
  /** Count a text posted several times (under other ids or sources) once: at its first posting. */
  unique?: boolean;
}

export interface GroupCount {
  group: string;
  period: string;
  count: number;
}

export type BreakdownKey = 'company' | 'location' | 'remote' | 'source';

export interface Example {
  date: string;
  title: string | null;
  company: string | null;
  origin: string;
  sentence: string;
}
