import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/db.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { likeLiteral } from '../../src/store/sqlite/queries.js';
import { runCli, tempDir } from '../helpers.js';

/** Issue 14, item 14: commands that only read leave a SQLite file that is not ours as it is; filters match literally. */

/** A SQLite file another program made: one table of its own. */
function foreignDatabase(): string {
  const path = join(tempDir(), 'notes.sqlite');
  const db = new Database(path);
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('mine')");
  db.close();
  return path;
}

const tablesOf = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  } finally {
    db.close();
  }
};

describe('a SQLite file that is not a skillpulse database', () => {
  it.each([
    [['report']],
    [['report', '--kind', 'trends', '--format', 'json']],
    [['db', 'stats']],
    [['db', 'export']],
    [['runs']],
  ])('%j refuses it and adds no table', async (args) => {
    const path = foreignDatabase();
    const r = await runCli([...args, '--db', path]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(`database ${path} is not a skillpulse database (it holds notes and no schema_migrations): left as it is`);
    expect(r.stderr).not.toContain('unexpected error');
    expect(tablesOf(path)).toEqual(['notes']);
  });

  it('is refused by writers too, rather than given our tables', async () => {
    const path = foreignDatabase();
    const r = await runCli(['analyze', 'fixtures/postings/ml-engineer.md', '--db', path]);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a skillpulse database') });
    expect(tablesOf(path)).toEqual(['notes']);
  });

  it('an empty file is nothing to read; a file that is not SQLite says so', async () => {
    const empty = join(tempDir(), 'empty.sqlite');
    writeFileSync(empty, '');
    expect(await runCli(['db', 'stats', '--db', empty])).toMatchObject({ code: 2, stderr: expect.stringContaining('is not a skillpulse database (it is empty)') });
    expect(readFileSync(empty, 'utf8')).toBe('');
    const text = join(tempDir(), 'text.sqlite');
    writeFileSync(text, 'just some text, long enough to be read as a header of a database file....................................................');
    expect(await runCli(['report', '--db', text])).toMatchObject({ code: 2, stderr: expect.stringContaining('not a SQLite database') });
  });

  it('a reader never writes: the file stays byte for byte as it was', async () => {
    const path = join(tempDir(), 'p.sqlite');
    expect((await runCli(['analyze', 'fixtures/postings', '--db', path])).code).toBe(0);
    const before = readFileSync(path);
    const db = openDatabase(path, { readonly: true });
    expect(() => db.exec('CREATE TABLE x (y)')).toThrow(/readonly/);
    db.close();
    for (const args of [['report'], ['db', 'stats'], ['db', 'export'], ['runs']]) expect((await runCli([...args, '--db', path])).code).toBe(0);
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('a reader on an older schema', () => {
  it('upgrades it first (a write, under the lock), then reads', async () => {
    const path = join(tempDir(), 'old.sqlite');
    openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version <= 4) }).close();
    const r = await runCli(['db', 'stats', '--db', path, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: MIGRATIONS.length, postings: 0 });
    expect(existsSync(`${path}.lock`)).toBe(false);
    // Nothing stored: nothing to rewrite, nothing said.
    expect(r.stderr).toBe('');
  });

  it('says it is upgrading a database that holds postings (a long rewrite on a large one), then goes on', async () => {
    const path = join(tempDir(), 'old.sqlite');
    const old = openDatabase(path, { migrations: MIGRATIONS.filter((m) => m.version < 6) });
    old.prepare(
      `INSERT INTO postings (id, source, origin, text, sections, content_hash, first_seen, last_seen, period_date, taxonomy_version, extractor_version)
       VALUES ('p1', 'file', 'a.txt', 'Python', '[]', 'h', '2026-01-01', '2026-01-01', '2026-01-01', 't', 'e')`,
    ).run();
    old.close();
    // Said on the process's stderr, where the command's own messages go, before the migrations run.
    const said: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => said.push(String(chunk)) > 0);
    try {
      openDatabase(path).close();
      expect(said).toEqual([`skillpulse: upgrading the database ${path} from schema 5 to ${MIGRATIONS.length} (${MIGRATIONS.length - 5} migrations); on a large database this takes minutes\n`]);
      // Once upgraded, nothing more is said.
      openDatabase(path).close();
      expect(said).toHaveLength(1);
    } finally {
      write.mockRestore();
    }
    const r = await runCli(['db', 'stats', '--db', path, '--format', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: MIGRATIONS.length, postings: 1 });
  });
});

describe('files of the database (issue 14, item 10)', () => {
  it.each([['report'], ['db', 'export']])('%s --out refuses the database and its lock, leaving them as they were', async (...command) => {
    const db = join(tempDir(), 'p.sqlite');
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    const before = readFileSync(db);
    for (const out of [db, `${db}-wal`, `${db}.lock`, `${db}.lock.sqlite`]) {
      const r = await runCli([...command, '--db', db, '--out', out]);
      expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining(`--out ${out} is a file of the database ${db}`) });
    }
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(existsSync(`${db}.lock`)).toBe(false);
  });

  it('a failed export says so and leaves no half-written file', async () => {
    const dir = tempDir();
    const db = join(dir, 'p.sqlite');
    expect((await runCli(['analyze', 'fixtures/postings', '--db', db])).code).toBe(0);
    // The folder of the export is a file: nothing can be written there.
    writeFileSync(join(dir, 'blocked'), '');
    const r = await runCli(['db', 'export', '--db', db, '--out', join(dir, 'blocked', 'x.jsonl')]);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining(`cannot write the export ${join(dir, 'blocked', 'x.jsonl')}: `) });
    expect(r.stderr).not.toContain('unexpected error');
  });
});

describe('text filters', () => {
  it('match % and _ literally', async () => {
    const db = join(tempDir(), 'p.sqlite');
    const rows = [
      { id: '1', date: '2026-01-05', company: '100% Remote Inc', location: 'Berlin', text: 'Requirements: Python' },
      { id: '2', date: '2026-01-06', company: 'Acme', location: 'North_Lake', text: 'Requirements: Python' },
      { id: '3', date: '2026-01-07', company: 'Beta', location: 'NorthXLake', text: 'Requirements: Python' },
    ];
    expect((await runCli(['analyze', '-', '--db', db], rows.map((r) => JSON.stringify(r)).join('\n'))).code).toBe(0);
    const total = async (...filter: string[]) => JSON.parse((await runCli(['report', '--db', db, '--format', 'json', ...filter])).stdout).totalPostings;
    expect(await total()).toBe(3);
    expect(await total('--company', '%')).toBe(1);
    expect(await total('--company', '100%')).toBe(1);
    expect(await total('--location', 'North_Lake')).toBe(1);
    expect(await total('--location', '_')).toBe(1);
    expect(await total('--company', 'acme')).toBe(1);
    // A source the database does not hold is a usage error naming those it does (issue 15), never a pattern.
    expect(await runCli(['report', '--db', db, '--source', 'fil%'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--source "fil%" names no source of this database; one of: file') });
    expect(await total('--source', 'file')).toBe(3);
  });

  it.each([
    ['100%', '100\\%'],
    ['a_b', 'a\\_b'],
    ['back\\slash', 'back\\\\slash'],
    ['plain', 'plain'],
  ])('likeLiteral(%j) is %j', (s, expected) => {
    expect(likeLiteral(s)).toBe(expected);
  });
});
