import { InvalidParameterError } from '../errors.js';
import { PERIOD_KINDS, type PeriodKind } from '../periods.js';
import type { ReportFilters, Store } from '../store/store.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { findSkill } from '../taxonomy/find.js';
import type { SkillMeta } from '../types.js';
import { reportKinds } from './report.js';

// One reading of a report's parameters for every entry point: `report` reads them from argv
// (named `--since`), serve from a query string and mcp from tool arguments (named `since`). Each
// passes `name`, which says how its caller spells a parameter, so an error names what was typed.

/** A report's parameters as strings, as a command line or a query string gives them. */
export interface ReportQuery {
  kind?: string | undefined;
  period?: string | undefined;
  top?: string | undefined;
  minSupport?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  source?: string | undefined;
  company?: string | undefined;
  location?: string | undefined;
  remote?: string | undefined;
  category?: string | undefined;
  skill?: string | undefined;
  requirement?: string | undefined;
  unique?: boolean | undefined;
}

/** How a caller spells a parameter in messages: `--min-support` on the command line, `minSupport` in a URL. */
export type ParameterName = (key: keyof ReportQuery) => string;

export const cliName: ParameterName = (key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
export const plainName: ParameterName = (key) => key;

export interface ParsedReportQuery {
  kind: string;
  period: PeriodKind;
  filters: ReportFilters;
  /** Undefined: every skill (`top` 0). */
  top: number | undefined;
  minSupport: number | undefined;
}

/** `value` if it is one of `allowed`, `fallback` if there is none; else an error naming the choices. */
export function oneOfParameter<T extends string>(value: string | undefined, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new InvalidParameterError(name, `${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

/** A whole number of 1 or more, or undefined when not given. */
export function positiveIntParameter(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidParameterError(name, `${name} must be a whole number of 1 or more (got "${value}")`);
  return Number(value);
}

const DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** 2026-03 or 2026-03-01, a day that exists (2026-02-30 does not). */
export function isCalendarDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 1 : Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return month >= 1 && month <= 12 && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** `since` and `until` checked (real days, in order) and made whole days: 2026-03 is 2026-03-01 and 2026-03-31. */
export function parseDateRange(since: string | undefined, until: string | undefined, name: ParameterName): { since?: string; until?: string } {
  for (const [key, v] of [['since', since], ['until', until]] as const) {
    if (v !== undefined && !isCalendarDate(v)) throw new InvalidParameterError(name(key), `${name(key)} must be a date like 2026-03-01 or 2026-03 (got "${v}")`);
  }
  if (since && until && since > until) throw new InvalidParameterError(name('since'), `${name('since')} ${since} is after ${name('until')} ${until}`);
  return { ...(since && { since: since.length === 7 ? `${since}-01` : since }), ...(until && { until: until.length === 7 ? `${until}-31` : until }) };
}

/**
 * Checks a report's parameters and reads them into a request: the kind, the period, the filters,
 * `top` (default 25, 0 for all) and the minimum support. Pure: what needs the database (the
 * categories, sources and skills it holds) is checked by checkReportFilters.
 */
export function parseReportQuery(q: ReportQuery, name: ParameterName): ParsedReportQuery {
  const kind = oneOfParameter(q.kind, reportKinds().map((k) => k.name), name('kind'), 'summary');
  const period: PeriodKind = oneOfParameter(q.period, PERIOD_KINDS, name('period'), 'month');
  const remote = q.remote === undefined ? undefined : oneOfParameter(q.remote, ['yes', 'no'] as const, name('remote'), 'yes') === 'yes';
  const filters: ReportFilters = {
    ...parseDateRange(q.since, q.until, name),
    ...(q.source && { source: q.source }),
    ...(q.company && { company: q.company }),
    ...(q.location && { location: q.location }),
    ...(remote !== undefined && { remote }),
    ...(q.category && { category: q.category }),
    ...(q.skill && { skill: q.skill }),
    ...(q.requirement && { requirement: oneOfParameter(q.requirement, ['required', 'preferred', 'any'] as const, name('requirement'), 'any') }),
    ...(q.unique && { unique: true }),
  };
  const top = q.top === '0' ? undefined : (positiveIntParameter(q.top, name('top')) ?? 25);
  return { kind, period, filters, top, minSupport: positiveIntParameter(q.minSupport, name('minSupport')) };
}

/**
 * The filters checked against the database (issue 15: an unknown --category or --source gave an
 * empty report): each unknown value is an error naming the choices. The skill filter resolves
 * aliases: `filters.skill` becomes the id stored.
 */
export async function checkReportFilters(store: Store, skills: SkillMeta[], filters: ReportFilters, taxonomy: () => CompiledTaxonomy, name: ParameterName): Promise<void> {
  if (filters.category !== undefined) {
    const categories = [...new Set(skills.map((s) => s.category))].sort();
    if (!categories.includes(filters.category))
      throw new InvalidParameterError(name('category'), `${name('category')} "${filters.category}" is not a category here; one of: ${categories.join(', ') || '(none: the database is empty)'}`);
  }
  if (filters.source !== undefined) {
    const choices = await sourceChoices(store);
    if (!choices.includes(filters.source))
      throw new InvalidParameterError(name('source'), `${name('source')} "${filters.source}" names no source of this database; one of: ${choices.join(', ') || '(none: the database is empty)'}`);
  }
  if (filters.skill !== undefined) filters.skill = resolveSkill(skills, filters.skill, taxonomy, name('skill'));
}

/** What a source filter may name: every stored source, and each kind (`greenhouse` for `greenhouse:acme`). */
export async function sourceChoices(store: Store): Promise<string[]> {
  const stored = await store.readSources();
  return [...new Set([...stored, ...stored.map((s) => s.split(':')[0] as string)])].sort();
}

/** A skill id, alias or name (as `taxonomy show` takes them) -> the id stored in the database; an error naming close ids when there is none. */
export function resolveSkill(skills: SkillMeta[], query: string, taxonomy: () => CompiledTaxonomy, name: string): string {
  if (skills.some((s) => s.id === query)) return query;
  const found = findSkill(taxonomy().taxonomy, query);
  if (found && skills.some((s) => s.id === found.id)) return found.id;
  const q = query.toLowerCase();
  const close = skills.filter((s) => s.id.includes(q) || s.name.toLowerCase().includes(q)).slice(0, 10).map((s) => s.id);
  throw new InvalidParameterError(
    name,
    `${name}: no skill "${query}" in this database${close.length ? `; did you mean: ${close.join(', ')}` : ''} (skillpulse taxonomy list shows every id, skillpulse taxonomy show <alias> finds one)`,
  );
}
