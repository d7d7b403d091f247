import type { DemandRows, SkillMeta } from '../types.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { mineCandidates } from '../extract/mine.js';
import type { Chart, ReportModel, Table } from './model.js';
import { type PeriodKind, periodRange } from '../periods.js';
import { parseSalary } from './salary.js';
import { compareProportions, lift, median, round, slope, wilson } from './stats.js';

/** One period of a skill (or group): postings mentioning it, postings in the period, share and its 95% Wilson interval. */
export interface SeriesPoint {
  period: string;
  count: number;
  total: number;
  share: number;
  low: number;
  high: number;
}

export interface Change {
  from: string;
  to: string;
  fromShare: number;
  toShare: number;
  deltaPp: number;
  p: number;
  test: 'z' | 'fisher';
  /** p < 0.05 and at least `minSupport` postings mention the skill in the two periods together. */
  significant: boolean;
}

export interface SkillTrend {
  id: string;
  name: string;
  category: string;
  count: number;
  share: number;
  low: number;
  high: number;
  series: SeriesPoint[];
  /** First period with postings against the last. */
  overall: Change | null;
  /** The last period with postings against the one before it. */
  latest: Change | null;
  /** The last period against the same period a year earlier, when there is data. */
  yearAgo: Change | null;
  /** Least-squares slope of the share, in percentage points per period. */
  slopePp: number | null;
}

export interface TrendOptions {
  top?: number;
  /** Postings that must mention a skill across two compared periods before a change counts. */
  minSupport?: number;
}

export interface TrendsData {
  period: PeriodKind;
  periods: string[];
  totals: { period: string; total: number }[];
  totalPostings: number;
  skills: SkillTrend[];
  /** Skills whose latest change is significant, largest first (from all skills, not only the top ones). */
  rising: Mover[];
  falling: Mover[];
  minSupport: number;
}

export interface Mover {
  id: string;
  name: string;
  category: string;
  latest: Change;
}

/** `1 posting`, `2 postings`. */
const counted = (n: number, noun: string, plural = `${noun}s`) => `${n} ${n === 1 ? noun : plural}`;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
/**
 * A share as a percentage from its counts, rounded once (issue 15): from the stored share, itself
 * rounded to four places, 1 of 8 (12.5%) could print as 12.6%.
 */
const pctOf = (count: number, total: number) => (total ? `${(Math.round((count * 1000) / total) / 10).toFixed(1)}%` : pct(0));
const pp = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)} pp`;
const pValue = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));
const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of shares, scaled to the largest: ▁▃▅█. Periods with no postings show as a space. */
export function renderSparkline(values: (number | null)[]): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return values.map((v) => (v === null ? ' ' : BARS[max === 0 ? 0 : Math.min(7, Math.round((v / max) * 7))])).join('');
}

function yearEarlier(period: string): string {
  const y = Number(period.slice(0, 4)) - 1;
  return `${y}${period.slice(4)}`;
}

function change(series: SeriesPoint[], from: string | undefined, to: string | undefined, minSupport: number): Change | null {
  const a = series.find((s) => s.period === from);
  const b = series.find((s) => s.period === to);
  if (!a || !b || a === b || a.total === 0 || b.total === 0) return null;
  const t = compareProportions(a.count, a.total, b.count, b.total);
  return {
    from: a.period,
    to: b.period,
    fromShare: a.share,
    toShare: b.share,
    deltaPp: round(t.deltaPp, 2),
    p: round(t.p, 4),
    test: t.test,
    significant: t.p < 0.05 && a.count + b.count >= minSupport,
  };
}

/** Builds series with intervals and the three comparisons for every skill (or group) counted. */
export function computeTrends(rows: DemandRows, period: PeriodKind, options: TrendOptions = {}): TrendsData {
  const minSupport = options.minSupport ?? 10;
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
  const first = known[0];
  const last = known[known.length - 1];
  const previous = known[known.length - 2];
  const skills: SkillTrend[] = [...counts].map(([id, byPeriod]) => {
    const series = totals.map(({ period: p, total }) => {
      const count = byPeriod.get(p) ?? 0;
      const [low, high] = wilson(count, total);
      return { period: p, count, total, share: total ? round(count / total) : 0, low: round(low), high: round(high) };
    });
    const count = series.reduce((a, s) => a + s.count, 0);
    const [low, high] = wilson(count, totalPostings);
    const m = meta.get(id);
    const s = slope(series.map((x) => (x.total ? x.share * 100 : undefined)));
    return {
      id,
      name: m?.name ?? id,
      category: m?.category ?? 'unknown',
      count,
      share: totalPostings ? round(count / totalPostings) : 0,
      low: round(low),
      high: round(high),
      series,
      overall: change(series, first, last, minSupport),
      latest: change(series, previous, last, minSupport),
      yearAgo: last ? change(series, yearEarlier(last), last, minSupport) : null,
      slopePp: s === undefined ? null : round(s, 3),
    };
  });
  skills.sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  const moved = (dir: 1 | -1): Mover[] =>
    skills
      .filter((k) => k.latest?.significant && Math.sign(k.latest.deltaPp) === dir)
      .sort((a, b) => dir * ((b.latest?.deltaPp ?? 0) - (a.latest?.deltaPp ?? 0)))
      .map((k) => ({ id: k.id, name: k.name, category: k.category, latest: k.latest as Change }));
  return {
    period,
    periods,
    totals,
    totalPostings,
    skills: options.top ? skills.slice(0, options.top) : skills,
    rising: moved(1),
    falling: moved(-1),
    minSupport,
  };
}

/** Long format: one row per skill and period. */
function seriesCsv(d: TrendsData): ReportModel['csv'] {
  return {
    columns: ['skill_id', 'skill', 'category', 'period', 'count', 'total', 'share', 'low', 'high'],
    rows: d.skills.flatMap((s) => s.series.map((p) => [s.id, s.name, s.category, p.period, p.count, p.total, p.share, p.low, p.high])),
  };
}

/** A skill's share in one period, from that period's counts. */
function periodPct(s: SkillTrend, period: string): string {
  const p = s.series.find((x) => x.period === period);
  return p ? pctOf(p.count, p.total) : '';
}

/**
 * The long format with each skill's tests on its rows (issue 15: the trends CSV was the summary's):
 * the latest change, its p-value, test and significance, the change against a year earlier, the slope.
 */
function trendsCsv(d: TrendsData): ReportModel['csv'] {
  const base = seriesCsv(d);
  const stats = (s: SkillTrend) => [
    s.latest?.from ?? '',
    s.latest?.to ?? '',
    s.latest?.deltaPp ?? '',
    s.latest?.p ?? '',
    s.latest?.test ?? '',
    s.latest ? String(s.latest.significant) : '',
    s.yearAgo?.deltaPp ?? '',
    s.yearAgo?.p ?? '',
    s.slopePp ?? '',
  ];
  return {
    columns: [...base.columns, 'latest_from', 'latest_to', 'latest_delta_pp', 'latest_p', 'latest_test', 'latest_significant', 'year_ago_delta_pp', 'year_ago_p', 'slope_pp'],
    rows: d.skills.flatMap((s) => s.series.map((p) => [s.id, s.name, s.category, p.period, p.count, p.total, p.share, p.low, p.high, ...stats(s)])),
  };
}

function scope(d: TrendsData): string {
  const span = d.periods.length ? `${d.periods[0]} to ${d.periods[d.periods.length - 1]}` : 'no periods';
  return `${counted(d.totalPostings, 'posting')}, ${span} (${counted(d.periods.length, d.period)})`;
}

const shareWithInterval = (s: { low: number; high: number }, count: number, total: number) => `${pctOf(count, total)} (${pct(s.low)}-${pct(s.high)})`;

/** The share over time of `skills`, one line each, from trends data. Pure. */
export function seriesChart(title: string, d: TrendsData, skills: SkillTrend[]): Chart {
  return { type: 'series', title, periods: d.periods, lines: skills.map((s) => ({ label: s.name, points: s.series.map((p) => (p.total ? { share: p.share, low: p.low, high: p.high } : null)) })) };
}

/** Group series (categories or families) as a table and a bar chart of their overall shares. */
function groupTable(title: string, groups: { group: string; period: string; count: number }[], d: TrendsData, names: Map<string, string>): { table: Table; chart: Chart; data: unknown[] } {
  const byGroup = new Map<string, Map<string, number>>();
  for (const g of groups) {
    let m = byGroup.get(g.group);
    if (!m) byGroup.set(g.group, (m = new Map()));
    m.set(g.period, g.count);
  }
  const data = [...byGroup].map(([group, byPeriod]) => {
    const count = [...byPeriod.values()].reduce((a, b) => a + b, 0);
    const [low, high] = wilson(count, d.totalPostings);
    const series = d.totals.map(({ period, total }) => ({ period, count: byPeriod.get(period) ?? 0, total, share: total ? round((byPeriod.get(period) ?? 0) / total) : 0 }));
    return { id: group, name: names.get(group) ?? group, count, share: d.totalPostings ? round(count / d.totalPostings) : 0, low: round(low), high: round(high), series };
  });
  data.sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
  return {
    data,
    table: {
      title,
      columns: ['Group', 'Postings', 'Share (95% CI)', 'Trend'],
      numeric: [false, true, true, false],
      rows: data.map((g) => [g.name, String(g.count), shareWithInterval(g, g.count, d.totalPostings), renderSparkline(g.series.map((p) => (p.total ? p.share : null)))]),
      fit: { latest: [3] },
    },
    chart: { type: 'bars', title, unit: '%', bars: data.slice(0, 15).map((g) => ({ label: g.name, value: round(g.share * 100, 1) })) },
  };
}

/** The summary: demand per skill with its interval and the first-to-last change (roll-ups are in trends). */
export function buildSummary(d: TrendsData): ReportModel {
  const firstP = d.periods[0] ?? 'first';
  const lastP = d.periods[d.periods.length - 1] ?? 'last';
  return {
    kind: 'summary',
    title: 'Skill demand',
    notes: [scope(d), 'Share = postings mentioning the skill / all postings in the period; 95% Wilson interval in parentheses. Change compares the first and last periods. Negated mentions never count.'],
    tables: [
      {
        title: 'Skills',
        columns: ['Skill', 'Category', 'Postings', 'Share (95% CI)', firstP, lastP, 'Change', 'Trend'],
        numeric: [false, false, true, true, true, true, true, false],
        rows: d.skills.map((s) => [
          s.name,
          s.category,
          String(s.count),
          shareWithInterval(s, s.count, d.totalPostings),
          s.overall ? periodPct(s, s.overall.from) : '',
          s.overall ? periodPct(s, s.overall.to) : '',
          s.overall ? pp(s.overall.deltaPp) : '',
          renderSparkline(s.series.map((p) => (p.total ? p.share : null))),
        ]),
        trend: d.skills.map((s) => (s.overall?.significant ? Math.sign(s.overall.deltaPp) : 0)),
        // In a narrow terminal: the category goes first, then the first and last shares (Change stays).
        fit: { drop: [1, 4, 5], latest: [7] },
      },
    ],
    charts: [seriesChart('Share of postings, top skills', d, d.skills.slice(0, 6))],
    data: d,
    csv: seriesCsv(d),
  };
}

/**
 * The slope of every top skill's share over all periods, steepest rise first: the trend that the
 * whole span shows, where the latest change between two periods is too noisy to tell.
 */
function slopeChart(d: TrendsData): Chart[] {
  const bars = d.skills
    .filter((s) => s.slopePp !== null)
    .slice(0, 15)
    .map((s) => ({ label: s.name, value: s.slopePp as number }))
    .sort((a, b) => b.value - a.value);
  // A slope needs two periods with postings: no chart at all rather than an empty one.
  return bars.length ? [{ type: 'bars', title: `Trend of the top skills: least-squares slope of the share, pp per ${d.period}`, unit: 'pp', digits: 2, bars }] : [];
}

/** Trends: the latest change with its test, the year-ago change, the slope, rising and falling skills, roll-ups. */
export function buildTrends(d: TrendsData, categories: { group: string; period: string; count: number }[], families: { group: string; period: string; count: number }[], skills: SkillMeta[]): ReportModel {
  const names = new Map(skills.map((s) => [s.id, s.name]));
  const cat = groupTable('Categories (a posting counts once per category)', categories, d, new Map());
  const fam = groupTable('Families (a skill with everything under it; a posting counts once)', families, d, names);
  const moverRows = (movers: Mover[]) => movers.map(({ name, latest: l }) => [name, pct(l.fromShare), pct(l.toShare), pp(l.deltaPp), pValue(l.p), l.test]);
  const moverColumns = ['Skill', d.skills[0]?.latest?.from ?? 'previous', d.skills[0]?.latest?.to ?? 'last', 'Change', 'p', 'Test'];
  const numeric = [false, true, true, true, true, false];
  return {
    kind: 'trends',
    title: 'Skill demand trends',
    notes: [
      scope(d),
      `Latest change: the last period with postings against the one before, two-proportion z-test (Fisher's exact test when an expected count is under 5); rising and falling list changes with p < 0.05 and at least ${d.minSupport} posting${d.minSupport === 1 ? '' : 's'} across the two periods. Slope: least-squares trend of the share, pp per ${d.period}.`,
    ],
    tables: [
      {
        title: 'Skills',
        columns: ['Skill', 'Category', 'Postings', 'Share (95% CI)', 'Latest change', 'p', 'Year ago', 'Slope', 'Trend'],
        numeric: [false, false, true, true, true, true, true, true, false],
        rows: d.skills.map((s) => [
          s.name,
          s.category,
          String(s.count),
          shareWithInterval(s, s.count, d.totalPostings),
          s.latest ? pp(s.latest.deltaPp) : '',
          s.latest ? pValue(s.latest.p) : '',
          s.yearAgo ? pp(s.yearAgo.deltaPp) : '',
          s.slopePp === null ? '' : `${s.slopePp > 0 ? '+' : ''}${s.slopePp.toFixed(2)}`,
          renderSparkline(s.series.map((p) => (p.total ? p.share : null))),
        ]),
        trend: d.skills.map((s) => (s.latest?.significant ? Math.sign(s.latest.deltaPp) : 0)),
        fit: { drop: [1, 6, 7, 5], latest: [8] },
      },
      { title: 'Rising', columns: moverColumns, numeric, rows: moverRows(d.rising), trend: d.rising.map(() => 1) },
      { title: 'Falling', columns: moverColumns, numeric, rows: moverRows(d.falling), trend: d.falling.map(() => -1) },
      cat.table,
      fam.table,
    ],
    charts: [
      seriesChart('Share of postings, top skills', d, d.skills.slice(0, 6)),
      ...slopeChart(d),
      // Only when there are any: two periods of a few postings each (months of the demo corpus) seldom differ significantly.
      ...(d.rising.length + d.falling.length
        ? [{ type: 'bars' as const, title: 'Rising and falling (latest change, pp)', unit: 'pp', bars: [...d.rising, ...d.falling].map((m) => ({ label: m.name, value: m.latest.deltaPp })) }]
        : []),
      ...(cat.chart.type === 'bars' && cat.chart.bars.length ? [cat.chart] : []),
    ],
    data: { ...d, categories: cat.data, families: fam.data },
    csv: trendsCsv(d),
  };
}

export interface SkillDetailInput {
  trend: SkillTrend | undefined;
  skill: SkillMeta;
  requirement: { requirement: string; count: number }[];
  breakdowns: Record<string, { key: string; count: number; total: number }[]>;
  cooccurring: { skill: SkillMeta | undefined; id: string; together: number; count: number }[];
  examples: { date: string; title: string | null; company: string | null; origin: string; sentence: string }[];
  totalPostings: number;
  periods: string[];
}

/** One skill: its series, how it is asked for, where, and with what. */
export function buildSkillReport(x: SkillDetailInput): ReportModel {
  const count = x.trend?.count ?? 0;
  const requirement = ['required', 'preferred', 'unspecified'].map((r) => {
    const n = x.requirement.find((q) => q.requirement === r)?.count ?? 0;
    return { requirement: r, count: n, share: count ? round(n / count) : 0 };
  });
  const breakdowns = Object.fromEntries(
    Object.entries(x.breakdowns).map(([k, rows]) => [k, rows.map((r) => ({ ...r, share: r.total ? round(r.count / r.total) : 0 }))]),
  );
  const co = x.cooccurring.map((c) => ({ id: c.id, name: c.skill?.name ?? c.id, together: c.together, lift: round(lift(c.together, count, c.count, x.totalPostings), 2) }));
  const tables: Table[] = [
    {
      title: 'Per period',
      columns: ['Period', 'Postings', 'Of', 'Share (95% CI)'],
      numeric: [false, true, true, true],
      rows: (x.trend?.series ?? []).map((p) => [p.period, String(p.count), String(p.total), shareWithInterval(p, p.count, p.total)]),
    },
    { title: 'Asked as', columns: ['Level', 'Postings', 'Share'], numeric: [false, true, true], rows: requirement.map((r) => [r.requirement, String(r.count), pctOf(r.count, count)]) },
    ...Object.entries(breakdowns).map(([k, rows]) => ({
      title: `By ${k}`,
      columns: [k[0]?.toUpperCase() + k.slice(1), 'Postings', 'Of', 'Share'],
      numeric: [false, true, true, true],
      rows: rows.map((r) => [r.key, String(r.count), String(r.total), pctOf(r.count, r.total)]),
    })),
    { title: 'Named with', columns: ['Skill', 'Together', 'Lift'], numeric: [false, true, true], rows: co.map((c) => [c.name, String(c.together), c.lift.toFixed(2)]) },
    {
      title: 'Latest postings naming it',
      columns: ['Date', 'Title', 'Company', 'Where it says so'],
      numeric: [false, false, false, false],
      rows: x.examples.map((e) => [e.date, e.title ?? '', e.company ?? '', e.sentence ?? '']),
      fit: { wrap: [3] },
    },
  ];
  return {
    kind: 'skill',
    title: `${x.skill.name} (${x.skill.category})`,
    notes: [`${count} of ${counted(x.totalPostings, 'posting')} ${count === 1 ? 'mentions' : 'mention'} ${x.skill.name}${x.trend ? `: ${pctOf(count, x.totalPostings)} (95% CI ${pct(x.trend.low)}-${pct(x.trend.high)})` : ''}. Lift > 1: named together more often than chance.`],
    tables,
    charts: x.trend ? [{ type: 'series', title: `Share of postings naming ${x.skill.name} (band: 95% interval)`, periods: x.periods, lines: [{ label: x.skill.name, points: x.trend.series.map((p) => (p.total ? { share: p.share, low: p.low, high: p.high } : null)) }] }] : [],
    data: { skill: x.skill, count, totalPostings: x.totalPostings, trend: x.trend ?? null, requirement, breakdowns, cooccurring: co, examples: x.examples },
    csv: {
      columns: ['period', 'count', 'total', 'share', 'low', 'high'],
      rows: (x.trend?.series ?? []).map((p) => [p.period, p.count, p.total, p.share, p.low, p.high]),
    },
  };
}

/** Skill pairs: how often named together, and the lift over chance. */
export function buildCooccurrence(pairs: { a: string; b: string; together: number }[], totals: Map<string, number>, postings: number, skills: SkillMeta[], focus?: string): ReportModel {
  const names = new Map(skills.map((s) => [s.id, s.name]));
  const data = pairs.map((p) => ({
    a: p.a,
    b: p.b,
    together: p.together,
    lift: round(lift(p.together, totals.get(p.a) ?? 0, totals.get(p.b) ?? 0, postings), 2),
    shareOfA: round(p.together / (totals.get(p.a) || 1)),
  }));
  return {
    kind: 'cooccurrence',
    title: focus ? `Skills named with ${names.get(focus) ?? focus}` : 'Skills named together',
    notes: [`${counted(postings, 'posting')}. Lift = P(both) / (P(a) P(b)); above 1, named together more often than chance. Share of a: postings with both / postings with a.`],
    tables: [
      {
        title: 'Pairs',
        columns: ['Skill a', 'Skill b', 'Together', 'Lift', 'Share of a'],
        numeric: [false, false, true, true, true],
        rows: data.map((d) => [names.get(d.a) ?? d.a, names.get(d.b) ?? d.b, String(d.together), d.lift.toFixed(2), pctOf(d.together, totals.get(d.a) || 1)]),
      },
    ],
    charts: [],
    data: { postings, focus: focus ?? null, pairs: data },
    csv: { columns: ['skill_a', 'skill_b', 'together', 'lift', 'share_of_a'], rows: data.map((d) => [d.a, d.b, d.together, d.lift, d.shareOfA]) },
  };
}

/** Postings a salary median needs by default: a median of one posting is that posting's pay, not a figure for the skill. */
export const SALARY_MIN_POSTINGS = 3;

/** Pay per skill, where postings state it: median of range midpoints, lowest and highest, per currency and period. */
export function buildSalary(rows: { skillId: string; salary: string }[], skills: SkillMeta[], minPostings = SALARY_MIN_POSTINGS, top?: number): ReportModel {
  const names = new Map(skills.map((s) => [s.id, s.name]));
  const groups = new Map<string, { skill: string; currency: string; period: string; mids: number[]; min: number; max: number }>();
  let unread = 0;
  for (const r of rows) {
    const s = parseSalary(r.salary);
    if (!s) {
      unread++;
      continue;
    }
    const key = `${r.skillId}\0${s.currency}\0${s.period}`;
    const g = groups.get(key) ?? { skill: r.skillId, currency: s.currency, period: s.period, mids: [], min: s.min, max: s.max };
    g.mids.push((s.min + s.max) / 2);
    g.min = Math.min(g.min, s.min);
    g.max = Math.max(g.max, s.max);
    groups.set(key, g);
  }
  const data = [...groups.values()]
    .filter((g) => g.mids.length >= minPostings)
    .map((g) => ({ skill: g.skill, name: names.get(g.skill) ?? g.skill, currency: g.currency, period: g.period, postings: g.mids.length, median: median(g.mids) ?? 0, min: g.min, max: g.max }))
    .sort((a, b) => b.postings - a.postings || b.median - a.median)
    .slice(0, top ?? Number.POSITIVE_INFINITY);
  const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
  return {
    kind: 'salary',
    title: 'Stated pay per skill',
    notes: [
      `Only postings that state pay; a range counts as its midpoint. Currencies and pay periods are never mixed. A median needs at least ${counted(minPostings, 'posting')} (--min-support).${unread ? ` ${counted(unread, 'stated salary', 'stated salaries')} could not be read.` : ''}`,
    ],
    tables: [
      {
        title: 'Pay',
        columns: ['Skill', 'Currency', 'Per', 'Postings', 'Median', 'Lowest', 'Highest'],
        numeric: [false, false, false, true, true, true, true],
        rows: data.map((d) => [d.name, d.currency, d.period, String(d.postings), money(d.median), money(d.min), money(d.max)]),
      },
    ],
    charts: [],
    data: { unreadSalaries: unread, skills: data },
    csv: { columns: ['skill_id', 'currency', 'period', 'postings', 'median', 'min', 'max'], rows: data.map((d) => [d.skill, d.currency, d.period, d.postings, d.median, d.min, d.max]) },
  };
}

/** Skills first named in the latest periods, and terms postings use like skills that the taxonomy lacks. */
export function buildEmerging(d: TrendsData, window: number, recentTexts: string[], compiled: CompiledTaxonomy, companies: readonly string[] = []): ReportModel {
  const recent = new Set(d.periods.slice(-window));
  const firstSeen = d.skills
    .map((s) => ({ id: s.id, name: s.name, category: s.category, first: s.series.find((p) => p.count > 0)?.period ?? '', count: s.count }))
    .filter((s) => recent.has(s.first) && d.periods.length > window)
    .sort((a, b) => b.count - a.count);
  // The postings' own employers are no candidate skills (issue 15), nor are URLs and common words (mineCandidates).
  const candidates = mineCandidates(recentTexts, compiled, { minDocuments: 2, top: 25, exclude: companies });
  return {
    kind: 'emerging',
    title: 'Emerging skills',
    notes: [`Skills first named in the last ${counted(window, d.period)}, and terms ${counted(recentTexts.length, 'recent posting')} ${recentTexts.length === 1 ? 'uses' : 'use'} like skills that the taxonomy lacks (suggestions for taxonomy/; see skillpulse taxonomy mine).`],
    tables: [
      { title: 'First named recently', columns: ['Skill', 'Category', 'First', 'Postings'], numeric: [false, false, false, true], rows: firstSeen.map((s) => [s.name, s.category, s.first, String(s.count)]) },
      { title: 'Candidate terms', columns: ['Term', 'Postings', 'Example'], numeric: [false, true, false], rows: candidates.map((c) => [c.name, String(c.documents), c.example]), fit: { wrap: [2] } },
    ],
    charts: [],
    data: { window, firstSeen, candidates },
    csv: {
      columns: ['kind', 'id', 'name', 'first_period', 'postings'],
      rows: [...firstSeen.map((f) => ['skill', f.id, f.name, f.first, f.count]), ...candidates.map((c) => ['candidate', c.key, c.name, '', c.documents])],
    },
  };
}
