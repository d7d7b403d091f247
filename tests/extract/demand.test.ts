import { describe, expect, it } from 'vitest';
import { computeDemandContext, jobTitleRole } from '../../src/extract/demand.js';
import { extractPosting } from '../../src/extract/extract.js';
import { findSections } from '../../src/normalize/sections.js';
import { runCli, shippedTaxonomy, tempDir } from '../helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Issue 12: a mention counts as demand only where the text describes the role. Our own sentences.
const extract = (text: string, company?: string) => extractPosting({ text, sections: findSections(text), company }, shippedTaxonomy(), { explain: true });
const reasonOf = (text: string, id: string, company?: string) => extract(text, company).explain?.find((e) => e.id === id)?.reason;
const counted = (text: string, id: string) => extract(text).skills.some((s) => s.id === id);

describe('mentions set aside, each with its reason', () => {
  it.each([
    ['Lakeside Robotics | Senior Python Engineer | Boston\nWe build robots for warehouses.', 'python', 'title'],
    ['We are hiring for:\n- Senior Android Engineer\n- Product Designer', 'android', 'position'],
    ['Openings: Data Scientist, Ruby on Rails Engineer, QA Lead', 'rails', 'position'],
    ['Send your resume to us. More at https://example.dev/jobs/python-role.html', 'python', 'url'],
    ['To apply, send your resume and your GitHub profile to hiring@example.dev.', 'github', 'apply'],
    ['Requirements\n- BS in Statistics, Mathematics or a related field\n- SQL', 'statistics', 'degree-field'],
    ['Benefits\n- A yearly budget for Kubernetes conferences', 'kubernetes', 'benefits'],
    ['About us\nWe are a public benefit company that makes Kubernetes easier for schools.', 'kubernetes', 'description'],
    ['Our mission is to bring cloud computing to every clinic.', 'cloud-computing', 'description'],
    ['Our customers call our APIs millions of times a day.', 'apis', 'description'],
    ['The team ships new APIs every week.', 'apis', 'umbrella'],
    // A company someone founded or led is not a tool the role uses.
    ['Our CTO was previously VP Eng at Bugsnag and loves Ruby.', 'bugsnag', 'employer'],
    ['I founded and was CEO of CircleCI; now we build a new editor in Rust.', 'circleci', 'employer'],
    // A title of several words in a list of openings, the skill inside it.
    ['Open roles: Engineering Lead, Android developer, Full stack web developer (Python, Django).', 'full-stack-development', 'position'],
    // An umbrella word that modifies another says what a thing is, even beside a technology.
    ['We build with AngularJS, database-backed web services and Redis.', 'databases', 'umbrella'],
    // A label of the stack's list names the kind of what follows it.
    ['Our stack\n\nBackend: Rails (Ruby)\n\nPublic Cloud: Azure (Functions)', 'cloud-computing', 'umbrella'],
    // The work itself is no skill of the posting, even asked for.
    ['Requirements\n- Python\n- A record of applied research in speech', 'research', 'generic'],
    // A name that labels a link names the page of an opening, with or without the list's line breaks.
    ['Open roles, each with its page: Data Platform: https://jobs.example.dev/1 Computer Vision: https://jobs.example.dev/2', 'computer-vision', 'position'],
    // How-to-apply wording in the same clause after an opening still speaks for it.
    ['Mobile Developer (Kotlin or Swift) - email jobs@example.dev for details', 'swift', 'apply'],
    // A notice about the hiring process names no demand, whatever it says it runs on.
    ['Requirements\n- Go and PostgreSQL\n\nOur Recruiting Process: we check every candidate with a short machine learning quiz.', 'machine-learning', 'apply'],
    // The employer's past work, listed under its lead, is description.
    ['Requirements\n- Python\n\nOn our blog you can read about a few past projects, including:\nA Rust linter for spreadsheets: Dana Frost and Lee Park', 'rust', 'description'],
    // A capitalized name after an opening's role noun and a dash specializes the opening.
    ['Open roles: Platform Engineer - Kubernetes\nSenior Data Engineer - Machine Learning Both are remote.', 'machine-learning', 'position'],
    // An umbrella word in an opening's brackets names the kind of job.
    ['We have two openings. Software Engineer (Backend) and a designer.', 'backend-development', 'position'],
    // A new opening's title after the items of a list ends that list.
    ['Requirements\n- Go and PostgreSQL\n- Some Terraform\nTechnical Writing and Product Management Lead\nYou will own our docs.', 'product-management', 'position'],
    // An umbrella word before the bracketed list of what it stands for only labels that list.
    ['We need programmers for our mobile (Kotlin), web (Django) and front-end (Vue) platforms.', 'frontend-development', 'umbrella'],
    // A store apps are sold in says where the product is, not what the role uses.
    ['Our app is among the top ten in the iOS App Store and we write it in Swift.', 'ios', undefined],
  ])('%j: %s is set aside as %s', (text, id, reason) => {
    expect(reasonOf(text, id)).toBe(reason);
    expect(counted(text, id)).toBe(false);
  });

  it("sets aside the employer's own name, from the hint, a header or an About heading", () => {
    const body = 'Databricks builds a lakehouse for Spark users.\n\nRequirements\n- SQL';
    expect(reasonOf(body, 'databricks', 'Databricks')).toBe('employer');
    expect(extract(`Databricks | Data Engineer | Remote\n${body}`).explain?.filter((e) => e.id === 'databricks').map((e) => e.reason)).toEqual(['title', 'employer']);
    expect(reasonOf(`About Databricks\n\n${body}`, 'databricks')).toBe('employer');
  });
});

describe('mentions that count', () => {
  it.each([
    ["We're looking for Rust and Go hackers.", 'rust', 'asked', 'required'],
    ['Oh, and we also need a Lua developer.', 'lua', 'asked', 'required'],
    ['Our studio is looking to add Android and Server (Elixir) Engineers.', 'elixir', 'asked', 'required'],
    ['Tech stack: Python, Postgres and React.', 'react', 'stack', 'unspecified'],
    ['Our backend is written in Clojure.', 'clojure', 'stack', 'unspecified'],
    ['About us\nWe are a small team and we use Clojure everywhere.', 'clojure', 'stack', 'unspecified'],
    ['Requirements\n- Experience designing APIs', 'apis', 'asked', 'required'],
    ['Skills: data analysis, ETL, SQL', 'data-analysis', 'asked', 'required'],
    // Line breaks lost: the how-to-apply sentence after an item does not speak for it.
    ['Requirements: Go and gRPC - Event sourcing If this sounds like you, please apply at our site.', 'event-sourcing', 'asked', 'required'],
  ])('%j: %s counts as %s (%s)', (text, id, reason, level) => {
    const x = extract(text);
    expect(x.explain?.find((e) => e.id === id)).toMatchObject({ counted: true, reason, requirement: level });
    expect(x.skills.find((s) => s.id === id)?.requirement).toBe(level);
  });

  it('counts the stack named on a role line of a header-style post', () => {
    const text = 'We are a chip startup. Three roles below.\nAcme Chips | Compiler Developer | Remote | LLVM ; C++';
    expect(counted(text, 'cpp')).toBe(true);
  });
});

describe('review findings, each as a case', () => {
  it('does not read a first line that is a heading with content as the title', () => {
    expect(counted('Requirements: Python and Kubernetes\nWe are a small team.', 'python')).toBe(true);
  });

  it('sets nothing aside under a "Location:" line', () => {
    expect(counted('Location: NYC (hybrid)\nMust have 3+ years of Go experience and strong Rust.', 'rust')).toBe(true);
  });

  it.each([
    ['A high degree of proficiency in Python and Go', 'python'],
    ['MS Office skills in Excel and PowerPoint', 'excel'],
  ])('%j is no degree field', (text, id) => {
    expect(reasonOf(text, id)).not.toBe('degree-field');
  });

  it("counts the employer's own product where the text asks for it", () => {
    expect(counted('Requirements\n- Deep experience with MongoDB\n\nMongoDB is growing.', 'mongodb')).toBe(true);
    expect(extractPosting({ text: 'Deep experience with MongoDB and Redis.', sections: [], company: 'MongoDB' }, shippedTaxonomy()).skills.map((s) => s.id)).toContain('mongodb');
  });

  it('reads "hiring Senior Python Engineers" as asking for Python, "a Senior Python Engineer" as an opening', () => {
    expect(counted('We are hiring Senior Python Engineers to build our backend.', 'python')).toBe(true);
    expect(reasonOf('We are looking for a Senior Python Engineer to lead billing.', 'python')).toBe('position');
  });

  it('reads a short line under a requirements heading as an item, not an opening', () => {
    expect(counted('Requirements\n- Kubernetes Administrator (CKA)', 'kubernetes')).toBe(true);
  });

  it('marks a negated mention in the explanation', () => {
    expect(extract('We moved off Java last year.').explain?.find((e) => e.id === 'java')).toMatchObject({ counted: true, negated: true });
  });

  it('finds the employer in text whose lower case changes length', () => {
    const text = 'İİİİİİ Databricks builds a lakehouse for Spark users.';
    const ctx = computeDemandContext(text, 'Databricks');
    expect(ctx.employer.map(([a, b]) => text.slice(a, b))).toEqual(['Databricks']);
  });

  it('keeps hostile input to its sane result', () => {
    // Inputs that made bracket, URL, address and degree scans super-linear: they must end, and say nothing.
    for (const text of ['AWS (x '.repeat(20000), '.com'.repeat(50000), 'a.'.repeat(100000) + ' dot', 'ms or '.repeat(40000), `==:${' '.repeat(200000)}x`]) {
      expect(extract(text).skills.length).toBeLessThan(5);
    }
  });
});

describe('job titles', () => {
  it('reads a title whose role noun is part of another mention, but not across another item', () => {
    const text = 'Roles: Full stack web developer (Go, Python) - Front-end developer (D3)';
    const at = (w: string) => text.indexOf(w);
    const spans = new Map([
      [at('Full stack'), at('Full stack') + 10],
      [at('web developer'), at('web developer') + 13],
      [at('Go'), at('Go') + 2],
      [at('Python'), at('Python') + 6],
      [at('Front-end developer'), at('Front-end developer') + 19],
    ]);
    expect(jobTitleRole(text, at('Full stack'), at('Full stack') + 10, false, spans)).toBe('position');
    expect(jobTitleRole(text, at('Go'), at('Go') + 2, false, spans)).toBeUndefined();
  });

  it.each([
    ['We are looking for Scala engineers.', 'Scala', 'demand'],
    ['We are looking for a Senior Scala Engineer.', 'Scala', 'position'],
    ['Roles: Tech Lead, Scala developer, Designer', 'Scala', 'position'],
    ['As a Scala developer you will own the billing service.', 'Scala', undefined],
    ['Our library is used by many Scala developers.', 'Scala', 'position'],
    ['Scala experience is welcome.', 'Scala', undefined],
    ['Roles: Tech Lead, Senior Scala developer, Designer', 'Scala', 'position'],
  ])('%j: %s is %s', (text, word, role) => {
    const start = text.indexOf(word);
    expect(jobTitleRole(text, start, start + word.length, /looking for/.test(text), new Map())).toBe(role);
  });
});

describe('computeDemandContext', () => {
  it('finds URLs, e-mail addresses, the title and the degree fields', () => {
    const text = 'Data Engineer\nWrite to jobs at example dot com or visit www.example.io/jobs.\nMSc in Physics or Chemistry, and 3 years of Python.';
    const ctx = computeDemandContext(text);
    expect(ctx.title).toEqual([0, 13]);
    expect(ctx.masked.map(([a, b, kind]) => [text.slice(a, b), kind])).toEqual([
      ['jobs at example dot com', 'email'],
      ['www.example.io/jobs.', 'url'],
    ]);
    expect(ctx.degreeFields.map(([a, b]) => text.slice(a, b).trim())).toEqual(['Physics or Chemistry,']);
  });

  it('has no title when the first line is a sentence', () => {
    expect(computeDemandContext('We are hiring a data engineer to build our pipelines.\nPython').title).toBeUndefined();
  });

  it('reads the short run of words before the first link as the title where line breaks were lost', () => {
    const text =
      'Kotlin mobile developer in Ghent (hybrid) https://example.dev/jobs We are a small studio that makes apps for ' +
      'museums and libraries, and we need one more pair of hands for the Android side of things this spring.';
    const title = computeDemandContext(text).title;
    expect(text.slice(...(title as [number, number]))).toBe('Kotlin mobile developer in Ghent (hybrid)');
    const sentence = 'We use Kotlin at https://example.dev and need one more pair of hands for the Android side of our apps for museums and libraries, this spring and summer, in Ghent.';
    expect(computeDemandContext(sentence).title).toBeUndefined();
  });

  it('finds the header of a posting whose line breaks were lost', () => {
    const text =
      'Acme | Backend Engineer | Berlin | Onsite We are building payroll software for bakeries and need help with the ' +
      'ledger, the tax rules of every German state, and the reports that accountants read every month.';
    const title = computeDemandContext(text).title;
    expect(text.slice(...(title as [number, number]))).toBe('Acme | Backend Engineer | Berlin | Onsite');
  });
});

describe('extract --explain', () => {
  it('lists every candidate mention with its verdict, in the table and in JSON', async () => {
    const dir = tempDir();
    const file = join(dir, 'post.md');
    writeFileSync(file, 'Acme | Go Engineer | Remote\nTech stack: Go, PostgreSQL\n\nTo apply, send your GitHub profile to jobs@acme.dev');
    const json = await runCli(['extract', file, '--format', 'json', '--explain']);
    expect(json.code).toBe(0);
    const [record] = JSON.parse(json.stdout);
    expect(record.skills.map((s: { id: string }) => s.id)).toEqual(['go', 'postgresql']);
    expect(record.explain.map((e: { id: string; counted: boolean; reason: string }) => [e.id, e.counted, e.reason])).toEqual([
      ['go', false, 'title'],
      ['go', true, 'stack'],
      ['postgresql', true, 'stack'],
      ['github', false, 'apply'],
    ]);
    const table = await runCli(['extract', file, '--explain']);
    expect(table.stdout).toContain('    - Go [title] "Go" @ 7-9 in other\n');
    expect(table.stdout).toContain('    + PostgreSQL [stack, unspecified] "PostgreSQL" @ 44-54 in stack\n');
  });

  it('prints no explanation without the flag', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'Python');
    const { stdout } = await runCli(['extract', join(dir, 'a.txt'), '--format', 'json']);
    expect(JSON.parse(stdout)[0].explain).toBeUndefined();
  });
});
