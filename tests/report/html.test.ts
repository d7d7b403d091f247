import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html.js';
import { buildTrends, computeTrends } from '../../src/report/kinds.js';
import type { DemandRows } from '../../src/types.js';
import type { ReportModel } from '../../src/report/model.js';
import { runCli, tempDir } from '../helpers.js';

// Issue 15, item 7: the HTML report's charts, as written into the page.

/** The figures of a page: caption and the SVG markup that follows it. */
function figures(html: string): { caption: string; body: string }[] {
  return [...html.matchAll(/<figure><figcaption>([^<]*)<\/figcaption>([\s\S]*?)<\/figure>/g)].map((m) => ({ caption: m[1] as string, body: m[2] as string }));
}

describe('the trends report on the demo corpus, by month', () => {
  let html: string;
  beforeAll(async () => {
    const db = join(tempDir(), 'demo.sqlite');
    expect((await runCli(['analyze', 'fixtures/demo', '--db', db])).code).toBe(0);
    const r = await runCli(['report', '--db', db, '--kind', 'trends', '--period', 'month', '--top', '20', '--format', 'html']);
    expect(r.code, r.stderr).toBe(0);
    html = r.stdout;
  }, 60_000);

  it('draws no empty chart: month against month is never significant there, the slope over 18 months is', () => {
    const figs = figures(html);
    expect(figs.map((f) => f.caption)).toEqual([
      'Share of postings, top skills',
      'Trend of the top skills: least-squares slope of the share, pp per month',
      'Categories (a posting counts once per category)',
    ]);
    for (const f of figs) expect(f.body).not.toContain('(none)');
    const slope = figs[1]?.body ?? '';
    // Fifteen skills, each drawn twice (wide and narrow), rising ones first.
    expect((slope.match(/<rect class="bar pos"/g) ?? []).length).toBeGreaterThanOrEqual(2 * 5);
    expect((slope.match(/<rect class="bar neg"/g) ?? []).length).toBeGreaterThanOrEqual(2 * 3);
    expect(slope).toMatch(/>Large language models<\/text><rect class="bar pos"[^>]*\/><text class="axis"[^>]*>\+1\.55 pp</);
  });

  it('writes percentages without a space and ticks at round values', () => {
    expect(html).not.toMatch(/\d %/);
    expect(html).toContain('>93.5%</text>');
    const ticks = [...html.matchAll(/<text class="axis y" x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(ticks.length).toBeGreaterThan(10);
    for (const t of ticks) expect(t).toMatch(/^\d+%$/);
  });

  it('keeps numbers, intervals and dates in table cells on one line', () => {
    expect(html).toMatch(/td\.num,th\.num\{[^}]*white-space:nowrap\}td\.date\{white-space:nowrap\}/);
    expect(html).toMatch(/<td class="num">66\.2% \(60\.4%-71\.5%\)<\/td>/);
  });

  it('draws every chart twice, for a wide screen and for a phone, and the CSS shows one', () => {
    expect((html.match(/<svg class="chart [a-z]+ wide"/g) ?? []).length).toBe((html.match(/<svg class="chart [a-z]+ narrow"/g) ?? []).length);
    expect(html).toMatch(/@media \(max-width:719px\)\{\.chart\.wide\{display:none\}\.chart\.narrow\{display:block\}\}/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('gives the six top skills an overview without bands and a panel each with one band', () => {
    const series = figures(html)[0]?.body ?? '';
    const svgs = series.split('<svg').slice(1);
    expect(svgs.length).toBe(4);
    const bands = svgs.map((s) => (s.match(/<polygon class="band"/g) ?? []).length);
    expect(bands[0]).toBe(0);
    expect(bands[1]).toBe(0);
    // Six panels, one band each (one polygon per run of periods with postings; the demo has no gaps).
    expect(bands[2]).toBe(6);
    expect(bands[3]).toBe(6);
    expect(series).toContain('stroke-dasharray="7 3"');
  });
});

describe('the trends charts', () => {
  const rows = (periods: string[]): DemandRows => ({
    periodTotals: periods.map((period) => ({ period, total: 20 })),
    skillCounts: periods.flatMap((period, k) => [
      { skillId: 'python', period, count: 10 + k },
      { skillId: 'sql', period, count: 8 - k },
    ]),
    skills: [
      { id: 'python', name: 'Python', category: 'language' },
      { id: 'sql', name: 'SQL', category: 'language' },
    ] as DemandRows['skills'],
  });

  it('leave out a chart that would be empty: one period has no slope, nothing rises significantly, no category is named', () => {
    const m = buildTrends(computeTrends(rows(['2026-01']), 'month'), [], [], []);
    expect(m.charts.map((c) => c.title)).toEqual(['Share of postings, top skills']);
  });

  it('draw the slope of every top skill once there are two periods', () => {
    const m = buildTrends(computeTrends(rows(['2026-01', '2026-02', '2026-03']), 'month'), [], [], []);
    const slope = m.charts.find((c) => c.title.startsWith('Trend of the top skills'));
    expect(slope).toMatchObject({ type: 'bars', unit: 'pp', digits: 2, bars: [{ label: 'Python', value: 5 }, { label: 'SQL', value: -5 }] });
  });
});

describe('renderHtml', () => {
  it('cuts a long bar name to fit and keeps the whole name as a tooltip', () => {
    const name = 'A skill with a name far too long for the label column of any bar chart on a phone';
    const model: ReportModel = { kind: 'x', title: 'x', notes: [], tables: [], charts: [{ type: 'bars', title: 'Bars', unit: '%', bars: [{ label: name, value: 12.5 }] }], data: {}, csv: { columns: [], rows: [] } };
    const html = renderHtml(model);
    expect(html).toContain(`<title>${name}</title>`);
    expect(html).toMatch(/…<\/text>/);
    expect(html).toContain('>12.5%</text>');
  });
});

describe('the skill report', () => {
  it('keeps its dates and periods on one line', async () => {
    const db = join(tempDir(), 'demo.sqlite');
    expect((await runCli(['analyze', 'fixtures/demo', '--db', db])).code).toBe(0);
    const r = await runCli(['report', '--db', db, '--kind', 'skill', 'kubernetes', '--format', 'html']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('<td class="date">2025-05</td>');
    expect(r.stdout).toMatch(/<td class="date">\d{4}-\d{2}-\d{2}<\/td>/);
  }, 60_000);
});
