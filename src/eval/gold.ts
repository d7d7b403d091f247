import * as v from 'valibot';
import { parse as parseYaml } from 'yaml';
import { extractPosting } from '../extract/extract.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import type { Degree, Posting, Requirement } from '../types.js';

/** What a person annotated for one posting (fixtures/gold/README.md documents the format). */
export interface GoldAnnotation {
  /** Skill id -> its level, or `negated` for a skill the posting rules out. */
  skills: Record<string, Requirement | 'negated'>;
  degree: Degree | null;
  minYears: number | null;
}

const LEVELS = ['required', 'preferred', 'unspecified', 'negated'] as const satisfies readonly (Requirement | 'negated')[];
const DEGREES = ['none', 'associate', 'bachelor', 'master', 'phd'] as const satisfies readonly Degree[];
const NOT_A_MAPPING = 'expected a mapping with skills, degree and minYears';

/** YAML mappings only: a list is an object too, which valibot's objects and records accept. */
const mappingOnly = (message: string) => v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), message);

/** A `.gold.yaml` file as written (fixtures/gold/README.md), naming skills of `compiled`. */
function goldSchema(compiled: CompiledTaxonomy) {
  const skillId = v.pipe(v.string(), v.check((id) => compiled.indexById.has(id), 'not a skill id of the taxonomy'));
  const level = v.picklist(LEVELS, `expected one of ${LEVELS.join(', ')}`);
  const skillsMessage = 'expected a mapping of skill id to level';
  const years = 'expected null or a number of years';
  const fields = {
    skills: v.optional(v.pipe(mappingOnly(skillsMessage), v.record(skillId, level, skillsMessage)), {}),
    degree: v.nullable(v.picklist(DEGREES, `expected null or one of ${DEGREES.join(', ')}`)),
    minYears: v.nullable(v.pipe(v.number(years), v.minValue(0, years))),
    seniority: v.optional(v.string('expected a string')), // not scored
  };
  const unknown = `unknown field (known: ${Object.keys(fields).join(', ')})`;
  return v.pipe(
    mappingOnly(NOT_A_MAPPING),
    v.strictObject(fields, (issue) => (issue.expected === 'never' ? unknown : issue.path ? 'required (null when the posting states none)' : NOT_A_MAPPING)),
  );
}

/** Parses and checks a `.gold.yaml` file; throws an Error naming the file and, a line each, every bad field. */
export function parseGold(text: string, path: string, compiled: CompiledTaxonomy): GoldAnnotation {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new Error(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  const parsed = v.safeParse(goldSchema(compiled), doc);
  if (!parsed.success) {
    throw new Error(parsed.issues.map((issue) => `${path}: ${issue.path ? `field "${v.getDotPath(issue)}": ` : ''}${issue.message}`).join('\n'));
  }
  const { skills, degree, minYears } = parsed.output;
  return { skills, degree, minYears };
}

export interface GoldCase {
  name: string;
  posting: Posting;
  gold: GoldAnnotation;
}

export interface GoldError {
  posting: string;
  skill: string;
  kind: 'false-positive' | 'false-negative' | 'level' | 'negation';
  expected: string;
  got: string;
  /** The sentence that produced the hit, for false positives and wrong levels. */
  evidence?: string;
}

export interface GoldScore {
  postings: number;
  precision: number;
  recall: number;
  f1: number;
  levelAccuracy: number;
  degreeAccuracy: number;
  minYearsAccuracy: number;
  counts: { truePositives: number; falsePositives: number; falseNegatives: number; levelCorrect: number };
  /** Skills with the most errors. */
  worst: { skill: string; falsePositives: number; falseNegatives: number; levelErrors: number }[];
  errors: GoldError[];
  fields: { posting: string; field: 'degree' | 'minYears'; expected: string; got: string }[];
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : Number((a / b).toFixed(4)));

/** Scores the extractor on hand-annotated postings: skills (with level), degree and minYears. */
export function scoreGold(cases: readonly GoldCase[], compiled: CompiledTaxonomy): GoldScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let levelCorrect = 0;
  let degreeCorrect = 0;
  let yearsCorrect = 0;
  const errors: GoldError[] = [];
  const fields: GoldScore['fields'] = [];
  const perSkill = new Map<string, { skill: string; falsePositives: number; falseNegatives: number; levelErrors: number }>();
  const bump = (skill: string, key: 'falsePositives' | 'falseNegatives' | 'levelErrors') => {
    const e = perSkill.get(skill) ?? { skill, falsePositives: 0, falseNegatives: 0, levelErrors: 0 };
    e[key]++;
    perSkill.set(skill, e);
  };
  for (const c of cases) {
    const x = extractPosting(c.posting, compiled);
    const predicted = new Map(x.skills.filter((s) => !s.negated).map((s) => [s.id, s]));
    const evidence = (id: string) => {
      const m = predicted.get(id)?.mentions[0];
      return m ? c.posting.text.slice(m.sentenceStart, m.sentenceEnd) : undefined;
    };
    for (const [id, level] of Object.entries(c.gold.skills)) {
      const hit = predicted.get(id);
      if (level === 'negated') {
        if (hit) {
          fp++;
          bump(id, 'falsePositives');
          errors.push({ posting: c.name, skill: id, kind: 'negation', expected: 'negated', got: hit.requirement, ...opt(evidence(id)) });
        }
        continue;
      }
      if (!hit) {
        fn++;
        bump(id, 'falseNegatives');
        errors.push({ posting: c.name, skill: id, kind: 'false-negative', expected: level, got: 'not found' });
        continue;
      }
      tp++;
      if (hit.requirement === level) levelCorrect++;
      else {
        bump(id, 'levelErrors');
        errors.push({ posting: c.name, skill: id, kind: 'level', expected: level, got: hit.requirement, ...opt(evidence(id)) });
      }
    }
    for (const id of predicted.keys()) {
      if (id in c.gold.skills) continue;
      fp++;
      bump(id, 'falsePositives');
      errors.push({ posting: c.name, skill: id, kind: 'false-positive', expected: 'not named', got: predicted.get(id)?.requirement ?? '', ...opt(evidence(id)) });
    }
    if ((x.degree ?? null) === c.gold.degree) degreeCorrect++;
    else fields.push({ posting: c.name, field: 'degree', expected: String(c.gold.degree), got: String(x.degree ?? null) });
    if ((x.minYears ?? null) === c.gold.minYears) yearsCorrect++;
    else fields.push({ posting: c.name, field: 'minYears', expected: String(c.gold.minYears), got: String(x.minYears ?? null) });
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    postings: cases.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : Number(((2 * precision * recall) / (precision + recall)).toFixed(4)),
    levelAccuracy: ratio(levelCorrect, tp),
    degreeAccuracy: ratio(degreeCorrect, cases.length),
    minYearsAccuracy: ratio(yearsCorrect, cases.length),
    counts: { truePositives: tp, falsePositives: fp, falseNegatives: fn, levelCorrect },
    worst: [...perSkill.values()]
      .sort((a, b) => b.falsePositives + b.falseNegatives + b.levelErrors - (a.falsePositives + a.falseNegatives + a.levelErrors) || (a.skill < b.skill ? -1 : 1))
      .slice(0, 10),
    errors,
    fields,
  };
}

function opt(evidence: string | undefined): { evidence?: string } {
  return evidence === undefined ? {} : { evidence };
}
