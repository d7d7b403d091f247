import { InterruptedError, NotRetriedError } from '../../errors.js';
import { hnItemToRaw } from '../../normalize/boards.js';
import type { SourceItem } from '../files.js';
import { baseUrl, type FetchContext, limitOf, parseJson, RequestCapError, type SourceAdapter, toItem } from '../source.js';

/** A Hacker News "Who is hiring?" thread (the newest, or one by id): each top-level comment a posting. */
export const hn: SourceAdapter = {
  name: 'hn',
  key: () => 'hn',
  syntax: 'hn:whoishiring | hn:<item id>',
  defaultBaseUrl: 'https://hacker-news.firebaseio.com/v0',
  argProblem(arg) {
    return arg === 'whoishiring' || /^\d+$/.test(arg) ? undefined : `hn: "${arg}" is neither "whoishiring" nor an item id`;
  },
  async fetch(arg, ctx) {
    const base = baseUrl(this, ctx);
    const problem = this.argProblem?.(arg);
    if (problem) throw new NotRetriedError(arg, problem);
    const threadId = arg === 'whoishiring' ? await findLatestThread(base, ctx) : arg;
    const thread = parseJson(await ctx.http.get(`${base}/item/${threadId}.json`, { accept: 'application/json' }), `hn:${threadId}`) as { kids?: unknown };
    const kids = Array.isArray(thread?.kids) ? thread.kids.map(String) : [];
    const known = (await ctx.known?.('hn', kids)) ?? new Set<string>();
    const unchanged = kids.filter((id) => known.has(id));
    const fresh = kids.filter((id) => !known.has(id));
    // At most maxThreadItems comments a run, in the thread's order: the next run fetches the rest.
    const max = limitOf(ctx, 'maxThreadItems');
    const limitsHit = fresh.length > max ? [`item limit of ${max} for this thread reached (--max-thread-items, http.maxThreadItems); ${fresh.length - max} comments wait for the next run`] : [];
    const { items, capped } = await fetchComments(fresh.slice(0, max), base, ctx);
    if (capped) limitsHit.push(capped);
    // Keep the thread's order: comments stored in the order HN lists them.
    const order = new Map(kids.map((id, k) => [id, k]));
    const key = (i: SourceItem) => order.get(i.ok ? (i.raw.externalId ?? '') : (/(\d+)(?:\.json)?$/.exec(i.input)?.[1] ?? '')) ?? 0;
    items.sort((a, b) => key(a) - key(b));
    return { status: 'ok', items, unchanged, complete: false, ...(limitsHit.length && { limitsHit }) };
  },
};

/** The newest "Who is hiring?" thread among the whoishiring account's latest submissions. */
async function findLatestThread(base: string, ctx: FetchContext): Promise<string> {
  const userUrl = `${base}/user/whoishiring.json`;
  const user = parseJson(await ctx.http.get(userUrl, { accept: 'application/json' }), 'hn:whoishiring') as { submitted?: unknown };
  if (!Array.isArray(user?.submitted)) throw new NotRetriedError(userUrl, 'hn:whoishiring: user has no submitted list');
  for (const id of user.submitted.slice(0, 12)) {
    const item = parseJson(await ctx.http.get(`${base}/item/${id}.json`, { accept: 'application/json' }), `hn:${id}`) as { title?: string };
    if (/who is hiring\?/i.test(item?.title ?? '')) return String(id);
  }
  throw new NotRetriedError(userUrl, 'hn:whoishiring: no "Who is hiring?" thread among the latest submissions');
}

/**
 * Fetches the comments; one that fails is a failed item, a deleted one nothing. Comments left
 * when the source's request cap is reached are no failures: `capped` says so, and the next run
 * fetches them. An interruption ends it all.
 */
async function fetchComments(ids: string[], base: string, ctx: FetchContext): Promise<{ items: SourceItem[]; capped?: string }> {
  const items: SourceItem[] = [];
  let capped: RequestCapError | undefined;
  await Promise.all(
    ids.map(async (id) => {
      try {
        const item = parseJson(await ctx.http.get(`${base}/item/${id}.json`, { accept: 'application/json' }), `hn:${id}`);
        const r = hnItemToRaw(item, ctx.fetchedAt);
        // A deleted comment is no posting, and no failure either.
        if (typeof r === 'string' && / is deleted$/.test(r)) return;
        items.push(toItem(r, `hn:${id}`));
      } catch (err) {
        if (err instanceof InterruptedError) throw err;
        if (err instanceof RequestCapError) capped = err;
        else items.push({ ok: false, input: `${base}/item/${id}.json`, reason: (err as Error).message });
      }
    }),
  );
  return { items, ...(capped && { capped: capped.message }) };
}
