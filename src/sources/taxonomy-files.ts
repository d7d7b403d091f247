import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { StopBeforeWorkError } from '../errors.js';
import { type CompiledTaxonomy, compileTaxonomy } from '../taxonomy/compile.js';
import { parseTaxonomy, type TaxonomyFile } from '../taxonomy/parse.js';
import type { Taxonomy } from '../types.js';

/** The taxonomy shipped with skillpulse (taxonomy/ at the package root). */
export function defaultTaxonomyDir(): string {
  // This file is src/sources/*.ts in development and dist/sources/*.js when built: both two levels down.
  return fileURLToPath(new URL('../../taxonomy', import.meta.url));
}

/** Reads every *.yaml / *.yml file of a taxonomy directory. */
export function readTaxonomyFiles(dir: string): TaxonomyFile[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new StopBeforeWorkError(`taxonomy ${dir}: not a directory`);
    names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch (err) {
    if (err instanceof StopBeforeWorkError) throw err;
    throw new StopBeforeWorkError(`taxonomy ${dir}: cannot read directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, { cause: err });
  }
  if (names.length === 0) throw new StopBeforeWorkError(`taxonomy ${dir}: no .yaml files in the directory`);
  return names.map((n) => ({ path: join(dir, n), text: readFileSync(join(dir, n), 'utf8') }));
}

/**
 * Reads and validates a taxonomy: the files of `dir` (default: the shipped taxonomy) plus those of
 * every `extra` directory, validated together (ids stay unique across all of them).
 */
export function loadTaxonomy(dir: string = defaultTaxonomyDir(), extra: readonly string[] = []): Taxonomy {
  return parseTaxonomy([dir, ...extra].flatMap(readTaxonomyFiles));
}

/** Where a taxonomy comes from, and where its compiled snapshot may be kept. */
export interface TaxonomyLocation {
  /** The taxonomy directory (default: the shipped one). */
  dir?: string | undefined;
  /** Directories whose skills are added to it. */
  extra?: readonly string[] | undefined;
  /** A directory for compiled snapshots; none: parse and compile on every load. */
  cacheDir?: string | undefined;
}

/**
 * The taxonomy compiled for matching. Parsing and compiling 3,000+ entries takes about a second;
 * a snapshot of the result (V8's serialization of the trie) loads in a few tens of milliseconds.
 * A snapshot is keyed by everything the result depends on: the files' names and contents in
 * order, the code that parses and compiles them, compromise's version and V8's. A missing,
 * stale or unreadable snapshot is rebuilt; one that cannot be written is simply not kept.
 */
export function loadCompiledTaxonomy(where: TaxonomyLocation = {}): CompiledTaxonomy {
  const files = [where.dir ?? defaultTaxonomyDir(), ...(where.extra ?? [])].flatMap(readTaxonomyFiles);
  const snapshot = where.cacheDir ? join(where.cacheDir, `taxonomy-${snapshotKey(files)}.v8`) : undefined;
  if (snapshot) {
    const cached = readSnapshot(snapshot);
    if (cached) return cached;
  }
  const compiled = compileTaxonomy(parseTaxonomy(files));
  if (snapshot) writeSnapshot(snapshot, compiled);
  return compiled;
}

/** The modules whose code shapes a compiled taxonomy: a change to any of them makes new snapshots. */
const COMPILER_MODULES = ['../taxonomy/compile', '../taxonomy/parse', '../taxonomy/tokens'];
let compilerHash: string | undefined;

/** A module's code: the built .js, or the .ts source when running from src/ (tests). */
function readModule(path: string): Buffer {
  try {
    return readFileSync(new URL(`${path}.js`, import.meta.url));
  } catch {
    return readFileSync(new URL(`${path}.ts`, import.meta.url));
  }
}

function snapshotKey(files: readonly TaxonomyFile[]): string {
  if (compilerHash === undefined) {
    const h = createHash('sha256');
    for (const m of COMPILER_MODULES) h.update(readModule(m));
    // compromise tags the verb-like forms: its build is part of the key (its package.json is not exported).
    h.update(readFileSync(createRequire(import.meta.url).resolve('compromise')));
    compilerHash = h.update(process.versions.v8).digest('hex');
  }
  const h = createHash('sha256').update(compilerHash);
  for (const f of files) h.update('\0').update(f.path.replace(/^.*[\\/]/, '')).update('\0').update(f.text);
  return h.digest('hex').slice(0, 24);
}

function readSnapshot(file: string): CompiledTaxonomy | undefined {
  try {
    const value = deserialize(readFileSync(file)) as CompiledTaxonomy;
    return value?.root instanceof Map && Array.isArray(value.skills) ? value : undefined;
  } catch {
    return undefined; // none yet, or unreadable: compiled afresh
  }
}

/** Kept snapshots per cache directory: older ones (other taxonomies, other versions) are removed. */
const KEEP_SNAPSHOTS = 8;

function writeSnapshot(file: string, compiled: CompiledTaxonomy): void {
  try {
    const dir = join(file, '..');
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, serialize(compiled));
    renameSync(tmp, file);
    const old = readdirSync(dir)
      .filter((n) => /^taxonomy-[0-9a-f]+\.v8$/.test(n))
      .map((n) => ({ path: join(dir, n), mtime: statSync(join(dir, n)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime)
      .slice(KEEP_SNAPSHOTS);
    for (const o of old) rmSync(o.path, { force: true });
  } catch {
    // A read-only or full disk costs the next start a compile, nothing more.
  }
}
