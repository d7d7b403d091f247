import { describe, expect, it } from 'vitest';
import { parseSalary } from '../../src/report/salary.js';
import { compareProportions, fisherExact, lift, median, normalCdf, slope, wilson } from '../../src/report/stats.js';

describe('statistics, checked against values computed by hand', () => {
  it.each([
    [5, 10, 0.2366, 0.7634],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [50, 200, 0.1951, 0.3143],
  ])('wilson(%d, %d) = [%f, %f]', (k, n, low, high) => {
    const [l, h] = wilson(k, n);
    expect(l).toBeCloseTo(low, 4);
    expect(h).toBeCloseTo(high, 4);
  });

  it('gives an empty interval for no postings', () => {
    expect(wilson(0, 0)).toEqual([0, 0]);
  });

  it('computes the normal CDF', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
  });

  it('compares large counts with a two-proportion z-test', () => {
    // 30/100 vs 50/100: pooled 0.4, se = sqrt(0.4 * 0.6 * 0.02), z = 0.2 / se = 2.8868.
    const t = compareProportions(30, 100, 50, 100);
    expect(t.test).toBe('z');
    expect(t.deltaPp).toBeCloseTo(20, 6);
    expect(t.z).toBeCloseTo(2.8868, 4);
    expect(t.p).toBeCloseTo(0.003892, 5);
  });

  it('uses Fisher exact test when counts are small', () => {
    // 1/10 vs 6/10, two-sided: 0.0573; 3/4 vs 1/4: 0.4857.
    expect(fisherExact(1, 9, 6, 4)).toBeCloseTo(0.057276, 5);
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.485714, 5);
    const t = compareProportions(1, 10, 6, 10);
    expect(t).toMatchObject({ test: 'fisher', deltaPp: 50 });
    expect(t.p).toBeCloseTo(0.057276, 5);
  });

  it('does not call 1 posting going to 3 significant', () => {
    expect(compareProportions(1, 40, 3, 40).p).toBeGreaterThan(0.5);
  });

  it('fits a least-squares slope, leaving out missing points', () => {
    expect(slope([1, 2, 3, 4])).toBeCloseTo(1, 10);
    expect(slope([10, undefined, 14])).toBeCloseTo(2, 10);
    expect(slope([5])).toBeUndefined();
  });

  it('computes lift and median', () => {
    // 100 postings, A in 20, B in 10, together in 8: (8/100) / (0.2 * 0.1) = 4.
    expect(lift(8, 20, 10, 100)).toBeCloseTo(4, 10);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeUndefined();
  });
});

describe('parseSalary', () => {
  it.each([
    ['$120k - $150k', { currency: 'USD', period: 'year', min: 120000, max: 150000 }],
    ['GBP 55000-68000 YEAR', { currency: 'GBP', period: 'year', min: 55000, max: 68000 }],
    ['€70K - €85K', { currency: 'EUR', period: 'year', min: 70000, max: 85000 }],
    ['$45/hour', { currency: 'USD', period: 'hour', min: 45, max: 45 }],
    ['€4,500 per month', { currency: 'EUR', period: 'month', min: 4500, max: 4500 }],
    ['CHF 110,000 to 130,000', { currency: 'CHF', period: 'year', min: 110000, max: 130000 }],
  ])('%s', (text, expected) => {
    expect(parseSalary(text)).toEqual(expected);
  });

  it.each([['competitive'], ['DOE'], [undefined]])('reads no salary from %s', (text) => {
    expect(parseSalary(text)).toBeUndefined();
  });
});
