import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSkillSpan, type SpanScore, scoreSpans } from '../eval/skillspan.js';
import { StopBeforeWorkError } from '../errors.js';
import { compileTaxonomy } from '../taxonomy/compile.js';
import { type Command, loadTaxonomyOption, oneOf, parseCommandArgs, TAXONOMY_HELP, TAXONOMY_OPTIONS } from './args.js';
import { EXIT, UsageError } from './io.js';

/** SkillSpan's dev split, where the project's reference data sits beside a checkout. */
export function defaultSkillSpanPath(): string {
  return fileURLToPath(new URL('../../../shared/data/skillspan-train-dev/dev.json', import.meta.url));
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function renderSpanScore(path: string, s: SpanScore): string {
  return [
    `SkillSpan ${path} (tech postings: ${s.documents}, gold Knowledge spans: ${s.knowledgeSpans}, hits: ${s.hits})`,
    `  coverage (Knowledge spans some hit overlaps):         ${pct(s.coverage)}`,
    `  precision proxy (hits inside a Skill/Knowledge span): ${pct(s.precisionProxy)}`,
    `  the same, in sentences with some gold span:          ${pct(s.precisionInAnnotatedSentences)}`,
    '',
    '  most frequent missed Knowledge spans:',
    ...s.missed.map((m) => `    ${String(m.count).padStart(4)}  ${m.text}`),
    '',
    '  most frequent hits outside every gold span:',
    ...s.outside.map((o) => `    ${String(o.count).padStart(4)}  ${o.text}  (${o.skill})`),
    '',
  ].join('\n');
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score the extractor against annotated data (SkillSpan dev split)',
  usage: 'skillpulse eval [--skillspan <dev.json>] [--format table|json] [--taxonomy <dir>] [--add-taxonomy <dir>]',
  options: [
    '--skillspan <file>  SkillSpan JSON lines (default: ../shared/data/skillspan-train-dev/dev.json beside the checkout)',
    '--format <f>        table (default) or json',
    ...TAXONOMY_HELP,
  ],
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { skillspan: { type: 'string' }, format: { type: 'string' }, ...TAXONOMY_OPTIONS });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const format = oneOf(values.format, ['table', 'json'] as const, '--format', 'table');
    const path = values.skillspan ?? defaultSkillSpanPath();
    if (!existsSync(path)) {
      if (values.skillspan) throw new StopBeforeWorkError(`SkillSpan file ${path}: no such file`);
      io.stdout.write(`SkillSpan dev split not found at ${path}; nothing to score (it ships with the project's reference data, not with skillpulse)\n`);
      return EXIT.ok;
    }
    const compiled = compileTaxonomy(loadTaxonomyOption(values));
    let docs: ReturnType<typeof parseSkillSpan>;
    try {
      docs = parseSkillSpan(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new StopBeforeWorkError(`SkillSpan file ${path}: ${(err as Error).message}`, { cause: err });
    }
    const score = scoreSpans(docs, compiled);
    io.stdout.write(format === 'json' ? `${JSON.stringify({ skillspan: { path, ...score } }, null, 2)}\n` : renderSpanScore(path, score));
    return EXIT.ok;
  },
};
