import type { Store } from './store.js';

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

export interface OpenStoreOptions {
  /** A missing SQLite file is an error (a report on a mistyped path should say so, not print an empty report). */
  mustExist?: boolean;
  /** Only read (reports, stats, export): never locked or changed. */
  readonly?: boolean;
  /** What the SQLite lock says its holder is doing. */
  command?: string;
  /** Told once a SQLite writer holds the lock what killed runs left. */
  onRecover?: (r: { tookOver?: { pid?: number; host?: string; startedAt?: string }; interrupted: number }) => void;
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
