import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGold, scoreGold } from '../../src/eval/gold.js';
import { readGoldCases } from '../../src/sources/gold-files.js';
import { runCli, shippedTaxonomy, tempDir } from '../helpers.js';

describe('the extractor on fixtures/gold', () => {
  it('holds the accuracy thresholds', async () => {
    const compiled = shippedTaxonomy();
    const score = scoreGold(await readGoldCases('fixtures/gold', compiled), compiled);
    expect(score.postings).toBeGreaterThanOrEqual(40);
    expect(score.precision).toBeGreaterThanOrEqual(0.97);
    expect(score.recall).toBeGreaterThanOrEqual(0.95);
    expect(score.levelAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(score.minYearsAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(score.degreeAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('scoreGold', () => {
  it('counts false positives, misses, wrong levels and negations, computed by hand', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.md'), 'Requirements\n- Python and SQL\n\nNice to have\n- Docker\n\nNo Java needed.');
    // Gold: Python required (found), SQL preferred (found as required: level error), Go required
    // (missed), Java negated (found negated: fine). Docker is found but not annotated: a false positive.
    writeFileSync(join(dir, 'a.gold.yaml'), 'skills:\n  python: required\n  sql: preferred\n  go: required\n  java: negated\ndegree: null\nminYears: 2\n');
    const compiled = shippedTaxonomy();
    const s = scoreGold(await readGoldCases(dir, compiled), compiled);
    expect(s.counts).toEqual({ truePositives: 2, falsePositives: 1, falseNegatives: 1, levelCorrect: 1 });
    expect(s).toMatchObject({ precision: 0.6667, recall: 0.6667, levelAccuracy: 0.5, degreeAccuracy: 1, minYearsAccuracy: 0 });
    expect(s.errors.map((e) => [e.kind, e.skill])).toEqual([
      ['level', 'sql'],
      ['false-negative', 'go'],
      ['false-positive', 'docker'],
    ]);
    expect(s.errors[2]?.evidence).toBe('Docker');
    expect(s.fields).toEqual([{ posting: 'a.md', field: 'minYears', expected: '2', got: 'null' }]);
  });
});

describe('readGoldCases: bad gold data stops with the file named', () => {
  const compiled = shippedTaxonomy();
  const dirWith = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tempDir(), 'g-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  it.each([
    [{ 'a.gold.yaml': 'skills: {}\ndegree: null\nminYears: null\n' }, /no posting file a\./],
    [{ 'a.md': 'Python', 'a.gold.yaml': 'skills:\n  pythonn: required\ndegree: null\nminYears: null\n' }, /field "skills\.pythonn": not a skill id/],
    [{ 'a.md': 'Python', 'a.gold.yaml': 'skills:\n  python: must\ndegree: null\nminYears: null\n' }, /field "skills\.python": expected one of/],
    [{ 'a.md': 'Python', 'a.gold.yaml': 'skills:\n  python: required\n' }, /field "degree": required/],
    [{ 'a.md': 'Python', 'a.gold.yaml': 'skills: {}\ndegree: bsc\nminYears: null\n' }, /field "degree": expected null or one of/],
    [{ 'README.md': 'notes' }, /no <name>\.gold\.yaml files/],
    [{ 'a.md': 'Python', 'a.gold.yaml': 'skills: {}\ndegree: null\nminYears: null\nlevel: senior\n' }, /a\.gold\.yaml: field "level": unknown field \(known: skills, degree, minYears, seniority\)/],
    [{ 'a.md': 'Python', 'a.gold.yaml': 'skills: [python]\ndegree: null\nminYears: null\n' }, /field "skills": expected a mapping of skill id to level/],
    [{ 'a.md': 'Python', 'a.gold.yaml': 'skills: {}\ndegree: null\nminYears: -1\n' }, /field "minYears": expected null or a number of years/],
    [{ 'a.md': 'Python', 'a.gold.yaml': '- python\n' }, /a\.gold\.yaml: expected a mapping with skills, degree and minYears/],
    [{ 'a.md': 'Python', 'a.gold.yaml': 'skills: {python: [required\n' }, /a\.gold\.yaml: not valid YAML/],
  ])('%#', async (files, message) => {
    await expect(readGoldCases(dirWith(files), compiled)).rejects.toThrow(message);
  });
});

describe('parseGold', () => {
  it('names every bad field of a file at once, a line each', () => {
    const text = 'skills:\n  pythonn: required\n  sql: must\ndegree: bsc\n';
    expect(() => parseGold(text, 'x.gold.yaml', shippedTaxonomy())).toThrow(
      [
        'x.gold.yaml: field "skills.pythonn": not a skill id of the taxonomy',
        'x.gold.yaml: field "skills.sql": expected one of required, preferred, unspecified, negated',
        'x.gold.yaml: field "degree": expected null or one of none, associate, bachelor, master, phd',
        'x.gold.yaml: field "minYears": required (null when the posting states none)',
      ].join('\n'),
    );
  });

  it('reads an annotation, skills defaulting to none', () => {
    expect(parseGold('degree: master\nminYears: 3\nseniority: senior\n', 'x.gold.yaml', shippedTaxonomy())).toEqual({ skills: {}, degree: 'master', minYears: 3 });
  });
});

describe('skillpulse eval --gold', () => {
  it('prints the scores and every error with its evidence', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.md'), 'Requirements\n- Python and Docker');
    writeFileSync(join(dir, 'a.gold.yaml'), 'skills:\n  python: required\ndegree: null\nminYears: null\n');
    const { code, stdout } = await runCli(['eval', '--gold', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('skills: precision 50.0%, recall 100.0%, F1 66.7%');
    expect(stdout).toContain('a.md: false-positive docker: expected not named, got required -- "Python and Docker"');
    const json = JSON.parse((await runCli(['eval', '--gold', dir, '--format', 'json'])).stdout);
    expect(json.gold).toMatchObject({ postings: 1, precision: 0.5, recall: 1 });
    expect(json.skillspan).toBeUndefined();
  });
});
