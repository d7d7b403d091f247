import { NotRetriedError } from '../../errors.js';
import { leverPostingToRaw } from '../../normalize/boards.js';
import type { SourceItem } from '../files.js';
import { baseUrl, checkArg, parseJson, type SourceAdapter, toItem } from '../source.js';

/** Lever's postings API, read a page of 100 at a time. */
const LEVER_PAGE = 100;
export const lever: SourceAdapter = {
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
