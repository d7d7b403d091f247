import { UsageError } from './io.js';

/** The store a command uses: `--db` (a SQLite file or a postgres:// URL), else SKILLPULSE_DB_URL. */
export function dbOption(given: string | undefined, env: Record<string, string | undefined>): string {
  const db = given ?? env.SKILLPULSE_DB_URL;
  if (!db) throw new UsageError('--db <path|url> is required (a SQLite file, or postgres://...; SKILLPULSE_DB_URL gives a default)');
  return db;
}
