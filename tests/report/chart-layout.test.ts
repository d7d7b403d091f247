import { describe, expect, it } from 'vitest';
import {
  type BarsLayout,
  DASHES,
  formatBarValue,
  formatPercent,
  type Label,
  labelBox,
  layoutBars,
  layoutSeries,
  MARKERS,
  MAX_BANDS_PER_PANEL,
  NARROW,
  overlaps,
  PALETTE,
  type SeriesLayout,
  seriesStyle,
  textWidth,
  WIDE,
} from '../../src/report/chart-layout.js';
import type { BarChart, SeriesChart } from '../../src/report/model.js';
import { periodRange } from '../../src/periods.js';

// Issue 15, item 7: the HTML report's charts read at a glance. These check where every mark goes,
// at both widths the page draws (WIDE on a screen, NARROW on a 390 px phone).

const WIDTHS = [WIDE, NARROW];
const MONTHS = periodRange('2025-05', '2026-10', 'month');
const WEEKS = periodRange('2025-W01', '2026-W01', 'week');

/** A line whose share wobbles around `level`, with a Wilson-like band, and gaps where asked. */
function line(label: string, periods: string[], level: number, gaps: number[] = []): SeriesChart['lines'][number] {
  return {
    label,
    points: periods.map((_, i) => {
      if (gaps.includes(i)) return null;
      const share = Math.min(1, Math.max(0, level + 0.1 * Math.sin(i)));
      return { share, low: Math.max(0, share - 0.15), high: Math.min(1, share + 0.15) };
    }),
  };
}

/** The six top skills of the demo corpus by month, roughly: shares up to 75%, intervals up to 89.8%. */
const DEMO_LIKE: SeriesChart = {
  type: 'series',
  title: 'Share of postings, top skills',
  periods: MONTHS,
  lines: [
    line('Python', MONTHS, 0.66),
    line('SQL', MONTHS, 0.42),
    line('Docker', MONTHS, 0.35),
    line('AWS', MONTHS, 0.29),
    line('Kubernetes', MONTHS, 0.27),
    line('Large language models', MONTHS, 0.2),
  ],
};

function allLabels(l: SeriesLayout): Label[] {
  return [...l.panels.flatMap((p) => [...(p.title ? [p.title] : []), ...p.yTicks.map((t) => t.label), ...p.xTicks.map((t) => t.label)]), ...l.legend.map((i) => i.label)];
}

function pairs<T>(xs: T[]): [T, T][] {
  return xs.flatMap((a, i) => xs.slice(i + 1).map((b) => [a, b] as [T, T]));
}

describe('y axis ticks', () => {
  it.each(WIDTHS)('are round percentages from zero to a round top (%i px)', (width) => {
    for (const layout of layoutSeries(DEMO_LIKE, width)) {
      for (const p of layout.panels) {
        const values = p.yTicks.map((t) => t.value);
        expect(values[0]).toBe(0);
        const step = (values[1] as number) - (values[0] as number);
        // A step of 1, 2 or 5 times a power of ten, every tick a whole multiple of it.
        const mantissa = step / 10 ** Math.floor(Math.log10(step));
        expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9)).toBe(true);
        for (const v of values) expect(Math.abs(v / step - Math.round(v / step))).toBeLessThan(1e-9);
        // Labels like "20%", never "22.5%" or "44.9 %".
        for (const t of p.yTicks) expect(t.label.text).toMatch(/^\d+%$/);
      }
    }
  });

  it('of the overview are 0/20/40/60/80% on the demo-like chart, not quarters of the largest value', () => {
    const [overview] = layoutSeries(DEMO_LIKE, WIDE);
    expect(overview?.panels[0]?.yTicks.map((t) => t.label.text)).toEqual(['0%', '20%', '40%', '60%', '80%']);
  });

  it('step in halves of a percent when shares are small', () => {
    const small: SeriesChart = { type: 'series', title: 't', periods: MONTHS.slice(0, 4), lines: [{ label: 'Rare', points: [0.01, 0.02, 0.031, 0.015].map((s) => ({ share: s, low: s / 2, high: s + 0.003 })) }] };
    const texts = layoutSeries(small, WIDE)[0]?.panels[0]?.yTicks.map((t) => t.label.text);
    expect(texts).toEqual(['0.0%', '0.5%', '1.0%', '1.5%', '2.0%', '2.5%', '3.0%', '3.5%']);
  });
});

describe('x axis labels', () => {
  const cases = WIDTHS.flatMap((width) => [
    { width, name: '18 months', chart: DEMO_LIKE },
    { width, name: '53 weeks', chart: { ...DEMO_LIKE, periods: WEEKS, lines: [line('Python', WEEKS, 0.6), line('SQL', WEEKS, 0.3)] } },
    { width, name: 'one skill, 18 months', chart: { ...DEMO_LIKE, lines: [line('Kubernetes', MONTHS, 0.3)] } },
    { width, name: 'one period', chart: { ...DEMO_LIKE, periods: ['2026'], lines: [line('Python', ['2026'], 0.5)] } },
  ]);

  it.each(cases)('never overprint one another or anything else, inside the chart ($name at $width px)', ({ width, chart }) => {
    for (const layout of layoutSeries(chart, width)) {
      const labels = allLabels(layout);
      const clashes = pairs(labels).filter(([a, b]) => overlaps(labelBox(a), labelBox(b)));
      expect(clashes.map(([a, b]) => `${a.text} / ${b.text}`)).toEqual([]);
      for (const l of labels) {
        const box = labelBox(l);
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.w).toBeLessThanOrEqual(layout.width);
        expect(box.y + box.h).toBeLessThanOrEqual(layout.height + 4);
      }
      for (const p of layout.panels) {
        // The first and the last period are always named.
        if (chart.periods.length > 0) expect(p.xTicks[0]?.label.text).toBe(chart.periods[0]);
        expect(p.xTicks[p.xTicks.length - 1]?.label.text).toBe(chart.periods[chart.periods.length - 1]);
      }
    }
  });

  it('of neighbouring periods stay 8 px apart on a phone, where only a few fit', () => {
    const [overview] = layoutSeries(DEMO_LIKE, NARROW);
    const boxes = (overview?.panels[0]?.xTicks ?? []).map((t) => labelBox(t.label));
    expect(boxes.length).toBeGreaterThanOrEqual(3);
    expect(boxes.length).toBeLessThan(MONTHS.length);
    for (const [a, b] of boxes.slice(1).map((b, k) => [boxes[k], b])) expect((b?.x as number) - ((a?.x as number) + (a?.w as number))).toBeGreaterThanOrEqual(8);
  });
});

describe('interval bands', () => {
  it.each(WIDTHS)('are at most one per panel: six skills are an overview without bands and six panels with one each (%i px)', (width) => {
    const layouts = layoutSeries(DEMO_LIKE, width);
    expect(layouts.map((l) => l.view)).toEqual(['overview', 'multiples']);
    const bandsPer = (l: SeriesLayout) => l.panels.map((p) => p.lines.filter((x) => x.runs.some((r) => r.band)).length);
    expect(bandsPer(layouts[0] as SeriesLayout)).toEqual([0]);
    expect(bandsPer(layouts[1] as SeriesLayout)).toEqual([1, 1, 1, 1, 1, 1]);
    for (const l of layouts) for (const n of bandsPer(l)) expect(n).toBeLessThanOrEqual(MAX_BANDS_PER_PANEL);
    // Small multiples share one scale, so panels compare.
    const tops = layouts[1]?.panels.map((p) => p.yTicks[p.yTicks.length - 1]?.value);
    expect(new Set(tops).size).toBe(1);
    // Panels sit side by side, never on top of each other.
    for (const [a, b] of pairs(layouts[1]?.panels ?? [])) expect(overlaps(a.plot, b.plot)).toBe(false);
  });

  it('one skill gets one chart with its band', () => {
    const layouts = layoutSeries({ ...DEMO_LIKE, lines: [line('Kubernetes', MONTHS, 0.3, [4, 5])] }, WIDE);
    expect(layouts.map((l) => l.view)).toEqual(['single']);
    const runs = layouts[0]?.panels[0]?.lines[0]?.runs ?? [];
    // A period without postings breaks the line and its band.
    expect(runs.map((r) => r.points.length)).toEqual([4, 12]);
    expect(runs.every((r) => r.band?.length === r.points.length)).toBe(true);
  });
});

describe('palette', () => {
  it('is Okabe-Ito without its yellow', () => {
    expect(PALETTE).toEqual(['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000']);
  });

  it('gives the first seven series a colour, a dash pattern and a marker of their own', () => {
    const styles = Array.from({ length: 7 }, (_, k) => seriesStyle(k));
    expect(new Set(styles.map((s) => s.color)).size).toBe(7);
    expect(new Set(styles.map((s) => s.dash)).size).toBe(7);
    expect(new Set(styles.map((s) => s.marker)).size).toBe(7);
    expect(DASHES.length).toBe(PALETTE.length);
    expect(MARKERS.length).toBe(PALETTE.length);
  });

  it.each(WIDTHS)('tells the overview lines apart without colour, and names each in the legend (%i px)', (width) => {
    const [overview] = layoutSeries(DEMO_LIKE, width);
    const lines = overview?.panels[0]?.lines ?? [];
    expect(lines.every((l) => l.dashed && l.markers.length > 0)).toBe(true);
    expect(new Set(lines.map((l) => `${l.style.dash}|${l.style.marker}`)).size).toBe(6);
    expect(overview?.legend.map((i) => i.label.full ?? i.label.text)).toEqual(DEMO_LIKE.lines.map((l) => l.label));
  });
});

describe('bar charts', () => {
  const longName = 'Retrieval-augmented generation with a very long name indeed';
  const charts: BarChart[] = [
    { type: 'bars', title: 'Categories', unit: '%', bars: [93.5, 51.6, 38.2, 4.7].map((value, k) => ({ label: ['language', 'devops', 'ml-framework', longName][k] as string, value })) },
    { type: 'bars', title: 'Rising and falling', unit: 'pp', bars: [17.6, 11.8, -5.9, -16.8].map((value, k) => ({ label: ['dbt', longName, 'SQL', 'Apache Spark'][k] as string, value })) },
    { type: 'bars', title: 'All falling', unit: 'pp', digits: 2, bars: [-0.05, -1.08].map((value, k) => ({ label: ['Git', 'AWS'][k] as string, value })) },
    { type: 'bars', title: 'A zero', unit: 'pp', bars: [{ label: 'Python', value: 0 }] },
  ];
  const cases = WIDTHS.flatMap((width) => charts.map((chart) => ({ width, chart, name: chart.title })));

  function marks(l: BarsLayout) {
    return { bars: l.rows.map((r) => r.bar), labels: l.rows.flatMap((r) => [r.label, r.value]) };
  }

  it.each(cases)('draw no label over a bar or another label, inside the chart ($name at $width px)', ({ width, chart }) => {
    const layout = layoutBars(chart, width);
    const { bars, labels } = marks(layout);
    for (const l of labels) {
      const box = labelBox(l);
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.w).toBeLessThanOrEqual(width);
      for (const bar of bars) expect(overlaps(box, bar), `${l.text} over a bar`).toBe(false);
    }
    expect(pairs(labels).filter(([a, b]) => overlaps(labelBox(a), labelBox(b))).map(([a, b]) => `${a.text} / ${b.text}`)).toEqual([]);
    // Long names are cut to fit, with the whole name kept for the tooltip.
    for (const r of layout.rows) if (r.label.full) expect(r.label.full).toBe(longName);
  });

  it('put a positive bar right of zero and a negative one left of it, as long as its value says', () => {
    const layout = layoutBars(charts[1] as BarChart, WIDE);
    const [up, , down] = layout.rows;
    expect(up?.bar.x).toBeCloseTo(layout.zero);
    expect((down?.bar.x as number) + (down?.bar.w as number)).toBeCloseTo(layout.zero);
    expect((up?.bar.w as number) / (down?.bar.w as number)).toBeCloseTo(17.6 / 5.9);
    expect(layout.rows.map((r) => r.value.text)).toEqual(['+17.6 pp', '+11.8 pp', '-5.9 pp', '-16.8 pp']);
  });

  it('say so when there are none', () => {
    expect(layoutBars({ type: 'bars', title: 'x', unit: 'pp', bars: [] }, WIDE).empty?.text).toBe('(none)');
  });
});

describe('numbers on charts', () => {
  it.each([
    [formatPercent(0.935), '93.5%'],
    [formatPercent(0.2, 0), '20%'],
    [formatBarValue(93.5, '%'), '93.5%'],
    [formatBarValue(20, '%'), '20.0%'],
    [formatBarValue(11.8, 'pp', 1, true), '+11.8 pp'],
    [formatBarValue(-0.051, 'pp', 2, true), '-0.05 pp'],
  ])('%s is %s', (actual, expected) => {
    expect(actual).toBe(expected);
  });

  it('measures text generously: a wider text never measures narrower', () => {
    expect(textWidth('2026-10', 11)).toBeGreaterThan(40);
    expect(textWidth('MMMM', 12)).toBeGreaterThan(textWidth('iiii', 12));
  });
});
