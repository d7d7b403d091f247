import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSkillSpan, scoreSpans } from '../../src/eval/skillspan.js';
import { runCli, shippedTaxonomy } from '../helpers.js';

const sample = readFileSync('fixtures/skillspan/sample.json', 'utf8');

describe('parseSkillSpan', () => {
  it('joins each tech posting into one text with gold spans as offsets', () => {
    const docs = parseSkillSpan(sample);
    expect(docs.map((d) => d.id)).toEqual(['1', '2']);
    const [a, b] = docs;
    expect(a?.text).toBe('Backend Engineer\nYou know Python and Kubernetes well .\nExperience with Vexlet is a plus .');
    expect(a?.knowledge.map(([s, e]) => a.text.slice(s, e))).toEqual(['Python', 'Kubernetes', 'Vexlet']);
    expect(b?.knowledge.map(([s, e]) => b.text.slice(s, e))).toEqual(['Google Cloud']);
    expect(b?.skill.map(([s, e]) => b.text.slice(s, e))).toEqual(['Build data pipelines']);
  });

  it('keeps other sources only when asked', () => {
    expect(parseSkillSpan(sample, 'house').map((d) => d.id)).toEqual(['3']);
    expect(parseSkillSpan(sample, 'all')).toHaveLength(3);
  });
});

describe('scoreSpans, computed by hand on our sample', () => {
  it('counts coverage, the precision proxy and the misses', () => {
    // Gold Knowledge: Python, Kubernetes, Vexlet (a tool we made up), Google Cloud. Hits: Python,
    // Kubernetes, data pipelines, Google Cloud, Docker (sentence not annotated). "Backend" in the
    // title line is a candidate mention, set aside as the title (issue 12).
    const s = scoreSpans(parseSkillSpan(sample), shippedTaxonomy());
    expect(s).toMatchObject({ documents: 2, knowledgeSpans: 4, coverage: 0.75, hits: 5, precisionProxy: 0.8, precisionInAnnotatedSentences: 1 });
    expect(s.recognition).toEqual({ hits: 6, coverage: 0.75, precisionProxy: 0.6667 });
    expect(s.missed).toEqual([{ text: 'vexlet', count: 1 }]);
    expect(s.outside.map((o) => o.skill).sort()).toEqual(['docker']);
  });
});

describe('skillpulse eval', () => {
  it('prints the figures for a SkillSpan file', async () => {
    const { code, stdout } = await runCli(['eval', '--skillspan', 'fixtures/skillspan/sample.json']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/coverage \(Knowledge spans some hit overlaps\):\s+75\.0%/);
    expect(stdout).toMatch(/precision proxy \(hits inside a Skill\/Knowledge span\): 80\.0%/);
    expect(stdout).toMatch(/every candidate mention, demand or not \(6\): coverage 75\.0%, precision proxy 66\.7%/);
  });

  it('uses an added taxonomy', async () => {
    const { stdout } = await runCli(['eval', '--skillspan', 'fixtures/skillspan/sample.json', '--add-taxonomy', 'fixtures/taxonomy-extra', '--format', 'json']);
    expect(JSON.parse(stdout).skillspan).toMatchObject({ coverage: 1, hits: 6 });
  });

  it('fails clearly on a missing file it was given', async () => {
    expect(await runCli(['eval', '--skillspan', 'no/such.json'])).toMatchObject({ code: 2, stderr: expect.stringContaining('SkillSpan file no/such.json: no such file') });
  });
});
