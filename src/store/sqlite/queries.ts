import type Database from 'better-sqlite3';
import { type PeriodKind, periodOf } from '../../periods.js';
import type { DemandRows, SkillMeta } from '../../types.js';
import type { BreakdownKey, Example, GroupCount, ReportFilters } from '../store.js';
import {
  aggregatesServe,
  breakdownQuery,
  ByPosting,
  dayWhere as sharedDayWhere,
  type Dialect,
  facetColumnsWhere,
  facetDemandSql,
  facetPostingRowsSql,
  facetRequirementSql,
  facetRowsServe,
  facetRowsWhere,
  facetsServe,
  facetTotalsSql,
  facetWhere,
  focusedPairsSql,
  GroupCounter,
  latestDays,
  groupAggregateSql,
  lessReposts,
  monthPairsSql,
  monthSplit,
  newestCap,
  newestCountsSql,
  PairCounter,
  pairsSql,
  pairsServe,
  periodSql as sharedPeriodSql,
  postingWhere as sharedPostingWhere,
  type Query,
  repostBreakdownQueries,
  requirementColumn,
  requirementRows,
  facetPairsSql,
  skillRowsJoin,
  skillSourcesServe,
  skillWhere as sharedSkillWhere,
  sourceWhere,
  type Sql,
  subtractDemand,
  subtractRows,
} from '../sql.js';
import type { DB } from './db.js';

export { likeLiteral } from '../sql.js';

const SQLITE: Dialect = { likeAnyCase: 'LIKE', name: 'sqlite' };
const postingWhere = (f: ReportFilters): Sql => sharedPostingWhere(f, SQLITE);
const skillWhere = (f: ReportFilters): Sql => sharedSkillWhere(f, SQLITE);

/** SQL for a posting's period key (of its `column`): plain SQL for months, quarters and years; ISO weeks through a JS function. */
function periodSql(db: DB, kind: PeriodKind, column = 'p.period_date'): string {
  if (kind === 'week') db.function('sp_iso_week', { deterministic: true }, (d: unknown) => periodOf(String(d), 'week'));
  return sharedPeriodSql(kind, column, `sp_iso_week(${column})`);
}

/**
 * Postings per period, and postings per skill and period. Negated mentions never count. Without
 * posting-level filters it reads the daily aggregates the writer keeps (fast on millions of
 * postings); under a source or remote filter their per-source forms; under a company or location
 * filter the skill rows by facet.
 */
export function readDemandRows(db: DB, kind: PeriodKind, f: ReportFilters = {}): DemandRows {
  if (aggregatesServe(f)) return readDemandAggregates(db, kind, f);
  if (skillSourcesServe(f)) return readDemandFacets(db, kind, f);
  // A company or location filter: the skill rows by facet.
  if (!f.unique) return readDemandByFacet(db, kind, f);
  // `unique`: every posting from the aggregates, minus the reposts (a few) from their rows.
  return subtractDemand(readDemandRows(db, kind, { ...f, unique: false }), readRepostDemand(db, kind, f));
}

/** Demand under a company or location filter: the postings from daily_facet_counts, the skills from their rows by facet (no posting is read). */
function readDemandByFacet(db: DB, kind: PeriodKind, f: ReportFilters): DemandRows {
  const totals = facetTotalsSql(periodSql(db, kind, 'd.day'), f, SQLITE);
  const counts = facetDemandSql(periodSql(db, kind, 'ps.period_date'), f, SQLITE);
  return {
    periodTotals: db.prepare(totals.sql).all(...totals.params) as DemandRows['periodTotals'],
    skillCounts: db.prepare(counts.sql).all(...counts.params) as DemandRows['skillCounts'],
    skills: readSkills(db),
  };
}

/** Demand of only the postings `unique` leaves out (the reposts), from them and their skill rows. */
function readRepostDemand(db: DB, kind: PeriodKind, f: ReportFilters): DemandRows {
  const period = periodSql(db, kind);
  const pw = sharedPostingWhere(f, SQLITE, true);
  const sw = skillWhere(f);
  const periodTotals = db.prepare(`SELECT ${period} AS period, COUNT(*) AS total FROM postings p WHERE ${pw.where} GROUP BY 1 ORDER BY 1`).all(...pw.params) as DemandRows['periodTotals'];
  const skillCounts = db
    .prepare(
      `SELECT ps.skill_id AS skillId, ${period} AS period, COUNT(*) AS count
       FROM ${skillRowsJoin(SQLITE)} LEFT JOIN skills s ON s.id = ps.skill_id
       WHERE ${pw.where} AND ${sw.where} GROUP BY 1, 2`,
    )
    .all(...pw.params, ...sw.params) as DemandRows['skillCounts'];
  return { periodTotals, skillCounts, skills: readSkills(db) };
}

function readDemandAggregates(db: DB, kind: PeriodKind, f: ReportFilters): DemandRows {
  const period = periodSql(db, kind).replace(/p\.period_date/g, 'd.day');
  const { where: dayWhere, params } = sharedDayWhere(f);
  const periodTotals = db
    .prepare(`SELECT ${period} AS period, SUM(d.postings) AS total FROM daily_totals d WHERE ${dayWhere} GROUP BY 1 HAVING SUM(d.postings) > 0 ORDER BY 1`)
    .all(...params) as DemandRows['periodTotals'];
  const skillWhereSql = [dayWhere, 'd.postings > 0'];
  const skillParams = [...params];
  if (f.skill) skillWhereSql.push('d.skill_id = ?') && skillParams.push(f.skill);
  if (f.category) skillWhereSql.push('d.skill_id IN (SELECT id FROM skills WHERE category = ?)') && skillParams.push(f.category);
  const skillCounts = db
    .prepare(`SELECT d.skill_id AS skillId, ${period} AS period, SUM(d.postings) AS count FROM daily_skill_counts d WHERE ${skillWhereSql.join(' AND ')} GROUP BY 1, 2`)
    .all(...skillParams) as DemandRows['skillCounts'];
  return { periodTotals, skillCounts, skills: readSkills(db) };
}

/** Demand under source, remote or requirement filters, from the facet aggregates: the filters apply to the distinct facets. */
function readDemandFacets(db: DB, kind: PeriodKind, f: ReportFilters): DemandRows {
  const period = periodSql(db, kind).replace(/p\.period_date/g, 'd.day');
  const dw = sharedDayWhere(f);
  const fw = facetColumnsWhere(f, SQLITE);
  const periodTotals = db
    .prepare(`SELECT ${period} AS period, SUM(d.postings) AS total FROM daily_source_counts d WHERE ${dw.where} AND ${fw.where} GROUP BY 1 HAVING SUM(d.postings) > 0 ORDER BY 1`)
    .all(...dw.params, ...fw.params) as DemandRows['periodTotals'];
  const sk = sourceWhere(f, SQLITE);
  const n = requirementColumn(f);
  const skillCounts = db
    .prepare(
      `SELECT d.skill_id AS skillId, ${period} AS period, SUM(${n}) AS count FROM daily_skill_sources d
       WHERE ${dw.where} AND ${sk.where} GROUP BY 1, 2 HAVING SUM(${n}) > 0`,
    )
    .all(...dw.params, ...sk.params) as DemandRows['skillCounts'];
  return { periodTotals, skillCounts, skills: readSkills(db) };
}

/** The sources postings were stored under: `file`, `greenhouse:acme`, `hn` ... */
export function readSources(db: DB): string[] {
  return (db.prepare('SELECT DISTINCT source FROM postings ORDER BY source').all() as { source: string }[]).map((r) => r.source);
}

/** The skills a read-only connection read, and the data_version they were read at. */
const skillsRead = new WeakMap<DB, { version: number; skills: SkillMeta[] }>();

/**
 * The stored skills, by id. A read-only connection (serve, reports) keeps them until another
 * connection commits a change (PRAGMA data_version moves): every report reads them, some several
 * times, and they change only with the taxonomy. A writer's own changes do not move its
 * data_version, so a writer reads them each time.
 */
export function readSkills(db: DB): SkillMeta[] {
  if (!db.readonly) return db.prepare('SELECT id, name, category, parent FROM skills ORDER BY id').all() as SkillMeta[];
  const version = db.pragma('data_version', { simple: true }) as number;
  const kept = skillsRead.get(db);
  if (kept?.version === version) return kept.skills.slice();
  const skills = db.prepare('SELECT id, name, category, parent FROM skills ORDER BY id').all() as SkillMeta[];
  skillsRead.set(db, { version, skills });
  return skills.slice();
}


/**
 * Postings per group and period, for two kinds of group: categories, and taxonomy families (a
 * skill that is some skill's parent, with everything under it). Each posting counts once per
 * group however many of its skills the group holds. One pass over the skill rows in posting
 * order: counting distinct postings in SQL sorted millions of rows into temporary b-trees.
 */
export function readGroupCounts(db: DB, kind: PeriodKind, f: ReportFilters = {}): { category: GroupCount[]; family: GroupCount[] } {
  if (skillSourcesServe(f)) return readGroupAggregates(db, kind, f);
  if (f.unique) {
    // `unique`: the counts without it, less the reposts', counted from their rows.
    const all = readGroupCounts(db, kind, { ...f, unique: false });
    const pw = sharedPostingWhere(f, SQLITE, true);
    const sw = skillWhere({ ...f, skill: undefined });
    const reposts = groupCountsOf(
      db,
      `SELECT ps.posting_key, ${periodSql(db, kind)}, ps.skill_id FROM ${skillRowsJoin(SQLITE)} LEFT JOIN skills s ON s.id = ps.skill_id
       WHERE ${pw.where} AND ${sw.where} ORDER BY ps.posting_key`,
      [...pw.params, ...sw.params],
    );
    const key = (g: GroupCount) => `${g.group}\t${g.period}`;
    return { category: subtractRows(all.category, reposts.category, key, 'count'), family: subtractRows(all.family, reposts.family, key, 'count') };
  }
  // A company or location filter: the skill rows by facet.
  const rows = facetPostingRowsSql(f, SQLITE, periodSql(db, kind, 'ps.period_date'));
  return groupCountsOf(db, rows.sql, rows.params);
}

/** Group counts in one pass over skill rows (key, period, skill id) that come each posting's together. */
function groupCountsOf(db: DB, sql: string, params: unknown[]): { category: GroupCount[]; family: GroupCount[] } {
  const counter = new GroupCounter(readSkills(db));
  const postings = new ByPosting<[number, string, string]>((r) => counter.posting(r));
  for (const row of db.prepare(sql).raw().iterate(...params) as IterableIterator<[number, string, string]>) postings.push(row);
  postings.end();
  return counter.result();
}

/** Postings per group and period from daily_group_counts, under the dates, source, remote, requirement and category filters. */
function readGroupAggregates(db: DB, kind: PeriodKind, f: ReportFilters): { category: GroupCount[]; family: GroupCount[] } {
  const period = periodSql(db, kind).replace(/p\.period_date/g, 'd.day');
  const read = (groupKind: 'category' | 'family') => {
    const q = groupAggregateSql(groupKind, period, f, SQLITE);
    return db.prepare(q.sql).all(...q.params) as GroupCount[];
  };
  return { category: read('category'), family: read('family') };
}

/** Per skill, how many postings ask for it as required, preferred or unspecified. */
export function readRequirementSplit(db: DB, f: ReportFilters = {}): { skillId: string; requirement: string; count: number }[] {
  if (f.unique) {
    const key = (r: { skillId: string; requirement: string }) => `${r.skillId}\t${r.requirement}`;
    return subtractRows(readRequirementSplit(db, { ...f, unique: false }), repostRequirementSplit(db, f), key, 'count');
  }
  if (skillSourcesServe(f)) {
    const dw = sharedDayWhere(f);
    const sk = sourceWhere(f, SQLITE);
    const rows = db
      .prepare(
        `SELECT d.skill_id, SUM(d.preferred), SUM(d.required), SUM(d.postings - d.required - d.preferred) FROM daily_skill_sources d
         WHERE ${dw.where} AND ${sk.where} GROUP BY 1`,
      )
      .raw()
      .all(...dw.params, ...sk.params) as [string, number, number, number][];
    return requirementRows(rows);
  }
  // A company or location filter: the skill rows by facet.
  const q = facetRequirementSql(f, SQLITE);
  return db.prepare(q.sql).all(...q.params) as { skillId: string; requirement: string; count: number }[];
}

/** The requirement split of only the postings `unique` leaves out (the reposts), from them and their skill rows. */
function repostRequirementSplit(db: DB, f: ReportFilters): { skillId: string; requirement: string; count: number }[] {
  const pw = sharedPostingWhere(f, SQLITE, true);
  const sw = skillWhere({ ...f, requirement: 'any' });
  return db
    .prepare(
      `SELECT ps.skill_id AS skillId, ps.requirement AS requirement, COUNT(*) AS count
       FROM ${skillRowsJoin(SQLITE)} LEFT JOIN skills s ON s.id = ps.skill_id
       WHERE ${pw.where} AND ${sw.where} GROUP BY 1, 2`,
    )
    .all(...pw.params, ...sw.params) as { skillId: string; requirement: string; count: number }[];
}


/** For one skill: postings that mention it, and all postings, per company, location, remote or source. */
export function readBreakdown(db: DB, skill: string, key: BreakdownKey, f: ReportFilters = {}, limit = 15): { key: string; count: number; total: number }[] {
  if (f.unique) {
    // The facets' counts less the reposts' (from their rows), every key, then sorted and cut.
    const all = readBreakdown(db, skill, key, { ...f, unique: false }, Number.MAX_SAFE_INTEGER);
    const reposts = repostBreakdownQueries(skill, key, f, SQLITE);
    const counts = (q: Query) => new Map(db.prepare(q.sql).raw().all(...q.params) as [string, number][]);
    return lessReposts(all, counts(reposts.totals), counts(reposts.hits), limit);
  }
  const q = breakdownQuery(skill, key, f, SQLITE, limit);
  return db.prepare(q.sql).all(...q.params) as { key: string; count: number; total: number }[];
}

/** Postings per skill (all periods), and the number of postings: the demand rows summed. */
export function readSkillTotals(db: DB, f: ReportFilters = {}): { totals: Map<string, number>; postings: number } {
  const d = readDemandRows(db, 'year', { ...f, skill: undefined });
  const totals = new Map<string, number>();
  for (const r of d.skillCounts) totals.set(r.skillId, (totals.get(r.skillId) ?? 0) + r.count);
  return { totals, postings: d.periodTotals.reduce((a, r) => a + r.total, 0) };
}

/**
 * Skill pairs named by the same postings: for one skill, or the most frequent pairs overall. One
 * pass over the skill rows in posting order (a self-join made tens of millions of pair rows).
 */
export function readPairs(db: DB, f: ReportFilters = {}, skill?: string, minSupport = 2, limit = 50): { a: string; b: string; together: number }[] {
  const counter = new PairCounter(skill);
  if (pairsServe(f)) {
    // Whole months from month_pair_counts (month_pair_levels under a requirement filter); the days of a month the dates cut, from the skill rows (thirty days at most at each end).
    const split = monthSplit(f);
    const months = monthPairsSql(f, split, skill, SQLITE);
    if (split.from === undefined || split.to === undefined || split.from <= split.to) {
      for (const [a, b, n] of db.prepare(months.sql).raw().all(...months.params) as [string, string, number][]) if (n !== 0) counter.add(a, b, n);
    }
    for (const edge of split.edges) countPairRows(db, counter, { ...f, unique: false, since: edge.since, until: edge.until }, skill, true);
  } else {
    // A company or location filter: the skill rows by facet.
    countPairRows(db, counter, { ...f, unique: false }, skill, false);
  }
  if (f.unique) {
    // Less the reposts', counted from their rows.
    const reposts = new PairCounter(skill);
    countPairRows(db, reposts, f, skill, false, true);
    for (const [a, b, n] of reposts.entries()) counter.add(a, b, -n);
  }
  return counter.result(minSupport, limit);
}

/**
 * Counts into `counter` the pairs of the postings the filters keep: `edge`, a few days (a month's
 * edge); `reposts`, the postings `unique` leaves out; neither, a company or location filter (its
 * skill rows by facet).
 */
function countPairRows(db: DB, counter: PairCounter, f: ReportFilters, skill: string | undefined, edge: boolean, reposts = false): void {
  if (!edge && !reposts) {
    if (skill) {
      // Focused: the skill's rows by facet, then their postings' other rows.
      const focused = facetPairsSql(f, skill, SQLITE);
      for (const [b, n] of db.prepare(focused.sql).raw().all(...focused.params) as [string, number][]) counter.add(skill, b, n);
      return;
    }
    const rows = facetPostingRowsSql(f, SQLITE);
    countPostingPairs(counter, db.prepare(rows.sql), rows.params);
    return;
  }
  const pw = sharedPostingWhere(f, SQLITE, reposts);
  if (skill) {
    // A month's edge days or the reposts (few postings), focused: the partners of the skill counted in SQL, the postings found first.
    const focused = focusedPairsSql(f, pw, SQLITE);
    for (const [b, n] of db.prepare(focused.sql).raw().all(skill, ...focused.params) as [string, number][]) counter.add(skill, b, n);
    return;
  }
  if (edge) {
    // A month's edge days: the pairs counted in SQL, the postings found by the period index first.
    const all = pairsSql(f, pw, SQLITE);
    for (const [a, b, n] of db.prepare(all.sql).raw().all(...all.params) as [string, string, number][]) counter.add(a, b, n);
    return;
  }
  // The reposts: their rows in posting order.
  const sw = skillWhere({ ...f, skill: undefined });
  const sql = `SELECT ps.posting_key, ps.skill_id FROM ${skillRowsJoin(SQLITE)} LEFT JOIN skills s ON s.id = ps.skill_id WHERE ${pw.where} AND ${sw.where} ORDER BY ps.posting_key, ps.skill_id`;
  countPostingPairs(counter, db.prepare(sql), [...pw.params, ...sw.params]);
}

/** Feeds `counter` skill rows (key, skill id) that come each posting's together, its skills in order. */
function countPostingPairs(counter: PairCounter, statement: Database.Statement, params: unknown[]): void {
  const postings = new ByPosting<[number, string]>((r) => counter.posting(r));
  for (const row of statement.raw().iterate(...params) as IterableIterator<[number, string]>) postings.push(row);
  postings.end();
}

/** Stated salaries of the postings that mention each skill. */
export function readSalaries(db: DB, f: ReportFilters = {}): { skillId: string; salary: string }[] {
  const pw = postingWhere(f);
  const sw = skillWhere(f);
  return db
    .prepare(
      // From the postings that state a salary (the postings_salaried index; CROSS JOIN keeps that order), not from every skill row.
      `SELECT ps.skill_id AS skillId, p.salary AS salary FROM postings p INDEXED BY postings_salaried CROSS JOIN posting_skills ps ON ps.posting_key = p.key
       LEFT JOIN skills s ON s.id = ps.skill_id WHERE p.salary IS NOT NULL AND ${pw.where} AND ${sw.where}`,
    )
    .all(...pw.params, ...sw.params) as { skillId: string; salary: string }[];
}

/** The texts of the latest postings (for mining candidate skills), newest first (the last stored first within a day). */
export function readRecentTexts(db: DB, since: string, f: ReportFilters = {}, limit = 2000): string[] {
  const pw = postingWhere({ ...f, since });
  // Under a company or location filter that keeps few postings, its postings by their index (the company's, usually the fewer), then sorted.
  const q = newestCountsSql(f, since, SQLITE);
  let index = '';
  if (q) {
    const cap = newestCap(limit, db.prepare(q.total.sql).pluck().get(...q.total.params) as number);
    const kept = q.kept(cap);
    if ((db.prepare(kept.sql).pluck().get(...kept.params) as number) < cap) index = `INDEXED BY ${f.company ? 'postings_company' : 'postings_location'}`;
  }
  return (db.prepare(`SELECT text FROM postings p ${index} WHERE ${pw.where} ORDER BY p.period_date DESC, p.key DESC LIMIT ?`).all(...pw.params, limit) as { text: string }[]).map((r) => r.text);
}

/** The employers of the postings since a date: names the emerging report never proposes as skills. */
export function readRecentCompanies(db: DB, since: string, f: ReportFilters = {}): string[] {
  if (f.unique) {
    // Postings per company from the facets, less the reposts: the companies some first posting names.
    const dw = sharedDayWhere({ ...f, since });
    const fw = facetWhere(f, SQLITE);
    const pw = sharedPostingWhere({ ...f, since }, SQLITE, true);
    const reposts = new Map(db.prepare(`SELECT p.company, COUNT(*) FROM postings p WHERE ${pw.where} AND p.company IS NOT NULL GROUP BY 1`).raw().all(...pw.params) as [string, number][]);
    return (
      db
        .prepare(`SELECT p.company, SUM(d.postings) FROM daily_facet_counts d JOIN facets p ON p.id = d.facet_id WHERE ${dw.where} AND ${fw.where} AND p.company IS NOT NULL GROUP BY 1`)
        .raw()
        .all(...dw.params, ...fw.params) as [string, number][]
    )
      .filter(([company, n]) => n - (reposts.get(company) ?? 0) > 0)
      .map(([company]) => company);
  }
  if (facetsServe(f)) {
    // The facets of the days since then that hold postings: a few rows, not every posting.
    const dw = sharedDayWhere({ ...f, since });
    const fw = facetWhere(f, SQLITE);
    return db
      .prepare(`SELECT DISTINCT p.company FROM daily_facet_counts d JOIN facets p ON p.id = d.facet_id WHERE ${dw.where} AND ${fw.where} AND d.postings > 0 AND p.company IS NOT NULL`)
      .pluck()
      .all(...dw.params, ...fw.params) as string[];
  }
  const pw = postingWhere({ ...f, since });
  return (db.prepare(`SELECT DISTINCT p.company AS company FROM postings p WHERE ${pw.where} AND p.company IS NOT NULL`).all(...pw.params) as { company: string }[]).map((r) => r.company);
}

/** For one skill: postings per stated number of years of it, fewest first. */
export function readYears(db: DB, skill: string, f: ReportFilters = {}): { years: number; postings: number }[] {
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill });
  return db
    .prepare(
      `SELECT ps.years AS years, COUNT(*) AS postings FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN skills s ON s.id = ps.skill_id
       WHERE ps.years IS NOT NULL AND ${pw.where} AND ${sw.where} GROUP BY 1 ORDER BY 1`,
    )
    .all(...pw.params, ...sw.params) as { years: number; postings: number }[];
}

/** The latest postings that name a skill, with the sentence that names it: the evidence behind the counts. */
export function readExamples(db: DB, skill: string, f: ReportFilters = {}, limit = 10): Example[] {
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill });
  const cut = examplesCutoff(db, skill, f, limit);
  // With a cut-off day, the postings of the days from then on that have the skill are read through the period index (CROSS JOIN keeps that order);
  // under a company or location filter, the skill's rows by facet first.
  const byFacet = facetRowsServe(f);
  const from = cut
    ? 'postings p CROSS JOIN posting_skills ps ON ps.posting_key = p.key'
    : byFacet
      ? 'posting_skills ps CROSS JOIN postings p ON p.key = ps.posting_key'
      : 'posting_skills ps JOIN postings p ON p.key = ps.posting_key';
  const facets = byFacet ? facetRowsWhere({ ...f, skill }, SQLITE) : { where: 'TRUE', params: [] };
  return db
    .prepare(
      `SELECT p.period_date AS date, p.title AS title, p.company AS company, p.origin AS origin,
         (SELECT substr(p.text, m.sentence_start + 1, m.sentence_end - m.sentence_start) FROM mentions m
          WHERE m.posting_key = p.key AND m.skill_id = ps.skill_id ORDER BY m.start LIMIT 1) AS sentence
       FROM ${from} LEFT JOIN skills s ON s.id = ps.skill_id
       WHERE ${cut ? `p.period_date IN (${cut.map(() => '?').join(', ')}) AND ` : ''}${facets.where} AND ${pw.where} AND ${sw.where} ORDER BY p.period_date DESC, p.id LIMIT ?`,
    )
    .all(...(cut ?? []), ...facets.params, ...pw.params, ...sw.params, limit) as Example[];
}

/**
 * The latest days on which at least `limit` postings the filters keep name the skill (from
 * daily_skill_sources), when reading the postings of those days is less work than reading all
 * of the skill's; otherwise undefined.
 */
function examplesCutoff(db: DB, skill: string, f: ReportFilters, limit: number): string[] | undefined {
  // A company or location filter: the skill's rows of the facets it keeps (facetRowsWhere), no cut-off needed.
  if (f.company || f.location) return undefined;
  const dw = sharedDayWhere(f);
  const sk = sourceWhere({ ...f, category: undefined, skill }, SQLITE);
  const n = requirementColumn(f);
  let days = db
    .prepare(`SELECT d.day, SUM(${n}) FROM daily_skill_sources d WHERE ${dw.where} AND ${sk.where} GROUP BY 1 HAVING SUM(${n}) > 0 ORDER BY 1 DESC`)
    .raw()
    .all(...dw.params, ...sk.params) as [string, number][];
  if (f.unique) {
    // Less the reposts, per day.
    const pw = sharedPostingWhere(f, SQLITE, true);
    const sw = skillWhere({ ...f, category: undefined, skill });
    const reposts = new Map(
      db
        .prepare(`SELECT p.period_date, COUNT(*) FROM ${skillRowsJoin(SQLITE)} WHERE ${pw.where} AND ${sw.where} GROUP BY 1`)
        .raw()
        .all(...pw.params, ...sw.params) as [string, number][],
    );
    days = days.map(([day, n]): [string, number] => [day, n - (reposts.get(day) ?? 0)]);
  }
  const cut = latestDays(days, limit);
  if (!cut) return undefined;
  const since = db.prepare(`SELECT SUM(d.postings) FROM daily_totals d WHERE d.day IN (${cut.days.map(() => '?').join(', ')})`).pluck().get(...cut.days) as number | null;
  return (since ?? 0) < cut.total ? cut.days : undefined;
}
