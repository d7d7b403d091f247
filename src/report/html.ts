import { escapeUTF8 } from 'entities';
import { BAR_COLORS, type BarsLayout, type Label, layoutBars, layoutSeries, type Marker, NARROW, type Point, type SeriesLayout, type SeriesPanel, WIDE } from './chart-layout.js';
import { type Chart, type ReportModel, TERMINAL_SEQUENCE, type Table } from './model.js';

/** Control characters other than tab, line feed and carriage return, which HTML does not allow. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const HTML_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Escapes text for HTML and SVG (text and quoted attributes): every posting-derived string goes
 * through here. `& < > " '` become entities in one pass (`'` as `&apos;`); control characters
 * (not allowed in HTML) and terminal sequences are removed, line breaks and tabs kept; the rest
 * stays UTF-8.
 */
export function escapeHtml(s: string): string {
  return escapeUTF8(s.replace(TERMINAL_SEQUENCE, '').replace(HTML_CONTROL, ''));
}

const fmt = (x: number) => (Math.round(x * 10) / 10).toString();

function textSvg(l: Label, cls: string): string {
  const anchor = l.anchor === 'start' ? '' : ` text-anchor="${l.anchor}"`;
  // A label cut to fit keeps its whole text as a tooltip.
  const tip = l.full ? `<title>${escapeHtml(l.full)}</title>` : '';
  return `<text class="${cls}" x="${fmt(l.x)}" y="${fmt(l.y)}"${anchor}>${tip}${escapeHtml(l.text)}</text>`;
}

function markerSvg(m: Marker, p: Point, color: string): string {
  const r = 3.5;
  const { x, y } = p;
  const poly = (pts: [number, number][]) => `<polygon class="marker" fill="${color}" points="${pts.map(([a, b]) => `${fmt(x + a)},${fmt(y + b)}`).join(' ')}"/>`;
  switch (m) {
    case 'circle':
      return `<circle class="marker" fill="${color}" cx="${fmt(x)}" cy="${fmt(y)}" r="${r}"/>`;
    case 'square':
      return `<rect class="marker" fill="${color}" x="${fmt(x - r)}" y="${fmt(y - r)}" width="${2 * r}" height="${2 * r}"/>`;
    case 'triangle':
      return poly([
        [0, -r - 1],
        [r + 0.5, r],
        [-r - 0.5, r],
      ]);
    case 'triangle-down':
      return poly([
        [0, r + 1],
        [r + 0.5, -r],
        [-r - 0.5, -r],
      ]);
    case 'diamond':
      return poly([
        [0, -r - 1],
        [r + 1, 0],
        [0, r + 1],
        [-r - 1, 0],
      ]);
    case 'cross':
      return `<path class="marker-stroke" stroke="${color}" d="M${fmt(x - r)},${fmt(y - r)}L${fmt(x + r)},${fmt(y + r)}M${fmt(x - r)},${fmt(y + r)}L${fmt(x + r)},${fmt(y - r)}"/>`;
    case 'plus':
      return `<path class="marker-stroke" stroke="${color}" d="M${fmt(x - r - 1)},${fmt(y)}L${fmt(x + r + 1)},${fmt(y)}M${fmt(x)},${fmt(y - r - 1)}L${fmt(x)},${fmt(y + r + 1)}"/>`;
  }
}

function panelSvg(p: SeriesPanel): string {
  const parts: string[] = [];
  if (p.title) parts.push(textSvg(p.title, 'panel-title'));
  for (const t of p.yTicks) parts.push(`<line class="grid" x1="${fmt(p.plot.x)}" x2="${fmt(p.plot.x + p.plot.w)}" y1="${fmt(t.y)}" y2="${fmt(t.y)}"/>${textSvg(t.label, 'axis y')}`);
  for (const t of p.xTicks) parts.push(textSvg(t.label, 'axis'));
  for (const line of p.lines) {
    const { color, dash } = line.style;
    const dashAttr = line.dashed && dash ? ` stroke-dasharray="${dash}"` : '';
    for (const run of line.runs) {
      if (run.band) {
        const upper = run.band.map((b) => `${fmt(b.x)},${fmt(b.high)}`);
        const lower = [...run.band].reverse().map((b) => `${fmt(b.x)},${fmt(b.low)}`);
        parts.push(`<polygon class="band" fill="${color}" points="${[...upper, ...lower].join(' ')}"/>`);
      }
      // A period alone between gaps is a dot (or its marker): a line needs two points.
      const only = run.points[0];
      if (run.points.length === 1 && only) {
        if (line.markers.length === 0) parts.push(`<circle class="dot" fill="${color}" cx="${fmt(only.x)}" cy="${fmt(only.y)}" r="3"/>`);
      } else parts.push(`<polyline class="line" stroke="${color}"${dashAttr} points="${run.points.map((q) => `${fmt(q.x)},${fmt(q.y)}`).join(' ')}"/>`);
    }
    for (const m of line.markers) parts.push(markerSvg(line.style.marker, m, color));
  }
  return parts.join('');
}

function seriesSvg(l: SeriesLayout, title: string, cls: string): string {
  const legend = l.legend.map((item) => {
    const { x1, x2, y } = item.sample;
    const dash = item.style.dash ? ` stroke-dasharray="${item.style.dash}"` : '';
    return `<line class="line" stroke="${item.style.color}"${dash} x1="${fmt(x1)}" x2="${fmt(x2)}" y1="${fmt(y)}" y2="${fmt(y)}"/>${markerSvg(item.style.marker, { x: (x1 + x2) / 2, y }, item.style.color)}${textSvg(item.label, 'legend')}`;
  });
  return `<svg class="chart series ${cls}" role="img" viewBox="0 0 ${l.width} ${fmt(l.height)}" width="${l.width}" height="${fmt(l.height)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${l.panels.map(panelSvg).join('')}${legend.join('')}</svg>`;
}

function barsSvg(l: BarsLayout, title: string, cls: string): string {
  const parts = l.rows.map(
    (r) =>
      `${textSvg(r.label, 'legend')}<rect class="bar ${r.negative ? 'neg' : 'pos'}" fill="${r.negative ? BAR_COLORS.neg : BAR_COLORS.pos}" x="${fmt(r.bar.x)}" y="${fmt(r.bar.y)}" width="${fmt(r.bar.w)}" height="${fmt(r.bar.h)}"/>${textSvg(r.value, 'axis')}`,
  );
  if (l.empty) parts.push(textSvg(l.empty, 'axis'));
  // Where names sit above their bars (narrow), the zero line runs beside the bars only, never through a name.
  const spans = l.empty ? [] : l.labelsAbove ? l.rows.map((r) => [r.bar.y - 2, r.bar.y + r.bar.h + 2]) : [[0, l.height]];
  const zero = spans.map(([a, b]) => `<line class="zero" x1="${fmt(l.zero)}" x2="${fmt(l.zero)}" y1="${fmt(a as number)}" y2="${fmt(b as number)}"/>`).join('');
  return `<svg class="chart bars ${cls}" role="img" viewBox="0 0 ${l.width} ${fmt(l.height)}" width="${l.width}" height="${fmt(l.height)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${zero}${parts.join('')}</svg>`;
}

/** Both layouts of a chart: CSS shows the wide one on a wide screen and the narrow one on a phone. */
function chartHtml(c: Chart): string {
  if (c.type === 'bars') return `<figure><figcaption>${escapeHtml(c.title)}</figcaption>${barsSvg(layoutBars(c, WIDE), c.title, 'wide')}${barsSvg(layoutBars(c, NARROW), c.title, 'narrow')}</figure>`;
  const wide = layoutSeries(c, WIDE);
  const narrow = layoutSeries(c, NARROW);
  const views = wide.map((w, k) => {
    const caption = w.view === 'multiples' ? '<p class="caption">Each alone, shaded: its 95% interval; the same scale in every panel.</p>' : '';
    return `${caption}${seriesSvg(w, c.title, 'wide')}${seriesSvg(narrow[k] as SeriesLayout, c.title, 'narrow')}`;
  });
  return `<figure><figcaption>${escapeHtml(c.title)}</figcaption>${views.join('')}</figure>`;
}

function tableHtml(t: Table): string {
  const head = t.columns.map((c, i) => `<th${t.numeric[i] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const rows = t.rows.map((r, k) => {
    const dir = t.trend?.[k] ?? 0;
    // A date or a period ("2026-10-28", "2026-W07") never breaks at its hyphens.
    const cls = (c: string, i: number) => (t.numeric[i] ? ' class="num"' : /^\d{4}-[\dW]{2,3}(?:-\d{2})?$/.test(c) ? ' class="date"' : '');
    return `<tr${dir ? ` class="${dir > 0 ? 'up' : 'down'}"` : ''}>${r.map((c, i) => `<td${cls(c, i)}>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `<section><h2>${escapeHtml(t.title)}</h2>${t.rows.length ? `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>` : '<p>(none)</p>'}</section>`;
}

// Each chart comes in two layouts (chart-layout.ts): the narrow one on screens under 720 px, where
// the wide one would shrink its text below reading size. A wide table scrolls in its own box.
const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:900px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}p.note{color:#555;margin:.2rem 0}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #e3e3e3;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.date{white-space:nowrap}tr.up td:first-child{color:#0072b2}tr.down td:first-child{color:#d55e00}
figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.4rem}p.caption{color:#555;margin:1rem 0 .4rem;font-size:13px}
.chart{display:block;max-width:100%;height:auto;font-family:inherit}.chart.narrow{display:none}
@media (max-width:719px){.chart.wide{display:none}.chart.narrow{display:block}}
.grid{stroke:#e6e6e6}.zero{stroke:#999}.axis{font-size:11px;fill:#555}.legend{font-size:12px;fill:#222}.panel-title{font-size:12px;font-weight:600;fill:#222}
.line{fill:none;stroke-width:2}.band{opacity:.2;stroke:none}.marker-stroke{fill:none;stroke-width:1.8}`;

/** One self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched. Every string escaped. */
export function renderHtml(m: ReportModel): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(m.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(m.title)}</h1>
${m.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join('\n')}
${m.charts.map(chartHtml).join('\n')}
${m.tables.map(tableHtml).join('\n')}
<p class="note">Made by skillpulse.</p>
</body>
</html>`;
}
