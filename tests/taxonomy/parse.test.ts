import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidTaxonomyError, type TaxonomyProblem } from '../../src/errors.js';
import { loadTaxonomy } from '../../src/sources/taxonomy-files.js';
import { parseTaxonomy } from '../../src/taxonomy/parse.js';

function problemsOf(files: Record<string, string>): TaxonomyProblem[] {
  try {
    parseTaxonomy(Object.entries(files).map(([path, text]) => ({ path, text })));
  } catch (err) {
    if (err instanceof InvalidTaxonomyError) return err.problems;
    throw err;
  }
  throw new Error('expected the taxonomy to be invalid');
}

describe('parseTaxonomy validation', () => {
  it.each([
    ['a missing name', { 'tools.yaml': '- {id: git}' }, { file: 'tools.yaml', entry: 'git', field: 'name' }],
    ['an id that is not kebab-case', { 'tools.yaml': '- {id: Big Tool, name: Big}' }, { file: 'tools.yaml', entry: 'Big Tool', field: 'id' }],
    ['an unknown field', { 'tools.yaml': '- {id: git, name: Git, alias: [g]}' }, { entry: 'git', field: 'alias', message: expect.stringMatching(/^unknown field \(known: id, name, category/) }],
    ['aliases that are not a list', { 'tools.yaml': '- {id: git, name: Git, aliases: git}' }, { entry: 'git', field: 'aliases' }],
    ['an unknown parent', { 'tools.yaml': '- {id: git, name: Git, parent: vcs}' }, { entry: 'git', field: 'parent' }],
    ['an unknown category', { 'tools.yaml': '- {id: git, name: Git, category: nope}' }, { entry: 'git', field: 'category' }],
    ['ambiguous forms that are not forms of the entry', { 'tools.yaml': '- {id: go, name: Go, exact: [Go], ambiguous: [go]}' }, { entry: 'go', field: 'ambiguous' }],
    ['a non-mapping entry', { 'tools.yaml': '- just a string' }, { file: 'tools.yaml', entry: '#1' }],
    ['a list for an entry', { 'tools.yaml': '- [git, Git]' }, { entry: '#1', message: 'expected a mapping with at least id and name' }],
    ['a missing id', { 'tools.yaml': '- {name: Git}' }, { entry: '#1', field: 'id', message: expect.stringMatching(/^required: lowercase/) }],
    ['a form with nothing to match', { 'tools.yaml': '- {id: git, name: Git, aliases: [git, " "]}' }, { entry: 'git', field: 'aliases', message: '" " has nothing to match' }],
    ['a list item that is no string', { 'tools.yaml': '- {id: git, name: Git, context: [vcs, 3, 4]}' }, { entry: 'git', field: 'context', message: 'expected a list of non-empty strings' }],
    ['an unknown kind', { 'tools.yaml': '- {id: git, name: Git, kind: library}' }, { entry: 'git', field: 'kind', message: 'expected tool, field, umbrella or generic' }],
    ['ambiguous that is neither true, false nor a list', { 'tools.yaml': '- {id: git, name: Git, ambiguous: maybe}' }, { entry: 'git', field: 'ambiguous' }],
  ])('names file, entry and field for %s', (_, files, expected) => {
    expect(problemsOf(files)).toEqual([expect.objectContaining(expected)]);
  });

  it('reports invalid YAML with its line', () => {
    const [p] = problemsOf({ 'tools.yaml': '- id: git\n  name: Git\n - broken: [' });
    expect(p?.file).toBe('tools.yaml');
    expect(p?.message).toMatch(/not valid YAML \(line \d+\)/);
  });

  it('reports a file that is not a list', () => {
    expect(problemsOf({ 'tools.yaml': 'id: git' })).toEqual([expect.objectContaining({ file: 'tools.yaml', message: expect.stringMatching(/list/) })]);
  });

  it('finds duplicate ids across files', () => {
    const problems = problemsOf({ 'a.yaml': '- {id: git, name: Git}', 'b.yaml': '- {id: git, name: Git SCM}' });
    expect(problems).toEqual([expect.objectContaining({ file: 'b.yaml', entry: 'git', field: 'id', message: expect.stringMatching(/duplicate id \(also in a\.yaml\)/) })]);
  });

  it('finds parent cycles', () => {
    const problems = problemsOf({ 'a.yaml': '- {id: x, name: X, parent: y}\n- {id: y, name: Y, parent: x}' });
    expect(problems.map((p) => [p.entry, p.field])).toEqual([
      ['x', 'parent'],
      ['y', 'parent'],
    ]);
    expect(problems[0]?.message).toMatch(/loops back \(x -> y -> x\)/);
  });

  it('rejects an alias claimed by two skills unless both forms are ambiguous', () => {
    const problems = problemsOf({ 'a.yaml': '- {id: spark, name: Spark}\n- {id: spark-ar, name: Spark AR, aliases: [spark]}' });
    expect(problems).toEqual([expect.objectContaining({ entry: 'spark-ar', field: 'aliases', message: expect.stringMatching(/also claimed by "spark"/) })]);
    const ok = parseTaxonomy([
      { path: 'a.yaml', text: '- {id: spark, name: Spark, ambiguous: true, context: [hadoop]}\n- {id: spark-ar, name: Spark AR, aliases: [spark], ambiguous: [spark], context: [meta]}' },
    ]);
    expect(ok.skills).toHaveLength(2);
  });

  it('lists every problem at once', () => {
    const problems = problemsOf({ 'a.yaml': '- {id: a}\n- {id: b, name: B, parent: zz}\n- {name: C}' });
    expect(problems.length).toBe(3);
  });

  it('fills defaults: category from the file name, the name as an alias unless exact forms are given', () => {
    const t = parseTaxonomy([{ path: 'dir/language.yaml', text: '- {id: python, name: Python}\n- {id: go, name: Go, exact: [Go], aliases: [golang]}' }]);
    expect(t.categories).toEqual(['language']);
    expect(t.skills[0]).toMatchObject({ category: 'language', aliases: ['Python'], exact: [], ambiguous: false });
    expect(t.skills[1]).toMatchObject({ aliases: ['golang'], exact: ['Go'] });
  });

  it('gives a version that changes with the content and not with file order', () => {
    const a = { path: 'a.yaml', text: '- {id: x, name: X}' };
    const b = { path: 'b.yaml', text: '- {id: y, name: Y}' };
    expect(parseTaxonomy([a, b]).version).toBe(parseTaxonomy([b, a]).version);
    expect(parseTaxonomy([a, { ...b, text: '- {id: y, name: Why}' }]).version).not.toBe(parseTaxonomy([a, b]).version);
  });
});

describe('the shipped taxonomy', () => {
  const t = loadTaxonomy();

  it('validates and holds at least 600 skills', () => {
    expect(t.skills.length).toBeGreaterThanOrEqual(600);
  });

  // Every skill, tool, library, platform and subject the seed article names, by id.
  const SEED: [string, string][] = [
    ['python', 'What is a Machine Learning Engineer?'],
    ['tensorflow', 'What is a Machine Learning Engineer?'],
    ['pytorch', 'What is a Machine Learning Engineer?'],
    ['scikit-learn', 'What is a Machine Learning Engineer?'],
    ['statistics', 'What is a Machine Learning Engineer?'],
    ['probability', 'What is a Machine Learning Engineer?'],
    ['big-data', 'What is a Machine Learning Engineer?'],
    ['software-engineering', 'What is a Machine Learning Engineer?'],
    ['data-science', 'What is a Machine Learning Engineer?'],
    ['machine-learning', 'What is a Machine Learning Engineer?'],
    ['mathematics', 'Key Takeaways'],
    ['bachelors-degree', 'Education and Skills Required'],
    ['masters-degree', 'Education and Skills Required'],
    ['phd', 'Education and Skills Required'],
    ['computer-science', 'Education and Skills Required'],
    ['linear-algebra', 'Education and Skills Required'],
    ['calculus', 'Education and Skills Required'],
    ['software-development', 'Education and Skills Required'],
    ['research', 'Education and Skills Required'],
    ['data-cleaning', 'Daily Responsibilities'],
    ['data-preprocessing', 'Daily Responsibilities'],
    ['model-training', 'Daily Responsibilities'],
    ['collaboration', 'Daily Responsibilities'],
    ['domain-knowledge', 'Daily Responsibilities'],
    ['fine-tuning', 'Daily Responsibilities'],
    ['hyperparameter-tuning', 'Daily Responsibilities'],
    ['model-monitoring', 'Daily Responsibilities'],
    ['model-deployment', 'Daily Responsibilities'],
    ['jupyter', 'Tools and Technologies'],
    ['cloud-computing', 'Tools and Technologies'],
    ['aws', 'Tools and Technologies'],
    ['gcp', 'Tools and Technologies'],
    ['azure', 'Tools and Technologies'],
    ['version-control', 'Tools and Technologies'],
    ['git', 'Tools and Technologies'],
    ['docker', 'Tools and Technologies'],
    ['kubernetes', 'Tools and Technologies'],
    ['containerization', 'Tools and Technologies'],
    ['container-orchestration', 'Tools and Technologies'],
    ['data-visualization', 'Tools and Technologies'],
    ['matplotlib', 'Tools and Technologies'],
    ['seaborn', 'Tools and Technologies'],
    ['data-quality', 'Challenges Faced'],
    ['model-evaluation', 'Challenges Faced'],
    ['explainable-ai', 'Challenges Faced'],
    ['continuous-learning', 'Challenges Faced'],
    ['ai-ethics', 'Challenges Faced'],
    ['healthcare', 'Career Opportunities'],
    ['finance', 'Career Opportunities'],
    ['retail', 'Career Opportunities'],
    ['iot', 'Future of Machine Learning Engineering'],
    ['blockchain', 'Future of Machine Learning Engineering'],
    ['automl', 'Future of Machine Learning Engineering'],
    ['artificial-intelligence', 'Future of Machine Learning Engineering'],
    ['recommender-systems', 'Final Thoughts on Machine Learning Engineers'],
    ['autonomous-vehicles', 'Final Thoughts on Machine Learning Engineers'],
  ];
  it.each(SEED)('has seed skill %s with its source section "%s"', (id, section) => {
    const skill = t.skills.find((s) => s.id === id);
    expect(skill?.source).toContain(`seed: `);
    expect(skill?.source).toContain(section);
  });

  it('names only sections the seed article has', () => {
    const sections = new Set(
      t.skills.flatMap((s) => (s.source?.startsWith('seed: ') ? s.source.slice(6).split('; ') : [])),
    );
    const article = new URL('../../../shared/seed/ml-engineer-facts.txt', import.meta.url);
    let text: string | undefined;
    try {
      text = readFileSync(article, 'utf8');
    } catch {
      text = undefined; // ../shared is not on a user's machine; the list below is what it holds
    }
    const known = text
      ? text.split('\n').map((l) => l.trim())
      : ['Key Takeaways:', 'What is a Machine Learning Engineer?', 'Education and Skills Required', 'Daily Responsibilities', 'Tools and Technologies', 'Challenges Faced', 'Career Opportunities', 'Future of Machine Learning Engineering', 'Final Thoughts on Machine Learning Engineers'];
    for (const s of sections) expect(known.some((line) => line.replace(/:$/, '') === s)).toBe(true);
  });
});
