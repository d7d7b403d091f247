import type { CacheEntry } from '../../sources/http.js';
import type { DB } from './db.js';

/** The conditional-request validators stored for a URL (the fetch_cache table). */
export function readFetchCache(db: DB, url: string): CacheEntry | undefined {
  const row = db.prepare('SELECT etag, last_modified FROM fetch_cache WHERE url = ?').get(url) as { etag: string | null; last_modified: string | null } | undefined;
  if (!row) return undefined;
  const entry: CacheEntry = {};
  if (row.etag) entry.etag = row.etag;
  if (row.last_modified) entry.lastModified = row.last_modified;
  return entry;
}

/** Stores validators for URLs, in one transaction. */
export function writeFetchCache(db: DB, entries: readonly [string, CacheEntry][], at: string): void {
  const put = db.prepare(`INSERT INTO fetch_cache (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated_at = excluded.updated_at`);
  db.transaction(() => {
    for (const [url, entry] of entries) put.run(url, entry.etag ?? null, entry.lastModified ?? null, at);
  })();
}
