import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type GoldScore, scoreGold } from '../eval/gold.js';
import { parseSkillSpan, type SpanScore, scoreSpans } from '../eval/skillspan.js';
import { readGoldCases } from '../sources/gold-files.js';
import { StopBeforeWorkError } from '../errors.js';
import { oneOf, parseCommandArgs, TAXONOMY_OPTIONS } from './args.js';
import { compiledTaxonomyOption } from './taxonomy-option.js';
import { type CliIO, counted, EXIT, UsageError } from './io.js';

/** SkillSpan's dev split, where the project's reference data sits beside a checkout. */
export function defaultSkillSpanPath(): string {
  return fileURLToPath(new URL('../../../shared/data/skillspan-train-dev/dev.json', import.meta.url));
}

/** The gold postings shipped with skillpulse. */
export function defaultGoldDir(): string {
  return fileURLToPath(new URL('../../fixtures/gold', import.meta.url));
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function renderSpanScore(path: string, s: SpanScore): string {
  return [
    `SkillSpan ${path} (tech postings: ${s.documents}, gold Knowledge spans: ${s.knowledgeSpans}, hits: ${s.hits})`,
    `  coverage (Knowledge spans some hit overlaps):         ${pct(s.coverage)}`,
    `  precision proxy (hits inside a Skill/Knowledge span): ${pct(s.precisionProxy)}`,
    `  the same, in sentences with some gold span:          ${pct(s.precisionInAnnotatedSentences)}`,
    `  every candidate mention, demand or not (${s.recognition.hits}): coverage ${pct(s.recognition.coverage)}, precision proxy ${pct(s.recognition.precisionProxy)}`,
    '',
    '  most frequent missed Knowledge spans:',
    ...s.missed.map((m) => `    ${String(m.count).padStart(4)}  ${m.text}`),
    '',
    '  most frequent hits outside every gold span:',
    ...s.outside.map((o) => `    ${String(o.count).padStart(4)}  ${o.text}  (${o.skill})`),
    '',
  ].join('\n');
}

function renderGoldScore(dir: string, s: GoldScore): string {
  const lines = [
    `Gold ${dir} (${counted(s.postings, 'posting')}; ${counted(s.counts.truePositives, 'skill')} found, ${counted(s.counts.falsePositives, 'false positive')}, ${s.counts.falseNegatives} missed)`,
    `  skills: precision ${pct(s.precision)}, recall ${pct(s.recall)}, F1 ${pct(s.f1)}`,
    `  requirement level accuracy (skills found): ${pct(s.levelAccuracy)}`,
    `  degree accuracy: ${pct(s.degreeAccuracy)}; minYears accuracy: ${pct(s.minYearsAccuracy)}`,
  ];
  if (s.worst.length) {
    lines.push('', '  worst skills (false positives / missed / wrong level):');
    for (const w of s.worst) lines.push(`    ${w.skill.padEnd(28)} ${w.falsePositives} / ${w.falseNegatives} / ${w.levelErrors}`);
  }
  if (s.errors.length) {
    lines.push('', '  errors:');
    for (const e of s.errors) {
      lines.push(`    ${e.posting}: ${e.kind} ${e.skill}: expected ${e.expected}, got ${e.got}${e.evidence ? ` -- "${e.evidence}"` : ''}`);
    }
  }
  for (const f of s.fields) lines.push(`    ${f.posting}: ${f.field}: expected ${f.expected}, got ${f.got}`);
  return `${lines.join('\n')}\n\n`;
}

export async function runEval(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { gold: { type: 'string' }, skillspan: { type: 'string' }, format: { type: 'string' }, ...TAXONOMY_OPTIONS });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const format = oneOf(values.format, ['table', 'json'] as const, '--format', 'table');
  // Named sources are scored; with none named, both defaults that exist are.
  const both = values.gold === undefined && values.skillspan === undefined;
  const goldDir = values.gold ?? (both ? defaultGoldDir() : undefined);
  const spanPath = values.skillspan ?? (both ? defaultSkillSpanPath() : undefined);
  if (values.skillspan && !existsSync(values.skillspan)) throw new StopBeforeWorkError(`SkillSpan file ${values.skillspan}: no such file`);
  const compiled = compiledTaxonomyOption(values, io.env);
  const result: Record<string, unknown> = {};
  let out = '';
  if (goldDir !== undefined) {
    const score = scoreGold(await readGoldCases(goldDir, compiled), compiled);
    result.gold = { dir: goldDir, ...score };
    out += renderGoldScore(goldDir, score);
  }
  if (spanPath !== undefined) {
    if (!existsSync(spanPath)) {
      out += `SkillSpan dev split not found at ${spanPath}; not scored (it comes with the project's reference data, not with skillpulse)\n`;
      result.skillspan = null;
    } else {
      let docs: ReturnType<typeof parseSkillSpan>;
      try {
        docs = parseSkillSpan(readFileSync(spanPath, 'utf8'));
      } catch (err) {
        throw new StopBeforeWorkError(`SkillSpan file ${spanPath}: ${(err as Error).message}`, { cause: err });
      }
      const score = scoreSpans(docs, compiled);
      result.skillspan = { path: spanPath, ...score };
      out += renderSpanScore(spanPath, score);
    }
  }
  io.stdout.write(format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : out);
  return EXIT.ok;
}
