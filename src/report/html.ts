import { escapeUTF8 } from 'entities';
import { type BarChart, type Chart, type ReportModel, type SeriesChart, TERMINAL_SEQUENCE, type Table } from './model.js';

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

const COLORS = ['#1b6ca8', '#d1495b', '#2e933c', '#edae49', '#6a4c93', '#00798c', '#8d6a9f', '#c05805'];
const fmt = (x: number) => (Math.round(x * 10) / 10).toString();

function seriesSvg(c: SeriesChart): string {
  const W = 760;
  const H = 300;
  const L = 48;
  const R = 170;
  const T = 16;
  const B = 40;
  const n = c.periods.length;
  const max = Math.max(0.01, ...c.lines.flatMap((l) => l.points.map((p) => p?.high ?? 0)));
  const x = (i: number) => L + (n <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1));
  const y = (v: number) => T + (H - T - B) * (1 - v / max);
  const parts: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    parts.push(`<line class="grid" x1="${L}" x2="${W - R}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/><text class="axis" x="${L - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${fmt(v * 100)}%</text>`);
  }
  const step = Math.max(1, Math.ceil(n / 10));
  c.periods.forEach((p, i) => {
    // The last label, unless it would crowd the one before it.
    if (i % step === 0 || (i === n - 1 && i % step >= step / 2)) parts.push(`<text class="axis" x="${fmt(x(i))}" y="${H - B + 16}" text-anchor="middle">${escapeHtml(p)}</text>`);
  });
  c.lines.forEach((line, k) => {
    const color = COLORS[k % COLORS.length] as string;
    // Runs of consecutive periods with postings: a gap breaks the line and its band.
    type Point = { i: number; p: { share: number; low: number; high: number } };
    const runs: Point[][] = [[]];
    for (const [i, p] of line.points.entries()) {
      if (p) (runs[runs.length - 1] as Point[]).push({ i, p });
      else runs.push([]);
    }
    for (const run of runs.filter((r) => r.length > 0)) {
      const upper = run.map(({ i, p }) => `${fmt(x(i))},${fmt(y(p.high))}`);
      const lower = [...run].reverse().map(({ i, p }) => `${fmt(x(i))},${fmt(y(p.low))}`);
      parts.push(`<polygon class="band" fill="${color}" points="${[...upper, ...lower].join(' ')}"/>`);
      parts.push(`<polyline class="line" stroke="${color}" points="${run.map(({ i, p }) => `${fmt(x(i))},${fmt(y(p.share))}`).join(' ')}"/>`);
    }
    parts.push(`<rect x="${W - R + 12}" y="${T + k * 18}" width="10" height="10" fill="${color}"/><text class="legend" x="${W - R + 28}" y="${T + k * 18 + 9}">${escapeHtml(line.label)}</text>`);
  });
  return `<svg class="chart series" role="img" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(c.title)}</title>${parts.join('')}</svg>`;
}

function barsSvg(c: BarChart): string {
  const W = 760;
  const row = 22;
  const L = 220;
  const H = Math.max(1, c.bars.length) * row + 20;
  const max = Math.max(0.1, ...c.bars.map((b) => Math.abs(b.value)));
  const hasNegative = c.bars.some((b) => b.value < 0);
  const zero = hasNegative ? L + (W - L - 60) / 2 : L;
  const scale = (hasNegative ? (W - L - 60) / 2 : W - L - 60) / max;
  const parts = c.bars.map((b, k) => {
    const yy = 10 + k * row;
    const w = Math.abs(b.value) * scale;
    const x0 = b.value < 0 ? zero - w : zero;
    return `<text class="legend" x="${L - 8}" y="${yy + 14}" text-anchor="end">${escapeHtml(b.label)}</text><rect class="bar ${b.value < 0 ? 'neg' : 'pos'}" x="${fmt(x0)}" y="${yy + 2}" width="${fmt(w)}" height="${row - 6}"/><text class="axis" x="${fmt(b.value < 0 ? x0 - 4 : x0 + w + 4)}" y="${yy + 14}" text-anchor="${b.value < 0 ? 'end' : 'start'}">${b.value > 0 && hasNegative ? '+' : ''}${fmt(b.value)} ${escapeHtml(c.unit)}</text>`;
  });
  if (c.bars.length === 0) parts.push(`<text class="axis" x="${L}" y="20">(none)</text>`);
  return `<svg class="chart bars" role="img" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(c.title)}</title><line class="grid" x1="${zero}" x2="${zero}" y1="0" y2="${H}"/>${parts.join('')}</svg>`;
}

function chartHtml(c: Chart): string {
  return `<figure><figcaption>${escapeHtml(c.title)}</figcaption>${c.type === 'series' ? seriesSvg(c) : barsSvg(c)}</figure>`;
}

function tableHtml(t: Table): string {
  const head = t.columns.map((c, i) => `<th${t.numeric[i] ? ' class="num"' : ''}>${escapeHtml(c)}</th>`).join('');
  const rows = t.rows.map((r, k) => {
    const dir = t.trend?.[k] ?? 0;
    return `<tr${dir ? ` class="${dir > 0 ? 'up' : 'down'}"` : ''}>${r.map((c, i) => `<td${t.numeric[i] ? ' class="num"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `<section><h2>${escapeHtml(t.title)}</h2>${t.rows.length ? `<table><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>` : '<p>(none)</p>'}</section>`;
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:900px;color:#222;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.1rem;margin-top:2rem}p.note{color:#555;margin:.2rem 0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #e3e3e3;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}tr.up td:first-child{color:#2e7d32}tr.down td:first-child{color:#c62828}
figure{margin:1.5rem 0}figcaption{font-weight:600;margin-bottom:.4rem}.chart{max-width:100%;height:auto}
.grid{stroke:#e6e6e6}.axis{font-size:11px;fill:#666}.legend{font-size:12px;fill:#333}.line{fill:none;stroke-width:2}.band{opacity:.15;stroke:none}
.bar.pos{fill:#1b6ca8}.bar.neg{fill:#d1495b}`;

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
