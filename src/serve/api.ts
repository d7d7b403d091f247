import { InvalidParameterError } from '../errors.js';
import { buildReport, reportKinds } from '../pipeline/report.js';
import { checkReportFilters, type ParameterName, parseDateRange, parseReportQuery, plainName, positiveIntParameter, type ReportQuery, resolveSkill, sourceChoices } from '../pipeline/report-query.js';
import { isPeriodKey, PERIOD_KINDS, periodEnd, periodStart } from '../periods.js';
import { type BarsLayout, layoutBars, layoutSeries, NARROW, type SeriesLayout, WIDE } from '../report/chart-layout.js';
import { seriesChart, type TrendsData } from '../report/kinds.js';
import type { Chart, ReportModel, Table } from '../report/model.js';
import { renderReport } from '../report/render.js';
import type { PostingPage, Store } from '../store/store.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { Extractor } from './extractor.js';

// The read API that serve (HTTP) and mcp (tools) both offer: each function checks its parameters
// (through the same module as `report`), reads the store and returns JSON-ready values.

export interface ApiContext {
  store: Store;
  taxonomy: () => CompiledTaxonomy;
  extractor: Extractor;
}

/** Builds a report's model from string parameters, checked as `report` checks its options. */
export async function readReportModel(ctx: ApiContext, q: ReportQuery, name: ParameterName = plainName): Promise<ReportModel> {
  const { kind, period, filters, top, minSupport } = parseReportQuery(q, name);
  const skills = await ctx.store.readSkills();
  await checkReportFilters(ctx.store, skills, filters, ctx.taxonomy, name);
  if (reportKinds().find((k) => k.name === kind)?.takesSkill && !filters.skill) throw new InvalidParameterError(name('skill'), `the ${kind} report needs ${name('skill')}: a skill id or alias`);
  return buildReport(
    ctx.store,
    { kind, period, filters, ...(top !== undefined && { top }), ...(minSupport !== undefined && { minSupport }), ...(filters.skill !== undefined && { skill: filters.skill }) },
    ctx.taxonomy,
  );
}

/** A report as `report --format json` prints it: the same model, the same renderer. */
export async function readReportJson(ctx: ApiContext, q: ReportQuery): Promise<string> {
  return renderReport(await readReportModel(ctx, q), 'json');
}

/** What the dashboard's pickers offer: periods, kinds, categories, sources, and the skills mentioned. */
export async function readMeta(ctx: ApiContext) {
  const [skills, { totals, postings }, sources] = await Promise.all([ctx.store.readSkills(), ctx.store.readSkillTotals(), sourceChoices(ctx.store)]);
  return {
    postings,
    periods: PERIOD_KINDS,
    kinds: reportKinds().map((k) => ({ name: k.name, summary: k.summary, takesSkill: k.takesSkill === true })),
    categories: [...new Set(skills.map((s) => s.category))].sort(),
    sources,
    skills: skills
      .filter((s) => (totals.get(s.id) ?? 0) > 0)
      .map((s) => ({ id: s.id, name: s.name, category: s.category, postings: totals.get(s.id) ?? 0 }))
      .sort((a, b) => b.postings - a.postings || (a.id < b.id ? -1 : 1)),
  };
}

export interface SearchQuery {
  skill?: string | undefined;
  q?: string | undefined;
  company?: string | undefined;
  source?: string | undefined;
  /** A period key (2026-03, 2026-Q1, 2026-W09, 2026): its first to last day. */
  period?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  page?: string | undefined;
  pageSize?: string | undefined;
}

export const MAX_PAGE_SIZE = 100;

/** One page of the postings matching a search, with the sentences behind their counts. */
export async function searchPostings(ctx: ApiContext, s: SearchQuery): Promise<PostingPage & { page: number; pageSize: number }> {
  const page = positiveIntParameter(s.page, 'page') ?? 1;
  const pageSize = positiveIntParameter(s.pageSize, 'pageSize') ?? 20;
  if (pageSize > MAX_PAGE_SIZE) throw new InvalidParameterError('pageSize', `pageSize must be at most ${MAX_PAGE_SIZE} (got "${s.pageSize}")`);
  if (s.period !== undefined && !isPeriodKey(s.period)) throw new InvalidParameterError('period', `period must be a period key like 2026-03, 2026-Q1, 2026-W09 or 2026 (got "${s.period}")`);
  if (s.period !== undefined && (s.since !== undefined || s.until !== undefined)) throw new InvalidParameterError('period', 'period goes without since and until: it sets both');
  const range = s.period ? { since: periodStart(s.period), until: periodEnd(s.period) } : parseDateRange(s.since, s.until, plainName);
  const filters = { ...(s.source && { source: s.source }), ...(s.skill && { skill: s.skill }) };
  await checkReportFilters(ctx.store, await ctx.store.readSkills(), filters, ctx.taxonomy, plainName);
  const result = await ctx.store.searchPostings({
    ...filters,
    ...(s.q && { text: s.q }),
    ...(s.company && { company: s.company }),
    ...range,
    offset: (page - 1) * pageSize,
    limit: pageSize,
  });
  return { ...result, page, pageSize };
}

/** Postings per number of years of a skill they ask for, with how many state one and the median. */
export async function readYearsAsked(ctx: ApiContext, skill: string, q: ReportQuery) {
  const { filters } = parseReportQuery({ ...q, kind: 'skill', skill }, plainName);
  const distribution = await ctx.store.readYears(skill, filters);
  const stated = distribution.reduce((a, d) => a + d.postings, 0);
  // The median posting's years: the first value at which half of those stating one are counted.
  let seen = 0;
  const median = distribution.find((d) => (seen += d.postings) >= stated / 2)?.years ?? null;
  return { stated, median, distribution };
}

/**
 * A skill's page: the `skill` report's JSON (series, levels, breakdowns, co-occurring skills,
 * sample sentences), the years of it postings ask for, and its latest postings with their sentences.
 */
export async function readSkillPage(ctx: ApiContext, id: string, q: ReportQuery) {
  const skill = resolveSkill(await ctx.store.readSkills(), id, ctx.taxonomy, 'id');
  const report = JSON.parse(await readReportJson(ctx, { ...q, kind: 'skill', skill }));
  const years = await readYearsAsked(ctx, skill, q);
  const postings = await searchPostings(ctx, { skill, ...(q.source && { source: q.source }), ...(q.company && { company: q.company }), since: q.since, until: q.until, pageSize: '10' });
  return { ...report, years, postings };
}

/** A chart as the dashboard draws it: the layouts the HTML report draws, and what each point stands for. */
export interface ChartView {
  type: Chart['type'];
  title: string;
  wide: SeriesLayout[] | BarsLayout;
  narrow: SeriesLayout[] | BarsLayout;
  /** Series charts: per layout view and panel line, the skill and the period of each point, in the order of its runs' points. */
  points?: { skill: string | null; periods: string[] }[];
}

export interface View {
  kind: string;
  title: string;
  notes: string[];
  tables: Table[];
  charts: ChartView[];
}

/**
 * A report made ready for the live dashboard: its title, notes and tables, and its charts laid
 * out by the same code as the HTML report's (chart-layout.ts), so the browser only draws them.
 * `skills` (ids or aliases, comma-separated) draws those skills' shares in place of the top six.
 */
export async function readView(ctx: ApiContext, q: ReportQuery & { skills?: string | undefined }): Promise<View> {
  const { skills: chosen, ...rest } = q;
  const wanted = chosen ? chosen.split(',').map((s) => s.trim()).filter(Boolean) : [];
  if (wanted.length > 12) throw new InvalidParameterError('skills', `skills: at most 12 (got ${wanted.length})`);
  const stored = await ctx.store.readSkills();
  const ids = wanted.map((w) => resolveSkill(stored, w, ctx.taxonomy, 'skills'));
  const trendKind = rest.kind === undefined || rest.kind === 'summary' || rest.kind === 'trends';
  const model = await readReportModel(ctx, ids.length && trendKind ? { ...rest, top: '0' } : rest);
  let charts = model.charts;
  let lineSkills: (string | null)[][] = charts.map(() => []);
  if (trendKind) {
    const d = model.data as TrendsData;
    const shown = ids.length ? ids.flatMap((id) => d.skills.filter((s) => s.id === id)) : d.skills.slice(0, 6);
    if (ids.length) charts = [seriesChart('Share of postings, chosen skills', d, shown), ...charts.slice(1)];
    lineSkills = charts.map((c, k) => (k === 0 && c.type === 'series' ? shown.map((s) => s.id) : []));
    // Chosen skills: the tables list those skills only.
    if (ids.length) model.tables = model.tables.map((t, k) => (k === 0 ? { ...t, rows: t.rows.filter((_, r) => ids.includes(d.skills[r]?.id ?? '')), trend: t.trend?.filter((_, r) => ids.includes(d.skills[r]?.id ?? '')) } : t));
  } else if (model.kind === 'skill') {
    const id = (model.data as { skill: { id: string } }).skill.id;
    lineSkills = charts.map(() => [id]);
    // The years asked for, after how it is asked for (levels).
    const years = await readYearsAsked(ctx, id, rest);
    const table: Table = {
      title: `Years asked for${years.median === null ? '' : ` (median ${years.median})`}`,
      columns: ['Years', 'Postings', 'Share of those stating years'],
      numeric: [true, true, true],
      rows: years.distribution.map((d) => [String(d.years), String(d.postings), `${((100 * d.postings) / years.stated).toFixed(1)}%`]),
    };
    model.tables.splice(2, 0, table);
  }
  return { kind: model.kind, title: model.title, notes: model.notes, tables: model.tables, charts: charts.map((c, k) => chartView(c, lineSkills[k] ?? [])) };
}

function chartView(c: Chart, skills: (string | null)[]): ChartView {
  if (c.type === 'bars') return { type: 'bars', title: c.title, wide: layoutBars(c, WIDE), narrow: layoutBars(c, NARROW) };
  // Each line's points are drawn for the periods with postings, in order: the same in every layout.
  const points = c.lines.map((line, k) => ({ skill: skills[k] ?? null, periods: line.points.flatMap((p, i) => (p ? [c.periods[i] as string] : [])) }));
  return { type: 'series', title: c.title, wide: layoutSeries(c, WIDE), narrow: layoutSeries(c, NARROW), points };
}
