import { describe, expect, it } from 'vitest';
import { StopBeforeWorkError } from '../../src/errors.js';
import { DEFAULT_DATE_RANGE, dateOutOfRange } from '../../src/normalize/dates.js';
import { DEFAULT_INPUT_LIMITS, limitsFromEnv, screenPosting } from '../../src/normalize/limits.js';
import type { RawPosting } from '../../src/types.js';

const NOW = '2026-06-01T00:00:00.000Z';
const raw = (body: string, postedAt?: string, contentType: RawPosting['contentType'] = 'text/plain'): RawPosting => ({
  source: 'file',
  externalId: 'p.jsonl#1',
  fetchedAt: NOW,
  contentType,
  body,
  hints: { title: 'T', ...(postedAt !== undefined && { postedAt }) },
  origin: 'p.jsonl:1',
});

// Issue 14, item 9: a date from 1970 (epoch 0) or 2999 stretched reports over thousands of periods.
describe('dateOutOfRange', () => {
  it.each([
    ['1990-01-01T00:00:00.000Z', undefined],
    ['2026-05-31T12:00:00.000Z', undefined],
    ['2027-06-01T00:00:00.000Z', undefined],
    ['1970-01-01T00:00:00.000Z', 'posted date 1970-01-01 is outside 1990-01-01 to 2027-06-01 (365 days ahead); ignored'],
    ['1989-12-31T23:59:59.000Z', 'posted date 1989-12-31T23:59:59.000Z is outside 1990-01-01 to 2027-06-01 (365 days ahead); ignored'],
    ['2027-06-02T00:00:00.000Z', 'posted date 2027-06-02 is outside 1990-01-01 to 2027-06-01 (365 days ahead); ignored'],
    ['+033658-09-27T01:46:40.000Z', expect.stringMatching(/^posted date \+033658-09-27T01:46:40.000Z is outside/)],
  ])('%s', (iso, expected) => {
    expect(dateOutOfRange(iso, DEFAULT_DATE_RANGE, NOW)).toEqual(expected);
  });

  it('takes another range', () => {
    expect(dateOutOfRange('1985-06-01T00:00:00.000Z', { earliest: '1980-01-01', maxDaysAhead: 0 }, NOW)).toBeUndefined();
    expect(dateOutOfRange('2026-06-02T00:00:00.000Z', { earliest: '1980-01-01', maxDaysAhead: 0 }, NOW)).toMatch(/outside 1980-01-01 to 2026-06-01/);
  });
});

describe('screenPosting', () => {
  it('drops a posted date outside the range with a warning, and keeps the posting', () => {
    expect(screenPosting(raw('Python', '1970-01-01T00:00:00.000Z'), DEFAULT_INPUT_LIMITS, NOW)).toEqual({
      ok: true,
      raw: raw('Python'),
      warnings: ['posted date 1970-01-01 is outside 1990-01-01 to 2027-06-01 (365 days ahead); ignored'],
    });
    const fine = raw('Python', '2026-01-01T00:00:00.000Z');
    expect(screenPosting(fine, DEFAULT_INPUT_LIMITS, NOW)).toEqual({ ok: true, raw: fine, warnings: [] });
  });

  it('refuses a posting whose text is over the limit, naming the limit', () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxPostingChars: 1000 };
    expect(screenPosting(raw('x'.repeat(1001)), limits, NOW)).toEqual({
      ok: false,
      reason: 'posting text is 1,001 characters, over the limit of 1,000 (SKILLPULSE_MAX_POSTING_CHARS); not analyzed',
    });
    expect(screenPosting(raw('x'.repeat(1000)), limits, NOW).ok).toBe(true);
  });

  it('counts the text of an HTML body, not its markup', () => {
    const limits = { ...DEFAULT_INPUT_LIMITS, maxPostingChars: 1000 };
    const page = `<html><head><script>${'var a = 1;'.repeat(500)}</script></head><body><p>Python</p></body></html>`;
    expect(screenPosting(raw(page, undefined, 'text/html'), limits, NOW).ok).toBe(true);
    expect(screenPosting(raw(`<p>${'Kafka '.repeat(300)}</p>`, undefined, 'text/html'), limits, NOW)).toMatchObject({ ok: false, reason: expect.stringMatching(/^posting text is 1,799 characters/) });
  });
});

describe('limitsFromEnv', () => {
  it('gives the defaults, or what the environment sets', () => {
    expect(limitsFromEnv({})).toEqual(DEFAULT_INPUT_LIMITS);
    expect(DEFAULT_INPUT_LIMITS).toEqual({ maxFileBytes: 100 * 1024 * 1024, maxPostingChars: 500_000, maxPostingMs: 30_000, dates: { earliest: '1990-01-01', maxDaysAhead: 365 } });
    expect(
      limitsFromEnv({ SKILLPULSE_MAX_FILE_MB: '0.5', SKILLPULSE_MAX_POSTING_CHARS: '20000', SKILLPULSE_MAX_POSTING_SECONDS: '2.5', SKILLPULSE_EARLIEST_DATE: '2000-01-01', SKILLPULSE_MAX_DAYS_AHEAD: '30' }),
    ).toEqual({ maxFileBytes: 524_288, maxPostingChars: 20_000, maxPostingMs: 2500, dates: { earliest: '2000-01-01', maxDaysAhead: 30 } });
  });

  it.each([
    [{ SKILLPULSE_MAX_FILE_MB: 'lots' }, 'SKILLPULSE_MAX_FILE_MB must be a number of 0.001 or more (got "lots")'],
    [{ SKILLPULSE_MAX_POSTING_CHARS: '0' }, 'SKILLPULSE_MAX_POSTING_CHARS must be a number of 1 or more (got "0")'],
    [{ SKILLPULSE_MAX_POSTING_SECONDS: '0' }, 'SKILLPULSE_MAX_POSTING_SECONDS must be a number of 0.01 or more (got "0")'],
    [{ SKILLPULSE_MAX_DAYS_AHEAD: '-1' }, 'SKILLPULSE_MAX_DAYS_AHEAD must be a number of 0 or more (got "-1")'],
    [{ SKILLPULSE_EARLIEST_DATE: '1990' }, 'SKILLPULSE_EARLIEST_DATE must be a date like 1990-01-01 (got "1990")'],
  ])('stops before any work on %j', (env, message) => {
    expect(() => limitsFromEnv(env)).toThrow(StopBeforeWorkError);
    expect(() => limitsFromEnv(env)).toThrow(message);
  });
});
