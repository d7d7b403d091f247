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
  ])('%s -> %s', (line, kind) => {
    expect(classifyHeading(line)?.kind).toBe(kind);
  });

  it.each([
    ['We need strong experience with Python and SQL.'],
    ['- Requirements gathering with stakeholders'],
    ['The following tools are used across the whole company here: Python'],
  ])('is not a heading: %s', (line) => {
    expect(classifyHeading(line)).toBeUndefined();
  });
});

describe('findSections', () => {
  it('spans each section from its heading to the next', () => {
    const text = 'Intro line\nRequirements\n- Python\nNice to have\n- Rust';
    const sections = findSections(text);
    expect(sections.map((s) => [s.kind, text.slice(s.start, s.end)])).toEqual([
      ['requirements', 'Requirements\n- Python\n'],
      ['preferred', 'Nice to have\n- Rust'],
    ]);
  });
});
