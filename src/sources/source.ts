/**
 * The contract every source of postings fulfils, and what the adapters share: base URLs, JSON
 * parsing with clear errors, board names checked, one-response JSON boards.
 */
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

/**
 * A source of postings: a job board's API, a page, a feed, a forum thread. Written as
 * `<name>:<arg>` on the command line and in run configs (`greenhouse:acme`).
 *
 * Identity: every RawPosting a source yields carries the board's own id as `externalId` (or,
 * where there is none, its canonical URL); together with the source's key (`key(arg)`, by
 * default `<name>:<arg>`) that is the posting's identity, so the same posting fetched again is
 * recognized, and one missing from a complete listing is closed.
 */
export interface SourceAdapter {
  name: string;
  /** How the source is written on the command line, for help and errors. */
  syntax: string;
  /** The public API's base URL; a config's baseUrls or SKILLPULSE_<NAME>_BASE_URL overrides it. */
  defaultBaseUrl?: string;
  /** The key its postings are stored under (default `<name>:<arg>`): `url` and `hn` keep one key for all. */
  key?(arg: string): string;
  fetch(arg: string, ctx: FetchContext): Promise<Listing>;
}

export function baseUrl(adapter: SourceAdapter, ctx: FetchContext): string {
  const fromEnv = ctx.env[`SKILLPULSE_${adapter.name.toUpperCase()}_BASE_URL`];
  return (ctx.baseUrls?.[adapter.name] ?? fromEnv ?? adapter.defaultBaseUrl ?? '').replace(/\/+$/, '');
}

export function parseJson(r: HttpResponse, what: string): unknown {
  try {
    return JSON.parse(r.text);
  } catch (err) {
    throw new NotRetriedError(r.url, `${what}: malformed JSON (${(err as Error).message})`);
  }
}

export const toItem = (r: RawPosting | string, where: string): SourceItem => (typeof r === 'string' ? { ok: false, input: where, reason: r } : { ok: true, raw: r, warnings: [] });

export function checkArg(arg: string, adapter: SourceAdapter): string {
  if (!/^[A-Za-z0-9._-]+$/.test(arg)) throw new NotRetriedError(arg, `${adapter.name}: "${arg}" is not a board name (expected ${adapter.syntax})`);
  return arg;
}

/** A board whose one JSON response lists every job with its content (Greenhouse, Ashby, Workable). */
export async function jsonBoard(
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

/** A canonical posting URL: no fragment, no tracking parameters, lower-case host. */
export function canonicalUrl(href: string): string {
  const u = new URL(href);
  u.hash = '';
  for (const key of [...u.searchParams.keys()]) if (/^(?:utm_\w+|gclid|fbclid|ref|source)$/i.test(key)) u.searchParams.delete(key);
  return u.href;
}
