import { describe, expect, it } from 'vitest';
import { parseDate } from '../../src/normalize/dates.js';
import { computePostingId, normalizePosting } from '../../src/normalize/posting.js';
import { parseTextHeader, recordToRaw } from '../../src/normalize/records.js';

const ctx = { source: 'file', file: '/x/p.json', index: 2, origin: 'p.json#2', fetchedAt: '2026-01-01T00:00:00.000Z' };

describe('parseDate', () => {
  it.each([
    ['2026-03-04', '2026-03-04T00:00:00.000Z'],
    ['2026-03-04T10:20:30Z', '2026-03-04T10:20:30.000Z'],
    ['2026-03-04T10:20:30+02:00', '2026-03-04T08:20:30.000Z'],
    ['2026-03', '2026-03-01T00:00:00.000Z'],
    [1772582400, '2026-03-04T00:00:00.000Z'],
    [1772582400000, '2026-03-04T00:00:00.000Z'],
    ['1772582400', '2026-03-04T00:00:00.000Z'],
  ])('%s -> %s', (input, expected) => {
    expect(parseDate(input)).toBe(expected);
  });

  it.each([['next week'], ['2026-02-31'], ['04/03/2026'], [''], [null], [true]])('rejects %s', (input) => {
    expect(parseDate(input)).toBeUndefined();
  });
});

describe('recordToRaw', () => {
  it('reads the field names people use', () => {
    const r = recordToRaw(
      { job_id: 7, job_title: 'Engineer', company_name: 'Acme', city: 'Oslo', posted_at: '2026-01-02', description: 'Python' },
      ctx,
    );
    expect(r).toEqual({
      ok: true,
      warnings: [],
      value: expect.objectContaining({
        externalId: 'id:Acme/7',
        contentType: 'text/plain',
        body: 'Python',
        hints: { title: 'Engineer', company: 'Acme', location: 'Oslo', postedAt: '2026-01-02T00:00:00.000Z' },
      }),
    });
  });

  it('prefers an html field and spots HTML in a plain field', () => {
    const a = recordToRaw({ text: 'plain', html: '<p>rich</p>' }, ctx);
    expect(a.ok && [a.value.contentType, a.value.body]).toEqual(['text/html', '<p>rich</p>']);
    const b = recordToRaw({ description: '<ul><li>Go</li></ul>' }, ctx);
    expect(b.ok && b.value.contentType).toBe('text/html');
  });

  it('uses the record number as identity when there is no id and no URL', () => {
    const r = recordToRaw({ text: 'x' }, ctx);
    expect(r.ok && r.value.externalId).toBe('/x/p.json#2');
    const withUrl = recordToRaw({ text: 'x', url: 'https://jobs.example.test/9' }, ctx);
    expect(withUrl.ok && [withUrl.value.externalId, withUrl.value.url]).toEqual([undefined, 'https://jobs.example.test/9']);
    const withoutCompany = recordToRaw({ text: 'x', id: 'r-3' }, ctx);
    expect(withoutCompany.ok && withoutCompany.value.externalId).toBe('id:r-3');
  });

  it('fails a record with no text, naming the fields it looked for', () => {
    const r = recordToRaw({ title: 'Nothing' }, ctx);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/no posting text: expected one of the fields text, description/) });
  });

  it('warns about a date it cannot read and keeps the posting', () => {
    const r = recordToRaw({ text: 'x', date: 'soon' }, ctx);
    expect(r.ok && r.warnings).toEqual([expect.stringMatching(/date "soon" is not ISO 8601/)]);
  });

  // Issue 14: a hostile record nested 100,000 deep overflowed the stack (RangeError) and ended the batch.
  it('reads a record whose fields nest 100,000 deep without a stack overflow', () => {
    const n = 100_000;
    const record = JSON.parse(`{"text":"Python","title":${'['.repeat(n)}"t"${']'.repeat(n)},"date":${'['.repeat(n)}1${']'.repeat(n)},"company":${'{"name":'.repeat(n)}"Acme"${'}'.repeat(n)}}`);
    const r = recordToRaw(record, ctx);
    expect(r).toMatchObject({ ok: true, value: { body: 'Python', hints: {} }, warnings: ['date an array is not ISO 8601 or epoch seconds/milliseconds; ignored'] });
  });

  it('keeps schema.org values nested a few levels', () => {
    const r = recordToRaw({ text: 'x', title: [['Data', ['Engineer']]], jobLocation: [{ '@type': 'Place', address: { addressLocality: 'Oslo', addressCountry: { name: 'NO' } } }] }, ctx);
    expect(r.ok && r.value.hints).toEqual({ title: 'Data; Engineer', location: 'Oslo, NO' });
  });

  it('quotes a long unreadable date shortly', () => {
    const r = recordToRaw({ text: 'x', date: 'y'.repeat(10_000) }, ctx);
    expect(r.ok && r.warnings[0]).toBe(`date "${'y'.repeat(60)}…" is not ISO 8601 or epoch seconds/milliseconds; ignored`);
  });
});

describe('parseTextHeader', () => {
  it('reads leading metadata lines and a markdown title', () => {
    expect(parseTextHeader('# ML Engineer\nCompany: Acme\nLocation: Remote\nDate: 2026-02-01\n\nBody').hints).toEqual({
      title: 'ML Engineer',
      company: 'Acme',
      location: 'Remote',
      postedAt: '2026-02-01T00:00:00.000Z',
    });
  });

  it('stops at the first line that is not metadata', () => {
    expect(parseTextHeader('We are hiring.\nTitle: not a header').hints).toEqual({});
  });
});

describe('normalizePosting', () => {
  const raw = { source: 'file', externalId: '/x/a.md', fetchedAt: ctx.fetchedAt, contentType: 'text/html' as const, body: '<h2>Requirements</h2><p>Python</p>', hints: { title: 'T' }, origin: 'a.md' };

  it('gives plain text, sections, a stable id and a content hash', () => {
    const p = normalizePosting(raw);
    expect(p.text).toBe('Requirements\n\nPython');
    expect(p.sections.map((s) => s.kind)).toEqual(['requirements']);
    expect(p.id).toBe(computePostingId('file', '/x/a.md'));
    expect(normalizePosting(raw).contentHash).toBe(p.contentHash);
    expect(normalizePosting({ ...raw, body: '<p>Rust</p>' }).contentHash).not.toBe(p.contentHash);
    expect(normalizePosting({ ...raw, body: '<p>Rust</p>' }).id).toBe(p.id);
  });

  it('replaces NUL, which PostgreSQL cannot store, by U+FFFD in the text and every hint, keeping offsets', () => {
    const p = normalizePosting({ ...raw, contentType: 'text/plain', body: 'Python\0 and Go', hints: { title: 'Dev\0', company: 'A\0B' }, externalId: 'x\0' });
    expect(p.text).toBe('Python\uFFFD and Go');
    expect([p.title, p.company, p.externalId]).toEqual(['Dev\uFFFD', 'A\uFFFDB', 'x\uFFFD']);
    expect(JSON.stringify(p)).not.toContain('\\u0000');
  });
});
