import { createHash } from 'node:crypto';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { InvalidTaxonomyError, type TaxonomyProblem } from '../errors.js';
import type { SkillEntry, Taxonomy } from '../types.js';
import { tokenize } from './tokens.js';

/** One taxonomy file's text; `path` is only used in messages and for the category name. */
export interface TaxonomyFile {
  path: string;
  text: string;
}

const ID = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;
const FIELDS = new Set(['id', 'name', 'category', 'parent', 'kind', 'aliases', 'exact', 'ambiguous', 'context', 'not', 'source']);

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
  const label = `#${index + 1}`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push({ file, entry: label, message: 'expected a mapping with at least id and name' });
    return undefined;
  }
  const obj = raw as Record<string, unknown>;
  const entry = typeof obj.id === 'string' && obj.id ? obj.id : label;
  const bad = (field: string, message: string) => problems.push({ file, entry, field, message });
  const before = problems.length;

  for (const key of Object.keys(obj)) {
    if (!FIELDS.has(key)) bad(key, `unknown field (known: ${[...FIELDS].join(', ')})`);
  }
  if (typeof obj.id !== 'string' || !ID.test(obj.id)) {
    bad('id', 'required: lowercase letters and digits separated by "-" or "." (kebab-case)');
  }
  if (typeof obj.name !== 'string' || obj.name.trim() === '') bad('name', 'required: a non-empty string');
  const stringList = (field: string): string[] => {
    const v = obj[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s.trim() === '')) {
      bad(field, 'expected a list of non-empty strings');
      return [];
    }
    return v as string[];
  };
  const optionalString = (field: string): string | undefined => {
    const v = obj[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      bad(field, 'expected a non-empty string');
      return undefined;
    }
    return v;
  };
  const aliases = stringList('aliases');
  const exact = stringList('exact');
  const context = stringList('context');
  const not = stringList('not');
  const category = optionalString('category') ?? fileCategory;
  const parent = optionalString('parent');
  const source = optionalString('source');
  const kind = optionalString('kind') ?? (FIELD_CATEGORIES.has(category) ? 'field' : 'tool');
  if (kind !== 'tool' && kind !== 'field' && kind !== 'umbrella') bad('kind', 'expected tool, field or umbrella');
  let ambiguousForms: string[] = [];
  if (Array.isArray(obj.ambiguous)) {
    ambiguousForms = stringList('ambiguous');
  } else if (obj.ambiguous !== undefined && typeof obj.ambiguous !== 'boolean') {
    bad('ambiguous', 'expected true, false, or a list of the forms that need context');
  }
  for (const [field, list] of [['aliases', aliases], ['exact', exact], ['not', not]] as const) {
    for (const form of list) {
      if (tokenize(form).keys.length === 0) bad(field, `"${form}" has nothing to match`);
    }
  }
  if (problems.length > before) return undefined;
  const name = obj.name as string;
  const matched = exact.length === 0 && !aliases.some((a) => a.toLowerCase() === name.toLowerCase()) ? [name, ...aliases] : aliases;
  if (obj.ambiguous === true) ambiguousForms = [...matched, ...exact];
  // Aliases match in any case, so "Communication" names the alias "communication"; the forms are
  // kept as the aliases and exact forms spell them.
  const aliasKey = (a: string) => tokenize(a).keys.join(' ');
  ambiguousForms = ambiguousForms.flatMap((form) => {
    const found = [...exact.filter((e) => e === form), ...matched.filter((a) => aliasKey(a) === aliasKey(form))];
    if (found.length === 0) bad('ambiguous', `"${form}" is not one of the entry's aliases or exact forms`);
    return found;
  });
  if (problems.length > before) return undefined;
  return {
    id: obj.id as string,
    name,
    category,
    ...(parent !== undefined && { parent }),
    kind: kind as SkillEntry['kind'],
    // The name is matched too, case-insensitively, unless the entry lists exact-case forms
    // (then "Go" must not also match "go").
    aliases: matched,
    exact,
    ambiguous: ambiguousForms.length > 0,
    ambiguousForms,
    context,
    not,
    ...(source !== undefined && { source }),
    file,
  };
}

function checkAcrossEntries(skills: SkillEntry[], categories: Set<string>, problems: TaxonomyProblem[]): void {
  const byId = new Map<string, SkillEntry>();
  for (const s of skills) {
    const first = byId.get(s.id);
    if (first) problems.push({ file: s.file, entry: s.id, field: 'id', message: `duplicate id (also in ${first.file})` });
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
