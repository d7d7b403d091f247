import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../../src/errors.js';
import { cliName, parseReportQuery, plainName, type ReportQuery } from '../../src/pipeline/report-query.js';
import { isPeriodKey, periodEnd } from '../../src/periods.js';

// Issue 18: one reading of report parameters for report, serve and mcp; each error names the
// parameter as its caller spells it.

describe('parseReportQuery', () => {
  it('reads the defaults and the filters', () => {
    expect(parseReportQuery({}, plainName)).toEqual({ kind: 'summary', period: 'month', filters: {}, top: 25, minSupport: undefined });
    expect(parseReportQuery({ kind: 'trends', period: 'quarter', top: '0', minSupport: '3', since: '2026-03', until: '2026-04', remote: 'no', requirement: 'required', unique: true, company: 'Acme' }, plainName)).toEqual({
      kind: 'trends',
      period: 'quarter',
      filters: { since: '2026-03-01', until: '2026-04-31', remote: false, requirement: 'required', unique: true, company: 'Acme' },
      top: undefined,
      minSupport: 3,
    });
  });

  it.each<[ReportQuery, string, string, string]>([
    [{ kind: 'pie' }, 'kind', 'kind must be one of summary, trends, skill, cooccurrence, salary, emerging (got "pie")', '--kind must be one of'],
    [{ period: 'day' }, 'period', 'period must be one of week, month, quarter, year (got "day")', '--period must be one of'],
    [{ top: '-1' }, 'top', 'top must be a whole number of 1 or more (got "-1")', '--top must be'],
    [{ minSupport: '0' }, 'minSupport', 'minSupport must be a whole number of 1 or more (got "0")', '--min-support must be'],
    [{ since: '2026-02-30' }, 'since', 'since must be a date like 2026-03-01 or 2026-03 (got "2026-02-30")', '--since must be'],
    [{ since: '2026-05', until: '2026-04' }, 'since', 'since 2026-05 is after until 2026-04', '--since 2026-05 is after --until 2026-04'],
    [{ remote: 'maybe' }, 'remote', 'remote must be one of yes, no (got "maybe")', '--remote must be'],
    [{ requirement: 'must' }, 'requirement', 'requirement must be one of required, preferred, any (got "must")', '--requirement must be'],
  ])('%j: an error naming %s', (q, parameter, plain, cli) => {
    const err = (() => {
      try {
        parseReportQuery(q, plainName);
      } catch (e) {
        return e;
      }
    })() as InvalidParameterError;
    expect(err).toBeInstanceOf(InvalidParameterError);
    expect(err.parameter).toBe(parameter);
    expect(err.message).toBe(plain);
    expect(() => parseReportQuery(q, cliName)).toThrow(cli);
  });
});

describe('period keys', () => {
  it.each([
    ['2026', '2026-12-31'],
    ['2026-02', '2026-02-28'],
    ['2024-02', '2024-02-29'],
    ['2026-Q1', '2026-03-31'],
    ['2026-Q4', '2026-12-31'],
    ['2026-W01', '2026-01-04'],
    ['2026-W53', '2027-01-03'],
  ])('%s ends on %s', (key, end) => {
    expect(isPeriodKey(key)).toBe(true);
    expect(periodEnd(key)).toBe(end);
  });

  it.each(['2026-13', '2026-Q5', '2026-W54', '2026-W00', 'March', '2026-3', ''])('%j is no period key', (key) => {
    expect(isPeriodKey(key)).toBe(false);
  });
});
