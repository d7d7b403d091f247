import { searchPostingsWith } from '../sql.js';
import type { PostingPage, PostingQuery } from '../store.js';
import type { PgDb } from './db.js';

/** One page of the postings matching a search (Store.searchPostings), in the SQL both stores share. */
export function searchPostings(db: PgDb, q: PostingQuery): Promise<PostingPage> {
  return searchPostingsWith((sql, params) => db.all(sql, params), q, { likeAnyCase: 'ILIKE', name: 'postgres' });
}
