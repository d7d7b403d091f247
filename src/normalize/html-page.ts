import type { PostingHints } from '../types.js';
import { streamHtml } from './html-stream.js';
import { isJobPosting, recordToRaw } from './records.js';

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** What a posting page gives: its posting HTML and what it says about the posting. */
export interface HtmlPage {
  /** The posting's own HTML: the JSON-LD description when the page has one, else the page. */
  body: string;
  hints: PostingHints;
  warnings: string[];
}

/**
 * Reads a posting page: schema.org JobPosting JSON-LD when present (title, hiringOrganization,
 * datePosted, jobLocation, baseSalary, description), otherwise the page itself with its <h1> or
 * <title> as the title.
 */
export function parseHtmlPage(html: string): HtmlPage {
  const parts = readPageParts(html);
  for (const text of parts.jsonLd) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      continue; // a broken JSON-LD block is common; the page text still holds the posting
    }
    const candidates = Array.isArray(data) ? data : [data, ...(((data as Record<string, unknown>)?.['@graph'] as unknown[]) ?? [])];
    const posting = candidates.find(isJobPosting);
    if (!posting) continue;
    const r = recordToRaw(posting, { source: 'page', file: 'page', index: 1, origin: 'page', fetchedAt: '' });
    if (r.ok) return { body: r.value.body, hints: r.value.hints, warnings: r.warnings };
  }
  const title = parts.h1.trim() || parts.title.trim();
  return { body: html, hints: title ? { title: title.replace(/\s+/g, ' ') } : {}, warnings: [] };
}

/** The parts of a page that speak about the posting, as a DOM query would read them. */
export interface PageParts {
  /** The text of every `<script type="application/ld+json">`, in document order. */
  jsonLd: string[];
  /** All the text inside the first `<h1>`, and inside the first `<title>`. */
  h1: string;
  title: string;
}

/**
 * The JSON-LD blocks, the first <h1> and the first <title> of a page, in one streaming pass
 * (linear in the page however it nests; a DOM parser took minutes on 100,000 nested elements).
 * Reads them as cheerio's `$('script[type="application/ld+json"]')`, `$('h1').first().text()`
 * and `$('title').first().text()` did: the type compared in any case, and no title or JSON-LD
 * read inside <noscript> (a browser with scripts reads its content as text).
 */
export function readPageParts(html: string): PageParts {
  const parts: PageParts = { jsonLd: [], h1: '', title: '' };
  let noscript = 0;
  let scriptType: string | undefined;
  // The first h1 is read until it closes; `inner` counts the elements open inside it.
  let h1: 'before' | { inner: number } | 'done' = 'before';
  let title: 'before' | 'in' | 'done' = 'before';
  let jsonLd: string[] | undefined;
  streamHtml(html, {
    onattribute(name, value) {
      if (name === 'type' && scriptType === undefined) scriptType = value;
    },
    onopentag(name) {
      const type = scriptType;
      scriptType = undefined;
      if (noscript > 0) {
        if (name === 'noscript') noscript++;
        return;
      }
      if (typeof h1 === 'object') {
        // A heading straight inside the h1 ends it, as in a browser; anything else nests.
        if (h1.inner === 0 && HEADINGS.has(name)) h1 = 'done';
        else h1.inner++;
      } else if (name === 'h1' && h1 === 'before') h1 = { inner: 0 };
      if (name === 'noscript') noscript = 1;
      else if (name === 'title' && title === 'before') title = 'in';
      else if (name === 'script' && type?.toLowerCase() === 'application/ld+json') jsonLd = [];
    },
    ontext(text) {
      // The text of a <noscript> inside the h1 is part of the h1's text.
      if (typeof h1 === 'object') parts.h1 += text;
      if (noscript > 0) return;
      if (title === 'in') parts.title += text;
      jsonLd?.push(text);
    },
    onclosetag(name) {
      if (noscript > 0) {
        if (name !== 'noscript' || --noscript > 0) return;
      }
      if (typeof h1 === 'object') {
        if (h1.inner > 0) h1.inner--;
        else h1 = 'done';
      }
      if (name === 'title' && title === 'in') title = 'done';
      else if (name === 'script' && jsonLd) {
        parts.jsonLd.push(jsonLd.join(''));
        jsonLd = undefined;
      }
    },
  });
  return parts;
}
