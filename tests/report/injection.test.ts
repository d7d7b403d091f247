import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeItems } from '../../src/pipeline/analyze.js';
import { buildReport } from '../../src/pipeline/report.js';
import { csvCell, markdownText, type ReportModel, terminalText } from '../../src/report/model.js';
import { renderReport } from '../../src/report/render.js';
import { readPostingFiles } from '../../src/sources/files.js';

import { runCli, taxonomyFrom, tempDir, sqliteStore } from '../helpers.js';

/**
 * Issue 14, item 3: posting and taxonomy text never becomes markup in Markdown, a formula in a
 * spreadsheet, or a control sequence in a terminal.
 */

const ESC = '\u001b';
const BEL = '\u0007';
/** What a hostile posting may hold: raw HTML, javascript: links, terminal sequences, formulas. */
const HOSTILE = {
  html: '<img src=x onerror=alert(1)><script>alert(2)</script>',
  link: '[click](javascript:alert(1)) <javascript:alert(3)> ![i](javascript:x)',
  osc: `${ESC}]8;;https://evil.example${BEL}click${ESC}]8;;${BEL}${ESC}]0;pwned${BEL}`,
  csi: `${ESC}[2J${ESC}[31mred${ESC}[0m`,
  cr: 'fake\rOVERWRITTEN',
  bel: `ding${BEL}`,
  formula: '=HYPERLINK("http://evil.example","x")',
};
const ALL = Object.values(HOSTILE).join(' ');

/** Markdown that a renderer would turn into HTML or a link: `<` opening a tag or autolink, `[`, `]`, or a line break inside the text. */
function unescapedMarkup(md: string): string[] {
  // An escaped character stands for itself: a space in its place opens nothing.
  const bare = md.replace(/\\[\s\S]/g, ' ');
  return [...bare.matchAll(/<[A-Za-z/!?]|[[\]`]|&#?[A-Za-z0-9]+;/g)].map((m) => m[0]);
}

/** Control characters: C0 but for the line feed between lines, DEL and C1. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROLS = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** Postings whose every field is hostile, analyzed from standard input into a fresh database file. */
async function hostileDatabase(): Promise<string> {
  const db = join(tempDir(), 'hostile.sqlite');
  const rows = [1, 2, 3].map((k) => ({ id: `h${k}`, date: `2026-0${k}-10`, title: `${HOSTILE.html} ${HOSTILE.osc}`, company: `${HOSTILE.formula}${HOSTILE.cr}`, location: `${HOSTILE.link}${HOSTILE.csi}`, text: `Requirements: Python. ${ALL}` }));
  const r = await runCli(['analyze', '-', '--db', db], rows.map((x) => JSON.stringify(x)).join('\n'));
  expect(r.code, r.stderr).toBe(0);
  return db;
}

describe('Markdown', () => {
  it('escapes posting text: no raw HTML, no links, same text once rendered', async () => {
    const db = await hostileDatabase();
    const r = await runCli(['report', '--db', db, '--kind', 'skill', 'python', '--format', 'md']);
    expect(r.code, r.stderr).toBe(0);
    expect(unescapedMarkup(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('\\<img src=x onerror=alert(1)>\\<script>alert(2)\\</script>');
    expect(r.stdout).toContain('\\[click\\](javascript:alert(1)) \\<javascript:alert(3)> !\\[i\\](javascript:x)');
    // Every table row stays one line with its own cells.
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('| '))) expect(line.replace(/\\\|/g, '').split('|').length).toBeGreaterThan(2);
  });

  it('leaves normal text as it is', () => {
    expect(markdownText('Fisher when p < 0.05; Lift > 1 (22.1%-32.5%)')).toBe('Fisher when p < 0.05; Lift > 1 (22.1%-32.5%)');
  });

  it('holds for any text: one line, nothing unescaped, the same text once unescaped', () => {
    const unit = fc.constantFrom('<', '>', '[', ']', '(', ')', '\\', '`', '*', '_', '|', '&', '#', ';', '!', '/', 'a', 'x', ':', '\n', '\r', ' ');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 30 }), (s) => {
        const md = markdownText(s);
        expect(md).not.toMatch(/[\r\n]/);
        expect(unescapedMarkup(md)).toEqual([]);
        expect(md.replace(/\\([\s\S])/g, '$1')).toBe(s.replace(/\r\n|[\r\n]/g, ' '));
      }),
    );
  });
});

describe('CSV', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1+2', "'-1+2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', `"'\r=1"`],
    [HOSTILE.formula, `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['Python', 'Python'],
    ['a=b', 'a=b'],
  ])('neutralizes a cell %j as %j', (cell, expected) => {
    expect(csvCell(cell)).toBe(expected);
  });

  it('keeps numbers as numbers, negative ones too', () => {
    expect([csvCell(-0.25), csvCell(3)]).toEqual(['-0.25', '3']);
  });

  it('no text cell of a report starts a formula: skill names from a taxonomy too', async () => {
    const db = sqliteStore(':memory:');
    const compiled = taxonomyFrom({ 'language.yaml': '- {id: evil, name: "=cmd|\' /C calc\'!A0", aliases: [python]}\n- {id: sql, name: "@SUM(1+1)", aliases: [sql]}' });
    const jsonl = [`{"id": "1", "date": "2026-01-05", "text": "Requirements: Python and SQL"}`, `{"id": "2", "date": "2026-02-05", "text": "Requirements: SQL"}`].join('\n');
    await analyzeItems(readPostingFiles(['-'], { readStdin: async () => jsonl }), db, compiled, { command: 't' });
    const csv = renderReport(await buildReport(db, { kind: 'summary', period: 'month', filters: {} }, () => compiled), 'csv');
    const cells = (parseCsv(csv) as string[][]).flat();
    expect(cells).toContain("'=cmd|' /C calc'!A0");
    expect(cells).toContain("'@SUM(1+1)");
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });

  it('holds for any text: read back, it is the text or the text after a quote, never a formula', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20, unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', 'a', ' ') }), (s) => {
        const [row] = parseCsv(`${csvCell(s)},end`, { relax_column_count: true }) as string[][];
        const back = row?.[0] ?? '';
        expect(back === s || back === `'${s}`).toBe(true);
        expect(back).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });
});

describe('the terminal', () => {
  const model = (text: string): ReportModel => ({
    kind: 'test',
    title: `Title ${text}`,
    notes: [`note ${text}`],
    tables: [{ title: `table ${text}`, columns: ['Skill', 'n'], numeric: [false, true], rows: [[`rising ${text}`, '1'], [`falling ${text}`, '2']], trend: [1, -1] }],
    charts: [],
    data: {},
    csv: { columns: [], rows: [] },
  });

  it('shows posting text in report tables without its control sequences, and keeps our colours', () => {
    const out = renderReport(model(ALL), 'table', { color: true });
    expect(out).toContain('\u001b[32mrising');
    expect(out).toContain('\u001b[31mfalling');
    const withoutOurs = ['\u001b[32m', '\u001b[31m', '\u001b[1m', '\u001b[0m'].reduce((text, ours) => text.split(ours).join(''), out);
    expect(withoutOurs).not.toMatch(CONTROLS);
    expect(withoutOurs).toContain('click'); // the text of a terminal link stays, the link goes
    expect(withoutOurs).not.toContain('pwned');
  });

  it('report --format table from the database: no escape, CR or BEL from postings', async () => {
    const db = await hostileDatabase();
    const r = await runCli(['report', '--db', db, '--kind', 'skill', 'python']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('OVERWRITTEN');
    expect(r.stdout).not.toMatch(CONTROLS);
  });

  it('the extract table', async () => {
    const posting = JSON.stringify({ title: `Engineer ${HOSTILE.osc}${HOSTILE.cr}`, text: `Requirements: Python. ${ALL}` });
    for (const args of [['extract', '-'], ['extract', '-', '--explain']]) {
      const r = await runCli(args, posting);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Engineer click');
      expect(r.stdout).not.toMatch(CONTROLS);
    }
  });

  it('error lines that quote an input', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', `empty${ESC}]0;pwned${BEL}${ESC}[2J.txt`), '');
    const bad = await runCli(['extract', join(dir, 'in')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('empty.txt');
    expect(bad.stderr).not.toMatch(CONTROLS);
    const missing = await runCli(['report', '--db', join(dir, `x${ESC}[31m${BEL}.sqlite`)]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('no such file') });
    expect(missing.stderr).not.toMatch(CONTROLS);
  });

  it('holds for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const shown = terminalText(s);
        expect(shown).not.toMatch(CONTROLS);
        expect(shown).not.toContain('\n');
      }),
    );
  });
});
