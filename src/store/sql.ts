import type { PeriodKind } from '../periods.js';
import type { Extraction, Posting, SkillMeta } from '../types.js';
import type { GroupCount, ReportFilters } from './store.js';

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
