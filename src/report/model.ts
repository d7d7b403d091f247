/** What every report kind produces, for the renderers: tables for text formats, charts for HTML, data for JSON. */

export interface Table {
  title: string;
  columns: string[];
  /** Columns holding numbers (right-aligned). */
  numeric: boolean[];
  rows: string[][];
  /** Per row: +1 rising, -1 falling, 0 neither (coloured in a terminal). */
  trend?: number[];
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
  unit: string;
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
