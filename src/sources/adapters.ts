import { ashbyJobToRaw, feedToRaws, greenhouseJobToRaw, hnItemToRaw, leverPostingToRaw, smartRecruitersToRaw, workableJobToRaw } from '../normalize/boards.js';
import { parseHtmlPage } from '../normalize/html-page.js';
import { NotRetriedError } from '../errors.js';
import type { RawPosting } from '../types.js';
import type { SourceItem } from './files.js';
import type { HttpClient, HttpResponse } from './http.js';

/** What a source's fetch found. */
export type Listing =
  /** The listing answered 304: nothing changed since the last run, nothing to parse. */
  | { status: 'not-modified' }
  | {
      status: 'ok';
      items: SourceItem[];
      /** External ids seen but not fetched again because they are known and unchanged. */
      unchanged: string[];
      /** The listing was read whole: postings missing from it have closed. */
      complete: boolean;
    };

export interface FetchContext {
  http: HttpClient;
  /** Base URLs by adapter name, from config; else SKILLPULSE_<NAME>_BASE_URL; else the public API. */
  baseUrls?: Record<string, string | undefined>;
  env: Record<string, string | undefined>;
  fetchedAt: string;
  /** Whether a posting of this source is already stored (lets HN skip comments it has). */
  isKnown?: (source: string, externalId: string) => boolean;
}

export interface SourceAdapter {
  name: string;
  /** How the source is written on the command line, for help and errors. */
  syntax: string;
  defaultBaseUrl?: string;
  fetch(arg: string, ctx: FetchContext): Promise<Listing>;
}

function baseUrl(adapter: SourceAdapter, ctx: FetchContext): string {
  const fromEnv = ctx.env[`SKILLPULSE_${adapter.name.toUpperCase()}_BASE_URL`];
  return (ctx.baseUrls?.[adapter.name] ?? fromEnv ?? adapter.defaultBaseUrl ?? '').replace(/\/+$/, '');
}

function parseJson(r: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(r.text);
  } catch (err) {
    throw new NotRetriedError(r.url, `${what}: malformed JSON (${(err as Error).message})`);
  }
}

const toItem = (r: RawPosting | string, where: string): SourceItem => (typeof r === 'string' ? { ok: false, input: where, reason: r } : { ok: true, raw: r, warnings: [] });

function checkArg(arg: string, adapter: SourceAdapter): string {
  if (!/^[A-Za-z0-9._-]+$/.test(arg)) throw new NotRetriedError(arg, `${adapter.name}: "${arg}" is not a board name (expected ${adapter.syntax})`);
  return arg;
}

/** A board whose one JSON response lists every job with its content (Greenhouse, Ashby, Workable). */
async function jsonBoard(
  ctx: FetchContext,
  url: string,
  spec: string,
  toRaw: (job: unknown) => RawPosting | string,
  keep: (job: unknown) => boolean = () => true,
): Promise<Listing> {
  const r = await ctx.http.get(url, { accept: 'application/json', conditional: true });
  if (r.notModified) return { status: 'not-modified' };
  const doc = parseJson(r, spec) as { jobs?: unknown };
  if (!Array.isArray(doc?.jobs)) throw new NotRetriedError(r.url, `${spec}: response has no jobs array`);
  return { status: 'ok', items: doc.jobs.filter(keep).map((j, k) => toItem(toRaw(j), `${spec}#${k + 1}`)), unchanged: [], complete: true };
}

const greenhouse: SourceAdapter = {
  name: 'greenhouse',
  syntax: 'greenhouse:<board>',
  defaultBaseUrl: 'https://boards-api.greenhouse.io/v1/boards',
  async fetch(arg, ctx) {
    const board = checkArg(arg, this);
    return jsonBoard(ctx, `${baseUrl(this, ctx)}/${encodeURIComponent(board)}/jobs?content=true`, `greenhouse:${board}`, (j) => greenhouseJobToRaw(j, board, ctx.fetchedAt));
  },
};

const LEVER_PAGE = 100;
const lever: SourceAdapter = {
  name: 'lever',
  syntax: 'lever:<company>',
  defaultBaseUrl: 'https://api.lever.co/v0/postings',
  async fetch(arg, ctx) {
    const company = checkArg(arg, this);
    const items: SourceItem[] = [];
    for (let skip = 0; ; skip += LEVER_PAGE) {
      const r = await ctx.http.get(`${baseUrl(this, ctx)}/${encodeURIComponent(company)}?mode=json&skip=${skip}&limit=${LEVER_PAGE}`, { accept: 'application/json', conditional: skip === 0 });
      if (r.notModified) return { status: 'not-modified' };
      const page = parseJson(r, `lever:${company}`);
      if (!Array.isArray(page)) throw new NotRetriedError(r.url, `lever:${company}: expected an array of postings`);
      for (const [k, p] of page.entries()) items.push(toItem(leverPostingToRaw(p, company, ctx.fetchedAt), `lever:${company}#${skip + k + 1}`));
      if (page.length < LEVER_PAGE) break;
    }
    return { status: 'ok', items, unchanged: [], complete: true };
  },
};

const ashby: SourceAdapter = {
  name: 'ashby',
  syntax: 'ashby:<org>',
  defaultBaseUrl: 'https://api.ashbyhq.com/posting-api/job-board',
  async fetch(arg, ctx) {
    const org = checkArg(arg, this);
    return jsonBoard(
      ctx,
      `${baseUrl(this, ctx)}/${encodeURIComponent(org)}?includeCompensation=true`,
      `ashby:${org}`,
      (j) => ashbyJobToRaw(j, org, ctx.fetchedAt),
      (j) => (j as { isListed?: boolean })?.isListed !== false,
    );
  },
};

const SR_PAGE = 100;
const smartrecruiters: SourceAdapter = {
  name: 'smartrecruiters',
  syntax: 'smartrecruiters:<company>',
  defaultBaseUrl: 'https://api.smartrecruiters.com/v1/companies',
  async fetch(arg, ctx) {
    const company = checkArg(arg, this);
    const base = `${baseUrl(this, ctx)}/${encodeURIComponent(company)}/postings`;
    const items: SourceItem[] = [];
    const unchanged: string[] = [];
    let complete = true;
    for (let offset = 0; ; offset += SR_PAGE) {
      const r = await ctx.http.get(`${base}?limit=${SR_PAGE}&offset=${offset}`, { accept: 'application/json' });
      const page = parseJson(r, `smartrecruiters:${company}`) as { content?: unknown; totalFound?: number };
      if (!Array.isArray(page?.content)) throw new NotRetriedError(r.url, `smartrecruiters:${company}: response has no content array`);
      for (const summary of page.content) {
        const id = (summary as { id?: string })?.id;
        if (!id) {
          items.push({ ok: false, input: `smartrecruiters:${company}`, reason: 'posting without an id' });
          continue;
        }
        try {
          const d = await ctx.http.get(`${base}/${encodeURIComponent(id)}`, { accept: 'application/json', conditional: true });
          if (d.notModified) unchanged.push(id);
          else items.push(toItem(smartRecruitersToRaw(parseJson(d, `smartrecruiters:${company}/${id}`), company, ctx.fetchedAt), `smartrecruiters:${company}/${id}`));
        } catch (err) {
          complete = false; // a missing detail is not a closed posting
          items.push({ ok: false, input: `${base}/${id}`, reason: (err as Error).message });
        }
      }
      if (page.content.length < SR_PAGE || offset + SR_PAGE >= (page.totalFound ?? 0)) break;
    }
    return { status: 'ok', items, unchanged, complete };
  },
};

const workable: SourceAdapter = {
  name: 'workable',
  syntax: 'workable:<account>',
  defaultBaseUrl: 'https://www.workable.com/api/accounts',
  async fetch(arg, ctx) {
    const account = checkArg(arg, this);
    return jsonBoard(ctx, `${baseUrl(this, ctx)}/${encodeURIComponent(account)}?details=true`, `workable:${account}`, (j) => workableJobToRaw(j, account, ctx.fetchedAt));
  },
};

/** A canonical posting URL: no fragment, no tracking parameters, lower-case host. */
export function canonicalUrl(href: string): string {
  const u = new URL(href);
  u.hash = '';
  for (const key of [...u.searchParams.keys()]) if (/^(?:utm_\w+|gclid|fbclid|ref|source)$/i.test(key)) u.searchParams.delete(key);
  return u.href;
}

const page: SourceAdapter = {
  name: 'url',
  syntax: 'url:<https://... posting page>',
  async fetch(arg, ctx) {
    const r = await ctx.http.get(arg, { accept: 'text/html,application/xhtml+xml', conditional: true });
    if (r.notModified) return { status: 'not-modified' };
    const p = parseHtmlPage(r.text);
    const url = canonicalUrl(r.url);
    const raw: RawPosting = { source: 'url', externalId: url, url, fetchedAt: ctx.fetchedAt, contentType: 'text/html', body: p.body, hints: p.hints, origin: url };
    return { status: 'ok', items: [{ ok: true, raw, warnings: p.warnings }], unchanged: [], complete: false };
  },
};

const feed: SourceAdapter = {
  name: 'feed',
  syntax: 'feed:<https://... RSS or Atom feed>',
  async fetch(arg, ctx) {
    const r = await ctx.http.get(arg, { accept: 'application/rss+xml, application/atom+xml, application/xml, text/xml', conditional: true });
    if (r.notModified) return { status: 'not-modified' };
    const parsed = feedToRaws(r.text, arg, ctx.fetchedAt);
    if (parsed.length === 1 && typeof parsed[0] === 'string' && parsed[0].startsWith('not an RSS')) throw new NotRetriedError(r.url, `feed:${arg}: ${parsed[0]}`);
    return { status: 'ok', items: parsed.map((p, k) => toItem(p, `feed:${arg}#${k + 1}`)), unchanged: [], complete: true };
  },
};

const hn: SourceAdapter = {
  name: 'hn',
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

export const ADAPTERS: SourceAdapter[] = [greenhouse, lever, ashby, smartrecruiters, workable, page, feed, hn];

/** `greenhouse:acme` -> the greenhouse adapter and `acme`. */
export function parseSourceSpec(spec: string): { adapter: SourceAdapter; arg: string } | { error: string } {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const arg = colon < 0 ? '' : spec.slice(colon + 1);
  const adapter = ADAPTERS.find((a) => a.name === name);
  if (!adapter) return { error: `unknown source "${spec}" (known: ${ADAPTERS.map((a) => a.syntax).join(', ')})` };
  if (!arg) return { error: `source "${spec}" needs an argument: ${adapter.syntax}` };
  return { adapter, arg };
}
