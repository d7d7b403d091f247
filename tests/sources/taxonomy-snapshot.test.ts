import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPosting } from '../../src/extract/extract.js';
import { normalizePosting } from '../../src/normalize/posting.js';
import { loadCompiledTaxonomy } from '../../src/sources/taxonomy-files.js';
import { shippedTaxonomy, tempDir } from '../helpers.js';

const snapshots = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.v8'));

function taxonomyDir(yaml: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'language.yaml'), yaml);
  return dir;
}

describe('compiled taxonomy snapshots', () => {
  it('load the same matcher the YAML compiles to', () => {
    const cache = tempDir();
    const first = loadCompiledTaxonomy({ cacheDir: cache });
    expect(snapshots(cache)).toHaveLength(1);
    const second = loadCompiledTaxonomy({ cacheDir: cache });
    expect(second).not.toBe(first);
    expect(second.taxonomy.version).toBe(shippedTaxonomy().taxonomy.version);
    expect(second.skills).toEqual(shippedTaxonomy().skills);
    const text = readFileSync('fixtures/postings/ml-engineer.md', 'utf8');
    const posting = normalizePosting({ source: 'file', externalId: 'x', fetchedAt: '2026-01-01T00:00:00Z', contentType: 'text/markdown', body: text, hints: {}, origin: 'x' });
    expect(extractPosting(posting, second)).toEqual(extractPosting(posting, shippedTaxonomy()));
  });

  it('are rebuilt when a taxonomy file changes', () => {
    const cache = tempDir();
    const dir = taxonomyDir('- {id: zig, name: Zig}\n');
    expect(loadCompiledTaxonomy({ dir, cacheDir: cache }).skills.map((s) => s.id)).toEqual(['zig']);
    writeFileSync(join(dir, 'language.yaml'), '- {id: zig, name: Zig}\n- {id: odin, name: Odin}\n');
    expect(loadCompiledTaxonomy({ dir, cacheDir: cache }).skills.map((s) => s.id)).toEqual(['zig', 'odin']);
    expect(snapshots(cache)).toHaveLength(2);
  });

  it('ignore a damaged snapshot and write a good one', () => {
    const cache = tempDir();
    const dir = taxonomyDir('- {id: zig, name: Zig}\n');
    loadCompiledTaxonomy({ dir, cacheDir: cache });
    const [file] = snapshots(cache);
    writeFileSync(join(cache, file as string), 'not a snapshot');
    expect(loadCompiledTaxonomy({ dir, cacheDir: cache }).skills.map((s) => s.id)).toEqual(['zig']);
    expect(readFileSync(join(cache, file as string)).length).toBeGreaterThan(100);
  });

  it('are optional: a cache directory that cannot be written costs a compile, nothing more', () => {
    // A path below a regular file can never be created, whoever runs the test (root too).
    const blocker = join(tempDir(), 'a-file');
    writeFileSync(blocker, '');
    const dir = taxonomyDir('- {id: zig, name: Zig}\n');
    expect(loadCompiledTaxonomy({ dir, cacheDir: join(blocker, 'cache') }).skills.map((s) => s.id)).toEqual(['zig']);
  });

  it('never hide an invalid taxonomy', () => {
    const cache = tempDir();
    const dir = taxonomyDir('- {id: zig}\n');
    expect(() => loadCompiledTaxonomy({ dir, cacheDir: cache })).toThrow(/language\.yaml/);
    expect(snapshots(cache)).toEqual([]);
  });
});
