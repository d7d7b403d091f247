/** What every report kind produces, for the renderers: tables for text formats, charts for HTML, data for JSON. */

export interface Table {
  title: string;
  columns: string[];
  /** Columns holding numbers (right-aligned). */
  numeric: boolean[];
  rows: string[][];
  /** Per row: +1 rising, -1 falling, 0 neither (coloured in a terminal). */
  trend?: number[];
  /**
   * How the table gives way in a narrow terminal: text columns are cut short with … (numbers never
   * are); `drop` lists the columns left out, in that order, when cutting is not enough; `latest`
   * columns (sparklines) are cut at the start so the latest periods stay; `wrap` columns (prose)
   * wrap onto more lines instead; `whole` columns are never cut. The rightmost text gives way first.
   */
  fit?: { drop?: number[]; latest?: number[]; wrap?: number[]; whole?: number[] };
}

export interface SeriesChart {
  type: 'series';
  title: string;
  periods: string[];
  lines: { label: string; points: ({ share: number; low: number; high: number } | null)[] }[];
}

export interface BarChart {
  type: 'bars';
  title: string;
  /** Values in percentage points or percent, signed. */
  bars: { label: string; value: number }[];
  /** `%` is written after the number ("93.5%"), any other unit after a space ("+11.8 pp"). */
  unit: string;
  /** Decimals of the value labels (1 unless said). */
  digits?: number;
}

export type Chart = SeriesChart | BarChart;

export interface ReportModel {
  kind: string;
  title: string;
  /** One-line descriptions: scope, denominators, method. */
  notes: string[];
  tables: Table[];
  charts: Chart[];
  /** The JSON contract of the kind (documented in the README). */
  data: unknown;
  /** The kind's one table for CSV (long format for series). */
  csv: { columns: string[]; rows: (string | number)[][] };
}

// Text from postings and taxonomies goes into terminals, Markdown and spreadsheets: each output
// gets it only through its own rule below (HTML has escapeHtml), so no posting can write markup,
// links, formulas or terminal control sequences into a report.

/** Escape sequences a terminal acts on: CSI, and OSC, DCS, SOS, PM, APC strings up to their end (BEL or ST). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
export const TERMINAL_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[\s\S]?/g;
const LINE_BREAKING = /\r\n|[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Other C0 controls (BEL, BS, ...), DEL and the C1 controls (U+009B is a CSI of its own). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * One line of text a terminal shows as it is: escape sequences (colours, OSC titles and links,
 * cursor moves) and control characters (ESC, CR, BEL, ...) removed, line breaks and tabs made
 * spaces. Our own colours are added after it. Pure.
 */
export function terminalText(s: string): string {
  return s.replace(TERMINAL_SEQUENCE, '').replace(LINE_BREAKING, ' ').replace(CONTROL, '');
}

/** terminalText for each line of a message that spans several. */
export function terminalLines(s: string): string {
  return s.split('\n').map(terminalText).join('\n');
}

/**
 * Text for Markdown that reads as the same text and is never markup: on one line, without
 * terminal control sequences (a Markdown file is often read with `cat`), with backslash escapes
 * for what could make emphasis, code, links, tables or raw HTML (`<` where it could open a tag, a
 * comment or an autolink; `&` where it could start an entity). Pure.
 */
export function markdownText(s: string): string {
  return terminalText(s)
    .replace(/[\\`*_[\]|]/g, '\\$&')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
}

/** Cells a spreadsheet would run as a formula (OWASP: `= + - @`, tab, CR first): a leading `'` keeps them text. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell: terminal control sequences removed (line breaks and tabs kept), text that could start a
 * formula neutralized, quoted where CSV needs it; numbers as they are. Pure.
 */
export function csvCell(v: string | number): string {
  if (typeof v === 'number') return String(v);
  const text = v.split(/(\r\n|[\n\r\t])/).map((part, k) => (k % 2 === 0 ? terminalText(part) : part)).join('');
  const s = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
