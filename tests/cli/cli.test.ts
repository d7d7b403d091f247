import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { runCli, tempDir } from '../helpers.js';

describe('skillpulse --help', () => {
  it('lists every command', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const c of COMMANDS) expect(stdout).toContain(`  ${c.name}`);
  });

  it('gives each command its own help', async () => {
    for (const c of COMMANDS) {
      const { code, stdout } = await runCli([c.name, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: ${c.usage}`);
    }
  });

  it('fails with usage on an unknown command or option', async () => {
    expect(await runCli(['frobnicate'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
    expect(await runCli(['report', '--db', 'x', '--colour'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/Unknown option '--colour'[\s\S]*Usage: skillpulse report/) });
    expect(await runCli(['report', '--db', 'x', '--format', 'pdf'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--format must be one of table, md, csv, json, html (got "pdf")') });
  });

  it('documents every command in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const c of COMMANDS) expect(readme, `README mentions skillpulse ${c.name}`).toContain(`skillpulse ${c.name}`);
  });
});

describe('skillpulse extract', () => {
  it('prints the JSON contract: one array, one element per posting', async () => {
    const { code, stdout } = await runCli(['extract', 'fixtures/postings/ml-engineer.md', '--format', 'json']);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toHaveLength(1);
    const [p] = out;
    expect(p).toMatchObject({ source: 'fixtures/postings/ml-engineer.md', id: expect.stringMatching(/^[0-9a-f]{20}$/), title: 'Senior Machine Learning Engineer' });
    const text = readFileSync('fixtures/postings/ml-engineer.md', 'utf8');
    const pytorch = p.skills.find((s: { id: string }) => s.id === 'pytorch');
    expect(pytorch).toMatchObject({ id: 'pytorch', name: 'PyTorch', category: 'ml-framework' });
    // "5+ years of Python" is the only figure: a tool's years count when no overall figure is given.
    expect(p).toMatchObject({ degree: 'master', minYears: 5, seniority: 'senior' });
    expect(p.skills.find((s: { id: string }) => s.id === 'python')).toMatchObject({ requirement: 'required', years: 5, negated: false, confidence: expect.any(Number) });
    for (const s of p.skills) {
      expect(Object.keys(s)).toEqual(expect.arrayContaining(['id', 'name', 'category', 'mentions', 'requirement', 'years', 'negated', 'confidence']));
      for (const m of s.mentions) {
        expect(Object.keys(m)).toEqual(expect.arrayContaining(['start', 'end', 'text', 'section']));
        // Offsets index the normalized text; for a plain markdown file that is the file's text.
        expect(text.slice(m.start, m.end)).toBe(m.text);
      }
    }
  });

  it('reads standard input and prints a table by default', async () => {
    const { code, stdout } = await runCli(['extract', '-'], 'Requirements\n- Python and Kubernetes');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^stdin: 2 skills\n\s+Python\s+language\s+required/);
  });

  it('reports bad inputs on stderr, still prints the good ones, and exits 1', async () => {
    const { code, stdout, stderr } = await runCli(['extract', 'fixtures/bad', '--format', 'json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).map((p: { source: string }) => p.source)).toEqual(['fixtures/bad/mixed.jsonl:1']);
    expect(stderr).toContain('skillpulse: fixtures/bad/empty.txt: empty file');
    expect(stderr.trim().split('\n')).toHaveLength(6);
  });

  it('stops before any work on an invalid taxonomy, naming file and entry', async () => {
    const dir = tempDir();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'tools.yaml'), '- {id: git, name: Git}\n- {id: git, name: Git again}');
    const { code, stdout, stderr } = await runCli(['extract', 'fixtures/postings', '--taxonomy', dir]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${join(dir, 'tools.yaml')}: entry "git": field "id": duplicate id`);
  });
});

describe('skillpulse analyze and report', () => {
  it('ingests files and reports monthly demand', async () => {
    const db = join(tempDir(), 'x.sqlite');
    const a = await runCli(['analyze', 'fixtures/postings', '--db', db]);
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/analyzed into .*: 12 new, 0 changed, 0 unchanged, 0 failed/);
    const again = await runCli(['analyze', 'fixtures/postings', '--db', db]);
    expect(again.stderr).toMatch(/0 new, 0 changed, 12 unchanged, 0 failed/);
    const r = await runCli(['report', '--db', db, '--format', 'json', '--top', '3']);
    expect(r.code).toBe(0);
    const model = JSON.parse(r.stdout);
    expect(model.totalPostings).toBe(12);
    expect(model.skills).toHaveLength(3);
    expect(model.skills[0]).toMatchObject({ id: 'python', name: 'Python' });
    const table = await runCli(['report', '--db', db, '--period', 'quarter']);
    expect(table.stdout).toContain('Skill demand\n12 postings');
  });

  it('exits 1 when some inputs failed, keeping the good ones', async () => {
    const db = join(tempDir(), 'x.sqlite');
    const a = await runCli(['analyze', 'fixtures/bad', '--db', db]);
    expect(a.code).toBe(1);
    expect(a.stderr).toMatch(/1 new, 0 changed, 0 unchanged, 6 failed/);
  });

  it('needs --db, and a report needs an existing database', async () => {
    expect(await runCli(['analyze', 'fixtures/postings'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--db <path> is required') });
    const missing = join(tempDir(), 'nope.sqlite');
    expect(await runCli(['report', '--db', missing])).toMatchObject({ code: 2, stderr: expect.stringContaining(`database ${missing}: no such file`) });
  });
});

describe('skillpulse taxonomy', () => {
  it('validates the shipped taxonomy', async () => {
    const { code, stdout } = await runCli(['taxonomy', 'validate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: \d{3,} skills in \d+ categories \(version [0-9a-f]{12}\)/);
  });

  it('lists a category as JSON', async () => {
    const { stdout } = await runCli(['taxonomy', 'list', '--category', 'ml-framework', '--format', 'json']);
    const list = JSON.parse(stdout);
    expect(list.find((s: { id: string }) => s.id === 'pytorch')).toMatchObject({ name: 'PyTorch', category: 'ml-framework', parent: 'deep-learning-frameworks', exact: [] });
    expect(list.every((s: { category: string }) => s.category === 'ml-framework')).toBe(true);
  });

  it('shows a skill by alias, and says when there is none', async () => {
    expect(JSON.parse((await runCli(['taxonomy', 'show', 'k8s'])).stdout)).toMatchObject({ id: 'kubernetes' });
    expect(await runCli(['taxonomy', 'show', 'nonesuch'])).toMatchObject({ code: 1, stderr: expect.stringContaining('no skill with id or alias "nonesuch"') });
  });

  it('counts skills per category', async () => {
    const { stdout } = await runCli(['taxonomy', 'stats']);
    expect(stdout).toMatch(/ml-framework\s+\d+/);
  });
});
