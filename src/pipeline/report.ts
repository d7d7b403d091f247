import { StopBeforeWorkError } from '../errors.js';
import { buildCooccurrence, buildEmerging, buildSalary, buildSkillReport, buildSummary, buildTrends, computeTrends } from '../report/kinds.js';
import type { ReportKind } from '../report/kinds-list.js';
import type { ReportModel } from '../report/model.js';
import { type PeriodKind, periodStart } from '../report/periods.js';
import type { DB } from '../store/db.js';
import {
  readBreakdown,
  readDemandRows,
  readExamples,
  readGroupCounts,
  readPairs,
  readRecentTexts,
  readRequirementSplit,
  readSalaries,
  readSkills,
  readSkillTotals,
  type ReportFilters,
} from '../store/queries.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';

export interface ReportRequest {
  kind: ReportKind;
  period: PeriodKind;
  filters: ReportFilters;
  top?: number;
  minSupport?: number;
  /** For `skill` (and `cooccurrence` around one skill). */
  skill?: string;
}

/** Builds a report model from the database: the queries of the kind, then its pure builder. */
/** Builds a report model from the database; the taxonomy is only compiled when the kind needs it (emerging). */
export function buildReport(db: DB, r: ReportRequest, taxonomy: () => CompiledTaxonomy): ReportModel {
  const skills = readSkills(db);
  const focus = r.skill ?? r.filters.skill;
  if (focus && !skills.some((s) => s.id === focus)) throw new StopBeforeWorkError(`no skill "${focus}" in this database (skillpulse taxonomy show <alias> finds ids)`);
  const trendsOf = (filters: ReportFilters, top?: number) =>
    computeTrends(readDemandRows(db, r.period, filters), r.period, { ...(top !== undefined && { top }), ...(r.minSupport !== undefined && { minSupport: r.minSupport }) });
  switch (r.kind) {
    case 'summary':
      return buildSummary(trendsOf(r.filters, r.top));
    case 'trends': {
      const groups = readGroupCounts(db, r.period, r.filters);
      return buildTrends(trendsOf(r.filters, r.top), groups.category, groups.family, skills);
    }
    case 'skill': {
      if (!focus) throw new StopBeforeWorkError('the skill report needs a skill id (--kind skill <id>)');
      const all = trendsOf({ ...r.filters, skill: focus });
      const { totals, postings } = readSkillTotals(db, r.filters);
      const byId = new Map(skills.map((s) => [s.id, s]));
      return buildSkillReport({
        trend: all.skills.find((s) => s.id === focus),
        skill: byId.get(focus) as (typeof skills)[number],
        requirement: readRequirementSplit(db, { ...r.filters, skill: focus }).filter((q) => q.skillId === focus),
        breakdowns: Object.fromEntries((['company', 'location', 'remote', 'source'] as const).map((k) => [k, readBreakdown(db, focus, k, r.filters)])),
        cooccurring: readPairs(db, r.filters, focus, r.minSupport ?? 2, r.top ?? 20).map((p) => ({ id: p.b, skill: byId.get(p.b), together: p.together, count: totals.get(p.b) ?? 0 })),
        examples: readExamples(db, focus, r.filters),
        totalPostings: postings,
        periods: all.periods,
      });
    }
    case 'cooccurrence': {
      const { totals, postings } = readSkillTotals(db, r.filters);
      return buildCooccurrence(readPairs(db, { ...r.filters, skill: undefined }, focus, r.minSupport ?? 5, r.top ?? 50), totals, postings, skills, focus);
    }
    case 'salary':
      return buildSalary(readSalaries(db, r.filters), skills, r.minSupport ?? 1);
    case 'emerging': {
      const d = trendsOf(r.filters);
      const window = 3;
      const since = d.totals.slice(-window)[0]?.period;
      const texts = since ? readRecentTexts(db, periodStart(since), r.filters) : [];
      return buildEmerging(d, window, texts, taxonomy());
    }
  }
}

