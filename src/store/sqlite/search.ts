import { searchPostingsWith } from '../sql.js';
import type { PostingPage, PostingQuery } from '../store.js';
import type { DB } from './db.js';

/** One page of the postings matching a search (Store.searchPostings), in the SQL both stores share. */
export function searchPostings(db: DB, q: PostingQuery): Promise<PostingPage> {
  return searchPostingsWith((sql, params) => db.prepare(sql).all(...params), q, { likeAnyCase: 'LIKE', name: 'sqlite' });
}
