import { formatTaxonomyProblem, InvalidTaxonomyError } from '../errors.js';
import { normalizePosting } from '../normalize/posting.js';
import { readPostingFiles } from '../sources/files.js';
import { compileTaxonomy } from '../taxonomy/compile.js';
import { mineCandidates, renderCandidatesYaml } from '../extract/mine.js';
import { findSkill } from '../taxonomy/find.js';
import type { SkillEntry } from '../types.js';
import { oneOf, parseCommandArgs, positiveInt, TAXONOMY_OPTIONS } from './args.js';
import { loadTaxonomyOption } from './taxonomy-option.js';
import { renderTextTable } from '../report/render.js';
import { type CliIO, EXIT, outputWidth, UsageError } from './io.js';

function entryJson(s: SkillEntry) {
  return {
    id: s.id,
    name: s.name,
    category: s.category,
    parent: s.parent ?? null,
    aliases: s.aliases,
    exact: s.exact,
    ambiguous: s.ambiguous,
    context: s.context,
    not: s.not,
    source: s.source ?? null,
  };
}

const SUBCOMMANDS = ['validate', 'list', 'show', 'stats', 'mine'] as const;

export async function runTaxonomy(argv: string[], io: CliIO): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub)) {
    throw new UsageError(`taxonomy needs a subcommand: ${SUBCOMMANDS.join(', ')}`);
  }
  const { values, positionals } = parseCommandArgs(rest, {
    ...TAXONOMY_OPTIONS,
    category: { type: 'string' },
    format: { type: 'string' },
    'min-documents': { type: 'string' },
    top: { type: 'string' },
  });
  const taxonomyValues = sub === 'validate' && positionals[0] ? { ...values, taxonomy: positionals[0] } : values;
  if (sub === 'validate') {
    try {
      const t = loadTaxonomyOption(taxonomyValues);
      io.stdout.write(`ok: ${t.skills.length} skills in ${t.categories.length} categories (version ${t.version})\n`);
      return EXIT.ok;
    } catch (err) {
      if (!(err instanceof InvalidTaxonomyError)) throw err;
      for (const p of err.problems) io.stderr.write(`${formatTaxonomyProblem(p)}\n`);
      io.stderr.write(`skillpulse: taxonomy is invalid: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}\n`);
      return EXIT.fatal;
    }
  }
  const t = loadTaxonomyOption(taxonomyValues);
  if (sub === 'mine') {
    if (positionals.length === 0) throw new UsageError('taxonomy mine needs files or directories of documents');
    const format = oneOf(values.format, ['yaml', 'json'] as const, '--format', 'yaml');
    const texts: string[] = [];
    let failed = 0;
    for await (const item of readPostingFiles(positionals, { readStdin: io.readStdin })) {
      if (!item.ok) {
        failed++;
        io.stderr.write(`skillpulse: ${item.input}: ${item.reason}\n`);
        continue;
      }
      texts.push(normalizePosting(item.raw).text);
    }
    const candidates = mineCandidates(texts, compileTaxonomy(t), {
      minDocuments: positiveInt(values['min-documents'], '--min-documents') ?? 2,
      top: positiveInt(values.top, '--top') ?? 100,
    });
    io.stdout.write(format === 'json' ? `${JSON.stringify(candidates, null, 2)}\n` : renderCandidatesYaml(candidates, texts.length));
    return failed > 0 ? EXIT.itemsFailed : EXIT.ok;
  }
  if (sub === 'list') {
    const format = oneOf(values.format, ['table', 'json'] as const, '--format', 'table');
    if (values.category !== undefined && !t.categories.includes(values.category)) {
      throw new UsageError(`unknown category "${values.category}" (known: ${t.categories.join(', ')})`);
    }
    const skills = t.skills.filter((s) => values.category === undefined || s.category === values.category);
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify(skills.map(entryJson), null, 2)}\n`);
    } else {
      // One row per skill under a header, fitted to the terminal: the forms are cut short first, the id never.
      const width = outputWidth(io);
      const table = renderTextTable(
        {
          title: '',
          columns: ['Id', 'Name', 'Category', 'Matched as'],
          numeric: [false, false, false, false],
          rows: skills.map((s) => [s.id, s.name, s.category, [...s.aliases, ...s.exact].join(', ')]),
          fit: { whole: [0], latest: [] },
        },
        width === undefined ? {} : { width },
      );
      io.stdout.write(`${table.slice(1).join('\n')}\n`);
    }
    return EXIT.ok;
  }
  if (sub === 'show') {
    const query = positionals[0];
    if (!query) throw new UsageError('taxonomy show needs a skill id or alias');
    const s = findSkill(t, query);
    if (!s) {
      io.stderr.write(`skillpulse: no skill with id or alias "${query}"\n`);
      return EXIT.itemsFailed;
    }
    io.stdout.write(`${JSON.stringify(entryJson(s), null, 2)}\n`);
    return EXIT.ok;
  }
  const byCategory = new Map<string, number>();
  for (const s of t.skills) byCategory.set(s.category, (byCategory.get(s.category) ?? 0) + 1);
  io.stdout.write(`version ${t.version}: ${t.skills.length} skills, ${t.categories.length} categories\n`);
  for (const c of t.categories) io.stdout.write(`  ${c.padEnd(24)} ${byCategory.get(c) ?? 0}\n`);
  io.stdout.write(
    `  ambiguous: ${t.skills.filter((s) => s.ambiguous).length}, with parent: ${t.skills.filter((s) => s.parent).length}, ` +
      `forms: ${t.skills.reduce((a, s) => a + s.aliases.length + s.exact.length, 0)}\n`,
  );
  return EXIT.ok;
}
