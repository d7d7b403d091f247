import { describe, expect, it } from 'vitest';
import { mineCandidates, renderCandidatesYaml } from '../../src/extract/mine.js';
import { parseTaxonomy } from '../../src/taxonomy/parse.js';
import { runCli, shippedTaxonomy } from '../helpers.js';

describe('mineCandidates', () => {
  it('proposes list items after skill cues that the taxonomy lacks, by document count', () => {
    const docs = [
      'We need experience with Vexlet and Kubernetes.',
      'Tools like Vexlet, Tarnframe and Docker are used.',
      'Proficiency in Tarnframe is a plus. We value strong communication.',
      'Our office has a nice kitchen.',
    ];
    const found = mineCandidates(docs, shippedTaxonomy(), { minDocuments: 1 });
    expect(found.map((c) => [c.name, c.documents])).toEqual([
      ['Tarnframe', 2],
      ['Vexlet', 2],
    ]);
    expect(found[0]?.example).toBe('Tools like Vexlet, Tarnframe and Docker are used.');
  });

  it('drops what appears in fewer documents than asked', () => {
    expect(mineCandidates(['Experience with Vexlet.'], shippedTaxonomy())).toEqual([]);
  });

  it('joins hard-wrapped lines back into sentences', () => {
    const found = mineCandidates(['Teams reach for tools like\nCorvelle and Dagster.'], shippedTaxonomy(), { minDocuments: 1 });
    expect(found.map((c) => c.name)).toEqual(['Corvelle']);
  });

  it('renders YAML that the taxonomy parser accepts', () => {
    const yaml = renderCandidatesYaml(mineCandidates(['Experience with Vexlet and "Vert.x".'], shippedTaxonomy(), { minDocuments: 1 }), 1);
    const t = parseTaxonomy([{ path: 'mined.yaml', text: yaml }]);
    expect(t.skills.map((s) => s.id)).toEqual(expect.arrayContaining(['vexlet']));
  });
});

describe('skillpulse taxonomy mine', () => {
  it('finds the skills our fixture article names that the taxonomy lacks', async () => {
    const { code, stdout } = await runCli(['taxonomy', 'mine', 'fixtures/articles', '--min-documents', '1', '--format', 'json']);
    expect(code).toBe(0);
    const names = JSON.parse(stdout).map((c: { name: string }) => c.name);
    // Two tools we made up, so the shipped taxonomy never learns them.
    expect(names).toEqual(expect.arrayContaining(['Plinthway', 'Corvelle']));
    // Named in the article but already in the taxonomy:
    for (const known of ['dbt', 'Airflow', 'Dagster', 'Python', 'SQL', 'Git']) expect(names).not.toContain(known);
  });

  it('prints YAML by default', async () => {
    const { stdout } = await runCli(['taxonomy', 'mine', 'fixtures/articles', '--min-documents', '1']);
    // Issue 15: one document is "1 document", not "1 documents".
    expect(stdout).toMatch(/^# skillpulse taxonomy mine: \d+ candidate skills from 1 document, /);
    expect(stdout).toContain('  source: "mined: 1 document, 2 mentions, e.g.');
    expect(stdout).toContain('- id: plinthway\n  name: "Plinthway"');
  });
});

describe('extending the taxonomy', () => {
  it('adds the skills of another directory with --add-taxonomy', async () => {
    const { stdout } = await runCli(['extract', '-', '--add-taxonomy', 'fixtures/taxonomy-extra', '--format', 'json'], 'Services in Vexlet and Kotlin.');
    expect(JSON.parse(stdout)[0].skills.map((s: { id: string }) => s.id)).toEqual(['vexlet', 'kotlin']);
  });

  it('replaces the shipped taxonomy with --taxonomy', async () => {
    const { stdout } = await runCli(['extract', '-', '--taxonomy', 'fixtures/taxonomy-extra', '--format', 'json'], 'Services in Vexlet and Kotlin.');
    expect(JSON.parse(stdout)[0].skills.map((s: { id: string }) => s.id)).toEqual(['vexlet']);
  });

  it('validates the combined taxonomy', async () => {
    const { code, stdout } = await runCli(['taxonomy', 'validate', '--add-taxonomy', 'fixtures/taxonomy-extra']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: \d+ skills/);
  });
});

// Issue 15, item 11: what the emerging report proposes is worth a look.
describe('mineCandidates leaves out what is no skill', () => {
  const twice = (s: string) => [s, s];

  it.each([
    ['companies named after a cue', 'Our SDK is used by companies like Walmart, Citi and Hearst.'],
    ['investors and people', "We're backed by investors such as Sequoia Capital, and individuals like Ashton Kutcher."],
    ['big employers anywhere', 'Engineers with experience at Microsoft, Facebook or Paypal.'],
    ['URLs and domains', 'Work with us: see https://acme.example.com/company/job?x=1 or acme.io/jobs.'],
    ['common words', 'You will work with talented colleagues, lots of customers and stock options.'],
    ['fragments of known names', 'Topics including image processing, computer, and analysis.'],
  ])('%s', (_what, text) => {
    expect(mineCandidates(twice(text), shippedTaxonomy()).map((c) => c.name)).toEqual([]);
  });

  it('leaves out the names it is told to (the postings’ employers)', () => {
    const docs = twice('Experience with Plinthway and Zorblax.');
    expect(mineCandidates(docs, shippedTaxonomy()).map((c) => c.name)).toEqual(['Plinthway', 'Zorblax']);
    expect(mineCandidates(docs, shippedTaxonomy(), { exclude: ['zorblax'] }).map((c) => c.name)).toEqual(['Plinthway']);
  });

  it('still proposes a tool named in a list', () => {
    expect(mineCandidates(twice('Tools like Corvelle, Airflow and Snowflake are used daily.'), shippedTaxonomy()).map((c) => c.name)).toEqual(['Corvelle']);
  });
});
