import { describe, expect, it } from 'vitest';
import { classifyHeading, findSections } from '../../src/normalize/sections.js';

describe('classifyHeading', () => {
  it.each([
    ['Requirements', 'requirements'],
    ['## What you\'ll bring', 'requirements'],
    ['**Must haves**', 'requirements'],
    ['QUALIFICATIONS', 'requirements'],
    ['You have:', 'requirements'],
    ['Preferred qualifications', 'preferred'],
    ['Nice to have', 'preferred'],
    ['Bonus points:', 'preferred'],
    ["What you'll do", 'responsibilities'],
    ['RESPONSIBILITIES', 'responsibilities'],
    ['About us', 'about'],
    ['Perks', 'benefits'],
    ['What we offer:', 'benefits'],
    ['Requirements: Python, SQL', 'requirements'],
    ['Need to have', 'requirements'],
    ['You:', 'requirements'],
    ['Wants:', 'preferred'],
    ['Ideal:', 'preferred'],
    ['Additional', 'preferred'],
    ['Desired Skills and Requirements', 'requirements'],
    ['The ideal candidate will bring the following to the team:', 'preferred'],
    ['You may be a good fit if you have:', 'requirements'],
    ['You might be a particularly great fit if you:', 'preferred'],
    ['Candidates must be:', 'requirements'],
    ['Tech Stack', 'stack'],
    ['==Stack==', 'stack'],
    ['Frontend Techstack: Vue, Vite', 'stack'],
    ['How we work', undefined],
    // Issue 12: a list of the employer's past work is description, however long its lead.
    ['Selected publications', 'about'],
    ['Past projects', 'about'],
    ['Over the last year our residents shipped a lot, and on our engineering blog you can read about several past resident projects, such as:', 'about'],
    ['Team leads, focus areas and past projects', undefined],
    ['Projects in this track might include:', 'responsibilities'],
  ])('%s -> %s', (line, kind) => {
    expect(classifyHeading(line)?.kind).toBe(kind);
  });

  it.each([
    ['We need strong experience with Python and SQL.'],
    ['- Requirements gathering with stakeholders'],
    ['The following tools are used across the whole company here: Python'],
    ['A Master’s degree is preferred'],
    ['Experience with Terraform is a plus'],
    ['Senior Engineer, Developer Experience'],
    ['You care about testing, tooling and reliability'],
  ])('is not a heading: %s', (line) => {
    expect(classifyHeading(line)).toBeUndefined();
  });
});

describe('findSections', () => {
  it('finds headings inside a paragraph whose line breaks were lost', () => {
    const text =
      'Acme builds tools for farmers in Kenya. Key responsibilities Ship the Android app and its APIs. ' +
      'Minimum qualifications 3+ years of Kotlin Preferred qualifications Experience with Flutter How to apply: write to us.';
    const kinds = findSections(text).map((s) => [s.kind, s.heading]);
    expect(kinds).toEqual([
      ['responsibilities', 'Key responsibilities'],
      ['requirements', 'Minimum qualifications'],
      ['preferred', 'Preferred qualifications'],
      ['other', 'How to apply'],
    ]);
  });

  it('reads a lead that ends in a colon inside a paragraph whose line breaks were lost', () => {
    const text =
      'We build irrigation sensors for small farms. Across our teams, you could be a strong fit if you: Write Go daily ' +
      'Mentors include: Dana Frost Lee Park On the lab blog you can read about a few past projects: A Rust linter for spreadsheets ' +
      'The ideal candidate also has: Some Kotlin';
    expect(findSections(text).map((s) => s.kind)).toEqual(['requirements', 'about', 'preferred']);
  });

  it('ends the employer description at a marked heading of no known kind, not a list of requirements', () => {
    const about = '== About us ==\nWe make maps for hikers.\n== The gig ==\nYou will write Go and Kotlin.\n';
    expect(findSections(about).map((s) => [s.kind, s.heading])).toEqual([
      ['about', 'About us'],
      ['other', 'The gig'],
    ]);
    const asked = '## Requirements\nTwo of these three:\n## Backend work\nGo and PostgreSQL\n';
    expect(findSections(asked).map((s) => s.kind)).toEqual(['requirements']);
    const openings = '== About us ==\nWe make maps.\n== Open roles ==\nAndroid Engineer, Go Engineer\n';
    expect(findSections(openings).map((s) => s.kind)).toEqual(['about']);
  });

  it('reads one heading word before a bullet as a heading in a paragraph whose line breaks were lost', () => {
    const text = 'We repair bikes. Nice to have • Terraform • Some Elixir Perks • A yearly Kafka Summit ticket • Free lunch on Fridays';
    expect(findSections(text).map((s) => s.kind)).toEqual(['preferred', 'benefits']);
  });

  it('finds a heading glued to the word before it', () => {
    const text = 'You bring 4+ years of backend experiencePreferred Qualifications: Go, gRPC and some Rust in production';
    expect(findSections(text).map((s) => s.kind)).toEqual(['preferred']);
  });

  it('reads the last sentence of a long line that ends in a colon as a heading', () => {
    const text = 'We are a small team in Lyon. Ideal candidates will have the following skills:\n* Elixir\n* PostgreSQL';
    expect(findSections(text).map((s) => s.kind)).toEqual(['preferred']);
  });

  it('keeps "• Bonus: ..." to its own line', () => {
    const text = 'Requirements\n• Go\n• Bonus: Rust\n• SQL';
    const sections = findSections(text);
    const kindAt = (word: string) => sections.filter((s) => s.start <= text.indexOf(word) && text.indexOf(word) < s.end).pop()?.kind;
    expect([kindAt('Go'), kindAt('Rust'), kindAt('SQL')]).toEqual(['requirements', 'preferred', 'requirements']);
  });

  it('keeps "• Bonus: ..." to its own item when the line breaks were lost', () => {
    const text = 'Backend engineer: • Solid Go in production • Bonus: some Rust or Zig • Careful with SQL migrations • Calm on call, once a month';
    const sections = findSections(text);
    const kindAt = (word: string) => sections.filter((s) => s.start <= text.indexOf(word) && text.indexOf(word) < s.end).pop()?.kind ?? 'other';
    expect([kindAt('Go'), kindAt('Rust'), kindAt('SQL')]).toEqual(['other', 'preferred', 'other']);
  });

  it('starts a lead run together with the words before it where its heading words start', () => {
    const text =
      'We race sailboats on weekends and build the telemetry for them, from the masthead sensors to the dashboards that coaches read on the dock. Read our write-up: Sensor fusion on a moving deck Projects this season may include: Porting the logger to Rust';
    const sections = findSections(text);
    const at = text.indexOf('Projects this season');
    expect(sections.find((s) => s.kind === 'responsibilities')?.start).toBe(at);
    expect(findSections(text).some((s) => s.kind === 'responsibilities' && s.start <= text.indexOf('Sensor fusion'))).toBe(false);
  });

  it('ends a glued form field at the next one when the line breaks were lost', () => {
    const text =
      'Data Analyst Type of Position:Full time Clearance Must Be Able to Obtain:Secret Job Family:Data Science and Analytics Job Qualifications: Skills:SQL, Tableau, Statistics Certifications:None Travel:Less than 10%';
    const sections = findSections(text);
    const kindAt = (word: string) => sections.filter((s) => s.start <= text.indexOf(word) && text.indexOf(word) < s.end).pop()?.kind ?? 'other';
    expect([kindAt('Data Science'), kindAt('Tableau')]).toEqual(['other', 'requirements']);
  });

  it('ends the employer description at a horizontal rule, not at a heading underline', () => {
    const text = 'About us\n\n--------\n\nWe grow lettuce indoors with Go services.\n\n==========\n\nPlant Engineer\n\n* Experience with Python and PLCs';
    const sections = findSections(text);
    const kindAt = (word: string) => sections.filter((s) => s.start <= text.indexOf(word) && text.indexOf(word) < s.end).pop()?.kind;
    expect([kindAt('lettuce'), kindAt('Python')]).toEqual(['about', 'other']);
  });

  it('spans each section from its heading to the next', () => {
    const text = 'Intro line\nRequirements\n- Python\nNice to have\n- Rust';
    const sections = findSections(text);
    expect(sections.map((s) => [s.kind, text.slice(s.start, s.end)])).toEqual([
      ['requirements', 'Requirements\n- Python\n'],
      ['preferred', 'Nice to have\n- Rust'],
    ]);
  });
});
