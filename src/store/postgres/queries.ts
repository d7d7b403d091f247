import type { PeriodKind } from '../../periods.js';
import type { DemandRows, SkillMeta } from '../../types.js';
import {
  aggregatesServe,
  breakdownQuery,
  ByPosting,
  dayWhere,
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
  periodSql,
  postingWhere as sharedPostingWhere,
  type Query,
  repostBreakdownQueries,
  requirementColumn,
  requirementRows,
  facetPairsSql,
  skillRowsJoin,
  skillSourcesServe,
  skillWhere,
  sourceWhere,
  type Sql,
  subtractDemand,
  subtractRows,
} from '../sql.js';
import type { BreakdownKey, Example, GroupCount, ReportFilters } from '../store.js';
import type { PgDb } from './db.js';

/*
 * The reports' reads, as src/store/sqlite/queries.ts makes them: the same filters (src/store/sql.ts),
 * the same rows in the same order. Where SQLite's query leaves the order to its plan, these sort
 * by the grouped columns, which is the order SQLite's plans give. Text sorts as "C" (the columns'
 * collation), SQLite's BINARY; aliases are quoted, or PostgreSQL would fold them to lower case.
 */

const PG: Dialect = { likeAnyCase: 'ILIKE', name: 'postgres' };
const postingWhere = (f: ReportFilters): Sql => sharedPostingWhere(f, PG);

/** A posting's period key; ISO weeks by to_char (IYYY-"W"IW is periodOf's 2026-W09). */
function period(kind: PeriodKind, column = 'p.period_date'): string {
  return periodSql(kind, column, `(to_char(CAST(${column} AS date), 'IYYY-"W"IW') COLLATE "C")`);
}

/** Postings per period, and postings per skill and period; from the daily aggregates when no filter needs the postings. */
export async function readDemandRows(db: PgDb, kind: PeriodKind, f: ReportFilters = {}): Promise<DemandRows> {
  if (aggregatesServe(f)) return readDemandAggregates(db, kind, f);
  if (skillSourcesServe(f)) return readDemandFacets(db, kind, f);
  // A company or location filter: the skill rows by facet (as SQLite's).
  if (!f.unique) return readDemandByFacet(db, kind, f);
  // `unique`: every posting from the aggregates, minus the reposts from their rows (as SQLite's).
  return subtractDemand(await readDemandRows(db, kind, { ...f, unique: false }), await readRepostDemand(db, kind, f));
}

/** Demand under a company or location filter: the postings from daily_facet_counts, the skills from their rows by facet (as SQLite's). */
async function readDemandByFacet(db: PgDb, kind: PeriodKind, f: ReportFilters): Promise<DemandRows> {
  const totals = facetTotalsSql(period(kind, 'd.day'), f, PG);
  const counts = facetDemandSql(period(kind, 'ps.period_date'), f, PG);
  return {
    periodTotals: await db.all<DemandRows['periodTotals'][number]>(totals.sql, totals.params),
    skillCounts: await db.all<DemandRows['skillCounts'][number]>(counts.sql, counts.params),
    skills: await readSkills(db),
  };
}

/** Demand of only the postings `unique` leaves out (the reposts), from them and their skill rows. */
async function readRepostDemand(db: PgDb, kind: PeriodKind, f: ReportFilters): Promise<DemandRows> {
  const p = period(kind);
  const pw = sharedPostingWhere(f, PG, true);
  const sw = skillWhere(f);
  const periodTotals = await db.all<DemandRows['periodTotals'][number]>(
    `SELECT ${p} AS period, COUNT(*) AS total FROM postings p WHERE ${pw.where} GROUP BY 1 ORDER BY 1`,
    pw.params,
  );
  const skillCounts = await db.all<DemandRows['skillCounts'][number]>(
    `SELECT ps.skill_id AS "skillId", ${p} AS period, COUNT(*) AS count
     FROM ${skillRowsJoin(PG)} LEFT JOIN skills s ON s.id = ps.skill_id
     WHERE ${pw.where} AND ${sw.where} GROUP BY 1, 2 ORDER BY 1, 2`,
    [...pw.params, ...sw.params],
  );
  return { periodTotals, skillCounts, skills: await readSkills(db) };
}

async function readDemandAggregates(db: PgDb, kind: PeriodKind, f: ReportFilters): Promise<DemandRows> {
  const p = period(kind, 'd.day');
  const dw = dayWhere(f);
  const periodTotals = await db.all<DemandRows['periodTotals'][number]>(
    `SELECT ${p} AS period, SUM(d.postings) AS total FROM daily_totals d WHERE ${dw.where} GROUP BY 1 HAVING SUM(d.postings) > 0 ORDER BY 1`,
    dw.params,
  );
  const where = [dw.where, 'd.postings > 0'];
  const params = [...dw.params];
  if (f.skill) where.push('d.skill_id = ?') && params.push(f.skill);
  if (f.category) where.push('d.skill_id IN (SELECT id FROM skills WHERE category = ?)') && params.push(f.category);
  const skillCounts = await db.all<DemandRows['skillCounts'][number]>(
    `SELECT d.skill_id AS "skillId", ${p} AS period, SUM(d.postings) AS count FROM daily_skill_counts d WHERE ${where.join(' AND ')} GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  );
  return { periodTotals, skillCounts, skills: await readSkills(db) };
}

/** Demand under source, remote or requirement filters, from the facet aggregates (as SQLite's). */
async function readDemandFacets(db: PgDb, kind: PeriodKind, f: ReportFilters): Promise<DemandRows> {
  const p = period(kind, 'd.day');
  const dw = dayWhere(f);
  const fw = facetColumnsWhere(f, PG);
  const periodTotals = await db.all<DemandRows['periodTotals'][number]>(
    `SELECT ${p} AS period, SUM(d.postings) AS total FROM daily_source_counts d WHERE ${dw.where} AND ${fw.where} GROUP BY 1 HAVING SUM(d.postings) > 0 ORDER BY 1`,
    [...dw.params, ...fw.params],
  );
  const sk = sourceWhere(f, PG);
  const n = requirementColumn(f);
  const skillCounts = await db.all<DemandRows['skillCounts'][number]>(
    `SELECT d.skill_id AS "skillId", ${p} AS period, SUM(${n}) AS count FROM daily_skill_sources d
     WHERE ${dw.where} AND ${sk.where} GROUP BY 1, 2 HAVING SUM(${n}) > 0 ORDER BY 1, 2`,
    [...dw.params, ...sk.params],
  );
  return { periodTotals, skillCounts, skills: await readSkills(db) };
}

/** The sources postings were stored under. */
export async function readSources(db: PgDb): Promise<string[]> {
  return (await db.rows<[string]>('SELECT DISTINCT source FROM postings ORDER BY source')).map((r) => r[0]);
}

export async function readSkills(db: PgDb): Promise<SkillMeta[]> {
  return db.all<SkillMeta>('SELECT id, name, category, parent FROM skills ORDER BY id');
}

/** Postings per category and per family, and period (see GroupCounter): one pass over the skill rows in posting order, through a cursor. */
export async function readGroupCounts(db: PgDb, kind: PeriodKind, f: ReportFilters = {}): Promise<{ category: GroupCount[]; family: GroupCount[] }> {
  if (skillSourcesServe(f)) return readGroupAggregates(db, kind, f);
  if (f.unique) {
    // `unique`: the counts without it, less the reposts', counted from their rows (as SQLite's).
    const all = await readGroupCounts(db, kind, { ...f, unique: false });
    const pw = sharedPostingWhere(f, PG, true);
    const sw = skillWhere({ ...f, skill: undefined });
    const reposts = await groupCountsOf(
      db,
      `SELECT ps.posting_key, ${period(kind)}, ps.skill_id FROM ${skillRowsJoin(PG)} LEFT JOIN skills s ON s.id = ps.skill_id
       WHERE ${pw.where} AND ${sw.where} ORDER BY ps.posting_key`,
      [...pw.params, ...sw.params],
    );
    const key = (g: GroupCount) => `${g.group}\t${g.period}`;
    return { category: subtractRows(all.category, reposts.category, key, 'count'), family: subtractRows(all.family, reposts.family, key, 'count') };
  }
  // A company or location filter: the skill rows by facet (as SQLite's).
  const rows = facetPostingRowsSql(f, PG, period(kind, 'ps.period_date'));
  return groupCountsOf(db, rows.sql, rows.params);
}

/** From daily_group_counts, as SQLite's. */
async function readGroupAggregates(db: PgDb, kind: PeriodKind, f: ReportFilters): Promise<{ category: GroupCount[]; family: GroupCount[] }> {
  const p = period(kind, 'd.day');
  const read = (groupKind: 'category' | 'family') => {
    const q = groupAggregateSql(groupKind, p, f, PG);
    return db.all<GroupCount>(q.sql, q.params);
  };
  return { category: await read('category'), family: await read('family') };
}

/** Group counts in one pass, through a cursor, over skill rows (key, period, skill id) that come each posting's together. */
async function groupCountsOf(db: PgDb, sql: string, params: unknown[]): Promise<{ category: GroupCount[]; family: GroupCount[] }> {
  const counter = new GroupCounter(await readSkills(db));
  const postings = new ByPosting<[number, string, string]>((rows) => counter.posting(rows));
  await db.stream<[number, string, string]>(sql, params, (row) => postings.push(row));
  postings.end();
  return counter.result();
}

/** Per skill, how many postings ask for it as required, preferred or unspecified. */
export async function readRequirementSplit(db: PgDb, f: ReportFilters = {}): Promise<{ skillId: string; requirement: string; count: number }[]> {
  if (f.unique) {
    const key = (r: { skillId: string; requirement: string }) => `${r.skillId}\t${r.requirement}`;
    return subtractRows(await readRequirementSplit(db, { ...f, unique: false }), await repostRequirementSplit(db, f), key, 'count');
  }
  if (skillSourcesServe(f)) {
    const dw = dayWhere(f);
    const sk = sourceWhere(f, PG);
    const rows = await db.rows<[string, number, number, number]>(
      `SELECT d.skill_id, SUM(d.preferred)::int, SUM(d.required)::int, SUM(d.postings - d.required - d.preferred)::int FROM daily_skill_sources d
       WHERE ${dw.where} AND ${sk.where} GROUP BY 1 ORDER BY 1`,
      [...dw.params, ...sk.params],
    );
    return requirementRows(rows);
  }
  // A company or location filter: the skill rows by facet (as SQLite's).
  const q = facetRequirementSql(f, PG);
  return db.all(q.sql, q.params);
}

/** The requirement split of only the postings `unique` leaves out (the reposts), from them and their skill rows (as SQLite's). */
async function repostRequirementSplit(db: PgDb, f: ReportFilters): Promise<{ skillId: string; requirement: string; count: number }[]> {
  const pw = sharedPostingWhere(f, PG, true);
  const sw = skillWhere({ ...f, requirement: 'any' });
  return db.all(
    `SELECT ps.skill_id AS "skillId", ps.requirement AS requirement, COUNT(*) AS count
     FROM ${skillRowsJoin(PG)} LEFT JOIN skills s ON s.id = ps.skill_id
     WHERE ${pw.where} AND ${sw.where} GROUP BY 1, 2 ORDER BY 1, 2`,
    [...pw.params, ...sw.params],
  );
}

/** For one skill: postings that mention it, and all postings, per company, location, remote or source. */
export async function readBreakdown(db: PgDb, skill: string, key: BreakdownKey, f: ReportFilters = {}, limit = 15): Promise<{ key: string; count: number; total: number }[]> {
  if (f.unique) {
    // The facets' counts less the reposts' (from their rows), every key, then sorted and cut (as SQLite's).
    const all = await readBreakdown(db, skill, key, { ...f, unique: false }, 1_000_000_000);
    const reposts = repostBreakdownQueries(skill, key, f, PG);
    const counts = async (q: Query) => new Map(await db.rows<[string, number]>(q.sql, q.params));
    return lessReposts(all, await counts(reposts.totals), await counts(reposts.hits), limit);
  }
  const q = breakdownQuery(skill, key, f, PG, limit);
  return db.all(q.sql, q.params);
}

/** Postings per skill (all periods), and the number of postings: the demand rows summed. */
export async function readSkillTotals(db: PgDb, f: ReportFilters = {}): Promise<{ totals: Map<string, number>; postings: number }> {
  const d = await readDemandRows(db, 'year', { ...f, skill: undefined });
  const totals = new Map<string, number>();
  for (const r of d.skillCounts) totals.set(r.skillId, (totals.get(r.skillId) ?? 0) + r.count);
  return { totals, postings: d.periodTotals.reduce((a, r) => a + r.total, 0) };
}

/** Skill pairs named by the same postings (see PairCounter): one pass over the skill rows in posting order, through a cursor. */
export async function readPairs(db: PgDb, f: ReportFilters = {}, skill?: string, minSupport = 2, limit = 50): Promise<{ a: string; b: string; together: number }[]> {
  const counter = new PairCounter(skill);
  if (pairsServe(f)) {
    // Whole months from month_pair_counts or month_pair_levels, the edge days from the skill rows (as SQLite's).
    const split = monthSplit(f);
    const months = monthPairsSql(f, split, skill, PG);
    if (split.from === undefined || split.to === undefined || split.from <= split.to) {
      for (const [a, b, n] of await db.rows<[string, string, number]>(months.sql, months.params)) if (n !== 0) counter.add(a, b, n);
    }
    for (const edge of split.edges) await countPairRows(db, counter, { ...f, unique: false, since: edge.since, until: edge.until }, skill, true);
  } else {
    // A company or location filter: the skill rows by facet (as SQLite's).
    await countPairRows(db, counter, { ...f, unique: false }, skill, false);
  }
  if (f.unique) {
    // Less the reposts', counted from their rows.
    const reposts = new PairCounter(skill);
    await countPairRows(db, reposts, f, skill, false, true);
    for (const [a, b, n] of reposts.entries()) counter.add(a, b, -n);
  }
  return counter.result(minSupport, limit);
}

/**
 * Counts into `counter` the pairs of the postings the filters keep: `edge`, a few days (a month's
 * edge), read at once; `reposts`, the postings `unique` leaves out; neither, a company or location
 * filter (its skill rows by facet, through a cursor). As SQLite's.
 */
async function countPairRows(db: PgDb, counter: PairCounter, f: ReportFilters, skill: string | undefined, edge: boolean, reposts = false): Promise<void> {
  if (!edge && !reposts) {
    if (skill) {
      const focused = facetPairsSql(f, skill, PG);
      for (const [b, n] of await db.rows<[string, number]>(focused.sql, focused.params)) counter.add(skill, b, n);
      return;
    }
    const rows = facetPostingRowsSql(f, PG);
    await countPostingPairs(db, counter, rows.sql, rows.params);
    return;
  }
  const pw = sharedPostingWhere(f, PG, reposts);
  if (skill) {
    const focused = focusedPairsSql(f, pw, PG);
    for (const [b, n] of await db.rows<[string, number]>(focused.sql, [skill, ...focused.params])) counter.add(skill, b, n);
    return;
  }
  if (edge) {
    const all = pairsSql(f, pw, PG);
    for (const [a, b, n] of await db.rows<[string, string, number]>(all.sql, all.params)) counter.add(a, b, n);
    return;
  }
  const sw = skillWhere({ ...f, skill: undefined });
  const sql = `SELECT ps.posting_key, ps.skill_id FROM ${skillRowsJoin(PG)} LEFT JOIN skills s ON s.id = ps.skill_id WHERE ${pw.where} AND ${sw.where} ORDER BY ps.posting_key, ps.skill_id`;
  await countPostingPairs(db, counter, sql, [...pw.params, ...sw.params]);
}

/** Feeds `counter`, through a cursor, skill rows (key, skill id) that come each posting's together, its skills in order. */
async function countPostingPairs(db: PgDb, counter: PairCounter, sql: string, params: unknown[]): Promise<void> {
  const postings = new ByPosting<[number, string]>((rows) => counter.posting(rows));
  await db.stream<[number, string]>(sql, params, (row) => postings.push(row));
  postings.end();
}

/** Stated salaries of the postings that mention each skill. */
export async function readSalaries(db: PgDb, f: ReportFilters = {}): Promise<{ skillId: string; salary: string }[]> {
  const pw = postingWhere(f);
  const sw = skillWhere(f);
  return db.all(
    `SELECT ps.skill_id AS "skillId", p.salary AS salary FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key
     LEFT JOIN skills s ON s.id = ps.skill_id WHERE p.salary IS NOT NULL AND ${pw.where} AND ${sw.where} ORDER BY ps.posting_key, ps.skill_id`,
    [...pw.params, ...sw.params],
  );
}

/** The texts of the latest postings, newest first (the last stored first within a day). */
export async function readRecentTexts(db: PgDb, since: string, f: ReportFilters = {}, limit = 2000): Promise<string[]> {
  // Under a company or location filter that keeps few postings, its values named (as SQLite's choice of its index).
  const q = newestCountsSql(f, since, PG);
  let few = false;
  if (q) {
    const cap = newestCap(limit, Number((await db.rows<[number]>(q.total.sql, q.total.params))[0]?.[0] ?? 0));
    const kept = q.kept(cap);
    few = Number((await db.rows<[number]>(kept.sql, kept.params))[0]?.[0] ?? 0) < cap;
  }
  const pw = few ? await namedPostingWhere(db, { ...f, since }) : postingWhere({ ...f, since });
  return (await db.rows<[string]>(`SELECT text FROM postings p WHERE ${pw.where} ORDER BY p.period_date DESC, p.key DESC LIMIT ?`, [...pw.params, limit])).map((r) => r[0]);
}

/**
 * The posting-level filters with the companies and locations a company or location filter matches
 * looked up first and named (`p.location = ANY(?)`): PostgreSQL then plans from its statistics of
 * those values, where it cannot tell how many postings a subquery keeps. Taken by a read of the
 * few postings of such a filter in date order with a limit, which it would otherwise read
 * backwards by date through every posting.
 */
async function namedPostingWhere(db: PgDb, f: ReportFilters): Promise<Sql> {
  const pw = postingWhere({ ...f, company: undefined, location: undefined });
  const clauses = [pw.where];
  const params = [...pw.params];
  for (const column of ['company', 'location'] as const) {
    const pattern = f[column];
    if (!pattern) continue;
    const match = facetWhere({ [column]: pattern }, PG);
    const values = await db.rows<[string]>(`SELECT DISTINCT p.${column} FROM facets p WHERE ${match.where}`, match.params);
    clauses.push(`p.${column} = ANY(?::text[])`);
    params.push(values.map((r) => r[0]));
  }
  return { where: clauses.join(' AND '), params };
}

/** The employers of the postings since a date. */
export async function readRecentCompanies(db: PgDb, since: string, f: ReportFilters = {}): Promise<string[]> {
  if (f.unique) {
    // Postings per company from the facets, less the reposts (as SQLite's).
    const dw = dayWhere({ ...f, since });
    const fw = facetWhere(f, PG);
    const pw = sharedPostingWhere({ ...f, since }, PG, true);
    const reposts = new Map(await db.rows<[string, number]>(`SELECT p.company, COUNT(*) FROM postings p WHERE ${pw.where} AND p.company IS NOT NULL GROUP BY 1`, pw.params));
    const all = await db.rows<[string, number]>(
      `SELECT p.company, SUM(d.postings) FROM daily_facet_counts d JOIN facets p ON p.id = d.facet_id WHERE ${dw.where} AND ${fw.where} AND p.company IS NOT NULL GROUP BY 1 ORDER BY 1`,
      [...dw.params, ...fw.params],
    );
    return all.filter(([company, n]) => n - (reposts.get(company) ?? 0) > 0).map(([company]) => company);
  }
  if (facetsServe(f)) {
    const dw = dayWhere({ ...f, since });
    const fw = facetWhere(f, PG);
    return (
      await db.rows<[string]>(
        `SELECT DISTINCT p.company FROM daily_facet_counts d JOIN facets p ON p.id = d.facet_id WHERE ${dw.where} AND ${fw.where} AND d.postings > 0 AND p.company IS NOT NULL ORDER BY 1`,
        [...dw.params, ...fw.params],
      )
    ).map((r) => r[0]);
  }
  const pw = postingWhere({ ...f, since });
  return (await db.rows<[string]>(`SELECT DISTINCT p.company FROM postings p WHERE ${pw.where} AND p.company IS NOT NULL ORDER BY 1`, pw.params)).map((r) => r[0]);
}

/** For one skill: postings per stated number of years of it, fewest first (Store.readYears). */
export async function readYears(db: PgDb, skill: string, f: ReportFilters = {}): Promise<{ years: number; postings: number }[]> {
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill });
  return db.all<{ years: number; postings: number }>(
    `SELECT ps.years AS years, COUNT(*) AS postings FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN skills s ON s.id = ps.skill_id
     WHERE ps.years IS NOT NULL AND ${pw.where} AND ${sw.where} GROUP BY 1 ORDER BY 1`,
    [...pw.params, ...sw.params],
  );
}

/** The latest postings that name a skill, with the sentence that names it. */
export async function readExamples(db: PgDb, skill: string, f: ReportFilters = {}, limit = 10): Promise<Example[]> {
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill });
  const cut = await examplesCutoff(db, skill, f, limit);
  // Under a company or location filter, the skill's rows by facet (as SQLite's).
  const facets = facetRowsServe(f) ? facetRowsWhere({ ...f, skill }, PG) : { where: 'TRUE', params: [] };
  return db.all<Example>(
    `SELECT p.period_date AS date, p.title AS title, p.company AS company, p.origin AS origin,
       (SELECT substr(p.text, m.sentence_start + 1, m.sentence_end - m.sentence_start) FROM mentions m
        WHERE m.posting_key = p.key AND m.skill_id = ps.skill_id ORDER BY m.start LIMIT 1) AS sentence
     FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN skills s ON s.id = ps.skill_id
     WHERE ${cut ? 'p.period_date = ANY(?::text[]) AND ' : ''}${facets.where} AND ${pw.where} AND ${sw.where} ORDER BY p.period_date DESC, p.id LIMIT ?`,
    [...(cut ? [cut] : []), ...facets.params, ...pw.params, ...sw.params, limit],
  );
}

/** The latest days on which at least `limit` postings the filters keep name the skill, when that is less to read (as SQLite's). */
async function examplesCutoff(db: PgDb, skill: string, f: ReportFilters, limit: number): Promise<string[] | undefined> {
  // A company or location filter: the skill's rows of the facets it keeps (facetRowsWhere), no cut-off needed.
  if (f.company || f.location) return undefined;
  const dw = dayWhere(f);
  const sk = sourceWhere({ ...f, category: undefined, skill }, PG);
  const n = requirementColumn(f);
  let days = await db.rows<[string, number]>(
    `SELECT d.day, SUM(${n})::int FROM daily_skill_sources d WHERE ${dw.where} AND ${sk.where} GROUP BY 1 HAVING SUM(${n}) > 0 ORDER BY 1 DESC`,
    [...dw.params, ...sk.params],
  );
  if (f.unique) {
    // Less the reposts, per day.
    const pw = sharedPostingWhere(f, PG, true);
    const sw = skillWhere({ ...f, category: undefined, skill });
    const reposts = new Map(
      await db.rows<[string, number]>(`SELECT p.period_date, COUNT(*) FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key WHERE ${pw.where} AND ${sw.where} GROUP BY 1`, [
        ...pw.params,
        ...sw.params,
      ]),
    );
    days = days.map(([day, n]): [string, number] => [day, n - (reposts.get(day) ?? 0)]);
  }
  const cut = latestDays(days, limit);
  if (!cut) return undefined;
  const since = await db.get<{ n: number | null }>('SELECT SUM(d.postings)::int AS n FROM daily_totals d WHERE d.day = ANY(?::text[])', [cut.days]);
  return (since?.n ?? 0) < cut.total ? cut.days : undefined;
}
