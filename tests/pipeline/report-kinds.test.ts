import { describe, expect, it } from 'vitest';
import { REPORT_KINDS, registerReportKind, reportKinds } from '../../src/pipeline/report.js';
import { runCli, tempDir } from '../helpers.js';

describe('the report-kind registry', () => {
  it('holds the shipped kinds, each with one line of help', () => {
    expect(reportKinds().map((k) => k.name)).toEqual(['summary', 'trends', 'skill', 'cooccurrence', 'salary', 'emerging']);
    expect(REPORT_KINDS).toEqual(reportKinds().map((k) => k.name));
    for (const k of reportKinds()) expect(k.summary.length, k.name).toBeLessThanOrEqual(53);
  });

  it('takes a new kind in one registration: the CLI runs it, lists it and renders it in every format', async () => {
    const remove = registerReportKind({
      name: 'postings-per-source',
      summary: 'postings per source',
      read: async (c) => Promise.all((await c.store.readSources()).map(async (source) => ({ source, n: (await c.store.readSkillTotals({ source })).postings }))),
      build: (rows) => ({
        kind: 'postings-per-source',
        title: 'Postings per source',
        notes: [],
        tables: [{ title: 'Sources', columns: ['source', 'postings'], numeric: [false, true], rows: rows.map((r) => [r.source, String(r.n)]) }],
        charts: [],
        data: { sources: rows },
        csv: { columns: ['source', 'postings'], rows: rows.map((r) => [r.source, r.n]) },
      }),
    });
    try {
      const db = `${tempDir()}/k.sqlite`;
      expect((await runCli(['analyze', 'fixtures/postings/postings.jsonl', '--db', db, '--threads', '0'])).code).toBe(0);
      const help = await runCli(['report', '--help']);
      expect(help.stdout).toContain('    postings-per-source  postings per source');
      const run = (format: string) => runCli(['report', '--db', db, '--kind', 'postings-per-source', '--format', format]);
      expect(await run('csv')).toMatchObject({ code: 0, stdout: 'source,postings\nfile,3\n' });
      expect(JSON.parse((await run('json')).stdout)).toMatchObject({ kind: 'postings-per-source', sources: [{ source: 'file', n: 3 }] });
      for (const format of ['table', 'md', 'html']) expect(await run(format), format).toMatchObject({ code: 0, stdout: expect.stringContaining('Postings per source'), stderr: '' });
      expect(() => registerReportKind({ ...reportKinds()[0], name: 'postings-per-source' } as never)).toThrow(/registered already/);
    } finally {
      remove();
    }
    expect(reportKinds().map((k) => k.name)).not.toContain('postings-per-source');
    const unknown = await runCli(['report', '--db', 'x.sqlite', '--kind', 'postings-per-source']);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('--kind must be one of summary, trends, skill, cooccurrence, salary, emerging') });
  });
});
