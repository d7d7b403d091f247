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
  const text = raw.contentType === 'text/html' ? htmlToText(raw.body) : raw.body;
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const REMOTE = /\b(?:fully remote|remote[- ]first|100% remote|remote ok|remote-friendly|work from anywhere|remote \(|remote$|remote,)/im;

/** RawPosting -> Posting: plain text, sections, metadata from hints, stable id and content hash. */
export function normalizePosting(raw: RawPosting): Posting {
  const text = bodyToText(raw);
  const h = raw.hints;
  const remote = h.remote ?? (REMOTE.test(h.location ?? '') || REMOTE.test(h.title ?? '') ? true : undefined);
  const contentHash = createHash('sha256')
    .update(text)
    .update('\0')
    .update(JSON.stringify([h.title, h.company, h.location, h.postedAt, h.salary, h.remote]))
    .digest('hex');
  return {
    id: computePostingId(raw.source, raw.externalId ?? raw.url ?? contentHash),
    source: raw.source,
    ...(raw.externalId !== undefined && { externalId: raw.externalId }),
    ...(raw.url !== undefined && { url: raw.url }),
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
    fetchedAt: raw.fetchedAt,
  };
}
