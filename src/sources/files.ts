import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { basename, extname, join, relative } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parseHtmlPage } from '../normalize/html-page.js';
import { isJobPosting, parseTextHeader, RECORD_FIELDS, type RecordContext, recordToRaw } from '../normalize/records.js';
import type { RawPosting } from '../types.js';

/** What a source yields: a posting (with any warnings about it), or a failed input with its reason. */
export type SourceItem =
  | { ok: true; raw: RawPosting; warnings: string[] }
  | { ok: false; input: string; reason: string };

export const FILE_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm', '.json', '.jsonl', '.ndjson', '.csv'] as const;

export interface ReadFilesOptions {
  /** Reads standard input, for the path `-`. */
  readStdin?: () => Promise<string>;
  /** The time to record as fetchedAt (ISO 8601). */
  now?: string;
}

/**
 * Reads postings from files and directories (walked recursively, hidden entries skipped). Each bad
 * file or record is yielded as a failure naming it; the rest go on.
 */
export async function* readPostingFiles(paths: readonly string[], options: ReadFilesOptions = {}): AsyncGenerator<SourceItem> {
  const now = options.now ?? new Date().toISOString();
  for (const path of paths) {
    if (path === '-') {
      if (!options.readStdin) {
        yield { ok: false, input: '-', reason: 'standard input is not available here' };
        continue;
      }
      let text: string;
      try {
        text = await options.readStdin();
      } catch (err) {
        yield { ok: false, input: '-', reason: `cannot read standard input: ${(err as Error).message}` };
        continue;
      }
      yield* parseFileText('stdin', 'stdin', guessExtension(text), text, now);
      continue;
    }
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (err) {
      yield { ok: false, input: path, reason: describeFsError(err) };
      continue;
    }
    if (info.isDirectory()) {
      const files = await listFiles(path);
      if (files.length === 0) yield { ok: false, input: path, reason: `no posting files in directory (looked for ${FILE_EXTENSIONS.join(' ')})` };
      for (const file of files) yield* readOne(file, identityOf(file, path), now);
    } else {
      yield* readOne(path, basename(path), now);
    }
  }
}

/**
 * What a file is known by: its path below the directory that was read ("acme/ml-engineer.md"), so
 * a corpus keeps its postings' identities when it is moved or renamed.
 */
function identityOf(file: string, dir: string): string {
  return relative(dir, file).split(/[\\/]/).join('/');
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(full)));
    else if (e.isFile() && (FILE_EXTENSIONS as readonly string[]).includes(extname(e.name).toLowerCase())) out.push(full);
  }
  return out;
}

async function* readOne(path: string, identity: string, now: string): AsyncGenerator<SourceItem> {
  const ext = extname(path).toLowerCase();
  if (!(FILE_EXTENSIONS as readonly string[]).includes(ext)) {
    yield { ok: false, input: path, reason: `unsupported file type "${ext || '(none)'}" (supported: ${FILE_EXTENSIONS.join(' ')})` };
    return;
  }
  if (ext === '.jsonl' || ext === '.ndjson') {
    yield* streamJsonLines(path, identity, now);
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    yield { ok: false, input: path, reason: describeFsError(err) };
    return;
  }
  const text = decodeText(bytes);
  if (typeof text !== 'string') {
    yield { ok: false, input: path, reason: text.error };
    return;
  }
  yield* parseFileText(identity, path, ext, text, now);
}

/** JSON lines read as a stream, one record at a time: a file of a million postings never sits in memory whole. */
async function* streamJsonLines(path: string, file: string, now: string): AsyncGenerator<SourceItem> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let k = 0;
  let any = false;
  try {
    for await (const line of lines) {
      k++;
      if (line.trim() === '') continue;
      any = true;
      const origin = `${path}:${k}`;
      if (line.includes('\u0000')) {
        yield { ok: false, input: origin, reason: 'binary data (NUL bytes), not a JSON line' };
        continue;
      }
      let rec: unknown;
      try {
        rec = JSON.parse(k === 1 ? line.replace(/^\uFEFF/, '') : line);
      } catch (err) {
        yield { ok: false, input: origin, reason: `invalid JSON: ${(err as Error).message}` };
        continue;
      }
      yield fromRecord(recordToRaw(rec, { source: 'file', file, index: k, origin, fetchedAt: now }), origin);
    }
  } catch (err) {
    yield { ok: false, input: path, reason: describeFsError(err) };
    return;
  }
  if (!any) yield { ok: false, input: path, reason: 'empty file' };
}

/** UTF-8 text, or why the bytes are not a text file. */
export function decodeText(bytes: Uint8Array): string | { error: string } {
  if (bytes.subarray(0, 8192).includes(0)) return { error: 'binary file (contains NUL bytes), not a text posting' };
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return { error: 'not valid UTF-8 text' };
  }
}

function guessExtension(text: string): string {
  const t = text.trimStart();
  if (t.startsWith('[')) return '.json';
  if (t.startsWith('{')) return /^\{.*\}\s*\n\s*\{/s.test(t) && !isJson(t) ? '.jsonl' : '.json';
  if (/^<(?:!doctype|html|body|div|p|h[1-6]|ul|section|article)\b/i.test(t)) return '.html';
  return '.txt';
}

function isJson(t: string): boolean {
  try {
    JSON.parse(t);
    return true;
  } catch {
    return false;
  }
}

/** Parses one file's text by its extension. `file` is the identity base, `label` names it in messages. */
function* parseFileText(file: string, label: string, ext: string, text: string, now: string): Generator<SourceItem> {
  if (text.trim() === '') {
    yield { ok: false, input: label, reason: 'empty file' };
    return;
  }
  const ctx = (index: number, origin: string): RecordContext => ({ source: 'file', file, index, origin, fetchedAt: now });
  if (ext === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      yield { ok: false, input: label, reason: `invalid JSON: ${(err as Error).message}` };
      return;
    }
    const records = jsonRecords(doc);
    if (records === undefined) {
      yield { ok: false, input: label, reason: 'expected a posting object, an array of them, or a schema.org JobPosting' };
      return;
    }
    if (records.length === 0) {
      yield { ok: false, input: label, reason: 'no postings in the JSON array' };
      return;
    }
    for (const [k, rec] of records.entries()) {
      const origin = records.length === 1 ? label : `${label}#${k + 1}`;
      yield fromRecord(recordToRaw(rec, ctx(k + 1, origin)), origin);
    }
    return;
  }
  if (ext === '.jsonl' || ext === '.ndjson') {
    const lines = text.split('\n');
    for (const [k, line] of lines.entries()) {
      if (line.trim() === '') continue;
      const origin = `${label}:${k + 1}`;
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch (err) {
        yield { ok: false, input: origin, reason: `invalid JSON: ${(err as Error).message}` };
        continue;
      }
      yield fromRecord(recordToRaw(rec, ctx(k + 1, origin)), origin);
    }
    return;
  }
  if (ext === '.csv') {
    yield* csvRecords(text, label, ctx);
    return;
  }
  const html = ext === '.html' || ext === '.htm';
  const page = html ? parseHtmlPage(text) : { body: text, ...parseTextHeader(text) };
  yield {
    ok: true,
    warnings: page.warnings,
    raw: {
      source: 'file',
      externalId: file,
      fetchedAt: now,
      contentType: html ? 'text/html' : ext === '.txt' ? 'text/plain' : 'text/markdown',
      body: page.body,
      hints: page.hints,
      origin: label,
    },
  };
}

function* csvRecords(text: string, label: string, ctx: (index: number, origin: string) => RecordContext): Generator<SourceItem> {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(text, { columns: true, skip_empty_lines: true, bom: true, relax_column_count: true, trim: false });
  } catch (err) {
    yield { ok: false, input: label, reason: `invalid CSV: ${(err as Error).message}` };
    return;
  }
  const header = Object.keys(rows[0] ?? {});
  const bodyColumns = [...RECORD_FIELDS.text, ...RECORD_FIELDS.html].map((f) => f.toLowerCase());
  if (!header.some((h) => bodyColumns.includes(h.toLowerCase()))) {
    yield {
      ok: false,
      input: label,
      reason: `no text column in the CSV header (expected one of ${[...RECORD_FIELDS.text, ...RECORD_FIELDS.html].join(', ')}; found ${header.join(', ') || 'no columns'})`,
    };
    return;
  }
  for (const [k, row] of rows.entries()) {
    const origin = `${label}#${k + 1}`;
    yield fromRecord(recordToRaw(row, ctx(k + 1, origin)), origin);
  }
}

function jsonRecords(doc: unknown): unknown[] | undefined {
  if (Array.isArray(doc)) return doc;
  if (doc && typeof doc === 'object') {
    const o = doc as Record<string, unknown>;
    if (Array.isArray(o['@graph'])) return o['@graph'].filter(isJobPosting);
    for (const key of ['jobs', 'postings']) if (Array.isArray(o[key])) return o[key] as unknown[];
    return [doc];
  }
  return undefined;
}

function fromRecord(result: ReturnType<typeof recordToRaw>, origin: string): SourceItem {
  return result.ok ? { ok: true, raw: result.value, warnings: result.warnings } : { ok: false, input: origin, reason: result.error };
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return (err as Error).message;
}
