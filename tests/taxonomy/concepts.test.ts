import { describe, expect, it } from 'vitest';
import { findCandidates } from '../../src/extract/match.js';
import { tokenize } from '../../src/taxonomy/tokens.js';
import { shippedTaxonomy } from '../helpers.js';

// Issue 12: one entry, one concept. An alias that names another product or technique makes the
// reports count the wrong thing, and a family entry that swallows its members hides them.

const key = (s: string) => tokenize(s).keys.join(' ');

/** The entries whose forms cover exactly `form`. */
function entriesNamed(form: string): string[] {
  const compiled = shippedTaxonomy();
  const tokens = tokenize(form);
  return findCandidates(form, tokens, compiled)
    .filter((c) => c.start === 0 && c.end === form.length)
    .map((c) => compiled.skills[c.skill]?.id as string);
}

function ancestors(id: string): string[] {
  const { skills, indexById } = shippedTaxonomy();
  const out: string[] = [];
  for (let p = skills[indexById.get(id) ?? -1]?.parent; p !== undefined; p = skills[indexById.get(p) ?? -1]?.parent) out.push(p);
  return out;
}

describe('one entry, one concept', () => {
  it('no alias of one entry is the name of another entry, homonyms with context rules aside', () => {
    const { skills } = shippedTaxonomy();
    const byName = new Map(skills.map((s) => [key(s.name), s]));
    const ambiguousIn = (s: (typeof skills)[number], form: string) => s.ambiguousForms.some((f) => key(f) === key(form));
    const clashes: string[] = [];
    for (const s of skills) {
      for (const form of [...s.aliases, ...s.exact]) {
        const other = byName.get(key(form));
        if (other === undefined || other.id === s.id) continue;
        // YARN (Hadoop) and Yarn (npm), HLS (synthesis) and HLS (streaming): two concepts that
        // share a word, each counted only with its own context.
        if (ambiguousIn(s, form) && ambiguousIn(other, other.name)) continue;
        clashes.push(`${s.id}: "${form}" is the name of ${other.id}`);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('no alias joins the names of two entries ("AI/ML", "Unix/Linux"): such a list names each of them', () => {
    const { skills } = shippedTaxonomy();
    const byForm = new Map<string, string>();
    for (const s of skills) for (const f of [s.name, ...s.aliases, ...s.exact]) byForm.set(key(f), s.id);
    // Product names spelled with a slash, not lists.
    const products = new Set(['modbus / tcp', 'ada / spark', 'shadcn / ui', 'etl / elt', 'elt / etl']);
    const lumps: string[] = [];
    for (const s of skills) {
      for (const form of s.aliases) {
        const parts = form.toLowerCase().split(/\s*\/\s*|\s+and\s+|\s*&\s*/);
        if (parts.length < 2 || products.has(key(form))) continue;
        const ids = parts.map((p) => byForm.get(key(p)));
        if (ids.every((id) => id !== undefined) && new Set(ids).size > 1) lumps.push(`${s.id}: "${form}" names ${ids.join(' and ')}`);
      }
    }
    expect(lumps).toEqual([]);
  });

  it.each([
    ['HDFS', 'Hadoop'],
    ['MapReduce', 'Hadoop'],
    ['Cloudera', 'Hadoop'],
    ['YARN', 'Hadoop'],
    ['Lucene', 'Solr'],
    ['SSIS', 'SQL Server'],
    ['SSRS', 'SQL Server'],
    ['Symfony', 'Laravel'],
    ['Drupal', 'WordPress'],
    ['SAP HANA', 'Vertica'],
    ['pivot tables', 'Excel'],
    ['UDP', 'TCP/IP'],
    ['data modeling', 'relational databases'],
    ['distributed systems', 'backend development'],
    ['clustering', 'machine learning'],
    ['random forests', 'machine learning'],
    ['t-test', 'statistics'],
    ['penetration testing', 'security engineering'],
    ['Kafka Streams', 'Kafka'],
    ['Spring Boot', 'Spring'],
  ])('%s is its own entry, apart from %s', (member, family) => {
    const [m] = entriesNamed(member);
    const [f] = entriesNamed(family);
    expect(m, member).toBeDefined();
    expect(f, family).toBeDefined();
    expect(m).not.toBe(f);
  });

  it.each([
    ['HDFS', 'hadoop'],
    ['MapReduce', 'hadoop'],
    ['SSIS', 'sql-server'],
    ['pivot tables', 'excel'],
    ['Symfony', 'php'],
    ['AWS Lambda', 'aws'],
  ])('%s rolls up under %s', (member, ancestor) => {
    const [m] = entriesNamed(member);
    expect(ancestors(m as string)).toContain(ancestor);
  });
});
