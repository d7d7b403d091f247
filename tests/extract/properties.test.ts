import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractPosting } from '../../src/extract/extract.js';
import { htmlToText } from '../../src/normalize/html.js';
import { normalizePosting } from '../../src/normalize/posting.js';
import { recordToRaw } from '../../src/normalize/records.js';
import { readPostingFiles, type SourceItem } from '../../src/sources/files.js';
import type { Posting, RawPosting } from '../../src/types.js';
import { shippedTaxonomy, tempDir } from '../helpers.js';

// Issue 14: random and mutated postings, pages, CSV and JSON lines never make a reader or the
// extractor throw (bad input is a failed item with its reason), and every mention is evidence:
// its offsets lie inside the text and text.slice(start, end) is its text. Bounded to run in seconds.

const SAMPLES: Record<string, string> = {
  '.md': readFileSync('fixtures/postings/ml-engineer.md', 'utf8'),
  '.txt': readFileSync('fixtures/postings/data-engineer.txt', 'utf8'),
  '.html': readFileSync('fixtures/postings/frontend.html', 'utf8'),
  '.json': readFileSync('fixtures/postings/postings.json', 'utf8'),
  '.jsonl': readFileSync('fixtures/postings/postings.jsonl', 'utf8'),
  '.csv': readFileSync('fixtures/postings/postings.csv', 'utf8'),
};

/** Pieces that break parsers: quotes, separators, brackets, BOMs, NUL, lone surrogates, invalid UTF-8 once encoded as latin1. */
const NASTY = ['"', ',', '\n', '\r', '\r\n', '{', '}', '[', ']', '<', '>', '</p>', '<li>', '&amp;', '&#0;', '\u0000', '\uFEFF', '\uD800', '\u2028', 'é', '😀', '\\', '"text":', '\t', ' '.repeat(40), '<!--', '<script>', 'Date: 1970-01-01\n'];

/** A string with up to `k` edits: a piece replaced, deleted, duplicated, or a nasty piece inserted. */
function mutated(source: string, k = 6): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom('insert', 'delete', 'duplicate', 'upper'), fc.constantFrom(...NASTY));
  return fc.array(edit, { maxLength: k }).map((edits) =>
    edits.reduce((s, [at, len, kind, piece]) => {
      const i = s.length === 0 ? 0 : at % s.length;
      if (kind === 'insert') return s.slice(0, i) + piece + s.slice(i);
      if (kind === 'delete') return s.slice(0, i) + s.slice(i + len);
      if (kind === 'duplicate') return s.slice(0, i + len) + s.slice(i, i + len) + s.slice(i + len);
      return s.slice(0, i) + s.slice(i, i + len).toUpperCase() + s.slice(i + len);
    }, source),
  );
}

/** A file's bytes: a sample mutated (as UTF-8, or UTF-16 with its BOM), or random bytes. */
const fileCase = fc.constantFrom(...Object.keys(SAMPLES)).chain((ext) =>
  fc.tuple(
    fc.constant(ext),
    fc.oneof(
      { weight: 4, arbitrary: mutated(SAMPLES[ext] as string).map((s) => Buffer.from(s, 'utf8')) },
      { weight: 1, arbitrary: mutated(SAMPLES[ext] as string, 2).map((s) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])) },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)) },
    ),
  ),
);

function expectWellFormed(items: SourceItem[]): void {
  for (const item of items) {
    if (item.ok) {
      expect(typeof item.raw.body).toBe('string');
      expect(item.raw.origin).not.toBe('');
    } else {
      expect(item.input).not.toBe('');
      expect(item.reason).toMatch(/\S/);
    }
  }
}

/** Every mention and every explained candidate lies inside the text and is its slice. */
function expectEvidence(posting: Posting, x: ReturnType<typeof extractPosting>): void {
  const spans = [...x.skills.flatMap((s) => s.mentions), ...(x.explain ?? [])];
  for (const m of spans) {
    expect(0 <= m.start && m.start < m.end && m.end <= posting.text.length, `${m.start}-${m.end} in ${posting.text.length}`).toBe(true);
    expect(posting.text.slice(m.start, m.end)).toBe(m.text);
  }
  for (const m of x.skills.flatMap((s) => s.mentions)) expect(m.sentenceStart <= m.start && m.end <= m.sentenceEnd && m.sentenceEnd <= posting.text.length).toBe(true);
}

describe('readPostingFiles on random and mutated files', () => {
  it('yields postings or failures naming the input, never throws', async () => {
    const dir = tempDir();
    let k = 0;
    await fc.assert(
      fc.asyncProperty(fileCase, async ([ext, bytes]) => {
        const file = join(dir, `case-${k++}${ext}`);
        writeFileSync(file, bytes);
        const items: SourceItem[] = [];
        for await (const item of readPostingFiles([file], { now: '2026-01-01T00:00:00.000Z' })) items.push(item);
        expect(items.length).toBeGreaterThan(0);
        expectWellFormed(items);
      }),
      { numRuns: 120 },
    );
  });

  it('reads any standard input without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutated(SAMPLES['.json'] as string), mutated(SAMPLES['.jsonl'] as string), fc.string({ unit: 'binary', maxLength: 300 })), async (text) => {
        const items: SourceItem[] = [];
        for await (const item of readPostingFiles(['-'], { readStdin: async () => text })) items.push(item);
        expectWellFormed(items);
      }),
      { numRuns: 100 },
    );
  });
});

describe('recordToRaw and htmlToText on anything', () => {
  const ctx = { source: 'file', file: 'f', index: 1, origin: 'f#1', fetchedAt: '2026-01-01T00:00:00.000Z' };

  it('recordToRaw returns a posting or an error for any value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ text: fc.anything(), title: fc.anything(), date: fc.anything(), id: fc.anything(), url: fc.anything(), company: fc.anything() })), (value) => {
        const r = recordToRaw(value, ctx);
        if (r.ok) expect(typeof r.value.body).toBe('string');
        else expect(r.error).toMatch(/\S/);
      }),
      { numRuns: 500 },
    );
  });

  it('htmlToText gives trimmed text for any string or mutated page', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), mutated(SAMPLES['.html'] as string, 10)), (html) => {
        const text = htmlToText(html);
        expect(text).toBe(text.trim());
      }),
      { numRuns: 400 },
    );
  });
});

describe('normalizePosting and extractPosting on random and mutated postings', () => {
  const compiled = shippedTaxonomy();
  const names = compiled.taxonomy.skills.slice(0, 400).flatMap((s) => [s.name, ...s.aliases.slice(0, 1)]);
  const word = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...names) },
    { weight: 3, arbitrary: fc.constantFrom('Requirements:', '## Nice to have', 'You have', 'must', 'a plus', 'not', 'no', 'years of', '5+', 'and', 'or', '/', '(', ')', ',', '.', ';', '-', '•', 'We use', 'About us', 'experience with', 'https://x.example/a', 'a@b.example', 'Senior', 'Engineer') },
    { weight: 1, arbitrary: fc.constantFrom(...NASTY) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  );
  const generated = fc.array(fc.tuple(word, fc.constantFrom(' ', ' ', '\n', '', '\n\n')), { maxLength: 60 }).map((parts) => parts.map(([w, sep]) => w + sep).join(''));
  const raw = fc.record({
    contentType: fc.constantFrom<RawPosting['contentType']>('text/plain', 'text/markdown', 'text/html'),
    body: fc.oneof(generated, mutated(SAMPLES['.md'] as string, 8), mutated(SAMPLES['.html'] as string, 8)),
    title: fc.option(generated, { nil: undefined }),
    company: fc.option(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })), { nil: undefined }),
  });

  it('gives sections inside the text and mentions that are its slices', () => {
    fc.assert(
      fc.property(raw, ({ contentType, body, title, company }) => {
        const posting = normalizePosting({
          source: 'test',
          externalId: '1',
          fetchedAt: '2026-01-01T00:00:00.000Z',
          contentType,
          body,
          hints: { ...(title !== undefined && { title }), ...(company !== undefined && { company }) },
          origin: 'test',
        });
        expect(posting.text).toBe(posting.text.trim());
        for (const s of posting.sections) expect(0 <= s.start && s.start < s.end && s.end <= posting.text.length).toBe(true);
        expectEvidence(posting, extractPosting(posting, compiled, { explain: true }));
      }),
      { numRuns: 250 },
    );
  });
});
