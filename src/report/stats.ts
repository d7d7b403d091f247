/** Statistics for reports. Pure. */

const Z95 = 1.959964;

/** 95% Wilson score interval of a proportion k/n: honest at small n and near 0 or 1. */
export function wilson(k: number, n: number, z = Z95): [number, number] {
  if (n === 0) return [0, 0];
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

// log(k!) for k = 0, 1, 2, ...: filled on demand, shared by every test (reports compare thousands of pairs).
let logFactorials = new Float64Array([0, 0]);

function logFactorial(n: number): number {
  if (n >= logFactorials.length) {
    const next = new Float64Array(Math.max(n + 1, logFactorials.length * 2));
    next.set(logFactorials);
    for (let i = logFactorials.length; i < next.length; i++) next[i] = (next[i - 1] as number) + Math.log(i);
    logFactorials = next;
  }
  return logFactorials[n] as number;
}

/** Two-sided Fisher exact test for a 2x2 table [[a, b], [c, d]]. */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const n = a + b + c + d;
  const row1 = a + b;
  const col1 = a + c;
  const lf = (k: number) => logFactorial(k);
  const base = lf(row1) + lf(n - row1) + lf(col1) + lf(n - col1) - lf(n);
  const prob = (x: number) => Math.exp(base - lf(x) - lf(row1 - x) - lf(col1 - x) - lf(n - row1 - col1 + x));
  const observed = prob(a);
  let p = 0;
  for (let x = Math.max(0, row1 + col1 - n); x <= Math.min(row1, col1); x++) {
    const px = prob(x);
    if (px <= observed * (1 + 1e-7)) p += px;
  }
  return Math.min(1, p);
}

export interface ProportionTest {
  /** Difference of the shares (second minus first), in percentage points. */
  deltaPp: number;
  /** Two-sided p-value. */
  p: number;
  test: 'z' | 'fisher';
  z?: number;
}

/**
 * Compares two shares k1/n1 (before) and k2/n2 (after): a pooled two-proportion z-test, or
 * Fisher's exact test when an expected cell count is under 5 (where the z-test is unreliable).
 */
export function compareProportions(k1: number, n1: number, k2: number, n2: number): ProportionTest {
  const deltaPp = n1 && n2 ? (k2 / n2 - k1 / n1) * 100 : 0;
  const pooled = (k1 + k2) / (n1 + n2 || 1);
  const expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)];
  if (n1 === 0 || n2 === 0) return { deltaPp, p: 1, test: 'z' };
  if (expected.some((e) => e < 5)) return { deltaPp, p: fisherExact(k1, n1 - k1, k2, n2 - k2), test: 'fisher' };
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = se === 0 ? 0 : (k2 / n2 - k1 / n1) / se;
  return { deltaPp, p: se === 0 ? 1 : 2 * (1 - normalCdf(Math.abs(z))), test: 'z', z };
}

/** Least-squares slope of y over x = 0, 1, 2, ... (points with y undefined left out). */
export function slope(ys: (number | undefined)[]): number | undefined {
  const pts = ys.flatMap((y, x) => (y === undefined ? [] : [[x, y] as const]));
  if (pts.length < 2) return undefined;
  const mx = pts.reduce((a, [x]) => a + x, 0) / pts.length;
  const my = pts.reduce((a, [, y]) => a + y, 0) / pts.length;
  const sxx = pts.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const sxy = pts.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  return sxx === 0 ? undefined : sxy / sxx;
}

/** How much more often two skills appear together than if they were independent. */
export function lift(together: number, countA: number, countB: number, total: number): number {
  return countA && countB && total ? (together * total) / (countA * countB) : 0;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export const round = (x: number, digits = 4): number => Number(x.toFixed(digits));
