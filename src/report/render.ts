import type { DemandReport } from './demand.js';

export const REPORT_FORMATS = ['table', 'md', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pp = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)} pp`;
const BARS = '▁▂▃▄▅▆▇█';

/** A one-line chart of shares, scaled to the largest: ▁▃▅█. Periods with no postings show as a space. */
export function renderSparkline(values: (number | null)[]): string {
  const max = Math.max(0, ...values.map((v) => v ?? 0));
  return values.map((v) => (v === null ? ' ' : BARS[max === 0 ? 0 : Math.min(7, Math.round((v / max) * 7))])).join('');
}

function header(r: DemandReport): string {
  const span = r.periods.length ? `${r.periods[0]} to ${r.periods[r.periods.length - 1]}` : 'no periods';
  return `${r.totalPostings} postings, ${span} (${r.periods.length} ${r.period}${r.periods.length === 1 ? '' : 's'})`;
}

function rows(r: DemandReport): string[][] {
  return r.skills.map((s) => [
    s.name,
    s.category,
    String(s.count),
    pct(s.share),
    s.change ? pct(s.change.fromShare) : '',
    s.change ? pct(s.change.toShare) : '',
    s.change ? pp(s.change.deltaPp) : '',
    renderSparkline(s.series.map((p) => (p.total ? p.share : null))),
  ]);
}

function columns(r: DemandReport): string[] {
  const first = r.periods[0] ?? 'first';
  const last = r.periods[r.periods.length - 1] ?? 'last';
  return ['Skill', 'Category', 'Postings', 'Share', first, last, 'Change', 'Trend'];
}

function renderTable(r: DemandReport): string {
  const head = columns(r);
  const body = rows(r);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const numeric = [false, false, true, true, true, true, true, false];
  const line = (cells: string[]) =>
    cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  return [
    `Skill demand: ${header(r)}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    'Share = postings mentioning the skill / all postings in the period. Change compares the first and last periods.',
  ].join('\n');
}

const mdCell = (s: string) => s.replace(/\|/g, '\\|');

function renderMarkdown(r: DemandReport): string {
  const head = columns(r);
  return [
    '# Skill demand',
    '',
    header(r),
    '',
    `| ${head.join(' | ')} |`,
    `| ${head.map((_, i) => (i >= 2 && i <= 6 ? '---:' : '---')).join(' | ')} |`,
    ...rows(r).map((row) => `| ${row.map(mdCell).join(' | ')} |`),
    '',
    '## Postings per period',
    '',
    '| Period | Postings |',
    '| --- | ---: |',
    ...r.totals.map((t) => `| ${t.period} | ${t.total} |`),
  ].join('\n');
}

const csvCell = (s: string | number) => {
  const v = String(s);
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
};

/** Long format: one row per skill and period. */
function renderCsv(r: DemandReport): string {
  const lines = [['skill_id', 'skill', 'category', 'period', 'count', 'total', 'share'].join(',')];
  for (const s of r.skills) {
    for (const p of s.series) lines.push([s.id, s.name, s.category, p.period, p.count, p.total, p.share].map(csvCell).join(','));
  }
  return lines.join('\n');
}

const RENDERERS: Record<ReportFormat, (r: DemandReport) => string> = {
  table: renderTable,
  md: renderMarkdown,
  csv: renderCsv,
  json: (r) => JSON.stringify(r, null, 2),
};

/** Renders a demand report in one of REPORT_FORMATS. */
export function renderDemandReport(report: DemandReport, format: ReportFormat): string {
  return `${RENDERERS[format](report)}\n`;
}
