import { extractPosting } from '../extract/extract.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';

/** A SkillSpan document: its sentences joined by line breaks, with the gold spans as offsets. */
export interface SpanDocument {
  id: string;
  text: string;
  knowledge: [number, number][];
  skill: [number, number][];
}

interface SkillSpanRow {
  idx: number;
  tokens: string[];
  tags_skill: string[];
  tags_knowledge: string[];
  source: string;
}

/**
 * Parses SkillSpan JSON lines (`{idx, tokens, tags_skill, tags_knowledge, source}`), keeping rows
 * of one source ("tech"), and joins each posting's sentences (tokens by spaces) into one text so
 * the extractor sees a posting's context as it would in real use.
 */
export function parseSkillSpan(jsonl: string, source = 'tech'): SpanDocument[] {
  const docs = new Map<number, { parts: string[]; length: number; knowledge: [number, number][]; skill: [number, number][] }>();
  for (const line of jsonl.split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as SkillSpanRow;
    if (source !== 'all' && row.source !== source) continue;
    let doc = docs.get(row.idx);
    if (!doc) docs.set(row.idx, (doc = { parts: [], length: 0, knowledge: [], skill: [] }));
    let offset = doc.length === 0 ? 0 : doc.length + 1;
    const starts: number[] = [];
    for (const t of row.tokens) {
      starts.push(offset);
      offset += t.length + 1;
    }
    const spans = (tags: string[], into: [number, number][]) => {
      let open: number | undefined;
      let last = -1;
      tags.forEach((tag, k) => {
        if (tag !== 'I' && open !== undefined) {
          into.push([starts[open] as number, (starts[last] as number) + (row.tokens[last] as string).length]);
          open = undefined;
        }
        if (tag === 'B') open = k;
        if (tag === 'B' || tag === 'I') last = k;
      });
      if (open !== undefined) into.push([starts[open] as number, (starts[last] as number) + (row.tokens[last] as string).length]);
    };
    spans(row.tags_knowledge, doc.knowledge);
    spans(row.tags_skill, doc.skill);
    const sentence = row.tokens.join(' ');
    doc.length = (doc.length === 0 ? 0 : doc.length + 1) + sentence.length;
    doc.parts.push(sentence);
  }
  return [...docs].map(([idx, d]) => ({ id: String(idx), text: d.parts.join('\n'), knowledge: d.knowledge, skill: d.skill }));
}

export interface SpanScore {
  documents: number;
  knowledgeSpans: number;
  /** Share of gold Knowledge spans that some hit overlaps. */
  coverage: number;
  hits: number;
  /** Share of hit mentions that overlap a gold Skill or Knowledge span. */
  precisionProxy: number;
  /**
   * The same, counting only hits in sentences where the annotators marked some span: SkillSpan
   * leaves job titles and many tag lines unannotated, and this separates that from our errors.
   */
  precisionInAnnotatedSentences: number;
  /** Most frequent gold Knowledge spans no hit overlaps. */
  missed: { text: string; count: number }[];
  /** Most frequent hits outside every gold span, with the skill they were read as. */
  outside: { text: string; skill: string; count: number }[];
  /**
   * The same figures over every candidate mention, before demand and description are told apart:
   * how well the taxonomy recognizes the spans. SkillSpan marks knowledge wherever a posting names
   * it, the employer's description included, which the counted hits set aside on purpose.
   */
  recognition: { hits: number; coverage: number; precisionProxy: number };
}

const overlaps = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

function top<T extends { count: number }>(counts: Map<string, T>, n: number): T[] {
  return [...counts.values()].sort((a, b) => b.count - a.count).slice(0, n);
}

/** Scores the extractor's hits against SkillSpan's gold spans. */
export function scoreSpans(docs: readonly SpanDocument[], compiled: CompiledTaxonomy, listSize = 25): SpanScore {
  let knowledgeSpans = 0;
  let covered = 0;
  let hits = 0;
  let inside = 0;
  let annotatedHits = 0;
  const missed = new Map<string, { text: string; count: number }>();
  const outside = new Map<string, { text: string; skill: string; count: number }>();
  let candidates = 0;
  let candidatesInside = 0;
  let candidatesCovered = 0;
  for (const doc of docs) {
    const x = extractPosting({ text: doc.text, sections: [] }, compiled, { explain: true });
    const mentions = x.skills.flatMap((s) => (s.negated ? [] : s.mentions.map((m) => ({ span: [m.start, m.end] as [number, number], skill: s.id }))));
    const all = (x.explain ?? []).map((e) => [e.start, e.end] as [number, number]);
    const gold = [...doc.knowledge, ...doc.skill];
    candidates += all.length;
    candidatesInside += all.filter((m) => gold.some((g) => overlaps(m, g))).length;
    for (const k of doc.knowledge) {
      knowledgeSpans++;
      if (all.some((m) => overlaps(m, k))) candidatesCovered++;
      if (mentions.some((m) => overlaps(m.span, k))) covered++;
      else {
        const text = doc.text.slice(k[0], k[1]).toLowerCase();
        const entry = missed.get(text) ?? { text, count: 0 };
        entry.count++;
        missed.set(text, entry);
      }
    }
    const lineOf = (offset: number): [number, number] => {
      const start = doc.text.lastIndexOf('\n', offset - 1) + 1;
      const end = doc.text.indexOf('\n', offset);
      return [start, end < 0 ? doc.text.length : end];
    };
    for (const m of mentions) {
      hits++;
      const line = lineOf(m.span[0]);
      if (gold.some((g) => overlaps(line, g))) annotatedHits++;
      if (gold.some((g) => overlaps(m.span, g))) inside++;
      else {
        const text = doc.text.slice(m.span[0], m.span[1]);
        const key = `${m.skill}\0${text.toLowerCase()}`;
        const entry = outside.get(key) ?? { text, skill: m.skill, count: 0 };
        entry.count++;
        outside.set(key, entry);
      }
    }
  }
  const ratio = (a: number, b: number) => (b === 0 ? 0 : Number((a / b).toFixed(4)));
  return {
    documents: docs.length,
    knowledgeSpans,
    coverage: ratio(covered, knowledgeSpans),
    hits,
    precisionProxy: ratio(inside, hits),
    precisionInAnnotatedSentences: ratio(inside, annotatedHits),
    missed: top(missed, listSize),
    outside: top(outside, listSize),
    recognition: { hits: candidates, coverage: ratio(candidatesCovered, knowledgeSpans), precisionProxy: ratio(candidatesInside, candidates) },
  };
}
