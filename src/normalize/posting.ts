import { createHash } from 'node:crypto';
import type { Posting, RawPosting } from '../types.js';
import { htmlToText } from './html.js';
import { findSections } from './sections.js';

/** Stable posting id: a hash of the source and the source's key (external id, else URL, else content). */
export function computePostingId(source: string, key: string): string {
  return createHash('sha256').update(source).update('\0').update(key).digest('hex').slice(0, 20);
}

/** Plain text of a raw body; markdown keeps its structure (headings and lists are read as text). */
export function bodyToText(raw: Pick<RawPosting, 'contentType' | 'body'>): string {
  let text = raw.contentType === 'text/html' ? htmlToText(raw.body) : raw.body;
  // Each pass only when it has work: these run on every posting.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  if (hasTrailingSpace(text)) text = text.replace(/[^\n\u2028\u2029]+/g, trimInlineEnd);
  return text.replace(/\n{3,}/g, '\n\n').trim();
}

const isInlineSpace = (c: number) => c === 32 || c === 9 || c === 0xa0;

/**
 * A line without its trailing spaces, tabs and no-break spaces: a scan back from its end (the
 * pattern /[ \t\u00a0]+$/gm took time quadratic in a long run of spaces inside a line).
 */
function trimInlineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && isInlineSpace(line.charCodeAt(end - 1))) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** Whether a line ends in spaces or tabs: a scan from line break to line break. */
function hasTrailingSpace(text: string): boolean {
  if (isInlineSpace(text.charCodeAt(text.length - 1))) return true;
  // Lines also end at U+2028 and U+2029: let the trimming pass decide those texts.
  if (text.includes('\u2028') || text.includes('\u2029')) return true;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && isInlineSpace(text.charCodeAt(i - 1))) return true;
  }
  return false;
}

/** sha256 of a posting's normalized text: the same text posted again has the same hash. */
export function textHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const REMOTE = /\b(?:fully remote|remote[- ]first|100% remote|remote ok|remote-friendly|work from anywhere|remote \(|remote$|remote,)/im;

/**
 * U+0000 made U+FFFD: PostgreSQL's text type refuses NUL (a whole batch failed on one posting),
 * and a NUL never means anything in a posting. One code unit for one, so offsets stay.
 */
function withoutNul<T extends string | undefined>(s: T): T {
  return (s?.includes('\0') ? s.replaceAll('\0', '\uFFFD') : s) as T;
}

/** RawPosting -> Posting: plain text, sections, metadata from hints, stable id and content hash. */
export function normalizePosting(raw: RawPosting): Posting {
  const text = withoutNul(bodyToText(raw));
  const h = Object.values(raw.hints).some((v) => typeof v === 'string' && v.includes('\0'))
    ? (Object.fromEntries(Object.entries(raw.hints).map(([k, v]) => [k, typeof v === 'string' ? withoutNul(v) : v])) as RawPosting['hints'])
    : raw.hints;
  const remote = h.remote ?? (REMOTE.test(h.location ?? '') || REMOTE.test(h.title ?? '') ? true : undefined);
  // The text is hashed once: the content hash goes on from a copy of the text hash's state.
  const ofText = createHash('sha256').update(text);
  const contentHash = ofText
    .copy()
    .update('\0')
    .update(JSON.stringify([h.title, h.company, h.location, h.postedAt, h.salary, h.remote]))
    .digest('hex');
  return {
    id: computePostingId(raw.source, raw.externalId ?? raw.url ?? contentHash),
    source: raw.source,
    ...(raw.externalId !== undefined && { externalId: withoutNul(raw.externalId) }),
    ...(raw.url !== undefined && { url: withoutNul(raw.url) }),
    origin: raw.origin,
    ...(h.title !== undefined && { title: h.title }),
    ...(h.company !== undefined && { company: h.company }),
    ...(h.location !== undefined && { location: h.location }),
    ...(remote !== undefined && { remote }),
    ...(h.postedAt !== undefined && { postedAt: h.postedAt }),
    ...(h.salary !== undefined && { salary: h.salary }),
    text,
    sections: findSections(text),
    contentHash,
    textHash: ofText.digest('hex'),
    fetchedAt: raw.fetchedAt,
  };
}
