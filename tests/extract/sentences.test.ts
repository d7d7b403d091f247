import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractPosting } from '../../src/extract/extract.js';
import { MAX_SENTENCE, SentenceIndex, sentenceAt } from '../../src/extract/sentences.js';
import { normalizePosting } from '../../src/normalize/posting.js';
import type { RawPosting } from '../../src/types.js';
import { shippedTaxonomy } from '../helpers.js';

// Issue 14: one document never stalls a batch. Text without sentence ends (a flattened list, a run
// of words) is read in pieces of bounded size, so the work per mention is bounded and a posting's
// cost grows with its size, not with its size squared.

const raw = (body: string): RawPosting => ({ source: 'file', origin: 'long.txt', fetchedAt: '2026-01-01T00:00:00Z', contentType: 'text/plain', body, hints: {} });

describe('sentenceAt', () => {
  it('finds ordinary sentences whole', () => {
    const text = 'We use Go. You know SQL and dbt!\nNice to have: Rust';
    expect(text.slice(...sentenceAt(text, text.indexOf('SQL')))).toBe('You know SQL and dbt!');
    expect(text.slice(...sentenceAt(text, text.indexOf('Rust')))).toBe('Nice to have: Rust');
  });

  it('keeps a sentence just under the limit whole', () => {
    const words = 'python java aws docker '.repeat(Math.floor((MAX_SENTENCE - 10) / 23)).trim();
    const text = `Intro. ${words}. End.`;
    const at = sentenceAt(text, text.indexOf('docker'));
    expect(text.slice(...at)).toBe(`${words}.`);
  });

  it('cuts text without sentence ends into bounded pieces that every offset in them agrees on', () => {
    const text = 'experience with python java aws docker required preferred nice to have '.repeat(400);
    const pieces = new Map<number, number>();
    for (let offset = 0; offset < text.length; offset += 7) {
      const [start, end] = sentenceAt(text, offset);
      expect(end - start).toBeLessThanOrEqual(MAX_SENTENCE);
      // Each offset lies in its piece (or in the spaces trimmed off its ends).
      if (offset < start) expect(text.slice(offset, start).trim()).toBe('');
      if (offset >= end) expect(text.slice(end, offset + 1).trim()).toBe('');
      // Pieces do not overlap: a start always comes with the same end.
      if (pieces.has(start)) expect(pieces.get(start)).toBe(end);
      pieces.set(start, end);
    }
    const sorted = [...pieces].sort((a, b) => a[0] - b[0]);
    for (let k = 1; k < sorted.length; k++) expect(sorted[k]?.[0]).toBeGreaterThanOrEqual(sorted[k - 1]?.[1] ?? 0);
  });

  it('cuts a run without spaces too', () => {
    const text = 'x'.repeat(10 * MAX_SENTENCE);
    for (const offset of [0, 5, MAX_SENTENCE, 7 * MAX_SENTENCE + 3, text.length - 1]) {
      const [start, end] = sentenceAt(text, offset);
      expect(start).toBeLessThanOrEqual(offset);
      expect(end).toBeGreaterThan(offset);
      expect(end - start).toBeLessThanOrEqual(MAX_SENTENCE);
    }
  });

  it('gives bounded sentences holding the offset for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '.', '\n', '•', '-', 'e.g.', 'Python', '  '), maxLength: 9000 }), fc.nat(), (text, n) => {
        if (text.length === 0) return;
        const offset = n % text.length;
        const [start, end] = sentenceAt(text, offset);
        expect(0 <= start && start <= end && end <= text.length).toBe(true);
        expect(end - start).toBeLessThanOrEqual(MAX_SENTENCE);
      }),
      { numRuns: 200 },
    );
  });
});

describe('SentenceIndex', () => {
  it('answers every offset as sentenceAt does, in any order, for any text', () => {
    const unit = fc.constantFrom('a', 'B', ' ', '.', '. ', '\n', '•', ' - ', ' * ', '-', '*', 'e.g.', 'Python', '  ', '!', 'x'.repeat(700));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 60 }), fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (text, picks) => {
        if (text.length === 0) return;
        const index = new SentenceIndex(text);
        for (const n of picks) {
          const offset = n % text.length;
          expect(index.at(offset), `${JSON.stringify(text)} at ${offset}`).toEqual(sentenceAt(text, offset));
        }
        // And every offset once more, now that many sentences are known.
        for (let offset = 0; offset < text.length; offset++) expect(index.at(offset)).toEqual(sentenceAt(text, offset));
      }),
      { numRuns: 300 },
    );
  });
});

describe('extraction of a huge posting', () => {
  it('reads a run-on text, a posting of headings and a long requirement list in pieces, with every mention inside the text', () => {
    const compiled = shippedTaxonomy();
    const shapes = [
      'experience with python java aws docker required preferred nice to have '.repeat(1000),
      'Requirements:\nPython\n'.repeat(2000),
      '5+ years of experience with Python required. '.repeat(1000),
    ];
    for (const body of shapes) {
      const posting = normalizePosting(raw(body));
      const e = extractPosting(posting, compiled);
      expect(e.skills.length).toBeGreaterThan(0);
      for (const s of e.skills)
        for (const m of s.mentions) {
          expect(posting.text.slice(m.start, m.end)).toBe(m.text);
          expect(m.sentenceEnd - m.sentenceStart).toBeLessThanOrEqual(MAX_SENTENCE);
        }
    }
  });

  it('finds the same skills in a run-on text as in its first piece', () => {
    const compiled = shippedTaxonomy();
    const unit = 'experience with python java aws docker required preferred nice to have ';
    const ids = (body: string) => extractPosting(normalizePosting(raw(body)), compiled).skills.map((s) => s.id).sort();
    expect(ids(unit.repeat(2000))).toEqual(ids(unit.repeat(10)));
  });
});
