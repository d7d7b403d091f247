import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InvalidTaxonomyError, type TaxonomyProblem } from '../errors.js';
import type { SkillEntry, Taxonomy } from '../types.js';
import { tokenize } from './tokens.js';

/** One taxonomy file's text; `path` is only used in messages and for the category name. */
export interface TaxonomyFile {
  path: string;
  text: string;
}

const ID_RULE = 'required: lowercase letters and digits separated by "-" or "." (kebab-case)';
const NAME_RULE = 'required: a non-empty string';
const LIST_RULE = 'expected a list of non-empty strings';

const text = v.pipe(v.string('expected a non-empty string'), v.regex(/\S/, 'expected a non-empty string'));
/** Phrases the matcher reads: each must hold a token. */
const forms = v.array(
  v.pipe(
    v.string(LIST_RULE),
    v.check((form) => tokenize(form).keys.length > 0, (issue) => `"${String(issue.input)}" has nothing to match`),
  ),
  LIST_RULE,
);
const words = v.array(v.pipe(v.string(LIST_RULE), v.regex(/\S/, LIST_RULE)), LIST_RULE);
const ENTRY_KINDS = ['tool', 'field', 'umbrella', 'generic'] as const satisfies readonly SkillEntry['kind'][];

const ENTRY_FIELDS = {
  id: v.pipe(v.string(ID_RULE), v.regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, ID_RULE)),
  name: v.pipe(v.string(NAME_RULE), v.regex(/\S/, NAME_RULE)),
  category: v.optional(text),
  parent: v.optional(text),
  kind: v.optional(v.picklist(ENTRY_KINDS, 'expected tool, field, umbrella or generic')),
  aliases: v.optional(forms, []),
  exact: v.optional(forms, []),
  ambiguous: v.optional(v.union([v.boolean(), forms], 'expected true, false, or a list of the forms that need context'), false),
  context: v.optional(words, []),
  not: v.optional(forms, []),
  source: v.optional(text),
};
const UNKNOWN_FIELD = `unknown field (known: ${Object.keys(ENTRY_FIELDS).join(', ')})`;
const NOT_AN_ENTRY = 'expected a mapping with at least id and name';

/** One taxonomy entry as written; built once, it checks every entry of every load. */
const ENTRY_SCHEMA = v.pipe(
  v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), NOT_AN_ENTRY),
  v.strictObject(ENTRY_FIELDS, entryMessage),
);

/** The message of an issue with the entry itself: an unknown field, a missing id or name. */
function entryMessage(issue: v.StrictObjectIssue): string {
  if (issue.expected === 'never') return UNKNOWN_FIELD;
  if (!issue.path) return NOT_AN_ENTRY;
  return issue.path[0].key === 'id' ? ID_RULE : NAME_RULE;
}

/** Categories whose entries are areas of work, not named tools, unless an entry says otherwise. */
const FIELD_CATEGORIES = new Set(['practice', 'ml-field', 'math-stats', 'education', 'soft-skills', 'domain']);

/** The category a file holds: its base name without extension (`ml-framework.yaml` -> `ml-framework`). */
export function categoryOfFile(path: string): string {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.ya?ml$/i, '');
}

/**
 * Parses and validates taxonomy files (YAML lists of entries, one file per category).
 * Throws InvalidTaxonomyError listing every problem, each naming file, entry and field.
 */
export function parseTaxonomy(files: readonly TaxonomyFile[]): Taxonomy {
  const problems: TaxonomyProblem[] = [];
  const categories = [...new Set(files.map((f) => categoryOfFile(f.path)))].sort();
  const skills: SkillEntry[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    let doc: unknown;
    try {
      doc = parseYaml(file.text);
    } catch (err) {
      const where = err instanceof YAMLParseError && err.linePos ? ` (line ${err.linePos[0].line})` : '';
      problems.push({ file: file.path, message: `not valid YAML${where}: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    if (doc === null || doc === undefined) continue; // an empty file holds no skills
    if (!Array.isArray(doc)) {
      problems.push({ file: file.path, message: 'expected a YAML list of skill entries' });
      continue;
    }
    doc.forEach((raw: unknown, index) => {
      const entry = parseEntry(raw, index, file.path, categoryOfFile(file.path), problems);
      if (entry) skills.push(entry);
    });
  }
  checkAcrossEntries(skills, new Set(categories), problems);
  if (problems.length > 0) throw new InvalidTaxonomyError(problems);
  return { skills, categories, version: computeTaxonomyVersion(sorted) };
}

/** A short content hash of the taxonomy files: every extraction records it. */
export function computeTaxonomyVersion(files: readonly TaxonomyFile[]): string {
  const hash = createHash('sha256');
  // Content only, never paths: the same files give the same version on every machine.
  const key = (f: TaxonomyFile) => `${categoryOfFile(f.path)}\0${f.text}`;
  for (const f of [...files].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))) {
    hash.update(categoryOfFile(f.path)).update('\0').update(f.text).update('\0');
  }
  return hash.digest('hex').slice(0, 12);
}

function parseEntry(
  raw: unknown,
  index: number,
  file: string,
  fileCategory: string,
  problems: TaxonomyProblem[],
): SkillEntry | undefined {
  const entry = entryLabel(raw, index);
  const parsed = v.safeParse(ENTRY_SCHEMA, raw);
  if (!parsed.success) {
    problems.push(...entryProblems(parsed.issues, file, entry));
    return undefined;
  }
  const e = parsed.output;
  const category = e.category ?? fileCategory;
  // The name is matched too, case-insensitively, unless the entry lists exact-case forms
  // (then "Go" must not also match "go").
  const matched = e.exact.length === 0 && !e.aliases.some((a) => a.toLowerCase() === e.name.toLowerCase()) ? [e.name, ...e.aliases] : e.aliases;
  // Aliases match in any case, so "Communication" names the alias "communication"; the forms are
  // kept as the aliases and exact forms spell them.
  const aliasKey = (a: string) => tokenize(a).keys.join(' ');
  const strays: string[] = [];
  const ambiguousForms = (e.ambiguous === true ? [...matched, ...e.exact] : e.ambiguous || []).flatMap((form) => {
    const found = [...e.exact.filter((x) => x === form), ...matched.filter((a) => aliasKey(a) === aliasKey(form))];
    if (found.length === 0) strays.push(form);
    return found;
  });
  if (strays.length > 0) {
    for (const form of strays) problems.push({ file, entry, field: 'ambiguous', message: `"${form}" is not one of the entry's aliases or exact forms` });
    return undefined;
  }
  return {
    id: e.id,
    name: e.name,
    category,
    ...(e.parent !== undefined && { parent: e.parent }),
    kind: e.kind ?? (FIELD_CATEGORIES.has(category) ? 'field' : 'tool'),
    aliases: matched,
    exact: e.exact,
    ambiguous: ambiguousForms.length > 0,
    ambiguousForms,
    context: e.context,
    not: e.not,
    ...(e.source !== undefined && { source: e.source }),
    file,
  };
}

/** How messages name an entry: its id, or `#<position>` in the file when it has none. */
function entryLabel(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id ? id : `#${index + 1}`;
}

/** One problem per field and message: a list with two bad items is one problem. */
function entryProblems(issues: readonly v.BaseIssue<unknown>[], file: string, entry: string): TaxonomyProblem[] {
  const problems = new Map<string, TaxonomyProblem>();
  for (const issue of issues) {
    const field = issue.path?.[0]?.key;
    problems.set(`${String(field)}\0${issue.message}`, { file, entry, ...(field !== undefined && { field: String(field) }), message: issue.message });
  }
  return [...problems.values()];
}

function checkAcrossEntries(skills: SkillEntry[], categories: Set<string>, problems: TaxonomyProblem[]): void {
  const byId = new Map<string, SkillEntry>();
  for (const s of skills) {
    const first = byId.get(s.id);
    if (first) problems.push({ file: s.file, entry: s.id, field: 'id', message: first.file === s.file ? 'duplicate id (twice in this file)' : `duplicate id (also in ${first.file})` });
    else byId.set(s.id, s);
    if (!categories.has(s.category)) {
      problems.push({ file: s.file, entry: s.id, field: 'category', message: `unknown category "${s.category}" (known: ${[...categories].join(', ')})` });
    }
    if (s.aliases.length === 0 && s.exact.length === 0) {
      problems.push({ file: s.file, entry: s.id, field: 'aliases', message: 'nothing to match: give aliases or exact forms' });
    }
  }
  for (const s of skills) {
    if (s.parent === undefined) continue;
    if (!byId.has(s.parent)) {
      problems.push({ file: s.file, entry: s.id, field: 'parent', message: `unknown skill id "${s.parent}"` });
      continue;
    }
    const seen = new Set([s.id]);
    for (let p = byId.get(s.parent); p; p = p.parent ? byId.get(p.parent) : undefined) {
      if (seen.has(p.id)) {
        problems.push({ file: s.file, entry: s.id, field: 'parent', message: `parent chain loops back (${[...seen, p.id].join(' -> ')})` });
        break;
      }
      seen.add(p.id);
    }
  }
  // Two skills may claim the same form only when both say how to tell them apart.
  const claims = new Map<string, { skill: SkillEntry; ambiguous: boolean }>();
  for (const s of skills) {
    const forms = new Map<string, boolean>();
    for (const a of s.aliases) forms.set(tokenize(a).keys.join(' '), s.ambiguousForms.includes(a));
    for (const e of s.exact) forms.set(`=${e}`, s.ambiguousForms.includes(e));
    for (const [form, ambiguous] of forms) {
      const claim = claims.get(form);
      const other = claim?.skill;
      if (claim && other && other.id !== s.id && !(claim.ambiguous && ambiguous)) {
        problems.push({
          file: s.file,
          entry: s.id,
          field: form.startsWith('=') ? 'exact' : 'aliases',
          message: `"${form.replace(/^=/, '')}" is also claimed by "${other.id}" (${other.file}); mark both ambiguous with context rules, or keep it on one`,
        });
      } else if (!claim) claims.set(form, { skill: s, ambiguous });
    }
  }
}
