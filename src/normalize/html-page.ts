import { load } from './cheerio.js';
import type { PostingHints } from '../types.js';
import { isJobPosting, recordToRaw } from './records.js';

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
  const $ = load(html);
  for (const el of $('script[type="application/ld+json"]').toArray()) {
    let data: unknown;
    try {
      data = JSON.parse($(el).text());
    } catch {
      continue; // a broken JSON-LD block is common; the page text still holds the posting
    }
    const candidates = Array.isArray(data) ? data : [data, ...(((data as Record<string, unknown>)?.['@graph'] as unknown[]) ?? [])];
    const posting = candidates.find(isJobPosting);
    if (!posting) continue;
    const r = recordToRaw(posting, { source: 'page', file: 'page', index: 1, origin: 'page', fetchedAt: '' });
    if (r.ok) return { body: r.value.body, hints: r.value.hints, warnings: r.warnings };
  }
  const title = $('h1').first().text().trim() || $('title').first().text().trim();
  return { body: html, hints: title ? { title: title.replace(/\s+/g, ' ') } : {}, warnings: [] };
}
