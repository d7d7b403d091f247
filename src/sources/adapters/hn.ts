import { NotRetriedError } from '../../errors.js';
import { hnItemToRaw } from '../../normalize/boards.js';
import type { SourceItem } from '../files.js';
import { baseUrl, parseJson, type SourceAdapter, toItem } from '../source.js';

/** A Hacker News "Who is hiring?" thread (the newest, or one by id): each top-level comment a posting. */
export const hn: SourceAdapter = {
  name: 'hn',
  key: () => 'hn',
  syntax: 'hn:whoishiring | hn:<item id>',
  defaultBaseUrl: 'https://hacker-news.firebaseio.com/v0',
  async fetch(arg, ctx) {
    const base = baseUrl(this, ctx);
    let threadId = arg;
    if (arg === 'whoishiring') {
      const user = parseJson(await ctx.http.get(`${base}/user/whoishiring.json`, { accept: 'application/json' }), 'hn:whoishiring') as { submitted?: unknown };
      if (!Array.isArray(user?.submitted)) throw new NotRetriedError(`${base}/user/whoishiring.json`, 'hn:whoishiring: user has no submitted list');
      // The newest "Who is hiring?" thread among the account's latest submissions.
      let found: string | undefined;
      for (const id of user.submitted.slice(0, 12)) {
        const item = parseJson(await ctx.http.get(`${base}/item/${id}.json`, { accept: 'application/json' }), `hn:${id}`) as { title?: string };
        if (/who is hiring\?/i.test(item?.title ?? '')) {
          found = String(id);
          break;
        }
      }
      if (!found) throw new NotRetriedError(`${base}/user/whoishiring.json`, 'hn:whoishiring: no "Who is hiring?" thread among the latest submissions');
      threadId = found;
    } else if (!/^\d+$/.test(arg)) {
      throw new NotRetriedError(arg, `hn: "${arg}" is neither "whoishiring" nor an item id`);
    }
    const thread = parseJson(await ctx.http.get(`${base}/item/${threadId}.json`, { accept: 'application/json' }), `hn:${threadId}`) as { kids?: unknown };
    const kids = Array.isArray(thread?.kids) ? thread.kids.map(String) : [];
    const items: SourceItem[] = [];
    const unchanged: string[] = [];
    await Promise.all(
      kids.map(async (id) => {
        if (ctx.isKnown?.('hn', id)) {
          unchanged.push(id);
          return;
        }
        try {
          const item = parseJson(await ctx.http.get(`${base}/item/${id}.json`, { accept: 'application/json' }), `hn:${id}`);
          const r = hnItemToRaw(item, ctx.fetchedAt);
          // A deleted comment is no posting, and no failure either.
          if (typeof r === 'string' && / is deleted$/.test(r)) return;
          items.push(toItem(r, `hn:${id}`));
        } catch (err) {
          items.push({ ok: false, input: `${base}/item/${id}.json`, reason: (err as Error).message });
        }
      }),
    );
    // Keep the thread's order: comments stored in the order HN lists them.
    const order = new Map(kids.map((id, k) => [id, k]));
    const key = (i: SourceItem) => order.get(i.ok ? (i.raw.externalId ?? '') : (/(\d+)(?:\.json)?$/.exec(i.input)?.[1] ?? '')) ?? 0;
    items.sort((a, b) => key(a) - key(b));
    return { status: 'ok', items, unchanged, complete: false };
  },
};
