/** Reporting periods: a posting counts in the period of its date (YYYY-MM-DD). */
export const PERIOD_KINDS = ['week', 'month', 'quarter', 'year'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The period key of a date: 2026-03 (month), 2026-W09 (ISO week), 2026-Q1, 2026. */
export function periodOf(date: string, kind: PeriodKind): string {
  const y = date.slice(0, 4);
  const m = Number(date.slice(5, 7));
  if (kind === 'month') return date.slice(0, 7);
  if (kind === 'year') return y;
  if (kind === 'quarter') return `${y}-Q${Math.ceil(m / 3)}`;
  return isoWeek(date);
}

function isoWeek(date: string): string {
  const d = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  // The week belongs to the year of its Thursday.
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The first day (YYYY-MM-DD) of a period key: 2026-03 -> 2026-03-01, 2026-W10 -> its Monday. */
export function periodStart(key: string): string {
  if (/^\d{4}$/.test(key)) return `${key}-01-01`;
  const q = /^(\d{4})-Q([1-4])$/.exec(key);
  if (q) return `${q[1]}-${String((Number(q[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  const w = /^(\d{4})-W(\d{2})$/.exec(key);
  if (w) {
    const jan4 = new Date(Date.UTC(Number(w[1]), 0, 4));
    const monday = new Date(jan4.getTime() - ((jan4.getUTCDay() + 6) % 7) * 86_400_000 + (Number(w[2]) - 1) * 7 * 86_400_000);
    return monday.toISOString().slice(0, 10);
  }
  return `${key}-01`;
}

/** Every period from `first` to `last` inclusive, so empty periods show as gaps, not vanish. */
export function periodRange(first: string, last: string, kind: PeriodKind): string[] {
  const out: string[] = [];
  const d = new Date(`${periodStart(first)}T00:00:00Z`);
  for (let guard = 0; guard < 10_000; guard++) {
    const key = periodOf(d.toISOString().slice(0, 10), kind);
    if (out[out.length - 1] !== key) out.push(key);
    if (key === last) break;
    if (kind === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else if (kind === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
    else d.setUTCMonth(d.getUTCMonth() + (kind === 'quarter' ? 3 : 1));
  }
  return out;
}

const PERIOD_KEY = /^\d{4}(?:-(?:0[1-9]|1[0-2])|-Q[1-4]|-W(?:0[1-9]|[1-4]\d|5[0-3]))?$/;

/** Whether a string is a period key: 2026, 2026-03, 2026-Q1 or 2026-W09. */
export function isPeriodKey(key: string): boolean {
  return PERIOD_KEY.test(key);
}

/** The last day (YYYY-MM-DD) of a period key: 2026-02 -> 2026-02-28, 2026-W10 -> its Sunday. */
export function periodEnd(key: string): string {
  const d = new Date(`${periodStart(key)}T00:00:00Z`);
  if (/-W/.test(key)) d.setUTCDate(d.getUTCDate() + 7);
  else if (/^\d{4}$/.test(key)) d.setUTCFullYear(d.getUTCFullYear() + 1);
  else d.setUTCMonth(d.getUTCMonth() + (/-Q/.test(key) ? 3 : 1));
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
