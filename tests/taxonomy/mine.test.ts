import { describe, expect, it } from 'vitest';
import { mineCandidates, renderCandidatesYaml } from '../../src/taxonomy/mine.js';
import { parseTaxonomy } from '../../src/taxonomy/parse.js';
import { runCli, shippedTaxonomy } from '../helpers.js';

describe('mineCandidates', () => {
  it('proposes list items after skill cues that the taxonomy lacks, by document count', () => {
    const docs = [
      'We need experience with Quarkus and Kubernetes.',
      'Tools like Quarkus, Micronaut and Docker are used.',
      'Proficiency in Micronaut is a plus. We value strong communication.',
      'Our office has a nice kitchen.',
    ];
    const found = mineCandidates(docs, shippedTaxonomy(), { minDocuments: 1 });
    expect(found.map((c) => [c.name, c.documents])).toEqual([
      ['Micronaut', 2],
      ['Quarkus', 2],
    ]);
    expect(found[0]?.example).toBe('Tools like Quarkus, Micronaut and Docker are used.');
  });

  it('drops what appears in fewer documents than asked', () => {
    expect(mineCandidates(['Experience with Quarkus.'], shippedTaxonomy())).toEqual([]);
  });

  it('joins hard-wrapped lines back into sentences', () => {
    const found = mineCandidates(['Teams reach for tools like\nKestra and Dagster.'], shippedTaxonomy(), { minDocuments: 1 });
    expect(found.map((c) => c.name)).toEqual(['Kestra']);
  });

  it('renders YAML that the taxonomy parser accepts', () => {
    const yaml = renderCandidatesYaml(mineCandidates(['Experience with Quarkus and "Vert.x".'], shippedTaxonomy(), { minDocuments: 1 }), 1);
    const t = parseTaxonomy([{ path: 'mined.yaml', text: yaml }]);
    expect(t.skills.map((s) => s.id)).toEqual(expect.arrayContaining(['quarkus']));
  });
});

describe('skillpulse taxonomy mine', () => {
  it('finds the skills our fixture article names that the taxonomy lacks', async () => {
    const { code, stdout } = await runCli(['taxonomy', 'mine', 'fixtures/articles', '--min-documents', '1', '--format', 'json']);
    expect(code).toBe(0);
    const names = JSON.parse(stdout).map((c: { name: string }) => c.name);
    expect(names).toEqual(expect.arrayContaining(['SQLMesh', 'Kestra', 'Mage', 'Hamilton', 'Materialize', 'RisingWave', 'Tinybird', 'Lightdash', 'Evidence.dev']));
    // Named in the article but already in the taxonomy:
    for (const known of ['dbt', 'Airflow', 'Dagster', 'Python', 'SQL', 'Git']) expect(names).not.toContain(known);
  });

  it('prints YAML by default', async () => {
    const { stdout } = await runCli(['taxonomy', 'mine', 'fixtures/articles', '--min-documents', '1']);
    expect(stdout).toMatch(/^# skillpulse taxonomy mine: \d+ candidate skills from 1 documents/);
    expect(stdout).toContain('- id: sqlmesh\n  name: "SQLMesh"');
  });
});

describe('extending the taxonomy', () => {
  it('adds the skills of another directory with --add-taxonomy', async () => {
    const { stdout } = await runCli(['extract', '-', '--add-taxonomy', 'fixtures/taxonomy-extra', '--format', 'json'], 'Services in Quarkus and Kotlin.');
    expect(JSON.parse(stdout)[0].skills.map((s: { id: string }) => s.id)).toEqual(['quarkus', 'kotlin']);
  });

  it('replaces the shipped taxonomy with --taxonomy', async () => {
    const { stdout } = await runCli(['extract', '-', '--taxonomy', 'fixtures/taxonomy-extra', '--format', 'json'], 'Services in Quarkus and Kotlin.');
    expect(JSON.parse(stdout)[0].skills.map((s: { id: string }) => s.id)).toEqual(['quarkus']);
  });

  it('validates the combined taxonomy', async () => {
    const { code, stdout } = await runCli(['taxonomy', 'validate', '--add-taxonomy', 'fixtures/taxonomy-extra']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: \d+ skills/);
  });
});
