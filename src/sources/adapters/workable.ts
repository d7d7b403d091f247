import { workableJobToRaw } from '../../normalize/boards.js';
import { baseUrl, boardNameProblem, checkArg, jsonBoard, type SourceAdapter } from '../source.js';

/** Workable's accounts API, with details. */
export const workable: SourceAdapter = {
  name: 'workable',
  syntax: 'workable:<account>',
  defaultBaseUrl: 'https://www.workable.com/api/accounts',
  argProblem(arg) {
    return boardNameProblem(arg, this);
  },
  async fetch(arg, ctx) {
    const account = checkArg(arg, this);
    return jsonBoard(ctx, `${baseUrl(this, ctx)}/${encodeURIComponent(account)}?details=true`, `workable:${account}`, (j) => workableJobToRaw(j, account, ctx.fetchedAt));
  },
};
