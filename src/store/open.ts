import { resolve } from 'node:path';
import { describePostgresError } from './postgres/errors.js';
import { databaseFiles, describeSqliteError, type Recovered } from './sqlite/db.js';
import type { Store } from './store.js';

export type { Recovered };

/** Whether a `db` value names a PostgreSQL database (`postgres://` or `postgresql://`) rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(db);
}

/** A database URL as messages may show it: the password replaced by `***`. */
export function redactUrl(db: string): string {
  if (!isPostgresUrl(db)) return db;
  try {
    const u = new URL(db);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return db.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}

/** Every file of a SQLite database (itself, its journals, its lock files): never written over by a report. None for PostgreSQL. */
export function storeFiles(db: string): string[] {
  return isPostgresUrl(db) || db === ':memory:' ? [] : databaseFiles(db);
}

/** Whether `file` is one of the store's files (both resolved against the working folder). */
export function isStoreFile(file: string, db: string): boolean {
  return storeFiles(db).some((f) => resolve(f) === resolve(file));
}

/** What a store's error means, in words that say what to do; undefined when it is no database error. */
export function describeStoreError(err: unknown): string | undefined {
  return describeSqliteError(err) ?? describePostgresError(err);
}

export interface OpenStoreOptions {
  /** A missing SQLite file is an error (a report on a mistyped path should say so, not print an empty report). */
  mustExist?: boolean;
  /** Only read (reports, stats, export): never locked or changed. */
  readonly?: boolean;
  /** What the SQLite lock says its holder is doing. */
  command?: string;
  /** Told once a SQLite writer holds the lock what killed runs left. */
  onRecover?: (r: Recovered) => void;
  /** PostgreSQL: the schema to use (tests give each their own); default `public`. */
  schema?: string;
}

/**
 * Opens the store a `db` value names: a PostgreSQL URL, or a SQLite file path (`:memory:` for a
 * fresh in-memory one). Migrations are applied on opening a writer.
 */
export async function openStore(db: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (isPostgresUrl(db)) {
    const { openPostgresStore } = await import('./postgres/store.js');
    return openPostgresStore(db, options);
  }
  const { openSqliteStore } = await import('./sqlite/store.js');
  return openSqliteStore(db, options);
}
