import { StopBeforeWorkError } from '../errors.js';
import { buildCooccurrence, buildEmerging, buildSalary, buildSkillReport, buildSummary, buildTrends, computeTrends, type SkillDetailInput, type TrendsData } from '../report/kinds.js';
import type { ReportModel } from '../report/model.js';
import { type PeriodKind, periodStart } from '../periods.js';
import type { ReportFilters, Store } from '../store/store.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { SkillMeta } from '../types.js';

export interface ReportRequest {
  /** A registered report kind: `summary`, `trends`, `skill`, ... (REPORT_KINDS). */
  kind: string;
  period: PeriodKind;
  filters: ReportFilters;
  top?: number;
  minSupport?: number;
  /** For `skill` (and `cooccurrence` around one skill). */
  skill?: string;
}

/** What a kind's read gets: the store, the request, the stored skills, and shared reads. */
export interface ReportContext {
  store: Store;
  request: ReportRequest;
  skills: SkillMeta[];
  /** The skill the report is about (`--kind skill <id>`, or a `--skill` filter). */
  focus: string | undefined;
  /** Shares per period and skill, with changes and intervals, under the given filters. */
  trendsOf(filters: ReportFilters, top?: number): Promise<TrendsData>;
  /** The compiled taxonomy, compiled only when a kind asks for it. */
  taxonomy(): CompiledTaxonomy;
}

/**
 * A kind of report: its name and one line of help, how it reads its data from the store, and
 * how the pure builder turns that data into the model every renderer (table, md, csv, json,
 * html) draws. A new kind is one registration: the CLI's --kind, its help and run configs take
 * their lists from here.
 */
export interface ReportKind<Data = unknown> {
  name: string;
  summary: string;
  /** `report --kind <name> <skill id>`: the kind is about one skill. */
  takesSkill?: boolean;
  read(ctx: ReportContext): Data | Promise<Data>;
  build(data: Data, ctx: ReportContext): ReportModel;
}

const kinds: ReportKind[] = [];

/** Adds a report kind (a library user's own, too); its name must be new. Returns what removes it again. */
export function registerReportKind<Data>(kind: ReportKind<Data>): () => void {
  if (kinds.some((k) => k.name === kind.name)) throw new Error(`report kind "${kind.name}" is registered already`);
  kinds.push(kind as ReportKind);
  return () => {
    const at = kinds.indexOf(kind as ReportKind);
    if (at >= 0) kinds.splice(at, 1);
  };
}

/** The registered report kinds, in the order they were registered. */
export function reportKinds(): readonly ReportKind[] {
  return kinds;
}

registerReportKind({
  name: 'summary',
  summary: 'per skill: postings, share with interval, change',
  read: (c) => c.trendsOf(c.request.filters, c.request.top),
  build: (d) => buildSummary(d),
});

registerReportKind({
  name: 'trends',
  summary: 'shares per period with intervals; rising, falling',
  read: async (c) => ({ trends: await c.trendsOf(c.request.filters, c.request.top), groups: await c.store.readGroupCounts(c.request.period, c.request.filters) }),
  build: (d, c) => buildTrends(d.trends, d.groups.category, d.groups.family, c.skills),
});

registerReportKind({
  name: 'skill',
  summary: 'one skill: series, levels, breakdowns, evidence',
  takesSkill: true,
  read: async (c): Promise<SkillDetailInput> => {
    const { store, request: r, focus } = c;
    if (!focus) throw new StopBeforeWorkError('the skill report needs a skill id (--kind skill <id>)');
    const all = await c.trendsOf({ ...r.filters, skill: focus });
    const { totals, postings } = await store.readSkillTotals(r.filters);
    const byId = new Map(c.skills.map((s) => [s.id, s]));
    const keys = ['company', 'location', 'remote', 'source'] as const;
    const breakdowns = await Promise.all(keys.map((k) => store.readBreakdown(focus, k, r.filters)));
    return {
      trend: all.skills.find((s) => s.id === focus),
      skill: byId.get(focus) as SkillMeta,
      requirement: (await store.readRequirementSplit({ ...r.filters, skill: focus })).filter((q) => q.skillId === focus),
      breakdowns: Object.fromEntries(keys.map((k, i) => [k, breakdowns[i] ?? []])),
      cooccurring: (await store.readPairs(r.filters, focus, r.minSupport ?? 2, r.top ?? 20)).map((p) => ({ id: p.b, skill: byId.get(p.b), together: p.together, count: totals.get(p.b) ?? 0 })),
      examples: await store.readExamples(focus, r.filters),
      totalPostings: postings,
      periods: all.periods,
    };
  },
  build: (d) => buildSkillReport(d),
});

registerReportKind({
  name: 'cooccurrence',
  summary: 'skills that go together, with their lift',
  read: async (c) => ({
    ...(await c.store.readSkillTotals(c.request.filters)),
    pairs: await c.store.readPairs({ ...c.request.filters, skill: undefined }, c.focus, c.request.minSupport ?? 5, c.request.top ?? 50),
  }),
  build: (d, c) => buildCooccurrence(d.pairs, d.totals, d.postings, c.skills, c.focus),
});

registerReportKind({
  name: 'salary',
  summary: 'salary medians per skill, where postings state one',
  read: (c) => c.store.readSalaries(c.request.filters),
  build: (d, c) => buildSalary(d, c.skills, c.request.minSupport, c.request.top),
});

registerReportKind({
  name: 'emerging',
  summary: 'skills first named lately; terms the taxonomy lacks',
  read: async (c) => {
    const trends = await c.trendsOf(c.request.filters);
    const since = trends.totals.slice(-EMERGING_WINDOW)[0]?.period;
    const from = since ? periodStart(since) : undefined;
    return {
      trends,
      texts: from ? await c.store.readRecentTexts(from, c.request.filters) : [],
      companies: from ? await c.store.readRecentCompanies(from, c.request.filters) : [],
    };
  },
  build: (d, c) => buildEmerging(d.trends, EMERGING_WINDOW, d.texts, c.taxonomy(), d.companies),
});

/** Periods the emerging report looks back over. */
const EMERGING_WINDOW = 3;

/** The names of the kinds skillpulse ships (reportKinds() has those a program added too). */
export const REPORT_KINDS: readonly string[] = kinds.map((k) => k.name);

/** Builds a report model from the store: the kind's read, then its pure build. */
export async function buildReport(store: Store, r: ReportRequest, taxonomy: () => CompiledTaxonomy): Promise<ReportModel> {
  const kind = kinds.find((k) => k.name === r.kind);
  if (!kind) throw new StopBeforeWorkError(`unknown report kind "${r.kind}" (known: ${kinds.map((k) => k.name).join(', ')})`);
  const skills = await store.readSkills();
  const focus = r.skill ?? r.filters.skill;
  if (focus && !skills.some((s) => s.id === focus)) throw new StopBeforeWorkError(`no skill "${focus}" in this database (skillpulse taxonomy show <alias> finds ids)`);
  const ctx: ReportContext = {
    store,
    request: r,
    skills,
    focus,
    taxonomy,
    trendsOf: async (filters, top) =>
      computeTrends(await store.readDemandRows(r.period, filters), r.period, { ...(top !== undefined && { top }), ...(r.minSupport !== undefined && { minSupport: r.minSupport }) }),
  };
  return kind.build(await kind.read(ctx), ctx);
}
