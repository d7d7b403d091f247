import { parseHtmlPage } from '../../normalize/html-page.js';
import type { RawPosting } from '../../types.js';
import { canonicalUrl, httpUrlProblem, type SourceAdapter } from '../source.js';

/** One posting page (JSON-LD JobPosting where it has one), known by its canonical URL. */
export const page: SourceAdapter = {
  name: 'url',
  key: () => 'url',
  syntax: 'url:<https://... posting page>',
  argProblem(arg) {
    return httpUrlProblem(arg, this);
  },
  async fetch(arg, ctx) {
    const r = await ctx.http.get(arg, { accept: 'text/html,application/xhtml+xml', conditional: true });
    if (r.notModified) return { status: 'not-modified' };
    const p = parseHtmlPage(r.text);
    const url = canonicalUrl(r.url);
    const raw: RawPosting = { source: 'url', externalId: url, url, fetchedAt: ctx.fetchedAt, contentType: 'text/html', body: p.body, hints: p.hints, origin: url };
    return { status: 'ok', items: [{ ok: true, raw, warnings: p.warnings }], unchanged: [], complete: false };
  },
};
