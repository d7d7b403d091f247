import type { CacheEntry, FetchCache } from '../sources/http.js';
import type { DB } from './db.js';

/** The fetch_cache table as the HTTP client's conditional-request cache. */
export function sqliteFetchCache(db: DB, now: () => string = () => new Date().toISOString()): FetchCache {
  const get = db.prepare('SELECT etag, last_modified FROM fetch_cache WHERE url = ?');
  const put = db.prepare(`INSERT INTO fetch_cache (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, updated_at = excluded.updated_at`);
  return {
    get(url) {
      const row = get.get(url) as { etag: string | null; last_modified: string | null } | undefined;
      if (!row) return undefined;
      const entry: CacheEntry = {};
      if (row.etag) entry.etag = row.etag;
      if (row.last_modified) entry.lastModified = row.last_modified;
      return entry;
    },
    put(url, entry) {
      put.run(url, entry.etag ?? null, entry.lastModified ?? null, now());
    },
  };
}
