import { StopBeforeWorkError } from '../errors.js';
import type { RawPosting } from '../types.js';
import { DEFAULT_DATE_RANGE, type DateRange, dateOutOfRange } from './dates.js';
import { bodyToText } from './posting.js';

/** What one input may hold before it is refused: so that no file or posting stalls a batch. */
export interface InputLimits {
  /** A file read whole (all but JSON lines, which are streamed), standard input, or one JSON line: larger is refused. */
  maxFileBytes: number;
  /** A posting's text, in characters: longer is refused. */
  maxPostingChars: number;
  /**
   * The longest one posting's extraction may take on a worker thread: a posting that takes longer
   * fails alone and the batch goes on. (Extraction time grows linearly with the text; this guards
   * against what no one foresaw.)
   */
  maxPostingMs: number;
  /** Posted dates outside this range are dropped with a warning; the posting counts on the day it was seen. */
  dates: DateRange;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxFileBytes: 100 * 1024 * 1024, maxPostingChars: 500_000, maxPostingMs: 30_000, dates: DEFAULT_DATE_RANGE };

/** The environment variables that change the limits (README, "Security and limits"). */
export const LIMIT_VARIABLES = {
  maxFileMb: 'SKILLPULSE_MAX_FILE_MB',
  maxPostingChars: 'SKILLPULSE_MAX_POSTING_CHARS',
  maxPostingSeconds: 'SKILLPULSE_MAX_POSTING_SECONDS',
  earliestDate: 'SKILLPULSE_EARLIEST_DATE',
  maxDaysAhead: 'SKILLPULSE_MAX_DAYS_AHEAD',
} as const;

/** The limits, with any the environment sets; a value that is not a valid number or date stops before any work. */
export function limitsFromEnv(env: Record<string, string | undefined>): InputLimits {
  const number = (name: string, fallback: number, min: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!/^\d+(?:\.\d+)?$/.test(value.trim()) || !(n >= min)) throw new StopBeforeWorkError(`${name} must be a number of ${min} or more (got "${value}")`);
    return n;
  };
  const earliest = env[LIMIT_VARIABLES.earliestDate] || DEFAULT_DATE_RANGE.earliest;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(earliest) || Number.isNaN(Date.parse(`${earliest}T00:00:00Z`))) {
    throw new StopBeforeWorkError(`${LIMIT_VARIABLES.earliestDate} must be a date like 1990-01-01 (got "${earliest}")`);
  }
  return {
    maxFileBytes: Math.round(number(LIMIT_VARIABLES.maxFileMb, DEFAULT_INPUT_LIMITS.maxFileBytes / 1024 / 1024, 0.001) * 1024 * 1024),
    maxPostingChars: Math.round(number(LIMIT_VARIABLES.maxPostingChars, DEFAULT_INPUT_LIMITS.maxPostingChars, 1)),
    maxPostingMs: Math.round(number(LIMIT_VARIABLES.maxPostingSeconds, DEFAULT_INPUT_LIMITS.maxPostingMs / 1000, 0.01) * 1000),
    dates: { earliest, maxDaysAhead: number(LIMIT_VARIABLES.maxDaysAhead, DEFAULT_DATE_RANGE.maxDaysAhead, 0) },
  };
}

export type ScreenedPosting = { ok: true; raw: RawPosting; warnings: string[] } | { ok: false; reason: string };

/**
 * A raw posting checked against the limits before it is analyzed: refused when its text is too
 * long, its posted date dropped (with a warning) when outside the range. `now` is the run's time.
 */
export function screenPosting(raw: RawPosting, limits: Pick<InputLimits, 'maxPostingChars' | 'dates'>, now: string): ScreenedPosting {
  const tooLong = textTooLong(raw, limits.maxPostingChars);
  if (tooLong) return { ok: false, reason: tooLong };
  const postedAt = raw.hints.postedAt;
  const outside = postedAt === undefined ? undefined : dateOutOfRange(postedAt, limits.dates, now);
  if (!outside) return { ok: true, raw, warnings: [] };
  const { postedAt: _dropped, ...hints } = raw.hints;
  return { ok: true, raw: { ...raw, hints }, warnings: [outside] };
}

/** Why the posting's text is too long, or undefined. Its text is never longer than its body, so most postings need no conversion. */
function textTooLong(raw: RawPosting, max: number): string | undefined {
  if (raw.body.length <= max) return undefined;
  const chars = raw.contentType === 'text/html' ? bodyToText(raw).length : raw.body.length;
  if (chars <= max) return undefined;
  return `posting text is ${chars.toLocaleString('en-US')} characters, over the limit of ${max.toLocaleString('en-US')} (${LIMIT_VARIABLES.maxPostingChars}); not analyzed`;
}
