import { scaleLinear, scalePoint } from 'd3-scale';
import type { BarChart, SeriesChart } from './model.js';

// Where every mark of a chart goes, in pixels, before any SVG is written: the HTML renderer draws
// these layouts as they are, and tests check them (round ticks, labels apart, bands per panel).
// Scales and ticks come from d3-scale. Pure.

/** Okabe-Ito, told apart with the common kinds of colour blindness; its yellow is left out (too pale on white). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] as const;
/** Dash patterns (SVG stroke-dasharray), so that lines differ without colour too. */
export const DASHES = ['', '7 3', '2 3', '10 3 2 3', '5 5', '1 4', '12 4'] as const;
export const MARKERS = ['circle', 'square', 'triangle', 'diamond', 'cross', 'triangle-down', 'plus'] as const;
export type Marker = (typeof MARKERS)[number];

/** A positive bar and a negative one (blue and vermillion of the same palette). */
export const BAR_COLORS = { pos: '#0072B2', neg: '#D55E00' } as const;

/** The two layouts every chart is drawn in: a wide screen, and a phone (the page's content box at 390 px). */
export const WIDE = 860;
export const NARROW = 340;

/** Interval bands one panel draws at most: more than this and they hide each other. */
export const MAX_BANDS_PER_PANEL = 1;

export interface SeriesStyle {
  color: string;
  /** stroke-dasharray; '' is a solid line. */
  dash: string;
  marker: Marker;
}

/** The look of the k-th series of a chart: colour, dash pattern and marker, all three different for the first seven. */
export function seriesStyle(k: number): SeriesStyle {
  return { color: PALETTE[k % PALETTE.length] as string, dash: DASHES[k % DASHES.length] as string, marker: MARKERS[k % MARKERS.length] as Marker };
}

/** A share (0.935) as a percentage, with no space before the sign: "93.5%". */
export function formatPercent(share: number, digits = 1): string {
  return `${(share * 100).toFixed(digits)}%`;
}

/** A bar's value in its unit: "93.5%", "+11.8 pp", "-0.05 pp/month". A sign on positive values when `signed`. */
export function formatBarValue(value: number, unit: string, digits = 1, signed = false): string {
  const n = `${signed && value > 0 ? '+' : ''}${value.toFixed(digits)}`;
  return unit === '%' ? `${n}%` : `${n} ${unit}`;
}

/**
 * The width of a text in the page's sans-serif at `size` px, on the generous side (DejaVu Sans, the
 * widest of the usual system fonts): layouts keep labels apart by it.
 */
export function textWidth(text: string, size: number): number {
  let em = 0;
  for (const ch of text) {
    if (/[MWmw%@]/.test(ch)) em += 0.95;
    else if (/[ijlI.,:;'|!() ]/.test(ch)) em += 0.36;
    else if (/[A-Z#&]/.test(ch)) em += 0.74;
    else if (/[0-9]/.test(ch)) em += 0.64;
    else if (/[-/]/.test(ch)) em += 0.42;
    else em += 0.62;
  }
  return em * size;
}

/** The text as it is when it fits in `max` px, else cut with an ellipsis. */
export function fitText(text: string, size: number, max: number): string {
  if (textWidth(text, size) <= max) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, size) > max) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A text mark: `y` is its baseline; `full` the whole text when `text` was cut to fit. */
export interface Label {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
  size: number;
  full?: string;
}

/** The box a label covers (its estimated width, from a little above the cap height to the descenders). */
export function labelBox(l: Label): Box {
  const w = textWidth(l.text, l.size);
  const x = l.anchor === 'start' ? l.x : l.anchor === 'end' ? l.x - w : l.x - w / 2;
  return { x, y: l.y - l.size * 0.8, w, h: l.size };
}

/** Whether two boxes share any area (touching edges do not count), with `gap` px kept between them. */
export function overlaps(a: Box, b: Box, gap = 0): boolean {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
}

export interface Point {
  x: number;
  y: number;
}

export interface SeriesPanel {
  /** The plotting area. */
  plot: Box;
  title?: Label;
  yTicks: { value: number; y: number; label: Label }[];
  xTicks: { index: number; x: number; label: Label }[];
  lines: {
    label: string;
    style: SeriesStyle;
    /** Solid in a panel of its own, dashed where several share one. */
    dashed: boolean;
    /** Runs of consecutive periods with postings (a period without breaks the line and its band). */
    runs: { points: Point[]; band: { x: number; low: number; high: number }[] | null }[];
    markers: Point[];
  }[];
}

export interface LegendItem {
  style: SeriesStyle;
  /** Where the line sample is drawn: from x1 to x2 at y. */
  sample: { x1: number; x2: number; y: number };
  label: Label;
}

export interface SeriesLayout {
  width: number;
  height: number;
  panels: SeriesPanel[];
  legend: LegendItem[];
  /** What the layout shows, for its caption: all lines together, or one panel each with its band. */
  view: 'single' | 'overview' | 'multiples';
}

const AXIS = 11;
const LEGEND = 12;
const TITLE = 12;
const LABEL_GAP = 8;

/**
 * Which x labels to show: every s-th, the smallest s that keeps neighbours `LABEL_GAP` px apart, and
 * the last one (in place of the one before it when both do not fit). Labels are kept inside [min, max].
 */
export function thinXLabels(xs: number[], texts: string[], size: number, min: number, max: number): { index: number; label: Label }[] {
  const place = (i: number): Label => {
    const w = textWidth(texts[i] as string, size);
    const x = Math.min(Math.max(xs[i] as number, min + w / 2 + 1), max - w / 2 - 1);
    return { x, y: 0, text: texts[i] as string, anchor: 'middle', size };
  };
  const apart = (a: number, b: number) => !overlaps(labelBox(place(a)), labelBox(place(b)), LABEL_GAP);
  const n = xs.length;
  for (let s = 1; s <= Math.max(1, n); s++) {
    const picked: number[] = [];
    for (let i = 0; i < n; i += s) picked.push(i);
    if (!picked.every((i, k) => k === 0 || apart(picked[k - 1] as number, i))) continue;
    const last = n - 1;
    if (picked[picked.length - 1] !== last) {
      if (apart(picked[picked.length - 1] as number, last)) picked.push(last);
      else if (picked.length >= 2 && apart(picked[picked.length - 2] as number, last)) picked[picked.length - 1] = last;
    }
    return picked.map((index) => ({ index, label: place(index) }));
  }
  return n ? [{ index: 0, label: place(0) }] : [];
}

type Line = SeriesChart['lines'][number];

/** One plotting area with its axes: y from 0 to `yMax` (already nice), points at the periods. */
function panel(
  plot: Box,
  area: { left: number; right: number },
  periods: string[],
  lines: { line: Line; style: SeriesStyle }[],
  yMax: number,
  ticks: number,
  look: { bands: boolean; markers: boolean; dashed: boolean },
): SeriesPanel {
  const { bands, markers, dashed } = look;
  const y = scaleLinear().domain([0, yMax]).range([plot.y + plot.h, plot.y]);
  const x = scalePoint<number>()
    .domain(periods.map((_, i) => i))
    .range([plot.x, plot.x + plot.w])
    .align(0.5);
  const xs = periods.map((_, i) => x(i) as number);
  const format = y.tickFormat(ticks, '%');
  const yTicks = y.ticks(ticks).map((value) => ({ value, y: y(value), label: { x: plot.x - 6, y: y(value) + 4, text: format(value), anchor: 'end' as const, size: AXIS } }));
  const xTicks = thinXLabels(xs, periods, AXIS, area.left, area.right).map(({ index, label }) => ({ index, x: xs[index] as number, label: { ...label, y: plot.y + plot.h + 16 } }));
  // Markers on every point where they stay 9 px apart, else on every k-th.
  const every = xs.length > 1 ? Math.ceil(9 / Math.max(0.1, (xs[1] as number) - (xs[0] as number))) : 1;
  return {
    plot,
    yTicks,
    xTicks,
    lines: lines.map(({ line, style }) => {
      type P = { i: number; p: { share: number; low: number; high: number } };
      const runs: P[][] = [[]];
      for (const [i, p] of line.points.entries()) {
        if (p) (runs[runs.length - 1] as P[]).push({ i, p });
        else runs.push([]);
      }
      return {
        label: line.label,
        style,
        dashed,
        runs: runs
          .filter((r) => r.length > 0)
          .map((r) => ({
            points: r.map(({ i, p }) => ({ x: xs[i] as number, y: y(p.share) })),
            band: bands ? r.map(({ i, p }) => ({ x: xs[i] as number, low: y(p.low), high: y(p.high) })) : null,
          })),
        // A period alone between gaps always gets its marker: it has no line to show it.
        markers: markers ? line.points.flatMap((p, i) => (p && (i % every === 0 || (!line.points[i - 1] && !line.points[i + 1])) ? [{ x: xs[i] as number, y: y(p.share) }] : [])) : [],
      };
    }),
  };
}

/** The top of the y axis: a round value at or above every value drawn (d3's nice()). */
function niceMax(values: number[], ticks: number): number {
  return scaleLinear()
    .domain([0, Math.max(0.01, ...values)])
    .nice(ticks)
    .domain()[1] as number;
}

/** Room for the y tick labels left of a plot: the widest label and a gap. */
function axisRoom(yMax: number, ticks: number): number {
  const y = scaleLinear().domain([0, yMax]);
  const format = y.tickFormat(ticks, '%');
  return Math.ceil(Math.max(...y.ticks(ticks).map((v) => textWidth(format(v), AXIS))) + 10);
}

/**
 * The layouts of a series chart at `width` px: one line gets one chart with its 95% band; several
 * get an overview (every line, told apart by colour, dash and marker, no bands) and small
 * multiples (one panel per line with its band, the same y scale in every panel).
 */
export function layoutSeries(c: SeriesChart, width: number): SeriesLayout[] {
  const narrow = width < 600;
  const styled = c.lines.map((line, k) => ({ line, style: seriesStyle(k) }));
  if (c.lines.length <= 1) {
    const ticks = 5;
    const yMax = niceMax(
      c.lines.flatMap((l) => l.points.map((p) => p?.high ?? 0)),
      ticks,
    );
    const L = axisRoom(yMax, ticks);
    const plot = { x: L, y: 10, w: width - L - 24, h: narrow ? 180 : 240 };
    return [{ width, height: plot.y + plot.h + 30, panels: [panel(plot, { left: 0, right: width }, c.periods, styled, yMax, ticks, { bands: true, markers: false, dashed: false })], legend: [], view: 'single' }];
  }

  // Overview: every line, legend on the right (wide) or below (narrow).
  const ticks = 5;
  const yMax = niceMax(
    c.lines.flatMap((l) => l.points.map((p) => p?.share ?? 0)),
    ticks,
  );
  const L = axisRoom(yMax, ticks);
  const legendWidth = narrow ? width - 8 : 200;
  const plot = { x: L, y: 10, w: width - L - (narrow ? 24 : legendWidth + 24), h: narrow ? 200 : 260 };
  const legendX = narrow ? 8 : plot.x + plot.w + 24;
  const legendY = narrow ? plot.y + plot.h + 40 : plot.y + 4;
  const legend: LegendItem[] = styled.map(({ line, style }, k) => {
    const y = legendY + k * 20;
    const text = fitText(line.label, LEGEND, legendWidth - 40);
    return { style, sample: { x1: legendX, x2: legendX + 28, y }, label: { x: legendX + 36, y: y + 4, text, anchor: 'start', size: LEGEND, ...(text !== line.label && { full: line.label }) } };
  });
  const overviewHeight = narrow ? legendY + styled.length * 20 : Math.max(plot.y + plot.h + 30, legendY + styled.length * 20);
  const overview: SeriesLayout = { width, height: overviewHeight, panels: [panel(plot, { left: 0, right: narrow ? width : plot.x + plot.w + 16 }, c.periods, styled, yMax, ticks, { bands: false, markers: true, dashed: true })], legend, view: 'overview' };

  // Small multiples: one band each, on one scale.
  const cols = narrow ? 2 : 3;
  const gap = narrow ? 12 : 24;
  const panelW = (width - gap * (cols - 1)) / cols;
  const panelH = narrow ? 150 : 170;
  const pticks = 3;
  const pMax = niceMax(
    c.lines.flatMap((l) => l.points.map((p) => p?.high ?? 0)),
    pticks,
  );
  const pl = axisRoom(pMax, pticks);
  const panels = styled.map((s, k) => {
    const px = (k % cols) * (panelW + gap);
    const py = Math.floor(k / cols) * panelH;
    const box = { x: px + pl, y: py + 27, w: panelW - pl - 8, h: panelH - 27 - 30 };
    const title = fitText(s.line.label, TITLE, panelW - 4);
    return { ...panel(box, { left: px, right: px + panelW }, c.periods, [s], pMax, pticks, { bands: true, markers: false, dashed: false }), title: { x: px + 2, y: py + 14, text: title, anchor: 'start' as const, size: TITLE, ...(title !== s.line.label && { full: s.line.label }) } };
  });
  const multiples: SeriesLayout = { width, height: Math.ceil(styled.length / cols) * panelH, panels, legend: [], view: 'multiples' };
  return [overview, multiples];
}

export interface BarsLayout {
  width: number;
  height: number;
  /** x of the zero line. */
  zero: number;
  /** Names on a line of their own above their bars (narrow), else to their left. */
  labelsAbove: boolean;
  rows: { bar: Box; negative: boolean; label: Label; value: Label }[];
  /** Shown instead of bars when there are none. */
  empty?: Label;
}

/**
 * A bar chart at `width` px: each bar's name to its left (wide) or above it (narrow), its value just
 * past its end, in room kept free on both sides so no label is ever drawn over a bar.
 */
export function layoutBars(c: BarChart, width: number): BarsLayout {
  const narrow = width < 600;
  if (c.bars.length === 0) return { width, height: 28, zero: 0, labelsAbove: narrow, rows: [], empty: { x: 0, y: 18, text: '(none)', anchor: 'start', size: AXIS } };
  const digits = c.digits ?? 1;
  const signed = c.unit !== '%' || c.bars.some((b) => b.value < 0);
  const values = c.bars.map((b) => formatBarValue(b.value, c.unit, digits, signed));
  const room = (neg: boolean) => Math.max(0, ...c.bars.map((b, k) => ((b.value < 0) === neg ? textWidth(values[k] as string, AXIS) + 10 : 0)));
  const labelCol = narrow ? 0 : Math.min(Math.round(width * 0.3), Math.max(...c.bars.map((b) => textWidth(b.label, LEGEND))) + 12);
  const min = Math.min(0, ...c.bars.map((b) => b.value));
  const max = Math.max(0, ...c.bars.map((b) => b.value));
  const x = scaleLinear()
    .domain(min === max ? [0, 1] : [min, max])
    .range([labelCol + room(true), width - room(false)]);
  const zero = x(0);
  const row = narrow ? 36 : 24;
  const rows = c.bars.map((b, k) => {
    const top = 4 + k * row;
    const barY = narrow ? top + 17 : top + 3;
    const barH = narrow ? 14 : row - 7;
    const end = x(b.value);
    const negative = b.value < 0;
    const bar = { x: Math.min(zero, end), y: barY, w: Math.abs(end - zero), h: barH };
    const labelMax = narrow ? width : labelCol - 8;
    const text = fitText(b.label, LEGEND, labelMax);
    const label: Label = narrow ? { x: 0, y: top + 12, text, anchor: 'start', size: LEGEND } : { x: labelCol - 8, y: barY + barH / 2 + 4, text, anchor: 'end', size: LEGEND };
    if (text !== b.label) label.full = b.label;
    const value: Label = { x: negative ? end - 4 : end + 4, y: barY + barH / 2 + 4, text: values[k] as string, anchor: negative ? 'end' : 'start', size: AXIS };
    return { bar, negative, label, value };
  });
  return { width, height: 4 + c.bars.length * row + 4, zero, labelsAbove: narrow, rows };
}
