import { renderHtml } from './html.js';
import { csvCell, markdownText, type ReportModel, type Table, terminalText } from './model.js';

export const REPORT_FORMATS = ['table', 'md', 'csv', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colours in the terminal table (off when NO_COLOR is set or output is not a terminal). */
  color?: boolean;
}

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** The table with every string made safe for a terminal (our colours are added after). */
function terminalTable(t: Table): Table {
  return { ...t, title: terminalText(t.title), columns: t.columns.map(terminalText), rows: t.rows.map((r) => r.map(terminalText)) };
}

function renderTextTable(table: Table, color: boolean): string[] {
  const t = terminalTable(table);
  const widths = t.columns.map((h, i) => Math.max(h.length, ...t.rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (t.numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  const paint = (text: string, k: number) => {
    const dir = t.trend?.[k] ?? 0;
    return color && dir !== 0 ? `${dir > 0 ? GREEN : RED}${text}${RESET}` : text;
  };
  if (t.rows.length === 0) return [color ? `${BOLD}${t.title}${RESET}` : t.title, '(none)'];
  return [color ? `${BOLD}${t.title}${RESET}` : t.title, line(t.columns), line(widths.map((w) => '-'.repeat(w))), ...t.rows.map((r, k) => paint(line(r), k))];
}

function renderTable(m: ReportModel, o: RenderOptions): string {
  return [terminalText(m.title), ...m.notes.map(terminalText), '', ...m.tables.flatMap((t) => [...renderTextTable(t, o.color ?? false), ''])].join('\n').trimEnd();
}

function renderMarkdown(m: ReportModel): string {
  const out = [`# ${markdownText(m.title)}`, '', ...m.notes.map((n) => `${markdownText(n)}  `), ''];
  for (const t of m.tables) {
    out.push(`## ${markdownText(t.title)}`, '');
    if (t.rows.length === 0) {
      out.push('(none)', '');
      continue;
    }
    out.push(`| ${t.columns.map(markdownText).join(' | ')} |`, `| ${t.numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`);
    for (const r of t.rows) out.push(`| ${r.map(markdownText).join(' | ')} |`);
    out.push('');
  }
  return out.join('\n').trimEnd();
}

function renderCsv(m: ReportModel): string {
  return [m.csv.columns.join(','), ...m.csv.rows.map((r) => r.map(csvCell).join(','))].join('\n');
}

const RENDERERS: Record<ReportFormat, (m: ReportModel, o: RenderOptions) => string> = {
  table: renderTable,
  md: renderMarkdown,
  csv: renderCsv,
  json: (m) => JSON.stringify({ kind: m.kind, ...(m.data as object) }, null, 2),
  html: renderHtml,
};

/** Renders a report model in one of REPORT_FORMATS. Pure. */
export function renderReport(model: ReportModel, format: ReportFormat, options: RenderOptions = {}): string {
  return `${RENDERERS[format](model, options)}\n`;
}
