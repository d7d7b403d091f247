import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeItems } from '../../src/pipeline/analyze.js';
import { computeDemandReport } from '../../src/report/demand.js';
import { periodOf, periodRange } from '../../src/report/periods.js';
import { renderDemandReport, renderSparkline } from '../../src/report/render.js';
import { readPostingFiles } from '../../src/sources/files.js';
import { openDatabase } from '../../src/store/db.js';
import { readDemandRows } from '../../src/store/queries.js';
import { taxonomyFrom, tempDir } from '../helpers.js';

describe('periods', () => {
  it.each([
    ['2026-03-04', 'month', '2026-03'],
    ['2026-03-04', 'quarter', '2026-Q1'],
    ['2026-12-31', 'quarter', '2026-Q4'],
    ['2026-03-04', 'year', '2026'],
    ['2026-03-04', 'week', '2026-W10'],
    ['2027-01-01', 'week', '2026-W53'],
    ['2024-12-30', 'week', '2025-W01'],
  ] as const)('%s in a %s is %s', (date, kind, key) => {
    expect(periodOf(date, kind)).toBe(key);
  });

  it('lists every period between two, empty ones included', () => {
    expect(periodRange('2025-11', '2026-02', 'month')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(periodRange('2025-Q4', '2026-Q2', 'quarter')).toEqual(['2025-Q4', '2026-Q1', '2026-Q2']);
    expect(periodRange('2026-W52', '2027-W02', 'week')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
  });
});

describe('demand report on a small database, computed by hand', () => {
  // Jan: 4 postings (Python 2, SQL 1); Feb: none; Mar: 2 postings (Python 1, SQL 1).
  async function build() {
    const dir = tempDir();
    const rows = [
      ['p1', '2026-01-05', 'Python and SQL'],
      ['p2', '2026-01-09', 'Python'],
      ['p3', '2026-01-20', 'Rust'],
      ['p4', '2026-01-31', 'Java'],
      ['p5', '2026-03-01', 'Python'],
      ['p6', '2026-03-15', 'SQL and Docker'],
    ];
    writeFileSync(join(dir, 'p.jsonl'), rows.map(([id, date, text]) => JSON.stringify({ id, date, text })).join('\n'));
    const db = openDatabase(':memory:');
    const compiled = taxonomyFrom({
      'language.yaml': '- {id: python, name: Python}\n- {id: sql, name: SQL}\n- {id: rust, name: Rust}\n- {id: java, name: Java}',
      'devops.yaml': '- {id: docker, name: Docker}',
    });
    await analyzeItems(readPostingFiles([dir]), db, compiled, { command: 't' });
    return db;
  }

  it('computes counts, shares per month and the first-to-last change', async () => {
    const r = computeDemandReport(readDemandRows(await build(), 'month'), 'month');
    expect(r.periods).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(r.totals).toEqual([
      { period: '2026-01', total: 4 },
      { period: '2026-02', total: 0 },
      { period: '2026-03', total: 2 },
    ]);
    expect(r.totalPostings).toBe(6);
    const python = r.skills.find((s) => s.id === 'python');
    expect(python).toMatchObject({ name: 'Python', category: 'language', count: 3, share: 0.5 });
    expect(python?.series.map((p) => [p.count, p.total, p.share])).toEqual([
      [2, 4, 0.5],
      [0, 0, 0],
      [1, 2, 0.5],
    ]);
    expect(python?.change).toEqual({ from: '2026-01', to: '2026-03', fromShare: 0.5, toShare: 0.5, deltaPp: 0 });
    const sql = r.skills.find((s) => s.id === 'sql');
    expect(sql).toMatchObject({ count: 2, share: 0.3333, change: { fromShare: 0.25, toShare: 0.5, deltaPp: 25 } });
    expect(r.skills.map((s) => s.id)).toEqual(['python', 'sql', 'docker', 'java', 'rust']);
    expect(computeDemandReport(readDemandRows(await build(), 'month'), 'month', { top: 2 }).skills).toHaveLength(2);
  });

  it('groups by quarter', async () => {
    const r = computeDemandReport(readDemandRows(await build(), 'quarter'), 'quarter');
    expect(r.periods).toEqual(['2026-Q1']);
    expect(r.skills[0]).toMatchObject({ id: 'python', change: null, series: [{ period: '2026-Q1', count: 3, total: 6, share: 0.5 }] });
  });

  it('renders every format', async () => {
    const r = computeDemandReport(readDemandRows(await build(), 'month'), 'month');
    const table = renderDemandReport(r, 'table');
    expect(table).toContain('6 postings, 2026-01 to 2026-03 (3 months)');
    expect(table).toMatch(/Python\s+language\s+3\s+50\.0%\s+50\.0%\s+50\.0%\s+\+?0\.0 pp/);
    expect(table).toMatch(/SQL\s+language\s+2\s+33\.3%\s+25\.0%\s+50\.0%\s+\+25\.0 pp/);
    const md = renderDemandReport(r, 'md');
    expect(md).toContain('| SQL | language | 2 | 33.3% | 25.0% | 50.0% | +25.0 pp |');
    const csv = renderDemandReport(r, 'csv').trim().split('\n');
    expect(csv[0]).toBe('skill_id,skill,category,period,count,total,share');
    expect(csv).toContain('sql,SQL,language,2026-01,1,4,0.25');
    expect(JSON.parse(renderDemandReport(r, 'json'))).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('draws sparklines scaled to the largest share, blank for empty periods', () => {
    expect(renderSparkline([0, 0.25, null, 0.5])).toBe('▁▅ █');
  });
});
