import type { PeriodKind } from '../../periods.js';
import type { DemandRows, SkillMeta } from '../../types.js';
import {
  aggregatesServe,
  ByPosting,
  breakdownSql,
  type Dialect,
  dayWhere,
  GroupCounter,
  PairCounter,
  periodSql,
  postingWhere as sharedPostingWhere,
  type Sql,
  skillWhere,
} from '../sql.js';
import type { BreakdownKey, Example, GroupCount, ReportFilters } from '../store.js';
import type { PgDb } from './db.js';

/*
 * The reports' reads, as src/store/sqlite/queries.ts makes them: the same filters (src/store/sql.ts),
 * the same rows in the same order. Where SQLite's query leaves the order to its plan, these sort
 * by the grouped columns, which is the order SQLite's plans give. Text sorts as "C" (the columns'
 * collation), SQLite's BINARY; aliases are quoted, or PostgreSQL would fold them to lower case.
 */

const PG: Dialect = { likeAnyCase: 'ILIKE' };
const postingWhere = (f: ReportFilters): Sql => sharedPostingWhere(f, PG);

/** A posting's period key; ISO weeks by to_char (IYYY-"W"IW is periodOf's 2026-W09). */
function period(kind: PeriodKind, column = 'p.period_date'): string {
  return periodSql(kind, column, `(to_char(CAST(${column} AS date), 'IYYY-"W"IW') COLLATE "C")`);
}

/** Postings per period, and postings per skill and period; from the daily aggregates when no filter needs the postings. */
export async function readDemandRows(db: PgDb, kind: PeriodKind, f: ReportFilters = {}): Promise<DemandRows> {
  if (aggregatesServe(f)) return readDemandAggregates(db, kind, f);
  const p = period(kind);
  const pw = postingWhere(f);
  const sw = skillWhere(f);
  const periodTotals = await db.all<DemandRows['periodTotals'][number]>(
    `SELECT ${p} AS period, COUNT(*) AS total FROM postings p WHERE ${pw.where} GROUP BY 1 ORDER BY 1`,
    pw.params,
  );
  const skillCounts = await db.all<DemandRows['skillCounts'][number]>(
    `SELECT ps.skill_id AS "skillId", ${p} AS period, COUNT(*) AS count
     FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN skills s ON s.id = ps.skill_id
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

/** The sources postings were stored under. */
export async function readSources(db: PgDb): Promise<string[]> {
  return (await db.rows<[string]>('SELECT DISTINCT source FROM postings ORDER BY source')).map((r) => r[0]);
}

export async function readSkills(db: PgDb): Promise<SkillMeta[]> {
  return db.all<SkillMeta>('SELECT id, name, category, parent FROM skills ORDER BY id');
}

/** Postings per category and per family, and period (see GroupCounter): one pass over the skill rows in posting order, through a cursor. */
export async function readGroupCounts(db: PgDb, kind: PeriodKind, f: ReportFilters = {}): Promise<{ category: GroupCount[]; family: GroupCount[] }> {
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill: undefined });
  const counter = new GroupCounter(await readSkills(db));
  const postings = new ByPosting<[number, string, string]>((rows) => counter.posting(rows));
  await db.stream<[number, string, string]>(
    `SELECT ps.posting_key, ${period(kind)}, ps.skill_id FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key
     LEFT JOIN skills s ON s.id = ps.skill_id WHERE ${pw.where} AND ${sw.where} ORDER BY ps.posting_key, ps.skill_id`,
    [...pw.params, ...sw.params],
    (row) => postings.push(row),
  );
  postings.end();
  return counter.result();
}

/** Per skill, how many postings ask for it as required, preferred or unspecified. */
export async function readRequirementSplit(db: PgDb, f: ReportFilters = {}): Promise<{ skillId: string; requirement: string; count: number }[]> {
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, requirement: 'any' });
  return db.all(
    `SELECT ps.skill_id AS "skillId", ps.requirement AS requirement, COUNT(*) AS count
     FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN skills s ON s.id = ps.skill_id
     WHERE ${pw.where} AND ${sw.where} GROUP BY 1, 2 ORDER BY 1, 2`,
    [...pw.params, ...sw.params],
  );
}

/** For one skill: postings that mention it, and all postings, per company, location, remote or source. */
export async function readBreakdown(db: PgDb, skill: string, key: BreakdownKey, f: ReportFilters = {}, limit = 15): Promise<{ key: string; count: number; total: number }[]> {
  const column = breakdownSql(key);
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill });
  return db.all(
    `WITH totals AS (SELECT ${column} AS key, COUNT(*) AS total FROM postings p WHERE ${pw.where} GROUP BY 1),
          hits AS (SELECT ${column} AS key, COUNT(*) AS count FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key
                   LEFT JOIN skills s ON s.id = ps.skill_id WHERE ${pw.where} AND ${sw.where} GROUP BY 1)
     SELECT hits.key AS key, hits.count AS count, totals.total AS total FROM hits JOIN totals ON totals.key = hits.key
     ORDER BY hits.count DESC, hits.key COLLATE "C" LIMIT ?`,
    [...pw.params, ...pw.params, ...sw.params, limit],
  );
}

/** Postings per skill (all periods), and the number of postings; from the daily aggregates when they serve. */
export async function readSkillTotals(db: PgDb, f: ReportFilters = {}): Promise<{ totals: Map<string, number>; postings: number }> {
  if (aggregatesServe(f)) {
    const d = await readDemandAggregates(db, 'year', { ...f, skill: undefined });
    const totals = new Map<string, number>();
    for (const r of d.skillCounts) totals.set(r.skillId, (totals.get(r.skillId) ?? 0) + r.count);
    return { totals, postings: d.periodTotals.reduce((a, r) => a + r.total, 0) };
  }
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill: undefined });
  const rows = await db.rows<[string, number]>(
    `SELECT ps.skill_id, COUNT(*) FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN skills s ON s.id = ps.skill_id
     WHERE ${pw.where} AND ${sw.where} GROUP BY 1 ORDER BY 1`,
    [...pw.params, ...sw.params],
  );
  const postings = (await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM postings p WHERE ${pw.where}`, pw.params))?.n ?? 0;
  return { totals: new Map(rows), postings };
}

/** Skill pairs named by the same postings (see PairCounter): one pass over the skill rows in posting order, through a cursor. */
export async function readPairs(db: PgDb, f: ReportFilters = {}, skill?: string, minSupport = 2, limit = 50): Promise<{ a: string; b: string; together: number }[]> {
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill: undefined });
  const withFocus = skill ? 'AND ps.posting_key IN (SELECT posting_key FROM posting_skills WHERE skill_id = ? AND negated = 0)' : '';
  const counter = new PairCounter(skill);
  const postings = new ByPosting<[number, string]>((rows) => counter.posting(rows));
  await db.stream<[number, string]>(
    `SELECT ps.posting_key, ps.skill_id FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key
     LEFT JOIN skills s ON s.id = ps.skill_id WHERE ${pw.where} AND ${sw.where} ${withFocus} ORDER BY ps.posting_key, ps.skill_id`,
    [...pw.params, ...sw.params, ...(skill ? [skill] : [])],
    (row) => postings.push(row),
  );
  postings.end();
  return counter.result(minSupport, limit);
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
  const pw = postingWhere({ ...f, since });
  return (await db.rows<[string]>(`SELECT text FROM postings p WHERE ${pw.where} ORDER BY p.period_date DESC, p.key DESC LIMIT ?`, [...pw.params, limit])).map((r) => r[0]);
}

/** The employers of the postings since a date. */
export async function readRecentCompanies(db: PgDb, since: string, f: ReportFilters = {}): Promise<string[]> {
  const pw = postingWhere({ ...f, since });
  return (await db.rows<[string]>(`SELECT DISTINCT p.company FROM postings p WHERE ${pw.where} AND p.company IS NOT NULL ORDER BY 1`, pw.params)).map((r) => r[0]);
}

/** The latest postings that name a skill, with the sentence that names it. */
export async function readExamples(db: PgDb, skill: string, f: ReportFilters = {}, limit = 10): Promise<Example[]> {
  const pw = postingWhere(f);
  const sw = skillWhere({ ...f, skill });
  return db.all<Example>(
    `SELECT p.period_date AS date, p.title AS title, p.company AS company, p.origin AS origin,
       (SELECT substr(p.text, m.sentence_start + 1, m.sentence_end - m.sentence_start) FROM mentions m
        WHERE m.posting_key = p.key AND m.skill_id = ps.skill_id ORDER BY m.start LIMIT 1) AS sentence
     FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key LEFT JOIN skills s ON s.id = ps.skill_id
     WHERE ${pw.where} AND ${sw.where} ORDER BY p.period_date DESC, p.id LIMIT ?`,
    [...pw.params, ...sw.params, limit],
  );
}
