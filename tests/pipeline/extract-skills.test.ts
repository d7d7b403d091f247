import { describe, expect, it } from 'vitest';
import { extractSkills } from '../../src/index.js';
import { runCli, shippedTaxonomy } from '../helpers.js';

// Issue 15, the library API: one call from a string (or a posting in part) to what `extract --format json --with-text` prints.
describe('extractSkills', () => {
  const options = { taxonomy: shippedTaxonomy() };

  it('takes a string and returns the record extract --format json --with-text prints', async () => {
    const text = 'Title: Data Engineer\n\nRequirements:\n- 5+ years of Python\n- No PHP experience needed\n';
    const r = extractSkills(text, options);
    const cli = await runCli(['extract', '-', '--format', 'json', '--with-text'], text);
    const [printed] = JSON.parse(cli.stdout);
    // The same structure; only where it came from differs (stdin, input).
    expect({ ...r, source: 'x', id: 'x' }).toEqual({ ...printed, source: 'x', id: 'x' });
    expect(r.title).toBe('Data Engineer');
    expect(r.skills.find((s) => s.id === 'python')).toMatchObject({ requirement: 'required', years: 5, negated: false });
    expect(r.skills.find((s) => s.id === 'php')).toMatchObject({ negated: true });
    for (const s of r.skills) for (const m of s.mentions) expect(r.text.slice(m.start, m.end)).toBe(m.text);
  });

  it('takes a posting in part: record fields, HTML bodies, missing fields never throw', () => {
    const r = extractSkills({ title: 'ML Engineer', description: '<h2>Requirements</h2><ul><li>PyTorch</li><li>Kubernetes</li></ul>' }, options);
    expect(r.title).toBe('ML Engineer');
    expect(r.company).toBeNull();
    expect(r.postedAt).toBeNull();
    expect(r.skills.map((s) => s.id).sort()).toEqual(['kubernetes', 'pytorch']);
    for (const s of r.skills) for (const m of s.mentions) expect(r.text.slice(m.start, m.end)).toBe(m.text);
    expect(extractSkills({ text: 'We use Python.' }, options).skills.map((s) => s.id)).toContain('python');
    expect(extractSkills({ body: 'Requirements: SQL', hints: {} }, options).skills.map((s) => s.id)).toEqual(['sql']);
    expect(extractSkills({ body: 'Requirements: SQL', contentType: 'text/markdown' }, options).skills.map((s) => s.id)).toEqual(['sql']);
    expect(extractSkills('', options).skills).toEqual([]);
  });

  it('knows two postings apart by their content, and keeps an id given', () => {
    expect(extractSkills({ text: 'Requirements: Go' }, options).id).not.toBe(extractSkills({ text: 'Requirements: Rust' }, options).id);
    expect(extractSkills('Requirements: Go', options).id).toBe(extractSkills('Requirements: Go', options).id);
    expect(extractSkills({ id: 7, text: 'Requirements: Go' }, options).id).toBe(extractSkills({ id: 7, text: 'Requirements: Rust' }, options).id);
  });

  it('says what is wrong when there is no text', () => {
    expect(() => extractSkills({ title: 'No text' }, options)).toThrow(/^extractSkills: no posting text: expected one of the fields text, description/);
    expect(() => extractSkills(null as unknown as string, options)).toThrow(TypeError);
  });

  it('adds every candidate mention with explain', () => {
    expect(extractSkills('Requirements: Python', { ...options, explain: true }).explain?.length).toBeGreaterThan(0);
  });

  it('compiles the shipped taxonomy itself when given none', () => {
    expect(extractSkills('Requirements: Kubernetes').skills.map((s) => s.id)).toEqual(['kubernetes']);
  });
});
