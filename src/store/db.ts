import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StopBeforeWorkError } from '../errors.js';
import { textHash } from '../normalize/posting.js';
import { type Migration, MIGRATIONS } from './migrations.js';

export type DB = Database.Database;

/**
 * Opens (creating if needed) a skillpulse database: WAL mode, foreign keys on, migrations applied.
 * `:memory:` gives a fresh in-memory database. With `mustExist`, a missing file is an error
 * (a report on a mistyped path should say so, not print an empty report).
 */
export function openDatabase(path: string, options: { mustExist?: boolean; migrations?: readonly Migration[] } = {}): DB {
  if (options.mustExist && path !== ':memory:' && !existsSync(path)) {
    throw new StopBeforeWorkError(`database ${path}: no such file (create it with \`skillpulse analyze ... --db ${path}\`)`);
  }
  let db: DB;
  try {
    db = new Database(path);
  } catch (err) {
    throw new StopBeforeWorkError(`cannot open database ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A larger page cache: posting ids are hashes, so inserts land all over the b-trees.
    db.pragma('cache_size = -65536');
    applyMigrations(db, options.migrations ?? MIGRATIONS);
  } catch (err) {
    db.close();
    if (err instanceof StopBeforeWorkError) throw err;
    throw new StopBeforeWorkError(`database ${path}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}

/** Applies pending migrations; each with its record in one transaction, so a failure stays pending. */
export function applyMigrations(db: DB, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...done);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new StopBeforeWorkError(`the database has schema version ${newest}, newer than this skillpulse knows (${known}): upgrade skillpulse`);
  }
  // Migrations that hash stored texts call it (the same hash analyze computes).
  db.function('sp_text_hash', { deterministic: true }, (text: unknown) => textHash(String(text)));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}
