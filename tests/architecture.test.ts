import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Imports flow one way: cli -> serve -> pipeline -> edges (sources, store) -> core (taxonomy, normalize,
 * extract, report, eval). The core never imports an edge, and inside the core each layer imports
 * only the layers before it. Shared modules (types, errors, periods, version) import nothing of ours.
 */
const SRC = join(import.meta.dirname, '..', 'src');

/** What each folder (or top-level module) may import from src/, besides itself. */
const ALLOWED: Record<string, string[]> = {
  types: [],
  errors: [],
  version: [],
  periods: [],
  'atomic-write': [],
  taxonomy: ['types', 'errors', 'periods'],
  normalize: ['types', 'errors', 'periods', 'taxonomy'],
  extract: ['types', 'errors', 'periods', 'taxonomy', 'normalize'],
  report: ['types', 'errors', 'periods', 'taxonomy', 'normalize', 'extract'],
  eval: ['types', 'errors', 'periods', 'taxonomy', 'normalize', 'extract'],
  sources: ['types', 'errors', 'periods', 'taxonomy', 'normalize', 'extract', 'eval'],
  store: ['types', 'errors', 'periods', 'taxonomy', 'normalize', 'extract', 'sources'],
  pipeline: ['types', 'errors', 'periods', 'version', 'atomic-write', 'taxonomy', 'normalize', 'extract', 'report', 'eval', 'sources', 'store'],
  // serve: the HTTP API, dashboard, metrics and MCP tools; an entry point like cli, over pipeline and below.
  serve: ['types', 'errors', 'periods', 'version', 'taxonomy', 'normalize', 'extract', 'report', 'eval', 'sources', 'store', 'pipeline'],
  // Distributed runs (issue 16): the pipeline's steps as BullMQ jobs.
  queue: ['types', 'errors', 'periods', 'version', 'atomic-write', 'taxonomy', 'normalize', 'extract', 'report', 'eval', 'sources', 'store', 'pipeline'],
  cli: ['types', 'errors', 'periods', 'version', 'atomic-write', 'taxonomy', 'normalize', 'extract', 'report', 'eval', 'sources', 'store', 'pipeline', 'serve', 'queue'],
  index: ['types', 'errors', 'periods', 'version', 'taxonomy', 'normalize', 'extract', 'report', 'eval', 'sources', 'store', 'pipeline', 'serve', 'queue'],
};
/** The pure core: no file system, network, database, processes or threads. */
const CORE = new Set(['taxonomy', 'normalize', 'extract', 'report', 'eval']);
const IMPURE_PACKAGES = /^(?:node:(?:fs|fs\/promises|net|http|https|child_process|worker_threads|os|dgram|dns|tls|cluster)|better-sqlite3|pg|bullmq|ioredis|undici|p-limit)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** The layer of a file under src/: its folder, or the module's own name at the top level. */
function layerOf(file: string): string {
  const [first, second] = relative(SRC, file).split(/[\\/]/);
  return (second === undefined ? first?.replace(/\.[jt]s$/, '') : first) as string;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2]) as string);
}

describe('import direction', () => {
  const files = sourceFiles(SRC);
  const edges = files.flatMap((file) =>
    importsOf(file).map((spec) => ({ file: relative(SRC, file), from: layerOf(file), spec, to: spec.startsWith('.') ? layerOf(join(file, '..', spec)) : undefined })),
  );

  it('knows every layer', () => {
    expect(files.length).toBeGreaterThan(40);
    const unknown = [...new Set(files.map(layerOf))].filter((l) => !(l in ALLOWED));
    expect(unknown).toEqual([]);
  });

  it('points one way', () => {
    const wrong = edges.filter((e) => e.to !== undefined && e.to !== e.from && !ALLOWED[e.from]?.includes(e.to)).map((e) => `${e.file} imports ${e.spec}`);
    expect(wrong).toEqual([]);
  });

  it('keeps the core pure', () => {
    const impure = edges.filter((e) => CORE.has(e.from) && e.to === undefined && IMPURE_PACKAGES.test(e.spec)).map((e) => `${e.file} imports ${e.spec}`);
    expect(impure).toEqual([]);
  });

  it('keeps SQLite behind the Store: better-sqlite3 and src/store/sqlite are used only under src/store', () => {
    const leaks = edges
      .filter((e) => !e.file.startsWith(join('store', 'sqlite')) && (e.spec === 'better-sqlite3' || (e.from !== 'store' && /\/store\/sqlite\//.test(e.spec))))
      .map((e) => `${e.file} imports ${e.spec}`);
    expect(leaks).toEqual([]);
  });

  it('catches a wrong-way import', () => {
    // The rule itself: a report module importing the store would be reported.
    expect(ALLOWED.report?.includes('store')).toBe(false);
    expect(ALLOWED.store?.includes('report')).toBe(false);
    expect(ALLOWED.taxonomy?.includes('extract')).toBe(false);
  });
});
