import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ReadFilesOptions, readPostingFiles, type SourceItem } from '../../src/sources/files.js';
import { tempDir } from '../helpers.js';

// Issue 14, items 6, 11 and 12: inputs that are not what their names say.

async function collect(paths: string[], options: ReadFilesOptions = {}): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readPostingFiles(paths, { now: '2026-01-01T00:00:00.000Z', ...options })) out.push(item);
  return out;
}
const ok = (items: SourceItem[]) => items.flatMap((i) => (i.ok ? [i.raw] : []));
const failed = (items: SourceItem[]) => items.flatMap((i) => (i.ok ? [] : [[i.input, i.reason]]));
const stdin = (text: string): ReadFilesOptions => ({ readStdin: async () => text });

async function listening(path: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return server;
}

describe('paths that are not regular files (item 6)', () => {
  it('refuses a FIFO, a device, a link to a device and a socket given by name, and goes on', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'pipe.txt');
    execFileSync('mkfifo', [fifo]);
    symlinkSync('/dev/zero', join(dir, 'zero.txt'));
    const socket = join(dir, 'sock.txt');
    const server = await listening(socket);
    writeFileSync(join(dir, 'real.txt'), 'Python');
    try {
      const items = await collect([fifo, '/dev/zero', join(dir, 'zero.txt'), socket, join(dir, 'real.txt')]);
      expect(failed(items)).toEqual([
        [fifo, 'not a regular file (a FIFO)'],
        ['/dev/zero', 'not a regular file (a character device)'],
        [join(dir, 'zero.txt'), 'not a regular file (a character device)'],
        [socket, 'not a regular file (a socket)'],
      ]);
      expect(ok(items).map((r) => r.body)).toEqual(['Python']);
    } finally {
      server.close();
    }
  });

  it('inside a directory skips pipes and sockets, and reports a link that leads to a device', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'pipe.txt')]);
    symlinkSync('/dev/zero', join(dir, 'zero.txt'));
    writeFileSync(join(dir, 'real.txt'), 'Python');
    const items = await collect([dir]);
    expect(failed(items)).toEqual([[join(dir, 'zero.txt'), 'symbolic link to something that is not a regular file (a character device); skipped']]);
    expect(ok(items).map((r) => r.body)).toEqual(['Python']);
  });

  it('refuses a file over the size limit without reading it, naming the limit and how to raise it', async () => {
    const dir = tempDir();
    const huge = join(dir, 'huge.txt');
    writeFileSync(huge, '');
    truncateSync(huge, 1.5 * 1024 ** 3); // sparse: 1.5 GB that take no disk
    expect(failed(await collect([huge]))).toEqual([[huge, 'file is 1.5 GB, over the limit of 100 MB for a file read whole (SKILLPULSE_MAX_FILE_MB; .jsonl files are streamed)']]);
    const big = join(dir, 'big.json');
    writeFileSync(big, JSON.stringify([{ text: 'x'.repeat(2 * 1024 * 1024) }]));
    expect(failed(await collect([big], { limits: { maxFileBytes: 1024 * 1024 } }))).toEqual([
      [big, 'file is 2.0 MB, over the limit of 1.0 MB for a file read whole (SKILLPULSE_MAX_FILE_MB; .jsonl files are streamed)'],
    ]);
  });

  it('streams a JSON lines file over the limit, skipping only a line over it', async () => {
    const dir = tempDir();
    const file = join(dir, 'many.jsonl');
    const line = (k: number) => JSON.stringify({ id: `p${k}`, text: `Posting ${k} about Python ${'.'.repeat(1000)}` });
    const lines = Array.from({ length: 3000 }, (_, k) => line(k + 1));
    lines[1499] = JSON.stringify({ id: 'long', text: 'y'.repeat(2 * 1024 * 1024) });
    writeFileSync(file, lines.join('\r\n'));
    const items = await collect([file], { limits: { maxFileBytes: 1024 * 1024 } });
    expect(failed(items)).toEqual([[`${file}:1500`, 'line is 2.0 MB, over the limit of 1.0 MB for one JSON line (SKILLPULSE_MAX_FILE_MB); skipped']]);
    expect(ok(items)).toHaveLength(2999);
    expect(ok(items)[1499]?.origin).toBe(`${file}:1501`);
  });
});

describe('encodings and formats (item 11)', () => {
  it('reads the CSV header as a header: a short first row fails alone, a header alone is no posting', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'short.csv'), 'id,title,text\n1,Analyst\n2,Engineer,Python and SQL\n3,Lead,Kafka,extra field\n');
    writeFileSync(join(dir, 'header-only.csv'), 'id,title,description\n');
    const items = await collect([join(dir, 'short.csv'), join(dir, 'header-only.csv')]);
    expect(failed(items)).toEqual([
      [`${join(dir, 'short.csv')}#1`, expect.stringMatching(/^no posting text/)],
      [join(dir, 'header-only.csv'), 'no postings in the CSV: it has a header row only'],
    ]);
    expect(ok(items).map((r) => [r.origin, r.hints.title, r.body])).toEqual([
      [`${join(dir, 'short.csv')}#2`, 'Engineer', 'Python and SQL'],
      [`${join(dir, 'short.csv')}#3`, 'Lead', 'Kafka'],
    ]);
  });

  it('fails a JSON line that is not UTF-8 alone, as .txt and .json files fail', async () => {
    const dir = tempDir();
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from('{"text":"Python"}\n{"text":"Caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"text":"Rust"}\n')]));
    const items = await collect([file]);
    expect(failed(items)).toEqual([[`${file}:2`, 'not valid UTF-8 text']]);
    expect(ok(items).map((r) => r.body)).toEqual(['Python', 'Rust']);
  });

  it('decodes UTF-16 files with a byte order mark, little- and big-endian', async () => {
    const dir = tempDir();
    const le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
    const be = (s: string) => Buffer.from(le(s).swap16());
    writeFileSync(join(dir, 'a.txt'), le('Title: Données\n\nPython and Kafka'));
    writeFileSync(join(dir, 'b.json'), be('[{"id":"b","text":"Zürich: Rust"}]'));
    writeFileSync(join(dir, 'c.csv'), le('id,text\nc,Go\n'));
    writeFileSync(join(dir, 'd.jsonl'), le('{"id":"d1","text":"SQL"}\r\n{"id":"d2","text":"dbt ✓"}\n'));
    writeFileSync(join(dir, 'e.html'), be('<h1>Ingénieur</h1><p>Scala</p>'));
    const items = await collect([dir]);
    expect(failed(items)).toEqual([]);
    expect(ok(items).map((r) => r.body)).toEqual(['Title: Données\n\nPython and Kafka', 'Zürich: Rust', 'Go', 'SQL', 'dbt ✓', '<h1>Ingénieur</h1><p>Scala</p>']);
    expect(ok(items)[0]?.hints.title).toBe('Données');
    expect(ok(items)[5]?.hints.title).toBe('Ingénieur');
  });

  it('reads an HTML page in a legacy encoding, by its meta charset or as windows-1252', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'meta.html'), Buffer.from('<meta charset="iso-8859-2"><h1>In\xbfynier</h1><p>Java</p>', 'latin1'));
    writeFileSync(join(dir, 'plain.htm'), Buffer.from('<h1>Caf\xe9 \x96 Barista</h1><p>Excel</p>', 'latin1'));
    const items = await collect([join(dir, 'meta.html'), join(dir, 'plain.htm')]);
    expect(failed(items)).toEqual([]);
    expect(ok(items).map((r) => r.hints.title)).toEqual(['Inżynier', 'Café – Barista']);
  });

  it('refuses binary data on standard input', async () => {
    expect(failed(await collect(['-'], stdin('\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR')))).toEqual([['-', 'binary data on standard input, not a text posting']]);
    expect(failed(await collect(['-'], stdin('\ufffd\ufffd\ufffdx\ufffd\ufffd'.repeat(100))))).toEqual([['-', 'binary data on standard input, not a text posting']]);
    expect(ok(await collect(['-'], stdin('Python, and one odd byte: \ufffd')))).toHaveLength(1);
  });

  it('reports a repeated id or URL within one input, keeping the first; across files a repeat is a newer version', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), JSON.stringify([{ id: 'x', text: 'Python' }, { id: 'y', text: 'Go' }, { id: 'x', text: 'Rust' }, { id: 'x', company: 'Other', text: 'SQL' }]));
    writeFileSync(join(dir, 'b.jsonl'), [{ url: 'https://jobs.example/1', text: 'A' }, { url: 'https://jobs.example/1', text: 'B' }, { text: 'C' }, { text: 'C' }].map((r) => JSON.stringify(r)).join('\n'));
    writeFileSync(join(dir, 'c.csv'), 'id,text\nx,Kafka\nz,Scala\nz,Scala\n');
    const items = await collect([dir]);
    expect(failed(items)).toEqual([
      [join(dir, 'a.json#3'), `duplicate id "x": ${join(dir, 'a.json#1')} has it too; this record is skipped`],
      [join(dir, 'b.jsonl:2'), `duplicate URL https://jobs.example/1: ${join(dir, 'b.jsonl:1')} has it too; this record is skipped`],
      [join(dir, 'c.csv#3'), `duplicate id "z": ${join(dir, 'c.csv#2')} has it too; this record is skipped`],
    ]);
    expect(ok(items).map((r) => r.body)).toEqual(['Python', 'Go', 'SQL', 'A', 'C', 'C', 'Kafka', 'Scala']);
    expect(failed(await collect(['-'], stdin('{"id":1,"text":"a"}\n{"id":1,"text":"b"}')))).toEqual([['stdin:2', 'duplicate id "1": stdin:1 has it too; this record is skipped']]);
  });
});

describe('directories (items 11 and 12)', () => {
  it('follows symbolic links to files and directories, reads nothing twice, and reports loops and broken links', async () => {
    const root = tempDir();
    const dir = join(root, 'corpus');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(dir);
    mkdirSync(join(elsewhere, 'more'), { recursive: true });
    writeFileSync(join(dir, 'a.txt'), 'Python');
    writeFileSync(join(elsewhere, 'outside.md'), 'Kotlin');
    writeFileSync(join(elsewhere, 'more', 'deep.txt'), 'Haskell');
    writeFileSync(join(root, 'top.txt'), 'Erlang');
    symlinkSync(join(dir, 'a.txt'), join(dir, 'b-same-as-a.txt'));
    symlinkSync(join(elsewhere, 'outside.md'), join(dir, 'c-outside.md'));
    symlinkSync(join(elsewhere, 'more'), join(dir, 'd-more'));
    symlinkSync('.', join(dir, 'e-loop'));
    symlinkSync(join(root, 'missing.txt'), join(dir, 'f-broken.txt'));
    symlinkSync(join(elsewhere, 'outside.md'), join(dir, 'g-no-extension'));
    symlinkSync(join(elsewhere, 'outside.md'), join(dir, 'h-again.md'));
    symlinkSync('..', join(dir, 'i-up'));
    const items = await collect([dir]);
    expect(failed(items)).toEqual([
      [join(dir, 'b-same-as-a.txt'), `symbolic link to ${join(dir, 'a.txt')}, which is read by that name; skipped`],
      [join(dir, 'e-loop'), `symbolic link to ${dir}, which is read by that name; skipped`],
      [join(dir, 'f-broken.txt'), 'broken symbolic link (its target does not exist); skipped'],
      [join(dir, 'h-again.md'), `symbolic link to ${join(dir, 'c-outside.md')}, which is read by that name; skipped`],
      [join(dir, 'i-up', 'corpus'), `already read as ${dir}; skipped`],
      [join(dir, 'i-up', 'elsewhere', 'more'), `already read as ${join(dir, 'd-more')}; skipped`],
      [join(dir, 'i-up', 'elsewhere', 'outside.md'), `already read as ${join(dir, 'c-outside.md')}; skipped`],
    ]);
    expect(ok(items).map((r) => [r.externalId, r.body])).toEqual([
      ['a.txt', 'Python'],
      ['c-outside.md', 'Kotlin'],
      ['d-more/deep.txt', 'Haskell'],
      ['i-up/top.txt', 'Erlang'],
    ]);
  });

  it('reports a subdirectory it cannot read as a failed input and reads the rest', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'Python');
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b', 'c.txt'), 'Rust');
    // Deeper than PATH_MAX (4096 bytes): no one, root included, can list it by its path.
    const name = 'd'.repeat(250);
    execFileSync('bash', ['-c', `cd "$1" && mkdir deep && cd deep && for i in $(seq 20); do mkdir ${name} && cd ${name}; done && echo Go > z.txt`, 'bash', dir]);
    try {
      const items = await collect([dir]);
      expect(failed(items)).toEqual([[expect.stringMatching(new RegExp(`^${join(dir, 'deep')}/(?:${name}/)+${name}$`)), 'cannot read directory: path too long']]);
      expect(ok(items).map((r) => r.body)).toEqual(['Python', 'Rust']);
    } finally {
      execFileSync('rm', ['-rf', join(dir, 'deep')]);
    }
  });
});
