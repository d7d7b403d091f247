import { extractPosting } from '../extract/extract.js';
import { type ExtractionRecord, extractionRecord } from '../extract/record.js';
import { looksLikeHtml } from '../normalize/html.js';
import { parseHtmlPage } from '../normalize/html-page.js';
import { normalizePosting } from '../normalize/posting.js';
import { parseTextHeader, recordToRaw } from '../normalize/records.js';
import { loadCompiledTaxonomy } from '../sources/taxonomy-files.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { PostingHints, RawPosting } from '../types.js';

/**
 * A posting as a program has it: any of the record fields `analyze` reads from JSON (`text`,
 * `description`, `html`, `title`, `company`, `location`, `date`, `salary`, `remote`, `id`, `url`
 * ...; see the README's input formats), or a `RawPosting` in part (`body`, `contentType`, `hints`).
 * Only the text is needed.
 */
export type PostingInput = Partial<Omit<RawPosting, 'hints'>> & { hints?: PostingHints } & Record<string, unknown>;

export interface ExtractSkillsOptions {
  /**
   * A compiled taxonomy to reuse across calls. Without one, the shipped taxonomy is compiled on
   * the first call (one to three seconds for its 3,000-odd entries; loadCompiledTaxonomy({ cacheDir })
   * keeps a snapshot that later processes load in a fraction of that) and kept for the calls after
   * it, which take about a millisecond for a short posting.
   */
  taxonomy?: CompiledTaxonomy;
  /** Add every candidate mention, counted or set aside, with its reason (`extract --explain`). */
  explain?: boolean;
}

/** The record of extractSkills: what `extract --format json --with-text` prints, the text always there. */
export type SkillsResult = ExtractionRecord & { text: string };

let shipped: CompiledTaxonomy | undefined;

/**
 * The skills a posting names: a string (plain text, Markdown or HTML; leading `Title:` and
 * `Company:` lines read as in a .txt file) or a posting object, in the shape `extract --format
 * json --with-text` prints, offsets pointing into `text`. Throws a TypeError only when there is no text.
 */
export function extractSkills(input: string | PostingInput, options: ExtractSkillsOptions = {}): SkillsResult {
  const compiled = options.taxonomy ?? (shipped ??= loadCompiledTaxonomy());
  const posting = normalizePosting(rawPostingOf(input));
  const x = extractPosting(posting, compiled, { explain: options.explain === true });
  return extractionRecord(posting, x, { withText: true }) as SkillsResult;
}

const fetchedAt = () => new Date().toISOString();

/** The raw posting extractSkills reads from its input (a TypeError when there is no text). */
export function rawPostingOf(input: string | PostingInput): RawPosting {
  if (typeof input === 'string') {
    const html = looksLikeHtml(input);
    const page = html ? parseHtmlPage(input) : { body: input, ...parseTextHeader(input) };
    return { source: 'input', fetchedAt: fetchedAt(), contentType: html ? 'text/html' : 'text/plain', body: page.body, hints: page.hints, origin: 'input' };
  }
  if (input === null || typeof input !== 'object') throw new TypeError(`extractSkills: expected a string or a posting object, got ${input === null ? 'null' : typeof input}`);
  if (typeof input.body === 'string' && (input.hints !== undefined || input.contentType !== undefined)) {
    // A RawPosting, whole or in part: what is missing gets its default.
    return {
      source: typeof input.source === 'string' ? input.source : 'input',
      ...(typeof input.externalId === 'string' && { externalId: input.externalId }),
      ...(typeof input.url === 'string' && { url: input.url }),
      fetchedAt: typeof input.fetchedAt === 'string' ? input.fetchedAt : fetchedAt(),
      contentType: input.contentType ?? (looksLikeHtml(input.body) ? 'text/html' : 'text/plain'),
      body: input.body,
      hints: input.hints && typeof input.hints === 'object' ? input.hints : {},
      origin: typeof input.origin === 'string' ? input.origin : 'input',
    };
  }
  const r = recordToRaw(input, { source: 'input', file: 'input', index: 1, origin: 'input', fetchedAt: fetchedAt() });
  if (!r.ok) throw new TypeError(`extractSkills: ${r.error}`);
  // Without its own id or URL a posting is known by its content (normalizePosting's hash), not by "record 1".
  const { externalId, ...raw } = r.value;
  return externalId?.startsWith('id:') ? r.value : raw;
}
