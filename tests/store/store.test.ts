import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StopBeforeWorkError } from '../../src/errors.js';
import { applyMigrations, openDatabase } from '../../src/store/db.js';
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
    const bad = [...MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE half (x); SELECT nonsense FROM nowhere;' }];
    expect(() => applyMigrations(db, bad)).toThrow();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: MIGRATIONS.length });
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
