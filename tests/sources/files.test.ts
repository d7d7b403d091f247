import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPostingFiles, type SourceItem } from '../../src/sources/files.js';
import { tempDir } from '../helpers.js';

async function collect(paths: string[], stdin?: string): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readPostingFiles(paths, { now: '2026-01-01T00:00:00.000Z', ...(stdin !== undefined && { readStdin: async () => stdin }) })) out.push(item);
  return out;
}
const ok = (items: SourceItem[]) => items.flatMap((i) => (i.ok ? [i.raw] : []));
const failed = (items: SourceItem[]) => items.flatMap((i) => (i.ok ? [] : [[i.input, i.reason]]));

describe('readPostingFiles: formats', () => {
  it('reads a plain text posting with its header lines', async () => {
    const [raw] = ok(await collect(['fixtures/postings/data-engineer.txt']));
    expect(raw).toMatchObject({
      source: 'file',
      contentType: 'text/plain',
      origin: 'fixtures/postings/data-engineer.txt',
      hints: { title: 'Data Engineer, Payments Platform', company: 'Harbor Ledger', location: 'Lisbon, Portugal', postedAt: '2026-02-17T00:00:00.000Z' },
    });
  });

  it('reads markdown', async () => {
    const [raw] = ok(await collect(['fixtures/postings/ml-engineer.md']));
    expect(raw?.contentType).toBe('text/markdown');
    expect(raw?.hints.title).toBe('Senior Machine Learning Engineer');
  });

  it('reads an HTML page with its h1 as title', async () => {
    const [raw] = ok(await collect(['fixtures/postings/frontend.html']));
    expect(raw).toMatchObject({ contentType: 'text/html', hints: { title: 'Frontend Engineer' } });
  });

  it('reads a JSON array, a single JSON object and a schema.org JobPosting', async () => {
    const items = ok(await collect(['fixtures/postings/postings.json', 'fixtures/postings/one-posting.json', 'fixtures/postings/jobposting.json']));
    expect(items.map((r) => [r.origin, r.hints.title, r.hints.postedAt])).toEqual([
      ['fixtures/postings/postings.json#1', 'Data Scientist, Pricing', '2026-01-12T00:00:00.000Z'],
      ['fixtures/postings/postings.json#2', 'ML Platform Engineer', '2026-02-01T00:00:00.000Z'],
      ['fixtures/postings/one-posting.json', 'QA Automation Engineer', '2025-11-03T09:30:00.000Z'],
      ['fixtures/postings/jobposting.json', 'Analytics Engineer', '2026-04-01T00:00:00.000Z'],
    ]);
    expect(items[3]?.hints).toMatchObject({ company: 'Pinecrest Foods', location: 'Leeds, GB', salary: 'GBP 55000-68000 YEAR' });
    expect(items[1]?.hints.remote).toBe(true);
  });

  it('reads JSONL with epoch-millisecond dates', async () => {
    const items = ok(await collect(['fixtures/postings/postings.jsonl']));
    expect(items.map((r) => r.origin)).toEqual(['fixtures/postings/postings.jsonl:1', 'fixtures/postings/postings.jsonl:2', 'fixtures/postings/postings.jsonl:3']);
    expect(items[2]?.hints.postedAt).toBe('2026-03-10T00:00:00.000Z');
  });

  it('reads CSV with quoted multi-line descriptions', async () => {
    const items = ok(await collect(['fixtures/postings/postings.csv']));
    expect(items).toHaveLength(2);
    expect(items[0]?.body).toContain('Requirements:\n- OpenCV and PyTorch');
    expect(items[0]?.hints).toMatchObject({ title: 'Computer Vision Engineer', location: 'Zurich, CH' });
  });

  it('walks directories in name order, skipping hidden and unsupported files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'b.txt'), 'Python');
    writeFileSync(join(dir, 'sub', 'a.md'), 'SQL');
    writeFileSync(join(dir, '.hidden.txt'), 'Go');
    writeFileSync(join(dir, 'notes.pdf'), 'x');
    const items = await collect([dir]);
    expect(ok(items).map((r) => r.body)).toEqual(['Python', 'SQL']);
    expect(failed(items)).toEqual([]);
  });

  it('reads standard input for -', async () => {
    const items = ok(await collect(['-'], '[{"title":"A","text":"Python"},{"title":"B","text":"Rust"}]'));
    expect(items.map((r) => r.hints.title)).toEqual(['A', 'B']);
    expect(ok(await collect(['-'], 'Plain posting about Kafka'))[0]?.contentType).toBe('text/plain');
  });

  it('gives stable identities: the same file read twice yields the same keys', async () => {
    const a = ok(await collect(['fixtures/postings/postings.json']));
    const b = ok(await collect(['fixtures/postings/postings.json']));
    expect(a.map((r) => r.externalId)).toEqual(b.map((r) => r.externalId));
    expect(a[0]?.externalId).toBe('id:Kestrel Mobility/ds-104');
  });
});

describe('readPostingFiles: bad input', () => {
  it('reports each bad file or record with its path and reason, and goes on', async () => {
    const items = await collect(['fixtures/bad/unreadable', 'no/such/file.txt', 'fixtures/postings/data-engineer.txt']);
    expect(failed(items)).toEqual([
      ['fixtures/bad/unreadable/binary.txt', 'binary file (contains NUL bytes), not a text posting'],
      ['fixtures/bad/unreadable/empty.txt', 'empty file'],
      ['fixtures/bad/unreadable/invalid.json', expect.stringMatching(/^invalid JSON: /)],
      ['fixtures/bad/unreadable/mixed.jsonl:2', expect.stringMatching(/^invalid JSON: /)],
      ['fixtures/bad/unreadable/mixed.jsonl:3', expect.stringMatching(/^no posting text/)],
      ['fixtures/bad/unreadable/no-text-column.csv', 'no text column in the CSV header (expected one of text, description, content, body, descriptionPlain, html, description_html, descriptionHtml, content_html; found id, title, company)'],
      ['no/such/file.txt', 'no such file or directory'],
    ]);
    expect(ok(items).map((r) => r.origin)).toEqual(['fixtures/bad/unreadable/mixed.jsonl:1', 'fixtures/postings/data-engineer.txt']);
  });

  it('rejects text that is not UTF-8 and unsupported file types named directly', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x50, 0x79]));
    writeFileSync(join(dir, 'cv.pdf'), '%PDF');
    expect(failed(await collect([join(dir, 'latin1.txt'), join(dir, 'cv.pdf')]))).toEqual([
      [join(dir, 'latin1.txt'), 'not valid UTF-8 text'],
      [join(dir, 'cv.pdf'), expect.stringMatching(/^unsupported file type "\.pdf"/)],
    ]);
  });

  it('reports an empty directory and an empty JSON array', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'none.json'), '[]');
    const empty = tempDir();
    expect(failed(await collect([join(dir, 'none.json'), empty]))).toEqual([
      [join(dir, 'none.json'), 'no postings in the JSON array'],
      [empty, expect.stringMatching(/^no posting files in directory/)],
    ]);
  });
});
