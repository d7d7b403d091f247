import { ashbyJobToRaw } from '../../normalize/boards.js';
import { baseUrl, boardNameProblem, checkArg, jsonBoard, type SourceAdapter } from '../source.js';

/** Ashby's posting API: listed jobs only, with compensation. */
export const ashby: SourceAdapter = {
  name: 'ashby',
  syntax: 'ashby:<org>',
  defaultBaseUrl: 'https://api.ashbyhq.com/posting-api/job-board',
  argProblem(arg) {
    return boardNameProblem(arg, this);
  },
  async fetch(arg, ctx) {
    const org = checkArg(arg, this);
    return jsonBoard(
      ctx,
      `${baseUrl(this, ctx)}/${encodeURIComponent(org)}?includeCompensation=true`,
      `ashby:${org}`,
      (j) => ashbyJobToRaw(j, org, ctx.fetchedAt),
      (j) => (j as { isListed?: boolean })?.isListed !== false,
    );
  },
};
