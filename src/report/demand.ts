import type { DemandRows } from '../store/queries.js';
import { type PeriodKind, periodRange } from './periods.js';

export interface SeriesPoint {
  period: string;
  count: number;
  total: number;
  share: number;
}

export interface SkillDemand {
  id: string;
  name: string;
  category: string;
  /** Postings (all periods) that mention the skill. */
  count: number;
  share: number;
  series: SeriesPoint[];
  /** Share in the first and last periods that have postings, and the change in percentage points. */
  change: { from: string; to: string; fromShare: number; toShare: number; deltaPp: number } | null;
}

export interface DemandReport {
  period: PeriodKind;
  periods: string[];
  totals: { period: string; total: number }[];
  totalPostings: number;
  /** Skills with at least one posting, most demanded first. */
  skills: SkillDemand[];
}

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

/** Demand per skill: postings mentioning it and their share, overall and per period. Pure. */
export function computeDemandReport(rows: DemandRows, period: PeriodKind, options: { top?: number } = {}): DemandReport {
  const known = rows.periodTotals.filter((r) => r.total > 0).map((r) => r.period).sort();
  const periods = known.length ? periodRange(known[0] as string, known[known.length - 1] as string, period) : [];
  const totalByPeriod = new Map(rows.periodTotals.map((r) => [r.period, r.total]));
  const totals = periods.map((p) => ({ period: p, total: totalByPeriod.get(p) ?? 0 }));
  const totalPostings = totals.reduce((a, t) => a + t.total, 0);
  const meta = new Map(rows.skills.map((s) => [s.id, s]));
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows.skillCounts) {
    let m = counts.get(r.skillId);
    if (!m) counts.set(r.skillId, (m = new Map()));
    m.set(r.period, (m.get(r.period) ?? 0) + r.count);
  }
  const firstP = known[0];
  const lastP = known[known.length - 1];
  const skills: SkillDemand[] = [...counts].map(([id, byPeriod]) => {
    const series = totals.map(({ period: p, total }) => {
      const count = byPeriod.get(p) ?? 0;
      return { period: p, count, total, share: total ? round(count / total) : 0 };
    });
    const count = series.reduce((a, s) => a + s.count, 0);
    const from = series.find((s) => s.period === firstP);
    const to = series.find((s) => s.period === lastP);
    const m = meta.get(id);
    return {
      id,
      name: m?.name ?? id,
      category: m?.category ?? 'unknown',
      count,
      share: totalPostings ? round(count / totalPostings) : 0,
      series,
      change:
        from && to && firstP !== lastP
          ? { from: from.period, to: to.period, fromShare: from.share, toShare: to.share, deltaPp: round((to.share - from.share) * 100, 2) }
          : null,
    };
  });
  skills.sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  return { period, periods, totals, totalPostings, skills: options.top ? skills.slice(0, options.top) : skills };
}
