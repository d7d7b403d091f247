/**
 * A posting date from what sources give: ISO 8601 strings, or epoch seconds or milliseconds
 * (as numbers or digit strings). Returns an ISO 8601 UTC timestamp, or undefined when the value
 * is not a date.
 */
export function parseDate(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return fromEpoch(value);
  if (typeof value !== 'string') return undefined;
  const s = value.trim();
  if (/^\d{9,13}$/.test(s)) return fromEpoch(Number(s));
  if (!/^\d{4}-\d{2}(?:-\d{2})?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(s)) return undefined;
  const d = new Date(s.length === 7 ? `${s}-01` : s.replace(' ', 'T'));
  if (Number.isNaN(d.getTime())) return undefined;
  // Reject dates Date silently rolls over ("2026-02-31").
  const [y, m, day] = s.slice(0, 10).split('-').map(Number);
  if (day !== undefined && !Number.isNaN(day) && s.length >= 10 && !/[T ]/.test(s)) {
    if (d.getUTCFullYear() !== y || d.getUTCMonth() + 1 !== m || d.getUTCDate() !== day) return undefined;
  }
  return d.toISOString();
}

function fromEpoch(n: number): string | undefined {
  // Ten-digit values are seconds, thirteen-digit ones milliseconds (Lever's createdAt).
  const ms = n < 1e11 ? n * 1000 : n;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) || ms < 0 ? undefined : d.toISOString();
}

/** The posted dates taken as real: from `earliest` (YYYY-MM-DD) to `maxDaysAhead` days after now. */
export interface DateRange {
  earliest: string;
  maxDaysAhead: number;
}

export const DEFAULT_DATE_RANGE: DateRange = { earliest: '1990-01-01', maxDaysAhead: 365 };

/**
 * Why a posted date (ISO 8601) is outside the range, or undefined when it is inside: a date from
 * 1970 or 2999 would stretch every report over decades of empty periods.
 */
export function dateOutOfRange(iso: string, range: DateRange, now: string): string | undefined {
  const t = Date.parse(iso);
  const earliest = Date.parse(`${range.earliest}T00:00:00Z`);
  const latest = Date.parse(now) + range.maxDaysAhead * 86_400_000;
  if (t >= earliest && t <= latest) return undefined;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `posted date ${iso.replace(/T00:00:00\.000Z$/, '')} is outside ${range.earliest} to ${day(latest)} (${range.maxDaysAhead} days ahead); ignored`;
}
