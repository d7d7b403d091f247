import { describe, expect, it } from 'vitest';
import { extractPosting } from '../../src/extract/extract.js';
import { findSections } from '../../src/normalize/sections.js';
import { shippedTaxonomy, taxonomyFrom } from '../helpers.js';

const posting = (text: string) => ({ text, sections: findSections(text) });
const ids = (text: string) => extractPosting(posting(text), shippedTaxonomy()).skills.map((s) => s.id);

describe('extractPosting: matching and offsets', () => {
  it.each([
    ['We use scikit-learn daily.', 'scikit-learn', 'scikit-learn'],
    ['Strong C++ skills.', 'cpp', 'C++'],
    ['Services in C# and F#.', 'csharp', 'C#'],
    ['Backend on .NET and SQL Server.', 'dotnet', '.NET'],
    ['APIs in Node.js with Express.', 'nodejs', 'Node.js'],
    ['You will own our CI/CD pipelines.', 'ci-cd', 'CI/CD pipelines'],
    ['Experience with Spark Streaming is key.', 'spark-streaming', 'Spark Streaming'],
    ['Knowledge of machine learning.', 'machine-learning', 'machine learning'],
    ['Knowledge of machine-learning.', 'machine-learning', 'machine-learning'],
    ['We run k8s everywhere.', 'kubernetes', 'k8s'],
    ['Pipelines on Amazon Web Services.', 'aws', 'Amazon Web Services'],
    ['Write Golang services.', 'go', 'Golang'],
    ['Use sklearn and Postgres.', 'scikit-learn', 'sklearn'],
    ['ASP.NET Core APIs', 'aspnet-core', 'ASP.NET Core'],
  ])('%s -> %s with exact evidence', (text, id, evidence) => {
    const hit = extractPosting(posting(text), shippedTaxonomy()).skills.find((s) => s.id === id);
    expect(hit, `${id} in "${text}"`).toBeDefined();
    const m = hit?.mentions[0];
    expect(m?.text).toBe(evidence);
    expect(text.slice(m?.start, m?.end)).toBe(evidence);
  });

  it('keeps UTF-16 offsets right after non-ASCII text', () => {
    const text = 'Café Ünïcode — 🚀 team. We use PyTorch and Docker.';
    const x = extractPosting(posting(text), shippedTaxonomy());
    for (const s of x.skills) for (const m of s.mentions) expect(text.slice(m.start, m.end)).toBe(m.text);
    expect(x.skills.map((s) => s.id)).toEqual(['pytorch', 'docker']);
  });

  it('splits slash lists and parenthesised lists into their skills', () => {
    expect(ids('Python/R/SQL for analysis.')).toEqual(['python', 'r', 'sql']);
    expect(ids('AWS (EC2, S3, Lambda)')).toEqual(['aws', 'aws-ec2', 'aws-s3', 'aws-lambda']);
  });

  it('matches whole tokens only', () => {
    expect(ids('We trust our people to scale.')).toEqual([]);
    expect(ids('Redistribute the javadoc widgets.')).not.toContain('java');
  });

  it('reads the items of a bracketed list after a cloud platform as its services (issue 12)', () => {
    const found = ids('Public cloud: Azure (serverless Functions, Queue Storage) and AWS (ECS, Lambda).');
    expect(found).toEqual(expect.arrayContaining(['azure', 'azure-functions', 'azure-queue-storage', 'aws', 'aws-ecs', 'aws-lambda']));
  });

  it('prefers the longest form at a position', () => {
    const x = extractPosting(posting('Apache Spark Streaming and Spark SQL on Hadoop.'), shippedTaxonomy());
    expect(x.skills.map((s) => [s.id, s.mentions.map((m) => m.text)])).toEqual([
      ['spark-streaming', ['Apache Spark Streaming']],
      ['spark-sql', ['Spark SQL']],
      ['hadoop', ['Hadoop']],
    ]);
  });

  it('does not match across a line break', () => {
    expect(ids('machine\nlearning')).toEqual([]);
  });

  it('groups mentions per skill, keeps the section, the sentence and the strongest requirement', () => {
    const text = 'About us\nWe use Python.\n\nRequirements\n- Python and SQL\n\nNice to have\n- Python notebooks, dbt';
    const x = extractPosting(posting(text), shippedTaxonomy());
    const py = x.skills.find((s) => s.id === 'python');
    expect(py?.mentions.map((m) => m.section)).toEqual(['about', 'requirements', 'preferred']);
    expect(py?.requirement).toBe('required');
    expect(x.skills.find((s) => s.id === 'dbt')?.requirement).toBe('preferred');
    const m = py?.mentions[0];
    expect(text.slice(m?.sentenceStart, m?.sentenceEnd)).toBe('We use Python.');
  });

  it('records the taxonomy and extractor versions', () => {
    const x = extractPosting(posting('Python'), shippedTaxonomy());
    expect(x.taxonomyVersion).toBe(shippedTaxonomy().taxonomy.version);
    expect(x.extractorVersion).toMatch(/^\d+$/);
  });
});

describe('extractPosting: custom taxonomy rules', () => {
  const compiled = taxonomyFrom({
    'tools.yaml': `
- {id: widget, name: Widget, exact: [Widget], ambiguous: true, context: [gizmo, sprocket-lib]}
- {id: sprocket-lib, name: SprocketLib}
- {id: acme, name: Acme, not: [acme corp]}`,
  });
  const run = (text: string) => extractPosting(posting(text), compiled).skills.map((s) => s.id);

  it('counts an ambiguous form only with context', () => {
    expect(run('We build Widget tooling.')).toEqual([]);
    expect(run('We build Widget tooling with a gizmo.')).toEqual(['widget']);
    expect(run('Widget and SprocketLib.')).toEqual(['widget', 'sprocket-lib']);
  });

  it('matches exact forms case-sensitively', () => {
    expect(run('widget and SprocketLib')).toEqual(['sprocket-lib']);
  });

  it('drops hits covered by a not phrase', () => {
    expect(run('Acme Corp is hiring.')).toEqual([]);
    expect(run('We use Acme.')).toEqual(['acme']);
  });
});

describe('extractPosting: forms read from wording (issue 12)', () => {
  const compiled = taxonomyFrom({
    'cloud.yaml': `
- {id: nimbus, name: Nimbus, aliases: [nimbus cloud]}
- {id: nimbus-queue, name: Nimbus Queue, parent: nimbus, aliases: [nimbus queue, nimbus queues]}
- {id: nimbus-blob, name: Nimbus Blob Store, parent: nimbus, aliases: [nimbus blob store]}`,
    'ml-field.yaml': `
- {id: supervised, name: Supervised learning, aliases: [supervised learning]}
- {id: unsupervised, name: Unsupervised learning, aliases: [unsupervised learning]}
- {id: data-extraction, name: Data extraction, aliases: [data extraction]}
- {id: data-modeling, name: Data modeling, aliases: [data modeling]}
- {id: data-pipeline, name: Data pipelines, aliases: [data pipeline]}
- {id: tide-run, name: Tide Run, aliases: [tide run]}`,
  });
  const run = (text: string) =>
    extractPosting(posting(text), compiled)
      .skills.map((s) => [s.id, s.mentions.map((m) => m.text)])
      .sort();

  it('reads a word shared through "and" into both forms, backward and forward', () => {
    expect(run('Supervised and unsupervised learning.')).toEqual([
      ['supervised', ['Supervised']],
      ['unsupervised', ['unsupervised learning']],
    ]);
    expect(run('Data extraction and modeling.')).toEqual([
      ['data-extraction', ['Data extraction']],
      ['data-modeling', ['modeling']],
    ]);
  });

  it('matches a plural later word, but not a short verb-like one', () => {
    expect(run('We build data pipelines.')).toEqual([['data-pipeline', ['data pipelines']]]);
    expect(run('The tide runs at noon.')).toEqual([]);
  });

  it('counts the platform a service is named with, and the services in brackets after a platform', () => {
    expect(run('Nimbus Queue for jobs.')).toEqual([
      ['nimbus', ['Nimbus']],
      ['nimbus-queue', ['Nimbus Queue']],
    ]);
    expect(run('Nimbus (Queue, Blob Store) and more.')).toEqual([
      ['nimbus', ['Nimbus']],
      ['nimbus-blob', ['Blob Store']],
      ['nimbus-queue', ['Queue']],
    ]);
    // Prose in brackets is no list of services, and a list ends at its bracket.
    expect(run('Nimbus (we moved there in 2020), and our Queue is small.')).toEqual([['nimbus', ['Nimbus']]]);
  });

  it('counts the root of a family a framework is named with, not the framework between', () => {
    // ".NET MVC" is ASP.NET MVC and .NET; "ASP.NET Core" is not ASP.NET, which stands between it and .NET.
    expect(ids('Services on .NET MVC with SQL Server.')).toEqual(expect.arrayContaining(['aspnet-mvc', 'dotnet']));
    expect(ids('Services on ASP.NET Core with SQL Server.')).not.toContain('aspnet');
    expect(ids('Write drivers for the Linux kernel.')).toEqual(expect.arrayContaining(['linux']));
  });
});
