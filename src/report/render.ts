import { cutEnd, cutStart, displayWidth, planColumns, wrapText } from './fit.js';
import { renderHtml } from './html.js';
import { csvCell, markdownText, type ReportModel, type Table, terminalText } from './model.js';

export const REPORT_FORMATS = ['table', 'md', 'csv', 'json', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** ANSI colours in the terminal table (off when NO_COLOR is set or output is not a terminal). */
  color?: boolean;
  /**
   * The terminal's width in columns for the table format: tables give way (cells cut short with …,
   * low-priority columns left out) and prose wraps to it. Undefined: no limit.
   */
  width?: number;
}

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const BOLD = '\u001b[1m';
const RESET = '\u001b[0m';

/** The table with every string made safe for a terminal (our colours are added after). */
function terminalTable(t: Table): Table {
  return { ...t, title: terminalText(t.title), columns: t.columns.map(terminalText), rows: t.rows.map((r) => r.map(terminalText)) };
}

/**
 * One table as terminal lines, fitted to `width` columns when given (see Table.fit); a line under
 * it names the columns left out. Pure; also used for the CLI's own tables.
 */
export function renderTextTable(table: Table, options: { color?: boolean; width?: number; hint?: string } = {}): string[] {
  const color = options.color ?? false;
  const t = terminalTable(table);
  const title = color ? `${BOLD}${t.title}${RESET}` : t.title;
  if (t.rows.length === 0) return [title, '(none)'];
  const natural = t.columns.map((h, i) => Math.max(displayWidth(h), ...t.rows.map((row) => displayWidth(row[i] ?? ''))));
  const latest = new Set(t.fit?.latest ?? []);
  const wrap = new Set(t.fit?.wrap ?? []);
  const whole = new Set(t.fit?.whole ?? []);
  const plan =
    options.width === undefined
      ? { widths: natural as (number | undefined)[], dropped: [] as number[] }
      : planColumns(
          natural.map((n, i) => ({ natural: n, elastic: !t.numeric[i] && !whole.has(i), ...(wrap.has(i) ? { comfortable: PROSE } : i === 0 && { comfortable: NAME }) })),
          options.width,
          GAP.length,
          t.fit?.drop ?? [],
        );
  const shown = plan.widths.flatMap((w, i) => (w === undefined ? [] : [{ i, w }]));
  const cell = (text: string, i: number, w: number) => {
    const cut = displayWidth(text) <= w ? text : latest.has(i) ? cutStart(text, w) : cutEnd(text, w);
    const pad = ' '.repeat(Math.max(0, w - displayWidth(cut)));
    return t.numeric[i] ? pad + cut : cut + pad;
  };
  // A row is one line, or more where a `wrap` cell (prose) runs over its width.
  const line = (cells: string[]) => {
    const wrapped = shown.map(({ i, w }) => (wrap.has(i) && displayWidth(cells[i] ?? '') > w ? wrapText(cells[i] ?? '', w) : [cells[i] ?? '']));
    const height = Math.max(...wrapped.map((c) => c.length));
    return Array.from({ length: height }, (_, k) => shown.map(({ i, w }, j) => cell(wrapped[j]?.[k] ?? '', i, w)).join(GAP).trimEnd()).join('\n');
  };
  const paint = (text: string, k: number) => {
    const dir = t.trend?.[k] ?? 0;
    return color && dir !== 0 ? text.split('\n').map((l) => `${dir > 0 ? GREEN : RED}${l}${RESET}`).join('\n') : text;
  };
  const lines = [title, line(t.columns), shown.map(({ w }) => '-'.repeat(w)).join(GAP), ...t.rows.flatMap((r, k) => paint(line(r), k).split('\n'))];
  if (plan.dropped.length > 0) {
    const names = plan.dropped.map((i) => t.columns[i]).join(', ');
    lines.push(...wrapText(`(left out to fit ${options.width} columns: ${names}; ${options.hint ?? '--format md or csv has them all'})`, options.width ?? Infinity));
  }
  return lines;
}

const GAP = '  ';
/** A column of prose wraps no narrower than this while other columns can still give way... */
const PROSE = 24;
/** ...and the first column (the names a reader scans) is cut no shorter than this. */
const NAME = 16;

function renderTable(m: ReportModel, o: RenderOptions): string {
  const prose = (s: string) => (o.width === undefined ? [terminalText(s)] : wrapText(terminalText(s), o.width));
  const tables = m.tables.flatMap((t) => [...renderTextTable(t, { color: o.color ?? false, ...(o.width !== undefined && { width: o.width }) }), '']);
  return [...prose(m.title), ...m.notes.flatMap(prose), '', ...tables].join('\n').trimEnd();
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
