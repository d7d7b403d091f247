/**
 * The contract every source of postings fulfils, and what the adapters share: base URLs, JSON
 * parsing with clear errors, board names checked, one-response JSON boards.
 */
import { InterruptedError, NotRetriedError } from '../errors.js';
import type { RawPosting } from '../types.js';
import type { SourceItem } from './files.js';
import type { HttpClient, HttpResponse, RequestBudget } from './http.js';

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
      /** The limits that stopped it short (then it is not complete), each saying what was left. */
      limitsHit?: string[];
    };

/** What a source fetches with: the shared HTTP client, or a view of it that counts the source's requests. */
export type SourceHttp = Pick<HttpClient, 'get'>;

/** Bounds on what one source fetches in one run; every one is reported when hit. */
export interface FetchLimits {
  /** Pages read of one paged listing (Lever, SmartRecruiters). */
  maxPages: number;
  /** Comments fetched of one Hacker News thread in one run (the rest come in the next runs). */
  maxThreadItems: number;
  /** HTTP requests one source may send in one run, every try and redirect counted (robots.txt not). */
  maxRequests: number;
}

export const DEFAULT_FETCH_LIMITS: Readonly<FetchLimits> = { maxPages: 100, maxThreadItems: 1000, maxRequests: 10_000 };

/** Every limit: the one given (a key given as undefined counts as not given), else the default. */
export function fetchLimits(given: Partial<FetchLimits> = {}): FetchLimits {
  return { maxPages: given.maxPages ?? DEFAULT_FETCH_LIMITS.maxPages, maxThreadItems: given.maxThreadItems ?? DEFAULT_FETCH_LIMITS.maxThreadItems, maxRequests: given.maxRequests ?? DEFAULT_FETCH_LIMITS.maxRequests };
}

export interface FetchContext {
  http: SourceHttp;
  /** Limits that differ from DEFAULT_FETCH_LIMITS. */
  limits?: Partial<FetchLimits>;
  /** Base URLs by adapter name, from config; else SKILLPULSE_<NAME>_BASE_URL; else the public API. */
  baseUrls?: Record<string, string | undefined>;
  env: Record<string, string | undefined>;
  fetchedAt: string;
  /** Of these ids of a source, the postings already stored (lets HN skip comments it has). */
  known?: (source: string, externalIds: readonly string[]) => Promise<Set<string>>;
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
  /**
   * Why `arg` is no argument of this source, or undefined when it is one. Pure, no request: parseSourceSpec
   * asks it, so `fetch`, `run` and `config check` refuse a bad argument before any work.
   */
  argProblem?(arg: string): string | undefined;
  fetch(arg: string, ctx: FetchContext): Promise<Listing>;
}

/** A limit of this fetch: the context's, else the default. */
export function limitOf(ctx: FetchContext, key: keyof FetchLimits): number {
  return fetchLimits(ctx.limits)[key];
}

/** A source spent its requests for this run: what it read stands, the rest waits for the next run. */
export class RequestCapError extends NotRetriedError {
  override name = 'RequestCapError';
}

/** A budget of `max` requests; once spent, `take` throws RequestCapError. */
export function requestBudget(max: number): RequestBudget {
  let taken = 0;
  return {
    take(url) {
      if (taken >= max) throw new RequestCapError(url, `request limit of ${max} for this source reached (--max-requests, http.maxRequests); the rest waits for the next run`);
      taken++;
    },
  };
}

/** `http` with every request counted against `budget`. */
export function budgetedHttp(http: SourceHttp, budget: RequestBudget): SourceHttp {
  return { get: (url, options = {}) => http.get(url, { ...options, budget }) };
}

/** Errors that end a whole listing rather than fail one of its items: an interruption, the request cap. */
export function endsListing(err: unknown): boolean {
  return err instanceof InterruptedError || err instanceof RequestCapError;
}

/**
 * Reads a paged listing with `readPage(index)` (which says whether another page follows), at most
 * `maxPages` pages; the source's request cap also ends it, keeping the pages read. Returns whether
 * it was read whole and, when not, the limit that stopped it.
 */
export async function readPages(ctx: FetchContext, readPage: (index: number) => Promise<boolean>): Promise<{ complete: boolean; limitsHit?: string[] }> {
  const max = limitOf(ctx, 'maxPages');
  for (let index = 0; ; index++) {
    if (index >= max) return { complete: false, limitsHit: [`page limit of ${max} reached (--max-pages, http.maxPages); the rest of the listing is not read`] };
    try {
      if (!(await readPage(index))) return { complete: true };
    } catch (err) {
      if (err instanceof RequestCapError) return { complete: false, limitsHit: [err.message] };
      throw err;
    }
  }
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

/** Why `arg` is no board name: letters, digits, `.`, `_` and `-`, and never `.` or `..` (a path step once in the URL). */
export function boardNameProblem(arg: string, adapter: SourceAdapter): string | undefined {
  const ok = /^[A-Za-z0-9._-]+$/.test(arg) && arg !== '.' && arg !== '..';
  return ok ? undefined : `${adapter.name}: "${arg}" is not a board name (expected ${adapter.syntax})`;
}

/** Why `arg` is no http(s) URL (what the HTTP client would refuse at fetch time). */
export function httpUrlProblem(arg: string, adapter: SourceAdapter): string | undefined {
  let url: URL;
  try {
    url = new URL(arg);
  } catch {
    return `${adapter.name}: "${arg}" is not a URL (expected ${adapter.syntax})`;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : `${adapter.name}: "${arg}" has the scheme ${url.protocol}; only http and https are fetched`;
}

export function checkArg(arg: string, adapter: SourceAdapter): string {
  const problem = boardNameProblem(arg, adapter);
  if (problem) throw new NotRetriedError(arg, problem);
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
