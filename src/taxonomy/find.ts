import type { SkillEntry, Taxonomy } from '../types.js';
import { tokenize } from './tokens.js';

/** A skill by its id, an exact form or an alias (any case, as matched in postings). Pure. */
export function findSkill(t: Taxonomy, query: string): SkillEntry | undefined {
  const key = tokenize(query).keys.join(' ');
  return (
    t.skills.find((s) => s.id === query) ??
    t.skills.find((s) => s.exact.includes(query)) ??
    t.skills.find((s) => s.aliases.some((a) => tokenize(a).keys.join(' ') === key))
  );
}
