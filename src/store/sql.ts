import type { PeriodKind } from '../periods.js';
import type { DemandRows, Extraction, Posting, SkillMeta } from '../types.js';
import { type BreakdownKey, EVIDENCE_PER_POSTING, type GroupCount, MAX_SEARCH_WORDS, type PostingHit, type PostingPage, type PostingQuery, type ReportFilters } from './store.js';

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

/** A whole statement and its parameters. */
export interface Query {
  sql: string;
  params: unknown[];
}

/** Where the two dialects differ in the shared clauses. */
export interface Dialect {
  /**
   * LIKE with ASCII letters in any case, other characters as they are: SQLite's LIKE; in
   * PostgreSQL, ILIKE on the schema's "C" collated columns (which folds ASCII letters only).
   */
  likeAnyCase: 'LIKE' | 'ILIKE';
  /** Which dialect: where a clause can only be written one way per dialect (facetJoin). */
  name: 'sqlite' | 'postgres';
}

/** `s` matched literally by LIKE ... ESCAPE '\': its wildcards `%` and `_` (and the escape) escaped. */
export function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

/**
 * The postings that repeat the text of an earlier one (lower key): what `unique` leaves out. One
 * pass over the (text_hash, posting_key) index, where a correlated NOT EXISTS probed it per posting.
 */
export const REPOSTS_SQL =
  'SELECT r.posting_key FROM (SELECT posting_key, ROW_NUMBER() OVER (PARTITION BY text_hash ORDER BY posting_key) AS n FROM text_hashes) r WHERE r.n > 1';

/**
 * Demand under `unique`: `all` (counted without it, from the aggregates) minus `reposts` (the same
 * read of only the reposts, from their rows). Rows that come to nothing are left out, as a count
 * of the postings leaves them out.
 */
export function subtractDemand(all: DemandRows, reposts: DemandRows): DemandRows {
  const totals = new Map(reposts.periodTotals.map((r) => [r.period, r.total]));
  const counts = new Map(reposts.skillCounts.map((r) => [`${r.skillId}\t${r.period}`, r.count]));
  return {
    periodTotals: all.periodTotals.map((r) => ({ period: r.period, total: r.total - (totals.get(r.period) ?? 0) })).filter((r) => r.total > 0),
    skillCounts: all.skillCounts.map((r) => ({ ...r, count: r.count - (counts.get(`${r.skillId}\t${r.period}`) ?? 0) })).filter((r) => r.count > 0),
    skills: all.skills,
  };
}

/** `all` less `minus`, row by row with the same `key`; rows that come to nothing (or less) are left out. */
export function subtractRows<T>(all: readonly T[], minus: readonly T[], key: (r: T) => string, count: keyof T): T[] {
  const less = new Map(minus.map((r) => [key(r), r[count] as number]));
  return all.map((r) => ({ ...r, [count]: (r[count] as number) - (less.get(key(r)) ?? 0) })).filter((r) => (r[count] as number) > 0);
}

/** Strings in the order of their UTF-8 bytes: SQLite's BINARY and PostgreSQL's "C" collation. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * WHERE clauses on postings `p` (or, with `facets`, on the facets table as `p`). Text filters
 * match literally: `--company %` is a percent sign. With `reposts`, only the postings `unique` leaves out.
 */
export function postingWhere(f: ReportFilters, d: Dialect, reposts = false, facets = false): Sql {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const like = d.likeAnyCase;
  if (f.since) clauses.push('p.period_date >= ?') && params.push(f.since);
  if (f.until) clauses.push('p.period_date <= ?') && params.push(f.until);
  if (f.source) clauses.push(`(p.source = ? OR p.source ${like} ? ESCAPE '\\')`) && params.push(f.source, `${likeLiteral(f.source)}:%`);
  // On postings, the companies and locations that match are found among the distinct facets, and
  // their postings by the postings_company and postings_location indexes, not by reading every posting.
  const among = (column: string) =>
    facets ? `p.${column} ${like} ? ESCAPE '\\'` : `p.${column} IN (SELECT ${column} FROM facets WHERE ${column} ${like} ? ESCAPE '\\')`;
  if (f.company) clauses.push(among('company')) && params.push(`%${likeLiteral(f.company)}%`);
  if (f.location) clauses.push(among('location')) && params.push(`%${likeLiteral(f.location)}%`);
  if (f.remote !== undefined) clauses.push(f.remote ? 'p.remote = 1' : '(p.remote = 0 OR p.remote IS NULL)');
  if (reposts) clauses.push(`p.key IN (${REPOSTS_SQL})`);
  else if (f.unique) {
    clauses.push('NOT EXISTS (SELECT 1 FROM text_hashes t JOIN text_hashes e ON e.text_hash = t.text_hash AND e.posting_key < t.posting_key WHERE t.posting_key = p.key)');
  }
  return { where: clauses.length ? clauses.join(' AND ') : 'TRUE', params };
}

/**
 * WHERE clauses on mentions `ps` (never negated) and their skill `s`. Where SQLite joins the
 * postings a company or location filter keeps (their index) to their skill rows (the years of a
 * skill, the reposts, the salaries), `+` keeps its planner from reading every row of a frequent
 * skill through the skill index instead.
 */
export function skillWhere(f: ReportFilters, d?: Dialect): Sql {
  const clauses = ['ps.negated = 0'];
  const params: unknown[] = [];
  if (f.requirement === 'required' || f.requirement === 'preferred') clauses.push('ps.requirement = ?') && params.push(f.requirement);
  if (f.category) clauses.push('s.category = ?') && params.push(f.category);
  const byPosting = d?.name === 'sqlite' && (!!f.company || !!f.location);
  if (f.skill) clauses.push(byPosting ? '+ps.skill_id = ?' : 'ps.skill_id = ?') && params.push(f.skill);
  return { where: clauses.join(' AND '), params };
}

/** WHERE clauses on a daily aggregate table `d` (its `day` column, or another `column`) for the date filters. */
export function dayWhere(f: ReportFilters, column = 'd.day'): Sql {
  const days: string[] = [];
  const params: unknown[] = [];
  if (f.since) days.push(`${column} >= ?`) && params.push(f.since);
  if (f.until) days.push(`${column} <= ?`) && params.push(f.until);
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
  return !postingFiltered(f) && !f.unique && !requirementFiltered(f);
}

/** Whether a filter on the postings' own columns (source, company, location, remote) is set. */
export function postingFiltered(f: ReportFilters): boolean {
  return !!f.source || !!f.company || !!f.location || f.remote !== undefined;
}

export function requirementFiltered(f: ReportFilters): boolean {
  return f.requirement === 'required' || f.requirement === 'preferred';
}

/**
 * Whether the facet aggregates can answer the postings' totals (daily_facet_counts): every filter
 * but `unique`, whose first posting of a text is a property of the rows, not of a facet.
 */
export function facetsServe(f: ReportFilters): boolean {
  return !f.unique;
}

/** The posting-level filters on the facets `p` (the same clauses as on postings). */
export function facetWhere(f: ReportFilters, d: Dialect): Sql {
  return postingWhere({ source: f.source, company: f.company, location: f.location, remote: f.remote }, d, false, true);
}

/**
 * Whether daily_skill_sources can answer: no `unique`, and no filter on a posting column with
 * many values (company, location), which has no per-skill aggregate: such a filter is answered
 * from the skill rows of the facets it keeps (facetRowsServe).
 */
export function skillSourcesServe(f: ReportFilters): boolean {
  return !f.unique && !f.company && !f.location;
}

/** The source and remote filters on an aggregate `d` with source and remote columns (remote -1: not stated). */
export function facetColumnsWhere(f: ReportFilters, d: Dialect): Sql {
  const clauses = ['TRUE'];
  const params: unknown[] = [];
  if (f.source) clauses.push(`(d.source = ? OR d.source ${d.likeAnyCase} ? ESCAPE '\\')`) && params.push(f.source, `${likeLiteral(f.source)}:%`);
  if (f.remote !== undefined) clauses.push(f.remote ? 'd.remote = 1' : 'd.remote <> 1');
  return { where: clauses.join(' AND '), params };
}

/** The source, remote, category and skill filters on daily_skill_sources `d`. */
export function sourceWhere(f: ReportFilters, d: Dialect): Sql {
  const { where, params } = facetColumnsWhere(f, d);
  const clauses = [where];
  if (f.category) clauses.push('d.skill_id IN (SELECT id FROM skills WHERE category = ?)') && params.push(f.category);
  if (f.skill) clauses.push('d.skill_id = ?') && params.push(f.skill);
  return { where: clauses.join(' AND '), params };
}

/**
 * Postings per group and period from daily_group_counts (rows of group, period, count): the
 * roll-ups of one kind of group under the dates, source, remote and requirement filters (a
 * --category filter reads its own scope of the families). `period` is the period key of `d.day`.
 */
export function groupAggregateSql(groupKind: 'category' | 'family', period: string, f: ReportFilters, d: Dialect): Query {
  const dw = dayWhere(f);
  const fw = facetColumnsWhere(f, d);
  const where = [dw.where, fw.where, 'd.kind = ?', 'd.scope = ?'];
  const params: unknown[] = [...dw.params, ...fw.params, groupKind, groupKind === 'family' ? (f.category ?? '') : ''];
  if (groupKind === 'category' && f.category) where.push('d.grp = ?') && params.push(f.category);
  const n = requirementColumn(f);
  const sum = d.name === 'postgres' ? `SUM(${n})::int` : `SUM(${n})`;
  return {
    sql: `SELECT d.grp AS "group", ${period} AS period, ${sum} AS count FROM daily_group_counts d WHERE ${where.join(' AND ')} GROUP BY 1, 2 HAVING SUM(${n}) > 0${d.name === 'postgres' ? ' ORDER BY 1, 2' : ''}`,
    params,
  };
}

/** Rows of (skill, preferred, required, unspecified) as a row per skill and requirement that counts some, in that order. */
export function requirementRows(rows: readonly [string, number, number, number][]): { skillId: string; requirement: string; count: number }[] {
  const out: { skillId: string; requirement: string; count: number }[] = [];
  for (const [skillId, ...counts] of rows) {
    ['preferred', 'required', 'unspecified'].forEach((requirement, i) => {
      const count = Number(counts[i]);
      if (count > 0) out.push({ skillId, requirement, count });
    });
  }
  return out;
}

/**
 * The skill rows `alias` of each posting `p`, joined so that the postings (found by the period
 * index) come first and each one's rows are read by the primary key: SQLite's CROSS JOIN keeps
 * that order; PostgreSQL's planner otherwise scans every skill row into a hash join, which a
 * LATERAL subquery with OFFSET 0 (never pulled up into a join) prevents.
 */
function skillRowsOf(d: Dialect, alias: string, condition: string): string {
  if (d.name === 'sqlite') return `CROSS JOIN posting_skills ${alias} ON ${alias}.posting_key = p.key AND ${alias}.negated = 0 ${condition}`;
  return `CROSS JOIN LATERAL (SELECT ${alias}.skill_id FROM posting_skills ${alias} WHERE ${alias}.posting_key = p.key AND ${alias}.negated = 0 ${condition} OFFSET 0) ${alias}`;
}

/**
 * The requirement and category filters on skill rows `alias` read by posting key. SQLite: `+` keeps it from
 * choosing the skill index instead; PostgreSQL: the category's skills as an array made once (an
 * IN subquery became a scan of the skills table per posting), tested on the rows a posting key
 * finds (`|| ''`: as an index condition it probed the key index once per skill of the category,
 * ninety probes a posting).
 */
function categoryOf(f: ReportFilters, d: Dialect, alias: string): string {
  const level = requirementFiltered(f) ? `AND ${alias}.requirement = ? ` : '';
  if (!f.category) return level;
  if (d.name === 'sqlite') return `${level}AND +${alias}.skill_id IN (SELECT id FROM skills WHERE category = ?)`;
  return `${level}AND ${alias}.skill_id || '' = ANY(ARRAY(SELECT id FROM skills WHERE category = ?))`;
}

/** The parameters of categoryOf's clauses on one alias, in order. */
function categoryParams(f: ReportFilters): unknown[] {
  return [...(requirementFiltered(f) ? [f.requirement] : []), ...(f.category ? [f.category] : [])];
}

/**
 * The pairs of skills (a < b) named together by the postings `p` the posting filters `pw` keep,
 * and by how many: what PairCounter counts without a focus, in SQL, for a few days (a month's
 * edge). Only for the filters the pair aggregates serve (see pairsServe); `pw` holds the source and remote ones.
 */
export function pairsSql(f: ReportFilters, pw: Sql, d: Dialect): Query {
  const inCategory = (alias: string) => categoryOf(f, d, alias);
  return {
    sql: `SELECT x.skill_id, y.skill_id, COUNT(*) FROM postings p ${skillRowsOf(d, 'x', inCategory('x'))}
      ${skillRowsOf(d, 'y', `AND y.skill_id > x.skill_id ${inCategory('y')}`)}
      WHERE ${pw.where} GROUP BY 1, 2`,
    params: [...categoryParams(f), ...categoryParams(f), ...pw.params],
  };
}

/**
 * The skills named with a focus skill (the first parameter, before `params`) by the postings `p`
 * the posting filters `pw` keep, and in how many: what PairCounter counts for a focus, in SQL.
 * Only for the filters the pair aggregates serve (see pairsServe).
 */
export function focusedPairsSql(f: ReportFilters, pw: Sql, d: Dialect): Query {
  const inCategory = (alias: string) => categoryOf(f, d, alias);
  return {
    sql: `SELECT y.skill_id, COUNT(*) FROM postings p ${skillRowsOf(d, 'x', `AND x.skill_id = ? ${inCategory('x')}`)}
      ${skillRowsOf(d, 'y', `AND y.skill_id <> x.skill_id ${inCategory('y')}`)}
      WHERE ${pw.where} GROUP BY 1`,
    params: [...categoryParams(f), ...categoryParams(f), ...pw.params],
  };
}

/** The daily_skill_sources column `d` that counts the postings a requirement filter keeps. */
export function requirementColumn(f: ReportFilters): string {
  return f.requirement === 'required' ? 'd.required' : f.requirement === 'preferred' ? 'd.preferred' : 'd.postings';
}

/**
 * A facet `f` that is posting `p`'s: equal columns, NULL equal to NULL. SQLite's `IS` uses the
 * facets index; PostgreSQL's hash join needs plain equality (IS NOT DISTINCT FROM is not hashable).
 */
export function facetJoin(d: Dialect): string {
  if (d.name === 'sqlite') return 'f.source = p.source AND f.company IS p.company AND f.location IS p.location AND f.remote IS p.remote';
  const same = (c: string, none: string) => `COALESCE(f.${c}, ${none}) = COALESCE(p.${c}, ${none}) AND (f.${c} IS NULL) = (p.${c} IS NULL)`;
  return `f.source = p.source AND ${same('company', "''")} AND ${same('location', "''")} AND ${same('remote', '-1')}`;
}

/** A day column's month as the pair tables number it: 202603 for 2026-03-14. */
const MONTH_NUMBER = (day: string) => `CAST(replace(substr(${day}, 1, 7), '-', '') AS INTEGER)`;

/** The numbers of skill rows x and y (ka, kb) and of posting p's slice (sl), for the pair tables. */
const PAIR_NUMBERS = `JOIN pair_skills ka ON ka.id = x.skill_id JOIN pair_skills kb ON kb.id = y.skill_id
      JOIN pair_slices sl ON sl.source = p.source AND sl.remote = COALESCE(p.remote, -1)`;

/**
 * The statements that count the maintained aggregates afresh from postings, their skills and the
 * skills table (recountDaily, vacuum, migration 8): per table the INSERT that fills it once emptied;
 * `facets` adds the facets not known yet, and `posting_skill_facets` sets each skill row's copy of
 * its posting's facet and day where it differs; `pair_skills` and `pair_slices` number the skills
 * and slices not numbered yet, before the pair tables are filled.
 */
export function recountSql(d: Dialect): { facets: string; posting_skill_facets: string; pair_skills: string; pair_slices: string; [table: string]: string } {
  const join = facetJoin(d);
  return {
    // New facets only: the ids of the known ones stay.
    facets: 'INSERT INTO facets (source, company, location, remote) SELECT DISTINCT source, company, location, remote FROM postings EXCEPT SELECT source, company, location, remote FROM facets',
    // The posting's facet and day on each of its skill rows (posting_skills_facet), where they differ: after `facets`.
    posting_skill_facets: `UPDATE posting_skills${d.name === 'postgres' ? ' AS ps' : ''} SET facet_id = x.facet_id, period_date = x.period_date
      FROM (SELECT p.key, f.id AS facet_id, p.period_date FROM postings p JOIN facets f ON ${join}) AS x
      WHERE x.key = ${d.name === 'postgres' ? 'ps' : 'posting_skills'}.posting_key
        AND (${d.name === 'postgres' ? 'ps.facet_id IS DISTINCT FROM x.facet_id OR ps.period_date IS DISTINCT FROM x.period_date' : 'posting_skills.facet_id IS NOT x.facet_id OR posting_skills.period_date IS NOT x.period_date'})`,
    daily_totals: 'INSERT INTO daily_totals (day, postings) SELECT period_date, COUNT(*) FROM postings GROUP BY 1',
    daily_skill_counts: `INSERT INTO daily_skill_counts (skill_id, day, postings) SELECT ps.skill_id, p.period_date, COUNT(*)
      FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key WHERE ps.negated = 0 GROUP BY 1, 2`,
    daily_facet_counts: `INSERT INTO daily_facet_counts (day, facet_id, postings) SELECT p.period_date, f.id, COUNT(*)
      FROM postings p JOIN facets f ON ${join} GROUP BY 1, 2`,
    daily_source_counts: 'INSERT INTO daily_source_counts (day, source, remote, postings) SELECT period_date, source, COALESCE(remote, -1), COUNT(*) FROM postings GROUP BY 1, 2, 3',
    daily_skill_sources: `INSERT INTO daily_skill_sources (skill_id, day, source, remote, postings, required, preferred)
      SELECT ps.skill_id, p.period_date, p.source, COALESCE(p.remote, -1), COUNT(*),
        SUM(CASE WHEN ps.requirement = 'required' THEN 1 ELSE 0 END), SUM(CASE WHEN ps.requirement = 'preferred' THEN 1 ELSE 0 END)
      FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key WHERE ps.negated = 0 GROUP BY 1, 2, 3, 4`,
    daily_group_counts: GROUP_RECOUNT,
    // The numbers of the pair tables' skills and slices (see DailyDeltas): new ones only, the known keep theirs; before the pairs.
    pair_skills: 'INSERT INTO pair_skills (id) SELECT DISTINCT skill_id FROM posting_skills EXCEPT SELECT id FROM pair_skills',
    pair_slices: 'INSERT INTO pair_slices (source, remote) SELECT DISTINCT source, COALESCE(remote, -1) FROM postings EXCEPT SELECT source, remote FROM pair_slices',
    month_pair_counts: `INSERT INTO month_pair_counts (month, a, b, slice, postings)
      SELECT ${MONTH_NUMBER('p.period_date')}, ka.n, kb.n, sl.n, COUNT(*)
      FROM posting_skills x JOIN posting_skills y ON y.posting_key = x.posting_key AND y.skill_id > x.skill_id JOIN postings p ON p.key = x.posting_key
      ${PAIR_NUMBERS}
      WHERE x.negated = 0 AND y.negated = 0 GROUP BY 1, 2, 3, 4`,
    // The pairs of two required, or two preferred, skills of a posting.
    month_pair_levels: `INSERT INTO month_pair_levels (level, month, a, b, slice, postings)
      SELECT x.requirement, ${MONTH_NUMBER('p.period_date')}, ka.n, kb.n, sl.n, COUNT(*)
      FROM posting_skills x JOIN posting_skills y ON y.posting_key = x.posting_key AND y.skill_id > x.skill_id AND y.requirement = x.requirement JOIN postings p ON p.key = x.posting_key
      ${PAIR_NUMBERS}
      WHERE x.negated = 0 AND y.negated = 0 AND x.requirement IN ('required', 'preferred') GROUP BY 1, 2, 3, 4, 5`,
  };
}

/** The tables recountSql fills, in the order they are recounted. */
export const AGGREGATE_TABLES = ['daily_totals', 'daily_skill_counts', 'daily_facet_counts', 'daily_source_counts', 'daily_skill_sources', 'daily_group_counts', 'month_pair_counts', 'month_pair_levels'] as const;

/**
 * The roll-up groups counted afresh, as SkillGroups counts them: a skill's ancestors by a
 * recursive walk up `parent` (UNION stops at a cycle), the families being the skills that are
 * some skill's parent; each posting once per group.
 */
const GROUP_RECOUNT = `INSERT INTO daily_group_counts (kind, scope, grp, day, source, remote, postings, required, preferred)
WITH RECURSIVE chain (skill_id, anc) AS (
  SELECT id, id FROM skills
  UNION
  SELECT c.skill_id, s.parent FROM chain c JOIN skills s ON s.id = c.anc WHERE s.parent IS NOT NULL
),
families (skill_id, grp) AS (SELECT skill_id, anc FROM chain WHERE anc IN (SELECT parent FROM skills WHERE parent IS NOT NULL)),
member (skill_id, kind, scope, grp) AS (
  SELECT id, 'category', '', category FROM skills
  UNION ALL SELECT skill_id, 'family', '', grp FROM families
  UNION ALL SELECT f.skill_id, 'family', s.category, f.grp FROM families f JOIN skills s ON s.id = f.skill_id
),
counted (posting_key, day, source, remote, kind, scope, grp, required, preferred) AS (
  SELECT ps.posting_key, p.period_date, p.source, COALESCE(p.remote, -1), m.kind, m.scope, m.grp,
    MAX(CASE WHEN ps.requirement = 'required' THEN 1 ELSE 0 END), MAX(CASE WHEN ps.requirement = 'preferred' THEN 1 ELSE 0 END)
  FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key JOIN member m ON m.skill_id = ps.skill_id WHERE ps.negated = 0
  GROUP BY 1, 2, 3, 4, 5, 6, 7
)
SELECT kind, scope, grp, day, source, remote, COUNT(*), SUM(required), SUM(preferred) FROM counted GROUP BY 1, 2, 3, 4, 5, 6`;

/**
 * The whole months a date range covers (`from`, `to`, as `2026-03`), and the days outside them
 * (`edges`): co-occurrence reads the first from month_pair_counts, the second from the skill rows
 * (at most thirty days at each end). A range within two months (or dates that are no dates) is
 * all edge, `from` after `to`.
 */
export function monthSplit(f: ReportFilters): { from?: string; to?: string; edges: { since?: string; until?: string }[] } {
  const whole = { edges: [{ since: f.since, until: f.until }], from: '9999', to: '0000' };
  const valid = (day: string | undefined) => day === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)));
  if (!valid(f.since) || !valid(f.until)) return whole;
  const dayShift = (day: string, by: number) => new Date(Date.parse(day) + by * 86_400_000).toISOString().slice(0, 10);
  const starts = (day: string) => day.slice(8, 10) === '01';
  const ends = (day: string) => starts(dayShift(day, 1));
  let first = f.since;
  while (first !== undefined && !starts(first)) first = dayShift(first, 1);
  let last = f.until;
  while (last !== undefined && !ends(last)) last = dayShift(last, -1);
  if (first !== undefined && last !== undefined && first > last) return whole;
  const edges: { since?: string; until?: string }[] = [];
  if (first !== undefined && f.since !== undefined && f.since < first) edges.push({ since: f.since, until: dayShift(first, -1) });
  if (last !== undefined && f.until !== undefined && f.until > last) edges.push({ since: dayShift(last, 1), until: f.until });
  return { ...(first !== undefined && { from: first.slice(0, 7) }), ...(last !== undefined && { to: last.slice(0, 7) }), edges };
}

/**
 * Of a skill's counts per day (`days`: [day, n], newest first), the latest days whose counts reach
 * `limit`, and the count over every day (`total`): a read of examples may keep to those days when
 * they hold fewer postings than `total`. Undefined when every day together falls short.
 */
export function latestDays(days: readonly [string, number][], limit: number): { days: string[]; total: number } | undefined {
  let total = 0;
  let kept: string[] | undefined;
  const latest: string[] = [];
  for (const [day, n] of days) {
    total += n;
    if (kept) continue;
    if (n > 0) latest.push(day);
    if (total >= limit) kept = latest;
  }
  return kept && { days: kept, total };
}

/**
 * readPairs' read of month_pair_counts (month_pair_levels under a requirement filter) over the
 * whole months `split` keeps (a category keeps the pairs of two of its skills): rows [a, b,
 * postings], summed over the sources and remote values the filters keep. Focused on a skill: per
 * month that holds postings, the pairs where it is `a` (the primary key, month first) and where it
 * is `b` (month_pair_counts' (month, b, a) index; month_pair_levels has none, which would double
 * its size and writes: its months' rows are read).
 */
export function monthPairsSql(f: ReportFilters, split: ReturnType<typeof monthSplit>, skill: string | undefined, d: Dialect): Query {
  const level = requirementFiltered(f);
  const table = level ? 'month_pair_levels' : 'month_pair_counts';
  const where = [level ? 'd.level = ?' : 'TRUE'];
  const params: unknown[] = level ? [f.requirement] : [];
  if (split.from !== undefined) where.push('d.month >= ?') && params.push(monthNumber(split.from));
  if (split.to !== undefined) where.push('d.month <= ?') && params.push(monthNumber(split.to));
  if (f.category) {
    const inCategory = 'SELECT k.n FROM pair_skills k JOIN skills s ON s.id = k.id WHERE s.category = ?';
    where.push(`d.a IN (${inCategory}) AND d.b IN (${inCategory})`) && params.push(f.category, f.category);
  }
  if (f.source || f.remote !== undefined) {
    // The slices of the sources and remote values the filters keep (facetColumnsWhere reads `d`: the slices here).
    const slices = facetColumnsWhere(f, d);
    where.push(`d.slice IN (SELECT d.n FROM pair_slices d WHERE ${slices.where})`) && params.push(...slices.params);
  }
  const base = where.join(' AND ');
  // Summed by number, then named: the pair tables hold numbers for skills (pair_skills).
  const named = (sums: string) => `SELECT ka.id, kb.id, x.n FROM (${sums}) x JOIN pair_skills ka ON ka.n = x.a JOIN pair_skills kb ON kb.n = x.b`;
  if (!skill) return { sql: named(`SELECT d.a, d.b, SUM(d.postings) AS n FROM ${table} d WHERE ${base} GROUP BY 1, 2`), params };
  const months = `d.month IN (SELECT DISTINCT ${MONTH_NUMBER('t.day')} FROM daily_totals t WHERE ${split.from === undefined ? 'TRUE' : 't.day >= ?'} AND ${split.to === undefined ? 'TRUE' : 't.day < ?'})`;
  const monthParams = [...(split.from === undefined ? [] : [`${split.from}-01`]), ...(split.to === undefined ? [] : [`${split.to}-99`])];
  const focus = '(SELECT n FROM pair_skills WHERE id = ?)';
  return {
    sql: named(`SELECT a, b, SUM(n) AS n FROM (SELECT d.a, d.b, d.postings AS n FROM ${table} d WHERE ${months} AND d.a = ${focus} AND ${base}
            UNION ALL SELECT d.a, d.b, d.postings FROM ${table} d WHERE ${months} AND d.b = ${focus} AND ${base}) y GROUP BY 1, 2`),
    params: [...monthParams, skill, ...params, ...monthParams, skill, ...params],
  };
}

/**
 * Whether the pair aggregates can answer (under `unique`, less the reposts' pairs): no company or
 * location filter (a requirement filter reads month_pair_levels; both tables count per source
 * and remote value).
 */
export function pairsServe(f: ReportFilters): boolean {
  return !f.company && !f.location;
}

/**
 * readBreakdown's query without `unique` (rows of key, count, total), the `limit` most frequent
 * keys. By source or remote (no company or location filter) both counts come from aggregates: the
 * skill's from daily_skill_sources, the totals from daily_source_counts. Otherwise the skill's
 * counts come from its skill rows per facet, which each row carries with its day and requirement
 * (the covering index posting_skills_facet: no posting is read), as company and location have no
 * per-skill aggregate; the keys are cut to the limit first, and only theirs are
 * totalled, from daily_facet_counts by facet (daily_facet_counts_facet): the whole table holds
 * about a row per posting.
 */
export function breakdownQuery(skill: string, key: BreakdownKey, f: ReportFilters, d: Dialect, limit: number): Query {
  const column = breakdownSql(key);
  const dw = dayWhere(f);
  const byFacet = skillSourcesServe(f) && (key === 'source' || key === 'remote');
  const collate = d.name === 'postgres' ? ' COLLATE "C"' : '';
  if (byFacet) {
    const sk = sourceWhere({ ...f, skill }, d);
    const fc = facetColumnsWhere(f, d);
    const n = requirementColumn(f);
    const facetColumn = column.replace(/p\./g, 'd.');
    return {
      sql: `WITH totals AS (SELECT ${facetColumn} AS key, SUM(d.postings) AS total FROM daily_source_counts d WHERE ${dw.where} AND ${fc.where} GROUP BY 1),
                hits AS (SELECT ${facetColumn} AS key, SUM(${n}) AS count FROM daily_skill_sources d WHERE ${dw.where} AND ${sk.where} GROUP BY 1 HAVING SUM(${n}) > 0)
           SELECT hits.key AS key, hits.count AS count, totals.total AS total FROM hits JOIN totals ON totals.key = hits.key
           ORDER BY hits.count DESC, hits.key${collate} LIMIT ?`,
      params: [...dw.params, ...fc.params, ...dw.params, ...sk.params, limit],
    };
  }
  // The skill's rows: under a company or location filter only those of the facets it keeps.
  const rows = f.company || f.location ? facetRowsWhere({ ...f, skill }, d) : and(skillWhere({ ...f, skill }), dayWhere(f, 'ps.period_date'));
  const fw = facetWhere(f, d);
  // PostgreSQL would inline the per-facet counts into a join with the facets a filter keeps, and count them again for each.
  const materialized = d.name === 'postgres' ? 'MATERIALIZED ' : '';
  return {
    sql: `WITH byFacet AS ${materialized}(SELECT ps.facet_id, COUNT(*) AS n FROM posting_skills ps ${skillsJoin(f)} WHERE ${rows.where} GROUP BY 1),
              hits AS (SELECT ${column} AS key, SUM(x.n) AS count FROM byFacet x JOIN facets p ON p.id = x.facet_id
                       WHERE ${fw.where} GROUP BY 1 ORDER BY SUM(x.n) DESC, ${column}${collate} LIMIT ?),
              totals AS (SELECT ${column} AS key, SUM(d.postings) AS total FROM facets p JOIN daily_facet_counts d ON d.facet_id = p.id
                         WHERE ${column} IN (SELECT key FROM hits) AND ${dw.where} AND ${fw.where} GROUP BY 1)
         SELECT hits.key AS key, hits.count AS count, totals.total AS total FROM hits JOIN totals ON totals.key = hits.key
         ORDER BY hits.count DESC, hits.key${collate}`,
    params: [...rows.params, ...fw.params, limit, ...dw.params, ...fw.params],
  };
}

/**
 * Skill rows `ps` joined to their postings `p`, the postings found first and their rows by key:
 * for the reposts `unique` takes away (a few postings), not every row of a skill (SQLite: CROSS
 * JOIN keeps that order) or every skill row hashed (PostgreSQL).
 */
export function skillRowsJoin(d: Dialect): string {
  if (d.name === 'sqlite') return 'postings p CROSS JOIN posting_skills ps ON ps.posting_key = p.key';
  return 'postings p CROSS JOIN LATERAL (SELECT * FROM posting_skills ps WHERE ps.posting_key = p.key OFFSET 0) ps';
}

/**
 * Whether a read under a company or location filter (without `unique`) takes the skill rows by
 * the facet and day each carries (facetRowsWhere), not the postings the filter keeps: one skill's
 * rows from posting_skills_facet, every skill's from posting_skills_by_facet. Company and location
 * have many values and no per-skill aggregate; the facets they keep are few.
 */
export function facetRowsServe(f: ReportFilters): boolean {
  return !!(f.company || f.location) && !f.unique;
}

/**
 * The skill rows `ps` of the postings the filters keep, told by the facet and day each row carries
 * (no posting is read): never negated, the skill, requirement and category filters, the dates on
 * `ps.period_date`, and the facets the posting-level filters keep. The category filter reads
 * skills `s` (join them: skillsJoin).
 */
export function facetRowsWhere(f: ReportFilters, d: Dialect): Sql {
  const fw = facetWhere(f, d);
  return and(skillWhere(f), dayWhere(f, 'ps.period_date'), { where: `ps.facet_id IN (SELECT p.id FROM facets p WHERE ${fw.where})`, params: fw.params });
}

/** Clauses that must all hold, their parameters in order. */
function and(...clauses: Sql[]): Sql {
  return { where: clauses.map((c) => c.where).join(' AND '), params: clauses.flatMap((c) => c.params) };
}

/** The join of skill rows `ps` to their skills `s` that a category filter needs (none without one). */
export function skillsJoin(f: ReportFilters): string {
  return f.category ? 'LEFT JOIN skills s ON s.id = ps.skill_id' : '';
}

/** Under a company or location filter: postings per skill and period (rows skillId, period, count) from the skill rows by facet; `period` is the period key of `ps.period_date`. */
export function facetDemandSql(period: string, f: ReportFilters, d: Dialect): Query {
  return facetCountsSql(period, 'period', f, d);
}

/** Under a company or location filter: postings per skill and requirement (rows skillId, requirement, count), whatever the requirement filter, from the skill rows by facet. */
export function facetRequirementSql(f: ReportFilters, d: Dialect): Query {
  return facetCountsSql('ps.requirement', 'requirement', { ...f, requirement: 'any' }, d);
}

/** Skill rows by facet counted per skill and `column` (as `alias`). */
function facetCountsSql(column: string, alias: string, f: ReportFilters, d: Dialect): Query {
  const w = facetRowsWhere(f, d);
  return {
    sql: `SELECT ps.skill_id AS "skillId", ${column} AS ${alias}, COUNT(*) AS count FROM posting_skills ps ${skillsJoin(f)} WHERE ${w.where} GROUP BY 1, 2 ORDER BY 1, 2`,
    params: w.params,
  };
}

/**
 * Under a company or location filter: every skill's rows (posting key, [period,] skill id), each
 * posting's together and its skills in order (a posting has one facet: the index's order), for
 * the roll-ups and pair counters; `period`, the period key of `ps.period_date`, when given.
 */
export function facetPostingRowsSql(f: ReportFilters, d: Dialect, period?: string): Query {
  const w = facetRowsWhere({ ...f, skill: undefined }, d);
  return {
    sql: `SELECT ps.posting_key, ${period ? `${period}, ` : ''}ps.skill_id FROM posting_skills ps ${skillsJoin(f)} WHERE ${w.where} ORDER BY ps.facet_id, ps.posting_key, ps.skill_id`,
    params: w.params,
  };
}

/**
 * Under a company or location filter, what tells whether its newest texts (a limit of them) are
 * read through its postings' index, all of its postings since the date and then sorted, rather
 * than backwards by date through every posting until the limit is met: reading backwards takes
 * about limit × all / kept postings, the index kept, so the index when kept is under
 * sqrt(limit × all), the cap. `total` counts all postings since the date (daily_totals); `kept`,
 * those the filter keeps (daily_facet_counts; `unique` left aside), reading at most `cap` of its
 * rows that count a posting or more, so that a filter that keeps most postings costs little.
 */
export function newestCountsSql(f: ReportFilters, since: string, d: Dialect): { total: Query; kept: (cap: number) => Query } | undefined {
  if (!f.company && !f.location) return undefined;
  const fw = facetWhere(f, d);
  return {
    total: { sql: 'SELECT COALESCE(SUM(d.postings), 0) FROM daily_totals d WHERE d.day >= ?', params: [since] },
    kept: (cap) => ({
      sql: `SELECT COALESCE(SUM(x.n), 0) FROM (SELECT d.postings AS n FROM daily_facet_counts d JOIN facets p ON p.id = d.facet_id WHERE d.day >= ? AND d.postings > 0 AND ${fw.where} LIMIT ?) x`,
      params: [since, ...fw.params, cap],
    }),
  };
}

/** The cap of newestCountsSql: under it, the filter's index. */
export function newestCap(limit: number, all: number): number {
  return Math.ceil(Math.sqrt(limit * all));
}

/**
 * Postings per period under a company or location filter (without `unique`), from
 * daily_facet_counts `d` and the facets `p` the filters keep; `period` is the period key of `d.day`.
 */
export function facetTotalsSql(period: string, f: ReportFilters, d: Dialect): Query {
  const dw = dayWhere(f);
  const fw = facetWhere(f, d);
  const sum = d.name === 'postgres' ? 'SUM(d.postings)::int' : 'SUM(d.postings)';
  return {
    sql: `SELECT ${period} AS period, ${sum} AS total FROM daily_facet_counts d JOIN facets p ON p.id = d.facet_id
          WHERE ${dw.where} AND ${fw.where} GROUP BY 1 HAVING SUM(d.postings) > 0 ORDER BY 1`,
    params: [...dw.params, ...fw.params],
  };
}

/** The partners of one skill (rows [skill, postings]) under a company or location filter: the skill's rows by facet (facetRowsWhere), then their postings' other rows. */
export function facetPairsSql(f: ReportFilters, skill: string, d: Dialect): Query {
  const w = facetRowsWhere({ ...f, skill }, d);
  return {
    sql: `SELECT y.skill_id, COUNT(*) FROM posting_skills ps ${skillsJoin(f)}
      ${d.name === 'sqlite' ? 'CROSS JOIN' : 'JOIN'} posting_skills y ON y.posting_key = ps.posting_key AND y.negated = 0 AND y.skill_id <> ps.skill_id ${categoryOf(f, d, 'y')}
      WHERE ${w.where} GROUP BY 1`,
    params: [...categoryParams(f), ...w.params],
  };
}

/** Under `unique`: the reposts per breakdown key, and the reposts naming the skill (rows [key, count] each). */
export function repostBreakdownQueries(skill: string, key: BreakdownKey, f: ReportFilters, d: Dialect): { totals: Query; hits: Query } {
  const column = breakdownSql(key);
  const pw = postingWhere(f, d, true);
  const sw = skillWhere({ ...f, skill }, d);
  return {
    totals: { sql: `SELECT ${column}, COUNT(*) FROM postings p WHERE ${pw.where} GROUP BY 1`, params: pw.params },
    hits: {
      sql: `SELECT ${column}, COUNT(*) FROM ${skillRowsJoin(d)} LEFT JOIN skills s ON s.id = ps.skill_id WHERE ${pw.where} AND ${sw.where} GROUP BY 1`,
      params: [...pw.params, ...sw.params],
    },
  };
}

/** A breakdown (every key) less its reposts', sorted as breakdownQuery sorts and cut to `limit`. */
export function lessReposts(
  all: readonly { key: string; count: number; total: number }[],
  totals: ReadonlyMap<string, number>,
  hits: ReadonlyMap<string, number>,
  limit: number,
): { key: string; count: number; total: number }[] {
  return all
    .map((r) => ({ key: r.key, count: r.count - (hits.get(r.key) ?? 0), total: r.total - (totals.get(r.key) ?? 0) }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || compareBytes(a.key, b.key))
    .slice(0, limit);
}

/** The breakdown key of a posting `p`, as SQL. */
export function breakdownSql(key: 'company' | 'location' | 'remote' | 'source'): string {
  return key === 'remote' ? "CASE p.remote WHEN 1 THEN 'remote' WHEN 0 THEN 'on-site' ELSE 'not stated' END" : `COALESCE(p.${key}, '(not stated)')`;
}

/** A skill a posting counts under (never a negated one): its id and how the posting asks for it. */
export interface CountedSkill {
  id: string;
  requirement: string;
}

/** The posting columns the posting-level filters and the breakdowns read: a facet of the postings. */
export interface Facet {
  source: string;
  company: string | null;
  location: string | null;
  remote: number | null;
}

/** A facet's columns as one string: equal facets, equal keys. */
export const facetKey = (f: Facet): string => JSON.stringify([f.source, f.company, f.location, f.remote]);

/**
 * Which roll-up groups a posting counts in (as GroupCounter counts them), from the skills table:
 * per skill its category and its families (itself when it is some skill's parent, and its
 * ancestors). A posting counts once per group: `[kind, scope, group]` with scope '' for all its
 * skills, and for families also scope = a category, for the postings with a skill of that
 * category under the family (what a --category filter counts).
 */
export class SkillGroups {
  /** Per skill, the keys of its groups in the order `of` adds them (its category, then each family unscoped and scoped). */
  private readonly keys = new Map<string, string[]>();
  /** Every group key's columns: [kind, scope, group]. */
  private readonly columns = new Map<string, [kind: string, scope: string, group: string]>();

  constructor(skills: readonly { id: string; category: string; parent: string | null }[]) {
    const byId = new Map(skills.map((s) => [s.id, s]));
    const parents = new Set(skills.flatMap((s) => (s.parent ? [s.parent] : [])));
    for (const s of skills) {
      const keys: string[] = [];
      const add = (kind: string, scope: string, group: string) => {
        const key = `${kind}\t${scope}\t${group}`;
        keys.push(key);
        if (!this.columns.has(key)) this.columns.set(key, [kind, scope, group]);
      };
      add('category', '', s.category);
      const seen = new Set<string>();
      for (let a: string | null | undefined = s.id; a && !seen.has(a); a = byId.get(a)?.parent) {
        seen.add(a);
        if (!parents.has(a)) continue;
        add('family', '', a);
        add('family', s.category, a);
      }
      this.keys.set(s.id, keys);
    }
  }

  /** The distinct groups of a posting's skills, as `kind\tscope\tgroup` keys. */
  of(skillIds: readonly string[]): Set<string> {
    const out = new Set<string>();
    // A skill the taxonomy no longer has counts in no group.
    for (const id of skillIds) for (const key of this.keys.get(id) ?? []) out.add(key);
    return out;
  }

  /**
   * The distinct groups of a posting's skills (in the order `of` gives them), each with whether
   * one of its skills is required (bit 1) or preferred (bit 2): one pass, for DailyDeltas.
   */
  levels(skills: readonly CountedSkill[]): Map<string, number> {
    const out = new Map<string, number>();
    for (const s of skills) {
      const bit = s.requirement === 'required' ? 1 : s.requirement === 'preferred' ? 2 : 0;
      for (const key of this.keys.get(s.id) ?? []) out.set(key, (out.get(key) ?? 0) | bit);
    }
    return out;
  }

  /** A group key's columns: [kind, scope, group]. */
  columnsOf(key: string): [kind: string, scope: string, group: string] {
    return this.columns.get(key) ?? (key.split('\t') as [string, string, string]);
  }
}

type Nested = Map<unknown, Nested | number>;

/**
 * Sums of changes per key (a tuple of columns), written once per key when the batch ends. Maps
 * nested a level per column, not string keys: a posting adds a hundred pairs, and building and
 * splitting a string for each made the garbage collector the writer's largest cost.
 */
class Sums<K extends unknown[]> {
  private root: Nested = new Map();

  add(delta: number, ...key: K): void {
    let m = this.root;
    for (let i = 0; i < key.length - 1; i++) {
      let next = m.get(key[i]) as Nested | undefined;
      if (!next) m.set(key[i], (next = new Map()));
      m = next;
    }
    const last = key[key.length - 1];
    m.set(last, ((m.get(last) as number | undefined) ?? 0) + delta);
  }

  /** The non-zero sums as `[...key, sum]`, sorted by key when `sorted` (`compare` per column); then starts over. */
  take(sorted: boolean, compare: (a: never, b: never) => number = compareStrings as never): [...K, number][] {
    const out: [...K, number][] = [];
    const walk = (m: Nested, prefix: unknown[]) => {
      const entries = sorted ? [...m].sort(([a], [b]) => compare(a as never, b as never)) : m;
      for (const [k, v] of entries) {
        if (typeof v === 'number') {
          if (v !== 0) out.push([...prefix, k, v] as unknown as [...K, number]);
        } else walk(v, [...prefix, k]);
      }
    };
    walk(this.root, []);
    this.root = new Map();
    return out;
  }
}

/**
 * Sums of changes per (month, a, b), a < b: the skill pairs of the postings of a batch, about
 * thirty a posting. Months and skills are numbered as they come and a pair is one number, pushed
 * onto an array of doubles and summed by sorting when the batch ends: no object or string per pair.
 */
class PairSums {
  private static readonly SPAN = 65_536;
  private readonly skills = new Map<string, number>();
  private readonly months = new Map<string, number>();
  private added: number[] = [];
  private removed: number[] = [];

  private number(names: Map<string, number>, name: string): number {
    let n = names.get(name);
    if (n === undefined) names.set(name, (n = names.size));
    return n;
  }

  /** Adds (`sign` 1) or takes away (-1) one posting's pairs: every two of its skills (distinct), in the month. */
  add(sign: 1 | -1, month: string, skillIds: readonly string[]): void {
    const span = PairSums.SPAN;
    const base = this.number(this.months, month) * span;
    const ns = skillIds.map((id) => this.number(this.skills, id));
    const out = sign === 1 ? this.added : this.removed;
    for (let i = 0; i < ns.length; i++) {
      for (let j = i + 1; j < ns.length; j++) {
        out.push((base + (ns[i] as number)) * span + (ns[j] as number));
      }
    }
    if (this.skills.size >= span || this.months.size >= span) throw new Error('too many skills or months in one batch');
  }

  /** The non-zero sums as `[month, a, b, sum]` with a < b, in key order (by code unit); then starts over. */
  take(): [month: string, a: string, b: string, delta: number][] {
    const span = PairSums.SPAN;
    const rank = (names: Map<string, number>) => {
      const list = [...names.keys()].sort(compareStrings);
      const byNumber: number[] = [];
      list.forEach((name, r) => {
        byNumber[names.get(name) as number] = r;
      });
      return { list, byNumber };
    };
    const skills = rank(this.skills);
    const months = rank(this.months);
    // Renumbered by rank, the smaller first, so that sorting the numbers sorts the pairs by (month, a, b).
    const ranked = (keys: number[]) => {
      const out = new Float64Array(keys.length);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as number;
        const y = key % span;
        const rest = (key - y) / span;
        const x = rest % span;
        const a = skills.byNumber[x] as number;
        const b = skills.byNumber[y] as number;
        out[k] = ((months.byNumber[(rest - x) / span] as number) * span + Math.min(a, b)) * span + Math.max(a, b);
      }
      return out.sort();
    };
    const plus = ranked(this.added);
    const minus = ranked(this.removed);
    const rows: [string, string, string, number][] = [];
    const emit = (key: number, n: number) => {
      if (n === 0) return;
      const b = key % span;
      const rest = (key - b) / span;
      const a = rest % span;
      rows.push([months.list[(rest - a) / span] as string, skills.list[a] as string, skills.list[b] as string, n]);
    };
    let i = 0;
    let j = 0;
    while (i < plus.length || j < minus.length) {
      const p = i < plus.length ? (plus[i] as number) : Number.POSITIVE_INFINITY;
      const m = j < minus.length ? (minus[j] as number) : Number.POSITIVE_INFINITY;
      const key = Math.min(p, m);
      let n = 0;
      for (; i < plus.length && plus[i] === key; i++) n++;
      for (; j < minus.length && minus[j] === key; j++) n--;
      emit(key, n);
    }
    this.skills.clear();
    this.months.clear();
    this.added = [];
    this.removed = [];
    return rows;
  }
}

/**
 * Changes to the maintained aggregates, summed over a batch in memory and written once per key
 * when the batch ends: far fewer writes than one per row when many postings share a day. A
 * posting's whole contribution (its day, facet and counted skills) is added when it is stored
 * and taken away, as it was counted, before it changes: so every table stays equal to a recount.
 *
 * - daily_totals (day), daily_skill_counts (skill, day): as before.
 * - daily_facet_counts (day, facet): postings per day and facet (source, company, location,
 *   remote): the posting-level filters and the breakdowns' totals, the filters applied to the
 *   few distinct facets.
 * - daily_source_counts (day, source, remote): postings per day, source and remote (-1: not
 *   stated): the totals under source and remote filters, a few rows a day where the facets
 *   (with company and location) are nearly a row per posting on a large store.
 * - daily_skill_sources (skill, day, source, remote): postings per skill and the two facet
 *   columns with few values, and of them how many require or prefer the skill (columns, not
 *   rows): demand under source, remote or requirement filters, the requirement split, the
 *   breakdowns by source and remote. The columns with many values (company, location) have no
 *   per-skill rows: per posting they would be nearly a second copy of posting_skills.
 * - daily_group_counts (kind, scope, group, day, source, remote): the trends' roll-ups (see
 *   SkillGroups), and of those postings how many require or prefer some skill of the group
 *   (columns): the roll-ups under source, remote and requirement filters, as daily_skill_sources.
 * - month_pair_counts (month, a, b, slice), a < b: postings naming both skills, per month and
 *   slice (a source and remote value), for co-occurrence, also under source and remote filters;
 *   a date filter that cuts a month reads its edge days from the skill rows (see monthSplit).
 *   Most pairs are named once in a month, so the slices add few rows (a posting has one).
 * - month_pair_levels (level, month, a, b, slice): the pairs of two required, or two preferred,
 *   skills of a posting, for co-occurrence under a requirement filter.
 *
 * The pair tables are the largest that the writers keep (about 36 rows a Hacker News post),
 * so they hold numbers: the month as 202603, the skills as their numbers in pair_skills, the
 * slice as its number in pair_slices (both tables only grow: a number, once given, keeps its
 * meaning). That halves their size and a third of their writing time against text keys. This
 * class gives the rows by name; each store's writer numbers them.
 *
 * Facets are keyed by the facet object the batch first met them as (one per distinct facet).
 */
export class DailyDeltas {
  private readonly days = new Sums<[string]>();
  private readonly skills = new Sums<[string, string]>();
  private readonly facetDays = new Sums<[string, Facet]>();
  private readonly sourceDays = new Sums<[string, string, number]>();
  private readonly skillSources = new Sums<[string, string, string, number, string]>();
  /** Keyed by the group's `kind\tscope\tgroup` key: in the same order as by its three columns, as no column holds a character below the tab. */
  private readonly groupDays = new Sums<[string, string, string, number, string]>();
  /** Pairs per month, source and remote (month_pair_counts), keyed "<month>\t<remote>\t<source>" (a source may hold a tab). */
  private readonly pairMonths = new PairSums();
  /** Pairs of two required, or two preferred, skills (month_pair_levels), keyed "<level>\t" and the same. */
  private readonly pairLevels = new PairSums();
  /** The facets met, by their key, so equal facets are one object. */
  private readonly facets = new Map<string, Facet>();

  constructor(private readonly groups?: SkillGroups) {}

  private facet(f: Facet): Facet {
    const key = facetKey(f);
    const known = this.facets.get(key);
    if (known) return known;
    this.facets.set(key, f);
    return f;
  }

  /** Adds (`sign` 1) or takes away (-1) a posting's whole contribution to every aggregate. */
  count(day: string, facet: Facet, skills: readonly CountedSkill[], sign: 1 | -1): void {
    const f = this.facet(facet);
    this.days.add(sign, day);
    this.facetDays.add(sign, day, f);
    const remote = facet.remote ?? -1;
    this.sourceDays.add(sign, day, facet.source, remote);
    for (const s of skills) {
      this.skills.add(sign, s.id, day);
      this.skillSources.add(sign, s.id, day, facet.source, remote, s.requirement);
    }
    const ids = skills.map((s) => s.id);
    if (this.groups) {
      // Per group also whether one of its skills is required, or preferred: the requirement filters' roll-ups.
      for (const [g, levels] of this.groups.levels(skills)) {
        this.groupDays.add(sign, g, day, facet.source, remote, 'postings');
        if (levels & 1) this.groupDays.add(sign, g, day, facet.source, remote, 'required');
        if (levels & 2) this.groupDays.add(sign, g, day, facet.source, remote, 'preferred');
      }
    }
    const slice = `${day.slice(0, 7)}\t${remote}\t${facet.source}`;
    this.pairMonths.add(sign, slice, ids);
    for (const level of ['required', 'preferred']) {
      const of = skills.filter((s) => s.requirement === level);
      if (of.length > 1) this.pairLevels.add(sign, `${level}\t${slice}`, of.map((s) => s.id));
    }
  }

  /**
   * The non-zero changes, and starts over. `sorted`: each list in its key order (facets by their
   * key), so that concurrent writers applying them in this order never deadlock; the one SQLite
   * writer leaves the sorting out.
   */
  take(sorted = true): {
    days: [day: string, delta: number][];
    skills: [skillId: string, day: string, delta: number][];
    facets: Facet[];
    facetDays: [day: string, facet: Facet, delta: number][];
    sourceDays: [day: string, source: string, remote: number, delta: number][];
    skillSources: [skillId: string, day: string, source: string, remote: number, postings: number, required: number, preferred: number][];
    groups: [kind: string, scope: string, group: string, day: string, source: string, remote: number, postings: number, required: number, preferred: number][];
    pairs: [month: string, a: string, b: string, source: string, remote: number, delta: number][];
    pairLevels: [level: string, month: string, a: string, b: string, source: string, remote: number, delta: number][];
  } {
    const keyOf = new Map([...this.facets].map(([k, f]) => [f, k]));
    const compare = (a: string | Facet, b: string | Facet) => (typeof a === 'string' ? compareStrings(a, b as string) : compareStrings(keyOf.get(a) as string, keyOf.get(b as Facet) as string));
    // New facets are inserted in this order too: two writers adding the same two never wait on each other in a circle.
    const facets = [...this.facets].sort(([a], [b]) => (sorted ? compareStrings(a, b) : 0)).map(([, f]) => f);
    this.facets.clear();
    return {
      days: this.days.take(sorted),
      skills: this.skills.take(sorted),
      facets,
      facetDays: this.facetDays.take(sorted, compare as never),
      sourceDays: this.sourceDays.take(sorted),
      skillSources: bySources(this.skillSources.take(sorted)),
      groups: asColumns(this.groupDays.take(sorted), this.groups),
      pairs: this.pairMonths.take().map(([key, a, b, n]) => {
        const [month, remote, source] = splitSlice(key);
        return [month, a, b, source, remote, n];
      }),
      pairLevels: this.pairLevels.take().map(([key, a, b, n]) => {
        const tab = key.indexOf('\t');
        const [month, remote, source] = splitSlice(key.slice(tab + 1));
        return [key.slice(0, tab), month, a, b, source, remote, n];
      }),
    };
  }
}

/** A month ("2026-03") as the pair tables number it: 202603. */
export function monthNumber(month: string): number {
  return Number(month.slice(0, 4)) * 100 + Number(month.slice(5, 7));
}

/** A pair slice key "<month>\t<remote>\t<source>" as its columns (the source may hold tabs). */
function splitSlice(key: string): [month: string, remote: number, source: string] {
  const first = key.indexOf('\t');
  const second = key.indexOf('\t', first + 1);
  return [key.slice(0, first), Number(key.slice(first + 1, second)), key.slice(second + 1)];
}

/**
 * Per-requirement sums to one row per (skill, day, source, remote) with the requirements as
 * columns: the rows of a key come one after another (Sums walks nested maps in order).
 */
function bySources(rows: [string, string, string, number, string, number][]): [string, string, string, number, number, number, number][] {
  const out: [string, string, string, number, number, number, number][] = [];
  let last: [string, string, string, number, number, number, number] | undefined;
  for (const [skill, day, source, remote, requirement, n] of rows) {
    if (!last || last[0] !== skill || last[1] !== day || last[2] !== source || last[3] !== remote) out.push((last = [skill, day, source, remote, 0, 0, 0]));
    last[4] += n;
    if (requirement === 'required') last[5] += n;
    else if (requirement === 'preferred') last[6] += n;
  }
  return out;
}

/**
 * Group sums per (group key, day, source, remote) and count ('postings', 'required', 'preferred')
 * to one row per key with the group key's three columns and the three counts as columns, in that
 * order (the rows of a key come one after another).
 */
function asColumns(
  rows: [string, string, string, number, string, number][],
  groups: SkillGroups | undefined,
): [string, string, string, string, string, number, number, number, number][] {
  const out: [string, string, string, string, string, number, number, number, number][] = [];
  let last: [string, string, string, string, string, number, number, number, number] | undefined;
  let lastKey: string | undefined;
  for (const [key, day, source, remote, count, n] of rows) {
    if (!last || lastKey !== key || last[3] !== day || last[4] !== source || last[5] !== remote) {
      const [kind, scope, group] = groups ? groups.columnsOf(key) : (key.split('\t') as [string, string, string]);
      out.push((last = [kind, scope, group, day, source, remote, 0, 0, 0]));
      lastKey = key;
    }
    last[count === 'postings' ? 6 : count === 'required' ? 7 : 8] += n;
  }
  return out;
}

/** The skills a posting counts under: those not negated. */
export function countedSkills(x: { skills: readonly { id: string; requirement: string; negated: boolean }[] }): CountedSkill[] {
  return x.skills.filter((s) => !s.negated).map((s) => ({ id: s.id, requirement: s.requirement }));
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Counts per pair of strings, listed in the order each pair was first counted. */
export class PairCounts {
  private readonly counts = new Map<string, number>();

  add(a: string, b: string, n = 1): void {
    const key = `${a}\t${b}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
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

  /** The pairs counted so far, as `[a, b, postings]` (with a focus skill, it is `a`). */
  entries(): [string, string, number][] {
    return this.together.entries();
  }

  /** Adds counts from the pair aggregate: `n` postings name `a` and `b` (a < b). */
  add(a: string, b: string, n: number): void {
    if (!this.skill) this.together.add(a, b, n);
    else if (a === this.skill) this.together.add(a, b, n);
    else if (b === this.skill) this.together.add(b, a, n);
  }

  /** The pairs named together at least `minSupport` times, most frequent first, at most `limit`. */
  result(minSupport: number, limit: number): { a: string; b: string; together: number }[] {
    return this.together
      .entries()
      .filter(([, , n]) => n >= minSupport && n > 0)
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
