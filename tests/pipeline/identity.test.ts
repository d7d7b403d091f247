import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { textHash } from '../../src/normalize/posting.js';
import { analyzeItems } from '../../src/pipeline/analyze.js';
import { buildReport } from '../../src/pipeline/report.js';
import { readPostingFiles } from '../../src/sources/files.js';
import type { SqliteStore } from '../../src/store/sqlite/store.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { shippedTaxonomy, tempDir, sqliteStore } from '../helpers.js';

const clock = (iso: string) => () => new Date(iso);

/** A small corpus in our own words: records with an id, with a URL, with neither, and a plain file. */
function writeCorpus(root: string): void {
  mkdirSync(join(root, 'acme'), { recursive: true });
  writeFileSync(
    join(root, 'acme', 'jobs.jsonl'),
    [
      { id: 'r-1', company: 'Acme', title: 'Data Engineer', date: '2026-03-02', text: 'Requirements\n- Python and Airflow' },
      { url: 'https://jobs.acme.test/2', company: 'Acme', title: 'Analyst', date: '2026-03-03', text: 'Requirements\n- SQL and Tableau' },
      { company: 'Acme', title: 'SRE', date: '2026-03-04', text: 'Requirements\n- Kubernetes and Terraform' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  writeFileSync(join(root, 'acme', 'ml.md'), 'Title: ML Engineer\nDate: 2026-03-05\n\nRequirements\n- PyTorch and Docker\n');
}

const analyze = (paths: string[], db: SqliteStore, day: string) => analyzeItems(readPostingFiles(paths), db, shippedTaxonomy(), { command: 'test', now: clock(`${day}T00:00:00Z`) });

describe('posting identity', () => {
  it('survives moving and renaming the corpus folder', async () => {
    const dir = tempDir();
    writeCorpus(join(dir, 'corpus'));
    const db = sqliteStore(':memory:');
    expect(await analyze([join(dir, 'corpus')], db, '2026-03-10')).toMatchObject({ new: 4, failed: 0 });
    const ids = db.db.prepare('SELECT id, external_id, url FROM postings ORDER BY id').all();
    mkdirSync(join(dir, 'elsewhere'));
    renameSync(join(dir, 'corpus'), join(dir, 'elsewhere', 'renamed'));
    expect(await analyze([join(dir, 'elsewhere', 'renamed')], db, '2026-03-11')).toMatchObject({ new: 0, changed: 0, unchanged: 4 });
    expect(db.db.prepare('SELECT id, external_id, url FROM postings ORDER BY id').all()).toEqual(ids);
  });

  it('keys a record by its own id (with its company), else its URL, else its place in the file', async () => {
    const dir = tempDir();
    writeCorpus(dir);
    const db = sqliteStore(':memory:');
    await analyze([dir], db, '2026-03-10');
    expect(db.db.prepare('SELECT title, external_id, url FROM postings ORDER BY title').all()).toEqual([
      { title: 'Analyst', external_id: null, url: 'https://jobs.acme.test/2' },
      { title: 'Data Engineer', external_id: 'id:Acme/r-1', url: null },
      { title: 'ML Engineer', external_id: 'acme/ml.md', url: null },
      { title: 'SRE', external_id: 'acme/jobs.jsonl#3', url: null },
    ]);
  });
});

describe('reposts', () => {
  it('are found by the text hash and counted once with unique', async () => {
    const dir = tempDir();
    const text = 'Requirements\n- Rust and PostgreSQL';
    writeFileSync(join(dir, 'board.jsonl'), `${JSON.stringify({ id: 'b-7', company: 'Beta', date: '2026-04-01', text })}\n`);
    writeFileSync(join(dir, 'agency.jsonl'), `${JSON.stringify({ id: 'x-99', company: 'Recruit Co', date: '2026-04-02', text })}\n`);
    writeFileSync(join(dir, 'other.jsonl'), `${JSON.stringify({ id: 'c-1', company: 'Gamma', date: '2026-04-03', text: 'Requirements\n- Kotlin' })}\n`);
    const db = sqliteStore(':memory:');
    expect(await analyze([dir], db, '2026-04-10')).toMatchObject({ new: 3 });
    const hashes = db.db.prepare('SELECT COUNT(DISTINCT text_hash) AS n, COUNT(*) AS all_ FROM text_hashes').get();
    expect(hashes).toEqual({ n: 2, all_: 3 });
    const counts = async (unique: boolean) => {
      const d = await db.readDemandRows('month', unique ? { unique } : {});
      return { postings: d.periodTotals, skills: Object.fromEntries(d.skillCounts.map((c) => [c.skillId, c.count])) };
    };
    expect(await counts(false)).toEqual({ postings: [{ period: '2026-04', total: 3 }], skills: { rust: 2, postgresql: 2, kotlin: 1 } });
    expect(await counts(true)).toEqual({ postings: [{ period: '2026-04', total: 2 }], skills: { rust: 1, postgresql: 1, kotlin: 1 } });
    // The report kinds read through the same filters.
    const summary = await buildReport(db, { kind: 'summary', period: 'month', filters: { unique: true } }, shippedTaxonomy);
    expect(JSON.stringify(summary)).toContain('"Rust"');
  });

  it('are hashed for postings stored before the text hash existed', () => {
    const path = join(tempDir(), 'old.sqlite');
    const old = sqliteStore(path, { migrations: MIGRATIONS.filter((m) => m.version < 6) });
    old.db.prepare(
      `INSERT INTO postings (id, source, origin, text, sections, content_hash, first_seen, last_seen, period_date, taxonomy_version, extractor_version)
       VALUES ('p1', 'file', 'a.txt', 'Some text', '[]', 'h', '2026-01-01', '2026-01-01', '2026-01-01', 't', 'e')`,
    ).run();
    old.db.close();
    const db = sqliteStore(path);
    expect(db.db.prepare('SELECT text_hash FROM text_hashes').all()).toEqual([{ text_hash: textHash('Some text') }]);
    db.db.close();
  });
});
