import type { PeriodKind } from '../periods.js';
import type { Extraction, Posting, SkillMeta } from '../types.js';
import { EVIDENCE_PER_POSTING, type GroupCount, MAX_SEARCH_WORDS, type PostingHit, type PostingPage, type PostingQuery, type ReportFilters } from './store.js';

/**
 * What the SQLite and PostgreSQL stores share: report filters as WHERE clauses, period keys, and
 * the counting that runs in JS over rows streamed in posting order. Clauses use `?` placeholders
 * (the PostgreSQL store numbers them), and only SQL both dialects read the same way.
 */

/** The posting columns a save writes, in order (both stores). */
export const POSTING_COLUMNS = [
  'source',
  'external_id',
  'url',
  'origin',
  'title',
  'company',
  'location',
  'remote',
  'posted_at',
  'salary',
  'text',
  'sections',
  'content_hash',
  'degree',
  'min_years',
  'seniority',
  'taxonomy_version',
  'extractor_version',
] as const;

/** A posting's values for POSTING_COLUMNS, in order. */
export function postingValues(p: Posting, x: Extraction): unknown[] {
  return [
    p.source,
    p.externalId ?? null,
    p.url ?? null,
    p.origin,
    p.title ?? null,
    p.company ?? null,
    p.location ?? null,
    p.remote === undefined ? null : p.remote ? 1 : 0,
    p.postedAt ?? null,
    p.salary ?? null,
    p.text,
    JSON.stringify(p.sections),
    p.contentHash,
    x.degree ?? null,
    x.minYears ?? null,
    x.seniority ?? null,
    x.taxonomyVersion,
    x.extractorVersion,
  ];
}

export interface Sql {
  where: string;
  params: unknown[];
}

/** Where the two dialects differ in the shared clauses. */
export interface Dialect {
  /**
   * LIKE with ASCII letters in any case, other characters as they are: SQLite's LIKE; in
   * PostgreSQL, ILIKE on the schema's "C" collated columns (which folds ASCII letters only).
   */
  likeAnyCase: 'LIKE' | 'ILIKE';
}

/** `s` matched literally by LIKE ... ESCAPE '\': its wildcards `%` and `_` (and the escape) escaped. */
export function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/** WHERE clauses on postings `p`. Text filters match literally: `--company %` is a percent sign. */
export function postingWhere(f: ReportFilters, d: Dialect): Sql {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const like = d.likeAnyCase;
  if (f.since) clauses.push('p.period_date >= ?') && params.push(f.since);
  if (f.until) clauses.push('p.period_date <= ?') && params.push(f.until);
  if (f.source) clauses.push(`(p.source = ? OR p.source ${like} ? ESCAPE '\\')`) && params.push(f.source, `${likeLiteral(f.source)}:%`);
  if (f.company) clauses.push(`p.company ${like} ? ESCAPE '\\'`) && params.push(`%${likeLiteral(f.company)}%`);
  if (f.location) clauses.push(`p.location ${like} ? ESCAPE '\\'`) && params.push(`%${likeLiteral(f.location)}%`);
  if (f.remote !== undefined) clauses.push(f.remote ? 'p.remote = 1' : '(p.remote = 0 OR p.remote IS NULL)');
  if (f.unique) {
    clauses.push('NOT EXISTS (SELECT 1 FROM text_hashes t JOIN text_hashes e ON e.text_hash = t.text_hash AND e.posting_key < t.posting_key WHERE t.posting_key = p.key)');
  }
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}

/** WHERE clauses on mentions `ps` (never negated) and their skill `s`. */
export function skillWhere(f: ReportFilters): Sql {
  const clauses = ['ps.negated = 0'];
  const params: unknown[] = [];
  if (f.requirement === 'required' || f.requirement === 'preferred') clauses.push('ps.requirement = ?') && params.push(f.requirement);
  if (f.category) clauses.push('s.category = ?') && params.push(f.category);
  if (f.skill) clauses.push('ps.skill_id = ?') && params.push(f.skill);
  return { where: clauses.join(' AND '), params };
}

/** WHERE clauses on a daily aggregate table `d` (its `day` column) for the date filters. */
export function dayWhere(f: ReportFilters): Sql {
  const days: string[] = [];
  const params: unknown[] = [];
  if (f.since) days.push('d.day >= ?') && params.push(f.since);
  if (f.until) days.push('d.day <= ?') && params.push(f.until);
  return { where: days.length ? days.join(' AND ') : 'TRUE', params };
}

/** SQL for the period key of a date column; ISO weeks are each dialect's own (`week`). */
export function periodSql(kind: PeriodKind, column: string, week: string): string {
  if (kind === 'month') return `substr(${column}, 1, 7)`;
  if (kind === 'year') return `substr(${column}, 1, 4)`;
  if (kind === 'quarter') return `substr(${column}, 1, 4) || '-Q' || ((CAST(substr(${column}, 6, 2) AS INTEGER) + 2) / 3)`;
  return week;
}

/** Whether the daily aggregates can answer: no filter that needs the postings themselves. */
export function aggregatesServe(f: ReportFilters): boolean {
  return !f.source && !f.company && !f.location && f.remote === undefined && !f.unique && (f.requirement === undefined || f.requirement === 'any');
}

/** The breakdown key of a posting `p`, as SQL. */
export function breakdownSql(key: 'company' | 'location' | 'remote' | 'source'): string {
  return key === 'remote' ? "CASE p.remote WHEN 1 THEN 'remote' WHEN 0 THEN 'on-site' ELSE 'not stated' END" : `COALESCE(p.${key}, '(not stated)')`;
}

/**
 * Changes to the daily aggregates (postings per day, per skill and day; negated mentions left
 * out), summed over a batch in memory and written once per key when the batch ends: far fewer
 * writes than one per row when many postings share a day.
 */
export class DailyDeltas {
  protected readonly days = new Map<string, number>();
  protected readonly skills = new Map<string, number>();

  posting(day: string, delta: number): void {
    this.days.set(day, (this.days.get(day) ?? 0) + delta);
  }

  skill(skillId: string, day: string, delta: number): void {
    const key = `${skillId}\t${day}`;
    this.skills.set(key, (this.skills.get(key) ?? 0) + delta);
  }

  /** The non-zero changes, each list sorted by its key (writers that apply them in this order never deadlock), and starts over. */
  take(): { days: [day: string, delta: number][]; skills: [skillId: string, day: string, delta: number][] } {
    const days = [...this.days].filter(([, n]) => n !== 0).sort(([a], [b]) => compareStrings(a, b));
    const skills = [...this.skills]
      .filter(([, n]) => n !== 0)
      .sort(([a], [b]) => compareStrings(a, b))
      .map(([key, n]): [string, string, number] => {
        const tab = key.indexOf('\t');
        return [key.slice(0, tab), key.slice(tab + 1), n];
      });
    this.days.clear();
    this.skills.clear();
    return { days, skills };
  }
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts per pair of strings, listed in the order each pair was first counted. */
export class PairCounts {
  private readonly counts = new Map<string, number>();

  add(a: string, b: string): void {
    const key = `${a}\t${b}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  entries(): [string, string, number][] {
    return [...this.counts].map(([k, n]) => {
      const tab = k.indexOf('\t');
      return [k.slice(0, tab), k.slice(tab + 1), n];
    });
  }
}

/** Takes rows ordered by posting key (their first column) and hands `each` one posting's rows at a time; `end` hands the last. */
export class ByPosting<R extends [number, ...unknown[]]> {
  private group: R[] = [];

  constructor(private readonly each: (rows: R[]) => void) {}

  push(row: R): void {
    if (this.group.length > 0 && (this.group[0] as R)[0] !== row[0]) {
      this.each(this.group);
      this.group = [];
    }
    this.group.push(row);
  }

  end(): void {
    if (this.group.length > 0) this.each(this.group);
    this.group = [];
  }
}

/**
 * Postings per category and period, and per taxonomy family (a skill that is some skill's parent,
 * with everything under it) and period: each posting counts once per group however many of its
 * skills the group holds. Fed one posting at a time (rows: key, period, skill id).
 */
export class GroupCounter {
  private readonly byId: Map<string, SkillMeta>;
  /** Per skill: the families it belongs to (itself, when it is a parent, and its ancestors). */
  private readonly families = new Map<string, string[]>();
  private readonly category = new PairCounts();
  private readonly family = new PairCounts();

  constructor(skills: readonly SkillMeta[]) {
    this.byId = new Map(skills.map((s) => [s.id, s]));
    const parents = new Set(skills.flatMap((s) => (s.parent ? [s.parent] : [])));
    for (const s of skills) {
      const chain: string[] = [];
      const seen = new Set<string>();
      for (let a: string | null | undefined = s.id; a && !seen.has(a); a = this.byId.get(a)?.parent) {
        seen.add(a);
        if (parents.has(a)) chain.push(a);
      }
      this.families.set(s.id, chain);
    }
  }

  posting(rows: readonly [number, string, string][]): void {
    const period = (rows[0] as [number, string, string])[1];
    const categories = new Set<string>();
    const groups = new Set<string>();
    for (const [, , skillId] of rows) {
      const skill = this.byId.get(skillId);
      if (!skill) continue;
      categories.add(skill.category);
      for (const g of this.families.get(skillId) ?? []) groups.add(g);
    }
    for (const c of categories) this.category.add(c, period);
    for (const g of groups) this.family.add(g, period);
  }

  result(): { category: GroupCount[]; family: GroupCount[] } {
    const list = (t: PairCounts): GroupCount[] => t.entries().map(([group, period, count]) => ({ group, period, count }));
    return { category: list(this.category), family: list(this.family) };
  }
}

/**
 * Skill pairs named by the same postings: with `skill`, the skills named beside it; otherwise
 * every pair. Fed one posting at a time (rows: key, skill id, in skill id order).
 */
export class PairCounter {
  private readonly together = new PairCounts();

  constructor(private readonly skill?: string) {}

  posting(rows: readonly [number, string][]): void {
    const ids = rows.map((r) => r[1]);
    if (this.skill) {
      if (ids.includes(this.skill)) for (const b of ids) if (b !== this.skill) this.together.add(this.skill, b);
    } else {
      // ids come sorted, so every pair is counted once as (a, b) with a < b.
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) this.together.add(ids[i] as string, ids[j] as string);
    }
  }

  /** The pairs named together at least `minSupport` times, most frequent first, at most `limit`. */
  result(minSupport: number, limit: number): { a: string; b: string; together: number }[] {
    return this.together
      .entries()
      .filter(([, , n]) => n >= minSupport)
      .map(([a, b, n]) => ({ a, b, together: n }))
      .sort((x, y) => y.together - x.together || compareStrings(x.a, y.a) || compareStrings(x.b, y.b))
      .slice(0, limit);
  }
}

/** WHERE clauses on postings `p` for a search (Store.searchPostings' contract): the report filters' dates, source and company, a skill, and every word. */
export function searchWhere(q: PostingQuery, d: Dialect): Sql {
  const base = postingWhere({ ...(q.since && { since: q.since }), ...(q.until && { until: q.until }), ...(q.source && { source: q.source }), ...(q.company && { company: q.company }) }, d);
  const clauses = [base.where];
  const params = [...base.params];
  if (q.skill) clauses.push('EXISTS (SELECT 1 FROM posting_skills ps WHERE ps.posting_key = p.key AND ps.skill_id = ? AND ps.negated = 0)') && params.push(q.skill);
  for (const word of (q.text ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS)) {
    clauses.push(`(p.title ${d.likeAnyCase} ? ESCAPE '\\' OR p.text ${d.likeAnyCase} ? ESCAPE '\\')`);
    params.push(`%${likeLiteral(word)}%`, `%${likeLiteral(word)}%`);
  }
  return { where: clauses.join(' AND '), params };
}

/** Runs a query with `?` placeholders and gives its rows (each store its own way). */
export type ReadRows = (sql: string, params: readonly unknown[]) => Promise<unknown[]> | unknown[];

interface SearchRow {
  key: number;
  id: string;
  date: string;
  title: string | null;
  company: string | null;
  location: string | null;
  remote: number | null;
  source: string;
  origin: string;
  url: string | null;
}

/**
 * One page of the postings matching a search, newest first, with their skills and evidence
 * sentences (Store.searchPostings), in SQL both dialects read alike. Sentences are cut in
 * JavaScript: the offsets count UTF-16 units, as the extractor gave them.
 */
export async function searchPostingsWith(read: ReadRows, q: PostingQuery, d: Dialect): Promise<PostingPage> {
  const w = searchWhere(q, d);
  const [count] = (await read(`SELECT COUNT(*) AS n FROM postings p WHERE ${w.where}`, w.params)) as { n: number }[];
  const total = count?.n ?? 0;
  const rows = (await read(
    `SELECT p.key, p.id, p.period_date AS date, p.title, p.company, p.location, p.remote, p.source, p.origin, p.url
     FROM postings p WHERE ${w.where} ORDER BY p.period_date DESC, p.key DESC LIMIT ? OFFSET ?`,
    [...w.params, q.limit, q.offset],
  )) as SearchRow[];
  if (rows.length === 0) return { total, items: [] };
  const keys = rows.map((r) => r.key);
  const inKeys = (n: number) => `(${Array.from({ length: n }, () => '?').join(',')})`;
  const skills = (await read(
    `SELECT posting_key AS key, skill_id AS id, requirement, years, negated FROM posting_skills WHERE posting_key IN ${inKeys(keys.length)} ORDER BY posting_key, skill_id`,
    keys,
  )) as { key: number; id: string; requirement: PostingHit['skills'][number]['requirement']; years: number | null; negated: number }[];
  const mentions = (await read(
    `SELECT key, skill_id AS "skillId", start, "end", text, section, sentence_start AS s0, sentence_end AS s1 FROM (
       SELECT m.posting_key AS key, m.skill_id, m.start, m."end", m.text, m.section, m.sentence_start, m.sentence_end,
         ROW_NUMBER() OVER (PARTITION BY m.posting_key ORDER BY m.start, m.skill_id) AS n
       FROM mentions m WHERE m.posting_key IN ${inKeys(keys.length)} ${q.skill ? 'AND m.skill_id = ?' : ''}
     ) AS firsts WHERE n <= ? ORDER BY key, start, "skillId"`,
    [...keys, ...(q.skill ? [q.skill] : []), EVIDENCE_PER_POSTING],
  )) as { key: number; skillId: string; start: number; end: number; text: string; section: string; s0: number; s1: number }[];
  const withEvidence = [...new Set(mentions.map((m) => m.key))];
  const texts = new Map(
    withEvidence.length ? ((await read(`SELECT key, text FROM postings WHERE key IN ${inKeys(withEvidence.length)}`, withEvidence)) as { key: number; text: string }[]).map((r) => [r.key, r.text]) : [],
  );
  const items = rows.map(({ key, remote, ...r }): PostingHit => ({
    ...r,
    remote: remote === null ? null : remote === 1,
    skills: skills.filter((s) => s.key === key).map((s) => ({ id: s.id, requirement: s.requirement, years: s.years, negated: s.negated === 1 })),
    evidence: mentions
      .filter((m) => m.key === key)
      .map((m) => ({ skillId: m.skillId, start: m.start, end: m.end, text: m.text, section: m.section, sentence: (texts.get(key) ?? '').slice(m.s0, m.s1) })),
  }));
  return { total, items };
}
