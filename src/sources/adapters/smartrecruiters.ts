import { NotRetriedError } from '../../errors.js';
import { smartRecruitersToRaw } from '../../normalize/boards.js';
import type { SourceItem } from '../files.js';
import { baseUrl, boardNameProblem, checkArg, endsListing, parseJson, readPages, type SourceAdapter, toItem } from '../source.js';

/** SmartRecruiters: pages of summaries (at most maxPages), then each posting's detail (conditional requests). */
const SR_PAGE = 100;
export const smartrecruiters: SourceAdapter = {
  name: 'smartrecruiters',
  syntax: 'smartrecruiters:<company>',
  defaultBaseUrl: 'https://api.smartrecruiters.com/v1/companies',
  argProblem(arg) {
    return boardNameProblem(arg, this);
  },
  async fetch(arg, ctx) {
    const company = checkArg(arg, this);
    const base = `${baseUrl(this, ctx)}/${encodeURIComponent(company)}/postings`;
    const items: SourceItem[] = [];
    const unchanged: string[] = [];
    let detailsMissing = false;
    const read = await readPages(ctx, async (index) => {
      const offset = index * SR_PAGE;
      const r = await ctx.http.get(`${base}?limit=${SR_PAGE}&offset=${offset}`, { accept: 'application/json' });
      const page = parseJson(r, `smartrecruiters:${company}`) as { content?: unknown; totalFound?: number };
      if (!Array.isArray(page?.content)) throw new NotRetriedError(r.url, `smartrecruiters:${company}: response has no content array`);
      for (const summary of page.content) {
        const id = (summary as { id?: string })?.id;
        if (!id) {
          items.push({ ok: false, input: `smartrecruiters:${company}`, reason: 'posting without an id' });
          continue;
        }
        try {
          const d = await ctx.http.get(`${base}/${encodeURIComponent(id)}`, { accept: 'application/json', conditional: true });
          if (d.notModified) unchanged.push(id);
          else items.push(toItem(smartRecruitersToRaw(parseJson(d, `smartrecruiters:${company}/${id}`), company, ctx.fetchedAt), `smartrecruiters:${company}/${id}`));
        } catch (err) {
          if (endsListing(err)) throw err;
          detailsMissing = true; // a missing detail is not a closed posting
          items.push({ ok: false, input: `${base}/${id}`, reason: (err as Error).message });
        }
      }
      return page.content.length >= SR_PAGE && offset + SR_PAGE < (page.totalFound ?? 0);
    });
    return { status: 'ok', items, unchanged, ...read, complete: read.complete && !detailsMissing };
  },
};
