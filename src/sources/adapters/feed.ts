import { NotRetriedError } from '../../errors.js';
import { feedToRaws } from '../../normalize/boards.js';
import { httpUrlProblem, type SourceAdapter, toItem } from '../source.js';

/** An RSS 2.0 or Atom feed of postings. */
export const feed: SourceAdapter = {
  name: 'feed',
  syntax: 'feed:<https://... RSS or Atom feed>',
  argProblem(arg) {
    return httpUrlProblem(arg, this);
  },
  async fetch(arg, ctx) {
    const r = await ctx.http.get(arg, { accept: 'application/rss+xml, application/atom+xml, application/xml, text/xml', conditional: true });
    if (r.notModified) return { status: 'not-modified' };
    const parsed = feedToRaws(r.text, arg, ctx.fetchedAt);
    if (parsed.length === 1 && typeof parsed[0] === 'string' && parsed[0].startsWith('not an RSS')) throw new NotRetriedError(r.url, `feed:${arg}: ${parsed[0]}`);
    return { status: 'ok', items: parsed.map((p, k) => toItem(p, `feed:${arg}#${k + 1}`)), unchanged: [], complete: true };
  },
};
