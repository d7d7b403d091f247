import { createRequire } from 'node:module';
import type * as Cheerio from 'cheerio';

let cheerio: typeof Cheerio | undefined;

/**
 * cheerio's `load`, with cheerio (and the parse5 and undici it brings) loaded the first time a
 * page, a feed or a board's HTML needs it: about 0.15 s that plain text and JSON never pay.
 */
export function load(...args: Parameters<typeof Cheerio.load>): ReturnType<typeof Cheerio.load> {
  cheerio ??= createRequire(import.meta.url)('cheerio') as typeof Cheerio;
  return cheerio.load(...args);
}
