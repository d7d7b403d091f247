import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StopBeforeWorkError } from '../../src/errors.js';
import { applyMigrations, openDatabase } from '../../src/store/sqlite/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { tempDir } from '../helpers.js';

describe('openDatabase', () => {
  it('applies the migrations once and records them', () => {
    const path = `${tempDir()}/a.sqlite`;
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const recorded = db.prepare('SELECT version, name FROM schema_migrations').all();
    expect(recorded).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    db.close();
    const again = openDatabase(path);
    expect(applyMigrations(again, MIGRATIONS)).toEqual([]);
    again.close();
  });

  it('leaves a failing migration pending, with nothing of it applied', () => {
    const db = new Database(':memory:');
    const bad = [...MIGRATIONS, { version: 99, name: 'broken', postgres: '', sqlite: 'CREATE TABLE half (x); SELECT nonsense FROM nowhere;' }];
    expect(() => applyMigrations(db, bad)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: MIGRATIONS.length });
  });

  it('moves a version 4 database to integer posting keys, keeping every posting, skill, mention and count', () => {
    const path = `${tempDir()}/v4.sqlite`;
    const old = openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 4) });
    const posting = old.prepare(`INSERT INTO postings (id, source, origin, text, sections, content_hash, first_seen, last_seen, period_date, taxonomy_version, extractor_version)
      VALUES (?, 'file', 'f', ?, '[]', 'h', '2026-01-01', '2026-01-01', ?, 't', '2')`);
    const skill = old.prepare("INSERT INTO posting_skills VALUES (?, ?, 'required', NULL, ?, 0.9, 1)");
    const mention = old.prepare("INSERT INTO mentions VALUES (?, ?, 0, 6, 'Python', 'requirements', 0, 20)");
    posting.run('zz', 'Python and Go wanted', '2026-01-02');
    posting.run('aa', 'Python only, no Go', '2026-01-03');
    for (const [id, s, negated] of [['zz', 'python', 0], ['zz', 'go', 0], ['aa', 'python', 0], ['aa', 'go', 1]] as const) skill.run(id, s, negated);
    mention.run('zz', 'python');
    mention.run('aa', 'python');
    const counts = (db: Database.Database) => ({
      totals: db.prepare('SELECT * FROM daily_totals ORDER BY day').all(),
      skills: db.prepare('SELECT * FROM daily_skill_counts ORDER BY skill_id, day').all(),
    });
    const before = counts(old);
    old.close();

    const db = openDatabase(path);
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: MIGRATIONS.length });
    expect(db.prepare('SELECT key, id FROM postings ORDER BY key').all()).toEqual([
      { key: 1, id: 'zz' },
      { key: 2, id: 'aa' },
    ]);
    expect(db.prepare('SELECT p.id, ps.skill_id, ps.negated FROM posting_skills ps JOIN postings p ON p.key = ps.posting_key ORDER BY 1, 2').all()).toEqual([
      { id: 'aa', skill_id: 'go', negated: 1 },
      { id: 'aa', skill_id: 'python', negated: 0 },
      { id: 'zz', skill_id: 'go', negated: 0 },
      { id: 'zz', skill_id: 'python', negated: 0 },
    ]);
    expect(db.prepare('SELECT p.id, m.text FROM mentions m JOIN postings p ON p.key = m.posting_key ORDER BY 1').all()).toEqual([
      { id: 'aa', text: 'Python' },
      { id: 'zz', text: 'Python' },
    ]);
    expect(counts(db)).toEqual(before);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()).toEqual([]);
    // Migration 8 counts the report aggregates from the postings it finds (issue 17); negated skills never count.
    expect(db.prepare('SELECT * FROM facets').all()).toEqual([{ id: 1, source: 'file', company: null, location: null, remote: null }]);
    expect(db.prepare('SELECT * FROM daily_facet_counts ORDER BY day').all()).toEqual([
      { day: '2026-01-02', facet_id: 1, postings: 1 },
      { day: '2026-01-03', facet_id: 1, postings: 1 },
    ]);
    // Migration 9 replaces the per-facet skill rows by rows per source and remote, and the pairs per dekad by pairs per month.
    expect(db.prepare('SELECT * FROM daily_skill_sources ORDER BY 1, 2').all()).toEqual([
      { skill_id: 'go', day: '2026-01-02', source: 'file', remote: -1, postings: 1, required: 1, preferred: 0 },
      { skill_id: 'python', day: '2026-01-02', source: 'file', remote: -1, postings: 1, required: 1, preferred: 0 },
      { skill_id: 'python', day: '2026-01-03', source: 'file', remote: -1, postings: 1, required: 1, preferred: 0 },
    ]);
    // Migration 10 counts the postings per day, source and remote, the roll-ups per source and remote, and the pairs under each source, remote value and requirement.
    expect(db.prepare('SELECT * FROM daily_source_counts ORDER BY 1').all()).toEqual([
      { day: '2026-01-02', source: 'file', remote: -1, postings: 1 },
      { day: '2026-01-03', source: 'file', remote: -1, postings: 1 },
    ]);
    expect(db.prepare("SELECT * FROM daily_group_counts WHERE kind = 'category' ORDER BY 1, 2, 3, 4").all()).toEqual(
      db.prepare("SELECT kind, scope, grp, day, 'file' AS source, -1 AS remote, postings, postings AS required, 0 AS preferred FROM daily_group_counts WHERE kind = 'category' ORDER BY 1, 2, 3, 4").all(),
    );
    // Migration 12 counts the pairs per source and remote value too, their skills and slices numbered.
    expect(db.prepare('SELECT * FROM pair_skills ORDER BY id').all()).toEqual([
      { n: 1, id: 'go' },
      { n: 2, id: 'python' },
    ]);
    expect(db.prepare('SELECT * FROM pair_slices').all()).toEqual([{ n: 1, source: 'file', remote: -1 }]);
    expect(db.prepare('SELECT * FROM month_pair_counts').all()).toEqual([{ month: 202601, a: 1, b: 2, slice: 1, postings: 1 }]);
    expect(db.prepare('SELECT * FROM month_pair_levels').all()).toEqual([{ level: 'required', month: 202601, a: 1, b: 2, slice: 1, postings: 1 }]);
    db.close();
  });

  it('refuses a database from a newer skillpulse', () => {
    const path = `${tempDir()}/new.sqlite`;
    openDatabase(path).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (999, 'future', 'x')").run();
    raw.close();
    expect(() => openDatabase(path)).toThrow(/schema version 999, newer than this skillpulse knows/);
  });

  it('says so when a database that must exist does not', () => {
    expect(() => openDatabase(`${tempDir()}/missing.sqlite`, { mustExist: true })).toThrow(StopBeforeWorkError);
  });
});
