import { type PeriodKind, periodOf } from '../report/periods.js';
import type { DB } from './db.js';

export interface DemandRows {
  periodTotals: { period: string; total: number }[];
  skillCounts: { skillId: string; period: string; count: number }[];
  skills: { id: string; name: string; category: string }[];
}

/** SQL for a posting's period key; months, quarters and years in plain SQL, ISO weeks through a JS function. */
function periodSql(db: DB, kind: PeriodKind): string {
  if (kind === 'month') return 'substr(p.period_date, 1, 7)';
  if (kind === 'year') return 'substr(p.period_date, 1, 4)';
  if (kind === 'quarter') return `substr(p.period_date, 1, 4) || '-Q' || ((CAST(substr(p.period_date, 6, 2) AS INTEGER) + 2) / 3)`;
  db.function('sp_iso_week', { deterministic: true }, (d: unknown) => periodOf(String(d), 'week'));
  return 'sp_iso_week(p.period_date)';
}

/** The counts a demand report is computed from: postings per period, and per skill and period. Negated mentions never count. */
export function readDemandRows(db: DB, kind: PeriodKind): DemandRows {
  const period = periodSql(db, kind);
  const periodTotals = db
    .prepare(`SELECT ${period} AS period, COUNT(*) AS total FROM postings p GROUP BY 1 ORDER BY 1`)
    .all() as DemandRows['periodTotals'];
  const skillCounts = db
    .prepare(
      `SELECT ps.skill_id AS skillId, ${period} AS period, COUNT(*) AS count
       FROM posting_skills ps JOIN postings p ON p.id = ps.posting_id
       WHERE ps.negated = 0 GROUP BY 1, 2`,
    )
    .all() as DemandRows['skillCounts'];
  const skills = db.prepare('SELECT id, name, category FROM skills').all() as DemandRows['skills'];
  return { periodTotals, skillCounts, skills };
}
