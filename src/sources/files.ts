import { createHash } from 'node:crypto';
import { constants, type Dirent, type Stats } from 'node:fs';
import { type FileHandle, open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, extname, isAbsolute, join, relative, sep } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describeFsError } from '../errors.js';
import { parseHtmlPage } from '../normalize/html-page.js';
import { DEFAULT_INPUT_LIMITS, type InputLimits, LIMIT_VARIABLES, screenPosting } from '../normalize/limits.js';
import { isJobPosting, parseTextHeader, RECORD_FIELDS, type RecordContext, recordToRaw } from '../normalize/records.js';
import type { RawPosting } from '../types.js';
import { decodeHtml, decodeText, utf16Bom } from './charset.js';
import { SeenIdentities } from './identities.js';

export { decodeText } from './charset.js';

/** What a source yields: a posting (with any warnings about it), or a failed input with its reason. */
export type SourceItem =
  | { ok: true; raw: RawPosting; warnings: string[] }
  | { ok: false; input: string; reason: string };

type Failure = Extract<SourceItem, { ok: false }>;

export const FILE_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm', '.json', '.jsonl', '.ndjson', '.csv'] as const;

export interface ReadFilesOptions {
  /** Reads standard input, for the path `-`. */
  readStdin?: () => Promise<string>;
  /** The time to record as fetchedAt (ISO 8601). */
  now?: string;
  /** How large a file or a JSON line may be (default DEFAULT_INPUT_LIMITS). */
  limits?: Pick<InputLimits, 'maxFileBytes'>;
  /**
   * The identity of postings read from standard input that have no id or URL of their own
   * (`--id`); without it they are known by their content (see stdinIdentity).
   */
  stdinId?: string;
}

/**
 * Reads postings from files and directories (walked recursively, hidden entries skipped, symbolic
 * links followed once). Each bad file, directory or record is yielded as a failure naming it; the
 * rest go on.
 */
export async function* readPostingFiles(paths: readonly string[], options: ReadFilesOptions = {}): AsyncGenerator<SourceItem> {
  const now = options.now ?? new Date().toISOString();
  const maxBytes = options.limits?.maxFileBytes ?? DEFAULT_INPUT_LIMITS.maxFileBytes;
  for (const path of paths) {
    if (path === '-') yield* readStandardInput(options.readStdin, now, maxBytes, options.stdinId);
    else yield* readPath(path, now, maxBytes);
  }
}

/**
 * An item checked against the per-posting limits before it is analyzed: a posting whose text is
 * too long becomes a failure, a posted date outside the range is dropped with a warning.
 */
export function screenItem(item: SourceItem, limits: Pick<InputLimits, 'maxPostingChars' | 'dates'>, now: string): SourceItem {
  if (!item.ok) return item;
  const screened = screenPosting(item.raw, limits, now);
  if (!screened.ok) return { ok: false, input: item.raw.origin, reason: screened.reason };
  return screened.warnings.length === 0 ? item : { ok: true, raw: screened.raw, warnings: [...item.warnings, ...screened.warnings] };
}

async function* readStandardInput(readStdin: (() => Promise<string>) | undefined, now: string, maxBytes: number, stdinId: string | undefined): AsyncGenerator<SourceItem> {
  if (!readStdin) {
    yield { ok: false, input: '-', reason: 'standard input is not available here' };
    return;
  }
  let text: string;
  try {
    text = await readStdin();
  } catch (err) {
    yield { ok: false, input: '-', reason: `cannot read standard input: ${(err as Error).message}` };
    return;
  }
  const refused = refuseStdinText(text, maxBytes);
  if (refused) {
    yield { ok: false, input: '-', reason: refused };
    return;
  }
  yield* withoutDuplicates(stdinIdentity(parseFileText('stdin', 'stdin', guessExtension(text), text, now), stdinId));
}

/**
 * Standard input has no path to know a posting by (issue 15: every posting piped in without an id
 * was "stdin", and the second replaced the first). A posting with neither its own id nor a URL is
 * known by `--id` (record N of several: `<id>#N`), else by its content: the same text piped in
 * again is the same posting, an edited one is a new posting.
 */
function* stdinIdentity(items: Iterable<SourceItem>, stdinId: string | undefined): Generator<SourceItem> {
  for (const item of items) {
    const own = item.ok && (item.raw.externalId?.startsWith('id:') || (item.raw.externalId === undefined && item.raw.url !== undefined));
    if (!item.ok || own) {
      yield item;
      continue;
    }
    const place = item.raw.externalId ?? 'stdin';
    const record = place.includes('#') ? place.slice(place.indexOf('#')) : '';
    const externalId =
      stdinId !== undefined
        ? `stdin:id:${stdinId}${record === '#1' ? '' : record}`
        : `stdin:sha256:${createHash('sha256').update(item.raw.body).update('\0').update(JSON.stringify(item.raw.hints)).digest('hex').slice(0, 24)}`;
    yield { ...item, raw: { ...item.raw, externalId } };
  }
}

/** Why text read from standard input is no posting: binary data (NUL bytes, or mostly undecodable bytes), or too much of it. */
function refuseStdinText(text: string, maxBytes: number): string | undefined {
  const head = text.slice(0, 8192);
  const undecodable = head.split('\uFFFD').length - 1;
  if (head.includes('\u0000') || undecodable > head.length / 10) return 'binary data on standard input, not a text posting';
  if (text.length > maxBytes) return `standard input holds over ${formatBytes(maxBytes)}, the limit for one input (${LIMIT_VARIABLES.maxFileMb})`;
  return undefined;
}

async function* readPath(path: string, now: string, maxBytes: number): AsyncGenerator<SourceItem> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch (err) {
    yield { ok: false, input: path, reason: readProblem(err) };
    return;
  }
  if (info.isDirectory()) yield* readDirectory(path, now, maxBytes);
  else if (!info.isFile()) yield { ok: false, input: path, reason: notRegular(info) };
  else yield* readOne(path, basename(path), now, maxBytes);
}

async function* readDirectory(dir: string, now: string, maxBytes: number): AsyncGenerator<SourceItem> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (err) {
    yield { ok: false, input: dir, reason: `cannot read directory: ${readProblem(err)}` };
    return;
  }
  let files = 0;
  let failures = 0;
  for await (const entry of walk(dir, real, { trees: [{ real, shown: dir }], read: new Map([[real, dir]]) })) {
    if ('reason' in entry) {
      failures++;
      yield entry;
      continue;
    }
    files++;
    yield* readOne(entry.path, identityOf(entry.path, dir), now, maxBytes);
  }
  if (files === 0 && failures === 0) yield { ok: false, input: dir, reason: `no posting files in directory (looked for ${FILE_EXTENSIONS.join(' ')})` };
}

/**
 * What a file is known by: its path below the directory that was read ("acme/ml-engineer.md"), so
 * a corpus keeps its postings' identities when it is moved or renamed.
 */
function identityOf(file: string, dir: string): string {
  return relative(dir, file).split(/[\\/]/).join('/');
}

const isPostingFile = (name: string) => (FILE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());

/**
 * What one directory walk reads, so that a symbolic link never reads anything twice: the trees
 * walked (the directory named and the directories links led to: real path, and the path they are
 * read as), and by real path what links led to, with the trees' roots.
 */
interface WalkState {
  trees: { real: string; shown: string }[];
  read: Map<string, string>;
}

type Found = { path: string } | Failure;

/**
 * The posting files below a directory, in name order: hidden entries, other types and special
 * files skipped; symbolic links followed. A directory that cannot be listed is reported and the
 * walk goes on. `real` is the directory's real path.
 */
async function* walk(dir: string, real: string, state: WalkState): AsyncGenerator<Found> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield { ok: false, input: dir, reason: `cannot read directory: ${readProblem(err)}` };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    const isDir = e.isDirectory();
    if (!isDir && !e.isSymbolicLink() && !(e.isFile() && isPostingFile(e.name))) continue;
    // Reached before through a link (read as that link's path): not read again.
    const before = e.isSymbolicLink() ? undefined : state.read.get(join(real, e.name));
    if (before !== undefined) yield { ok: false, input: full, reason: `already read as ${before}; skipped` };
    else if (isDir) yield* walk(full, join(real, e.name), state);
    else if (e.isFile()) yield { path: full };
    else yield* followLink(full, state);
  }
}

/**
 * A symbolic link inside a directory: the directory or posting file it leads to, read once.
 * A target inside a tree being walked is read where it is, and a target a link led to before
 * is not read again: so a link loop ends, and nothing is counted twice.
 */
async function* followLink(link: string, state: WalkState): AsyncGenerator<Found> {
  let info: Stats;
  let real: string;
  try {
    info = await stat(link);
    real = await realpath(link);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    yield { ok: false, input: link, reason: code === 'ENOENT' ? 'broken symbolic link (its target does not exist); skipped' : readProblem(err) };
    return;
  }
  const isDir = info.isDirectory();
  if (!isDir && !isPostingFile(link)) return;
  if (!isDir && !info.isFile()) {
    yield { ok: false, input: link, reason: `symbolic link to something that is ${notRegular(info)}; skipped` };
    return;
  }
  const readThere = readInPlace(real, isDir, state.trees) ?? state.read.get(real);
  if (readThere !== undefined) {
    yield { ok: false, input: link, reason: `symbolic link to ${readThere}, which is read by that name; skipped` };
    return;
  }
  state.read.set(real, link);
  if (!isDir) yield { path: link };
  else {
    state.trees.push({ real, shown: link });
    yield* walk(link, real, state);
  }
}

/** The path a target inside a walked tree is read as, when the walk reads it (no hidden part on the way, a posting file's name). */
function readInPlace(real: string, isDir: boolean, trees: WalkState['trees']): string | undefined {
  for (const tree of trees) {
    const rel = relative(tree.real, real);
    if (rel.startsWith('..') || isAbsolute(rel)) continue;
    if (rel.split(sep).some((part) => part.startsWith('.'))) continue;
    if (!isDir && !isPostingFile(real)) continue;
    return rel === '' ? tree.shown : join(tree.shown, rel);
  }
  return undefined;
}

/** "not a regular file (a FIFO)": what an explicit path to a pipe, device or socket gets. */
function notRegular(info: Stats): string {
  const kind = info.isFIFO()
    ? 'a FIFO'
    : info.isCharacterDevice()
      ? 'a character device'
      : info.isBlockDevice()
        ? 'a block device'
        : info.isSocket()
          ? 'a socket'
          : 'not a file or directory';
  return `not a regular file (${kind})`;
}

async function* readOne(path: string, identity: string, now: string, maxBytes: number): AsyncGenerator<SourceItem> {
  const ext = extname(path).toLowerCase();
  if (!isPostingFile(path)) {
    yield { ok: false, input: path, reason: `unsupported file type "${ext || '(none)'}" (supported: ${FILE_EXTENSIONS.join(' ')})` };
    return;
  }
  let handle: FileHandle;
  try {
    handle = await openRegularFile(path);
  } catch (err) {
    yield { ok: false, input: path, reason: readProblem(err) };
    return;
  }
  if (ext === '.jsonl' || ext === '.ndjson') {
    yield* withoutDuplicates(streamJsonLines(handle, path, identity, now, maxBytes));
    return;
  }
  let bytes: Buffer;
  try {
    bytes = await readBounded(handle, maxBytes);
  } catch (err) {
    yield { ok: false, input: path, reason: readProblem(err) };
    return;
  } finally {
    await handle.close();
  }
  const text = ext === '.html' || ext === '.htm' ? decodeHtml(bytes) : decodeText(bytes);
  if (typeof text !== 'string') {
    yield { ok: false, input: path, reason: text.error };
    return;
  }
  yield* withoutDuplicates(parseFileText(identity, path, ext, text, now));
}

/** A file opened for reading, checked to be a regular file on the open descriptor (a pipe or device never blocks us). */
async function openRegularFile(path: string): Promise<FileHandle> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const info = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  if (!info.isFile()) {
    await handle.close();
    throw new Error(notRegular(info));
  }
  return handle;
}

/** Thrown by readBounded: the file is larger than the limit for files read whole. */
class TooLargeError extends Error {}

/** The whole file, read up to the limit and no further: a file that grows while it is read is refused, not read whole. */
async function readBounded(handle: FileHandle, maxBytes: number): Promise<Buffer> {
  const { size } = await handle.stat();
  if (size > maxBytes) throw new TooLargeError(tooLarge(size, maxBytes));
  // One byte more than the size: reading it tells a file that grew.
  let buffer: Buffer = Buffer.allocUnsafe(size + 1);
  let total = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
    if (bytesRead === 0) return buffer.subarray(0, total);
    total += bytesRead;
    if (total > maxBytes) throw new TooLargeError(tooLarge(total, maxBytes));
    if (total === buffer.length) buffer = grown(buffer, Math.min(buffer.length * 2, maxBytes + 1));
  }
}

function grown(buffer: Buffer, size: number): Buffer {
  const next = Buffer.allocUnsafe(size);
  buffer.copy(next);
  return next;
}

function tooLarge(size: number, maxBytes: number): string {
  return `file is ${formatBytes(size)}, over the limit of ${formatBytes(maxBytes)} for a file read whole (${LIMIT_VARIABLES.maxFileMb}; .jsonl files are streamed)`;
}

function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(n >= 10 * 1024 ** 2 ? 0 : 1)} MB`;
  return `${Math.ceil(n / 1024)} KB`;
}

/**
 * JSON lines read as a stream, one record at a time: a file of a million postings never sits in
 * memory whole, a line over the size limit is skipped unread, and a line that is not UTF-8 (or
 * not JSON) fails alone. UTF-16 files with a byte order mark are read too.
 */
async function* streamJsonLines(handle: FileHandle, path: string, file: string, now: string, maxBytes: number): AsyncGenerator<SourceItem> {
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let k = 0;
  let any = false;
  try {
    for await (const line of byteLines(utf8Chunks(handle.createReadStream()), maxBytes)) {
      k++;
      const origin = `${path}:${k}`;
      if (typeof line === 'number') {
        any = true;
        yield { ok: false, input: origin, reason: `line is ${formatBytes(line)}, over the limit of ${formatBytes(maxBytes)} for one JSON line (${LIMIT_VARIABLES.maxFileMb}); skipped` };
        continue;
      }
      let text: string;
      try {
        text = utf8.decode(line);
      } catch {
        any = true;
        yield { ok: false, input: origin, reason: 'not valid UTF-8 text' };
        continue;
      }
      if (k === 1) text = text.replace(/^\uFEFF/, '');
      if (text.trim() === '') continue;
      any = true;
      if (text.includes('\u0000')) {
        yield { ok: false, input: origin, reason: 'binary data (NUL bytes), not a JSON line' };
        continue;
      }
      let rec: unknown;
      try {
        rec = JSON.parse(text);
      } catch (err) {
        yield { ok: false, input: origin, reason: `invalid JSON: ${(err as Error).message}` };
        continue;
      }
      yield fromRecord(recordToRaw(rec, { source: 'file', file, index: k, origin, fetchedAt: now }), origin);
    }
  } catch (err) {
    yield { ok: false, input: path, reason: readProblem(err) };
    return;
  } finally {
    await handle.close().catch(() => undefined);
  }
  if (!any) yield { ok: false, input: path, reason: 'empty file' };
}

/** A stream's bytes as UTF-8: UTF-16 with a byte order mark transcoded, anything else passed through. */
async function* utf8Chunks(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let first = true;
  for await (const chunk of stream) {
    if (first) {
      first = false;
      const encoding = utf16Bom(chunk);
      if (encoding) decoder = new TextDecoder(encoding);
    }
    yield decoder ? Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8') : chunk;
  }
  if (decoder) yield Buffer.from(decoder.decode(), 'utf8');
}

/**
 * The lines of a byte stream, ended by \n, \r\n or \r as readline ends them; a line longer than
 * `max` bytes comes as its length only, its bytes dropped as they stream past.
 */
async function* byteLines(chunks: AsyncIterable<Buffer>, max: number): AsyncGenerator<Buffer | number> {
  let parts: Buffer[] = [];
  let length = 0;
  let afterCr = false;
  const take = (piece: Buffer) => {
    length += piece.length;
    if (length <= max) parts.push(piece);
    else parts = [];
  };
  const end = (): Buffer | number => {
    const line = length > max ? length : Buffer.concat(parts, length);
    parts = [];
    length = 0;
    return line;
  };
  for await (const chunk of chunks) {
    let start = 0;
    // A \n right after a \r that ended the previous chunk is the rest of one line break.
    if (afterCr && chunk[0] === 0x0a) start = 1;
    afterCr = false;
    for (let i = start; i < chunk.length; i++) {
      const c = chunk[i];
      if (c !== 0x0a && c !== 0x0d) continue;
      take(chunk.subarray(start, i));
      yield end();
      if (c === 0x0d) {
        if (i + 1 < chunk.length) {
          if (chunk[i + 1] === 0x0a) i++;
        } else afterCr = true;
      }
      start = i + 1;
    }
    take(chunk.subarray(start));
  }
  if (length > 0) yield end();
}

/**
 * The items of one input with a record whose identity (its id, or its URL) repeats an earlier
 * record's reported and left out: within one file a repeat is an error, not a newer version.
 */
async function* withoutDuplicates(items: AsyncIterable<SourceItem> | Iterable<SourceItem>): AsyncGenerator<SourceItem> {
  const seen = new SeenIdentities();
  for await (const item of items) {
    const key = item.ok ? identityKey(item.raw) : undefined;
    if (!item.ok || key === undefined) {
      yield item;
      continue;
    }
    const earlier = seen.add(key, item.raw.origin);
    yield earlier === undefined ? item : { ok: false, input: item.raw.origin, reason: `duplicate ${describeKey(key)}: ${earlier} has it too; this record is skipped` };
  }
}

/** A record's own identity: its id (with its company) or its URL; undefined for postings known by their place. */
function identityKey(raw: RawPosting): string | undefined {
  if (raw.externalId?.startsWith('id:')) return raw.externalId;
  return raw.externalId === undefined ? raw.url : undefined;
}

function describeKey(key: string): string {
  return key.startsWith('id:') ? `id "${key.slice(3)}"` : `URL ${key}`;
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
    yield* jsonItems(text, label, ctx);
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

function* jsonItems(text: string, label: string, ctx: (index: number, origin: string) => RecordContext): Generator<SourceItem> {
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
}

/** CSV rows as records keyed by the header row: a short row lacks the fields it lacks, extra fields are left out. */
function* csvRecords(text: string, label: string, ctx: (index: number, origin: string) => RecordContext): Generator<SourceItem> {
  let rows: string[][];
  try {
    rows = parseCsv(text, { skip_empty_lines: true, bom: true, relax_column_count: true, trim: false });
  } catch (err) {
    yield { ok: false, input: label, reason: `invalid CSV: ${(err as Error).message}` };
    return;
  }
  const [header = [], ...data] = rows;
  const bodyColumns = [...RECORD_FIELDS.text, ...RECORD_FIELDS.html].map((f) => f.toLowerCase());
  if (!header.some((h) => bodyColumns.includes(h.toLowerCase()))) {
    yield {
      ok: false,
      input: label,
      reason: `no text column in the CSV header (expected one of ${[...RECORD_FIELDS.text, ...RECORD_FIELDS.html].join(', ')}; found ${header.join(', ') || 'no columns'})`,
    };
    return;
  }
  if (data.length === 0) {
    yield { ok: false, input: label, reason: 'no postings in the CSV: it has a header row only' };
    return;
  }
  for (const [k, row] of data.entries()) {
    const origin = `${label}#${k + 1}`;
    const record: Record<string, string> = {};
    // As csv-parse's `columns` did: a repeated column name takes the later value.
    row.forEach((value, i) => {
      const name = header[i];
      if (name !== undefined) record[name] = value;
    });
    yield fromRecord(recordToRaw(record, ctx(k + 1, origin)), origin);
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

/** Why a path could not be read: too large, or the file system's reason in words. */
function readProblem(err: unknown): string {
  return err instanceof TooLargeError ? err.message : describeFsError(err);
}
