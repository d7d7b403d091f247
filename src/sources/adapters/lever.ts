import { NotRetriedError } from '../../errors.js';
import { leverPostingToRaw } from '../../normalize/boards.js';
import type { SourceItem } from '../files.js';
import { baseUrl, boardNameProblem, checkArg, parseJson, readPages, type SourceAdapter, toItem } from '../source.js';

/** Lever's postings API, read a page of 100 at a time (at most maxPages pages). */
const LEVER_PAGE = 100;
export const lever: SourceAdapter = {
  name: 'lever',
  syntax: 'lever:<company>',
  defaultBaseUrl: 'https://api.lever.co/v0/postings',
  argProblem(arg) {
    return boardNameProblem(arg, this);
  },
  async fetch(arg, ctx) {
    const company = checkArg(arg, this);
    const items: SourceItem[] = [];
    let notModified = false;
    const read = await readPages(ctx, async (index) => {
      const skip = index * LEVER_PAGE;
      const r = await ctx.http.get(`${baseUrl(this, ctx)}/${encodeURIComponent(company)}?mode=json&skip=${skip}&limit=${LEVER_PAGE}`, { accept: 'application/json', conditional: skip === 0 });
      if (r.notModified) {
        notModified = true;
        return false;
      }
      const page = parseJson(r, `lever:${company}`);
      if (!Array.isArray(page)) throw new NotRetriedError(r.url, `lever:${company}: expected an array of postings`);
      for (const [k, p] of page.entries()) items.push(toItem(leverPostingToRaw(p, company, ctx.fetchedAt), `lever:${company}#${skip + k + 1}`));
      return page.length >= LEVER_PAGE;
    });
    if (notModified) return { status: 'not-modified' };
    return { status: 'ok', items, unchanged: [], ...read };
  },
};
