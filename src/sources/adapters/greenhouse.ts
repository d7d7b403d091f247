import { greenhouseJobToRaw } from '../../normalize/boards.js';
import { boardNameProblem, checkArg, jsonBoard, type SourceAdapter, baseUrl } from '../source.js';

/** Greenhouse's job board API: one response lists every job with its content. */
export const greenhouse: SourceAdapter = {
  name: 'greenhouse',
  syntax: 'greenhouse:<board>',
  defaultBaseUrl: 'https://boards-api.greenhouse.io/v1/boards',
  argProblem(arg) {
    return boardNameProblem(arg, this);
  },
  async fetch(arg, ctx) {
    const board = checkArg(arg, this);
    return jsonBoard(ctx, `${baseUrl(this, ctx)}/${encodeURIComponent(board)}/jobs?content=true`, `greenhouse:${board}`, (j) => greenhouseJobToRaw(j, board, ctx.fetchedAt));
  },
};
