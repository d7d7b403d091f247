import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { LockHeldError, StopBeforeWorkError } from '../../errors.js';
import { textHash } from '../../normalize/posting.js';
import { acquireLock, type LockInfo, osLockFile } from './lock.js';
import { type Migration, MIGRATIONS } from '../migrations.js';
import { markDeadRunsInterrupted } from './runs.js';

export type DB = Database.Database;

export interface OpenOptions {
  /** A missing file is an error (a report on a mistyped path should say so, not print an empty report). */
  mustExist?: boolean;
  migrations?: readonly Migration[];
  /**
   * Only read (reports, stats, export): opened read-only, so a read-only file works; never locked
   * or changed, and a file that is not a skillpulse database is refused. The file must exist.
   */
  readonly?: boolean;
  /** What the lock says its holder is doing (writers hold `<db>.lock` while open). */
  command?: string;
  /** Told once the lock is held what killed runs left: their lock, and runs still marked running. */
  onRecover?: (r: Recovered) => void;
}

/** What a writer found left by runs that were killed, once it held the lock. */
export interface Recovered {
  tookOver?: LockInfo;
  /** Runs recorded as running, now recorded as interrupted. */
  interrupted: number;
}

/** The lock file a writer holds: `<db>.lock` (and `<db>.lock.sqlite`, where the system's lock is). */
export const lockFile = (path: string): string => `${path}.lock`;

/** Every file of a database: itself, SQLite's journals, and its lock files. Reports must never be written over one. */
export function databaseFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`, `${path}-journal`, lockFile(path), osLockFile(lockFile(path))];
}

/**
 * Opens (creating if needed) a skillpulse database: WAL mode, foreign keys on, migrations applied.
 * `:memory:` gives a fresh in-memory database. A writer holds the database's lock until it closes
 * the database (LockHeldError while another process holds it), and records runs that a killed
 * process left running as interrupted. With `readonly` it only reads (see OpenOptions).
 */
export function openDatabase(path: string, options: OpenOptions = {}): DB {
  const migrations = options.migrations ?? MIGRATIONS;
  if (path === ':memory:') return openForWriting(path, migrations);
  if ((options.mustExist || options.readonly) && !existsSync(path)) {
    throw new StopBeforeWorkError(`database ${path}: no such file (create it with \`skillpulse analyze ... --db ${path}\`)`);
  }
  if (options.readonly) return openForReading(path, migrations);
  const lock = takeLock(path, options.command ?? 'skillpulse');
  try {
    const db = openForWriting(path, migrations);
    releaseOnClose(db, lock.release);
    recoverFromKilledRuns(db, path, lock.tookOver, options.onRecover);
    return db;
  } catch (err) {
    lock.release();
    throw err;
  }
}

function takeLock(path: string, command: string): { release: () => void; tookOver?: LockInfo } {
  const file = lockFile(path);
  let r: ReturnType<typeof acquireLock>;
  try {
    r = acquireLock(file, command);
  } catch (err) {
    throw new StopBeforeWorkError(`database ${path}: cannot take its lock ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (r.ok) return r;
  const h = r.holder;
  throw new LockHeldError(`another run holds ${file} (${h.pid ? `pid ${h.pid} on ${h.host}, since ${h.startedAt}` : 'it has not yet said which'})`);
}

/** The lock goes with the connection: released when the database is closed. */
function releaseOnClose(db: DB, release: () => void): void {
  const close = db.close.bind(db);
  db.close = () => {
    try {
      return close();
    } finally {
      release();
    }
  };
}

/** Runs still marked running while we hold the lock were killed (every writer holds it): recorded as interrupted. */
function recoverFromKilledRuns(db: DB, path: string, tookOver: LockInfo | undefined, onRecover: OpenOptions['onRecover']): void {
  let interrupted: number;
  try {
    interrupted = markDeadRunsInterrupted(db, new Date().toISOString());
  } catch (err) {
    db.close();
    throw new StopBeforeWorkError(`database ${path}: ${describeSqliteError(err) ?? (err as Error).message}`, { cause: err });
  }
  onRecover?.({ ...(tookOver && { tookOver }), interrupted });
}

// URI file names, for `immutable` below: read by better-sqlite3 once, when its addon first loads
// (the first database opened), so set before that. A path is never read as a URI unless we make one.
process.env.SQLITE_USE_URI ??= '1';

function connect(path: string, readonly: boolean): DB {
  try {
    return new Database(path.startsWith('file:') ? `./${path}` : path, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new StopBeforeWorkError(`cannot open database ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Reading a WAL database needs its `-shm` file, which a folder we may not write (read-only media,
 * someone else's backup) cannot get. There the file is read as immutable: safe, since no writer
 * can be at work in such a folder (none could create the `-wal` either). A `-wal` with content
 * (a writer killed, then the folder made read-only) is refused: reading without it would be stale.
 */
function connectImmutable(path: string, cause: unknown): DB {
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new StopBeforeWorkError(`database ${path}: cannot be read in a read-only folder while ${wal} holds writes not yet in the database; open it once where it may be written`, { cause });
  }
  const db = new Database(`${pathToFileURL(resolve(path)).href}?immutable=1`, { readonly: true, fileMustExist: true });
  db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
  return db;
}

/** Whether SQLite failed only because it could not make the `-shm` a WAL database needs beside it. */
function cannotShareMemory(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_READONLY_DIRECTORY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY_CANTINIT';
}

function openForWriting(path: string, migrations: readonly Migration[]): DB {
  const db = connect(path, false);
  try {
    refuseForeignDatabase(db, path, false);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // A larger page cache: the aggregates' and indexes' inserts land all over their b-trees.
    db.pragma('cache_size = -65536');
    // Checkpoints every 8,000 pages of log (32 MB), not 1,000: a page the batches write again and
    // again (an aggregate's, an index's) is copied into the database file once per checkpoint.
    // The store stage of the Hacker News posts took 5 to 10% less (four pairs alternated); 32,000
    // was no faster.
    db.pragma('wal_autocheckpoint = 8000');
    sayUpgrade(db, path, migrations);
    applyMigrations(db, migrations);
  } catch (err) {
    db.close();
    throw asOpenError(err, path);
  }
  return db;
}

/**
 * Says so on stderr before an upgrade of a database that holds postings: some migrations rewrite
 * every skill row, minutes on a large database, and a command silent that long looks hung.
 */
function sayUpgrade(db: DB, path: string, migrations: readonly Migration[]): void {
  const hasTable = (name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
  if (!hasTable('schema_migrations') || !hasTable('postings') || db.prepare('SELECT 1 FROM postings LIMIT 1').get() === undefined) return;
  const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const pending = migrations.filter((m) => !done.has(m.version));
  if (pending.length === 0 || done.size === 0) return;
  const to = Math.max(...migrations.map((m) => m.version));
  process.stderr.write(`skillpulse: upgrading the database ${path} from schema ${Math.max(...done)} to ${to} (${pending.length} migration${pending.length === 1 ? '' : 's'}); on a large database this takes minutes\n`);
}

/** Read-only; a database of an older schema is upgraded first (migrations are writes), then read. */
function openForReading(path: string, migrations: readonly Migration[]): DB {
  let db = connect(path, true);
  try {
    db.pragma('busy_timeout = 5000');
    try {
      db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
    } catch (err) {
      if (!cannotShareMemory(err)) throw err;
      db.close();
      db = connectImmutable(path, err);
    }
    refuseForeignDatabase(db, path, true);
    if (pendingMigrations(db, migrations) === 0) return db;
  } catch (err) {
    db.close();
    throw asOpenError(err, path);
  }
  db.close();
  openDatabase(path, { migrations, command: 'schema upgrade' }).close();
  return connect(path, true);
}

function asOpenError(err: unknown, path: string): unknown {
  if (err instanceof StopBeforeWorkError) return err;
  return new StopBeforeWorkError(`database ${path}: ${describeSqliteError(err) ?? (err as Error).message}`, { cause: err });
}

/**
 * Refuses a SQLite file that another program made (tables, but no schema_migrations): skillpulse
 * would add its tables to it. An empty file is a new database for a writer, nothing for a reader.
 */
function refuseForeignDatabase(db: DB, path: string, reading: boolean): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  if (tables.includes('schema_migrations')) return;
  if (tables.length === 0 && !reading) return;
  const holds = tables.length === 0 ? 'it is empty' : `it holds ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''} and no schema_migrations`;
  throw new StopBeforeWorkError(`database ${path} is not a skillpulse database (${holds}): left as it is`);
}

/** How many migrations the database lacks; a database newer than this skillpulse is refused. */
function pendingMigrations(db: DB, migrations: readonly Migration[]): number {
  const done = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  refuseNewerSchema(done, migrations);
  return migrations.filter((m) => !done.has(m.version)).length;
}

function refuseNewerSchema(done: Set<number>, migrations: readonly Migration[]): void {
  const newest = Math.max(0, ...done);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new StopBeforeWorkError(`the database has schema version ${newest}, newer than this skillpulse knows (${known}): upgrade skillpulse`);
  }
}

/** Applies pending migrations; each with its record in one transaction, so a failure stays pending. */
export function applyMigrations(db: DB, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  refuseNewerSchema(done, migrations);
  // Migrations that hash stored texts call it (the same hash analyze computes).
  db.function('sp_text_hash', { deterministic: true }, (text: unknown) => textHash(String(text)));
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sqlite);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}

/** SQLite's result codes, as better-sqlite3 names them, with what they mean for whoever ran the command. */
const SQLITE_PROBLEMS: [RegExp, string][] = [
  [/^SQLITE_FULL$/, 'the disk is full (SQLITE_FULL): what was stored before is intact, the batch being written was rolled back; free some space and run the command again'],
  [/^SQLITE_IOERR/, 'the disk failed a read or write ($code): the database stays whole (a batch being written is rolled back); check the disk, its free space and the file size limit, and run the command again'],
  [/^SQLITE_READONLY/, 'the file is read-only ($code): this command writes to the database; reports, db stats and db export only read it'],
  [/^SQLITE_(?:NOTADB|CORRUPT)/, 'not a SQLite database, or a damaged one ($code)'],
  [/^SQLITE_(?:BUSY|LOCKED)/, 'another process kept the database busy for too long ($code); try again'],
  [/^SQLITE_(?:CANTOPEN|PERM|AUTH)/, 'cannot open the file ($code): check that it and its folder exist and may be read and written'],
];

/** What a SQLite error means, in words that say what to do; undefined when `err` is no SQLite error. */
export function describeSqliteError(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (!(err instanceof Database.SqliteError) || typeof code !== 'string') return undefined;
  const problem = SQLITE_PROBLEMS.find(([pattern]) => pattern.test(code));
  return problem ? problem[1].replace('$code', code) : `SQLite failed (${code}: ${err.message})`;
}
