import { decodeHTML } from 'entities';
import type { PostingHints, RawPosting } from '../types.js';
import { load } from './cheerio.js';
import { parseDate } from './dates.js';
import { htmlTextContent } from './html.js';
import { nestingDepth } from './html-stream.js';

/**
 * Board API records -> RawPostings. Pure: each function takes one record as the API sends it
 * (shapes as in the public Greenhouse, Lever, Ashby, SmartRecruiters, Workable and Hacker News
 * APIs) and returns a RawPosting, or a string saying what is missing.
 */

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function hints(h: { [K in keyof PostingHints]?: PostingHints[K] | undefined }): PostingHints {
  const out: PostingHints = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function raw(source: string, externalId: string, url: string | undefined, body: string, h: PostingHints, fetchedAt: string, contentType: RawPosting['contentType'] = 'text/html'): RawPosting {
  return { source, externalId, ...(url !== undefined && { url }), fetchedAt, contentType, body, hints: h, origin: url ?? `${source}#${externalId}` };
}

/** Greenhouse `jobs?content=true`: `content` is entity-escaped HTML, unescaped here (no DOM needed). */
export function greenhouseJobToRaw(job: unknown, board: string, fetchedAt: string): RawPosting | string {
  const j = obj(job);
  const id = str(j.id);
  const escaped = str(j.content);
  if (!id) return 'job without an id';
  if (!escaped) return `job ${id} without content`;
  return raw(`greenhouse:${board}`, id, str(j.absolute_url), decodeHTML(escaped), hints({
    title: str(j.title),
    company: str(j.company_name),
    location: str(obj(j.location).name),
    postedAt: parseDate(j.first_published) ?? parseDate(j.updated_at),
  }), fetchedAt);
}

/** Lever `postings/<company>?mode=json`: description, `lists[]` of headed bullet lists, additional. */
export function leverPostingToRaw(posting: unknown, company: string, fetchedAt: string): RawPosting | string {
  const p = obj(posting);
  const id = str(p.id);
  if (!id) return 'posting without an id';
  const parts = [str(p.description) ?? ''];
  for (const list of arr(p.lists)) {
    const l = obj(list);
    parts.push(`<h3>${str(l.text) ?? ''}</h3><ul>${str(l.content) ?? ''}</ul>`);
  }
  parts.push(str(p.additional) ?? '');
  const body = parts.join('\n').trim();
  if (!body) return `posting ${id} without a description`;
  const cat = obj(p.categories);
  return raw(`lever:${company}`, id, str(p.hostedUrl), body, hints({
    title: str(p.text),
    company,
    location: str(cat.location),
    remote: str(p.workplaceType) === 'remote' ? true : undefined,
    postedAt: parseDate(p.createdAt),
  }), fetchedAt);
}

/** Ashby `posting-api/job-board/<org>`: `descriptionHtml`, compensation summaries; unlisted jobs skipped by the caller. */
export function ashbyJobToRaw(job: unknown, org: string, fetchedAt: string): RawPosting | string {
  const j = obj(job);
  const id = str(j.id);
  if (!id) return 'job without an id';
  const html = str(j.descriptionHtml);
  const plain = str(j.descriptionPlain);
  if (!html && !plain) return `job ${id} without a description`;
  const comp = obj(j.compensation);
  return raw(`ashby:${org}`, id, str(j.jobUrl), html ?? (plain as string), hints({
    title: str(j.title),
    company: org,
    location: str(j.location),
    remote: typeof j.isRemote === 'boolean' ? j.isRemote : undefined,
    postedAt: parseDate(j.publishedAt),
    salary: str(comp.scrapeableCompensationSalarySummary) ?? str(comp.compensationTierSummary),
  }), fetchedAt, html ? 'text/html' : 'text/plain');
}

/** SmartRecruiters posting detail: `jobAd.sections` each with a title and HTML text. */
export function smartRecruitersToRaw(detail: unknown, company: string, fetchedAt: string): RawPosting | string {
  const d = obj(detail);
  const id = str(d.id);
  if (!id) return 'posting without an id';
  const sections = obj(obj(d.jobAd).sections);
  const body = ['companyDescription', 'jobDescription', 'qualifications', 'additionalInformation']
    .map((k) => obj(sections[k]))
    .filter((s) => str(s.text))
    .map((s) => `<h3>${str(s.title) ?? ''}</h3>${str(s.text)}`)
    .join('\n');
  if (!body) return `posting ${id} without a job ad`;
  const loc = obj(d.location);
  return raw(`smartrecruiters:${company}`, id, str(d.postingUrl) ?? str(d.applyUrl), body, hints({
    title: str(d.name),
    company: str(obj(d.company).name) ?? company,
    location: [str(loc.city), str(loc.region), str(loc.country)].filter(Boolean).join(', ') || undefined,
    remote: typeof loc.remote === 'boolean' ? loc.remote : undefined,
    postedAt: parseDate(d.releasedDate),
  }), fetchedAt);
}

/** Workable account widget `?details=true`: jobs with HTML `description`. */
export function workableJobToRaw(job: unknown, account: string, fetchedAt: string): RawPosting | string {
  const j = obj(job);
  const id = str(j.shortcode) ?? str(j.id);
  if (!id) return 'job without a shortcode';
  const body = [str(j.description), str(j.requirements), str(j.benefits)].filter(Boolean).join('\n');
  if (!body) return `job ${id} without a description`;
  return raw(`workable:${account}`, id, str(j.url) ?? str(j.shortlink), body, hints({
    title: str(j.title),
    company: account,
    location: [str(j.city), str(j.state), str(j.country)].filter(Boolean).join(', ') || undefined,
    remote: typeof j.telecommuting === 'boolean' ? j.telecommuting : undefined,
    postedAt: parseDate(j.published_on) ?? parseDate(j.created_at),
  }), fetchedAt);
}

/**
 * A top-level comment of an "Ask HN: Who is hiring?" thread. The first line's
 * "Company | Role | Location | ..." convention gives title, company and location when present.
 */
export function hnItemToRaw(item: unknown, fetchedAt: string): RawPosting | string {
  const i = obj(item);
  const id = str(i.id);
  if (!id) return 'item without an id';
  if (i.deleted || i.dead) return `item ${id} is deleted`;
  const html = str(i.text);
  if (!html) return `item ${id} has no text`;
  const firstLine = htmlTextContent(html.split(/<p>/i)[0] as string).trim();
  const parts = firstLine.split('|').map((p) => p.trim()).filter(Boolean);
  const h: PostingHints = {};
  if (parts.length >= 2) {
    h.company = parts[0] as string;
    const role = parts.find((p, k) => k > 0 && /engineer|developer|scientist|designer|manager|analyst|lead|architect|devops|sre|intern|cto|head|product|programmer|researcher/i.test(p));
    if (role) h.title = role;
    const location = parts.find((p, k) => k > 0 && p !== role && !/remote|onsite|on-site|full[- ]?time|part[- ]?time|visa|intern|\$|€|£|https?:/i.test(p));
    if (location) h.location = location;
    if (parts.some((p) => /\bremote\b/i.test(p))) h.remote = true;
  }
  const time = typeof i.time === 'number' ? parseDate(i.time) : undefined;
  if (time) h.postedAt = time;
  return raw('hn', id, `https://news.ycombinator.com/item?id=${id}`, html, h, fetchedAt);
}

/** How deep a feed may nest: real ones nest under 20; the DOM parser's time grows with depth times size. */
const MAX_FEED_DEPTH = 500;

/**
 * RSS 2.0 or Atom: one RawPosting per item or entry (guid or link as identity). A feed nested
 * deeper than any real one is refused whole, after one linear pass.
 */
export function feedToRaws(xml: string, feedUrl: string, fetchedAt: string): (RawPosting | string)[] {
  const depth = nestingDepth(xml, { xml: true });
  // "not an RSS or Atom feed ...": the feed adapter fails the source, so no posting is closed for it.
  if (depth > MAX_FEED_DEPTH) return [`not an RSS or Atom feed that can be read: its elements nest ${depth.toLocaleString('en-US')} deep (feeds nest under ${MAX_FEED_DEPTH})`];
  const $ = load(xml, { xml: true });
  const out: (RawPosting | string)[] = [];
  const rss = $('rss channel > item, rdf\\:RDF > item, channel > item').toArray();
  const atom = $('feed > entry').toArray();
  if (rss.length === 0 && atom.length === 0 && $('rss, feed, rdf\\:RDF').length === 0) return ['not an RSS or Atom feed'];
  for (const el of rss) {
    const e = $(el);
    const link = e.children('link').first().text().trim() || undefined;
    const id = e.children('guid').first().text().trim() || link;
    const body = e.children('content\\:encoded').first().text() || e.children('description').first().text();
    if (!id) out.push('item without guid or link');
    else if (!body.trim()) out.push(`item ${id} without a description`);
    else out.push(raw(`feed:${feedUrl}`, id, link, body, hints({ title: e.children('title').first().text().trim() || undefined, postedAt: parseDate(rfc822ToIso(e.children('pubDate').first().text())) }), fetchedAt));
  }
  for (const el of atom) {
    const e = $(el);
    const link = e.children('link[rel="alternate"]').attr('href') ?? e.children('link').first().attr('href');
    const id = e.children('id').first().text().trim() || link;
    const body = e.children('content').first().text() || e.children('summary').first().text();
    if (!id) out.push('entry without id or link');
    else if (!body.trim()) out.push(`entry ${id} without content`);
    else out.push(raw(`feed:${feedUrl}`, id, link, body, hints({ title: e.children('title').first().text().trim() || undefined, postedAt: parseDate(e.children('published').first().text().trim() || e.children('updated').first().text().trim()) }), fetchedAt));
  }
  return out;
}

/** RSS dates are RFC 822 ("Tue, 03 Mar 2026 10:00:00 GMT"); our date parser reads ISO. */
function rfc822ToIso(s: string): string | undefined {
  const t = Date.parse(s.trim());
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
