/**
 * The tokenizer shared by the taxonomy compiler and the extractor: words are runs of letters and
 * digits, every other non-space character is a token of its own ("C++" is c, +, +), and each token
 * records what separates it from the previous one, so "C++" never matches "C + +".
 */

/** What stands between a token and the one before it. */
export const Gap = {
  /** Adjacent: "Node.js" is node . js with no gaps. */
  None: 0,
  /** Spaces or tabs on the same line. */
  Inline: 1,
  /** A line break: matches never run across it. */
  Line: 2,
} as const;
export type Gap = (typeof Gap)[keyof typeof Gap];

export interface Tokens {
  /** Lowercased token text. */
  keys: string[];
  starts: number[];
  ends: number[];
  gaps: Gap[];
  /** The whole text lowercased (made for the keys anyway): cheap word tests before a pattern runs. */
  lower: string;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const SPACE = /\s/;

/** 0: space, 1: word character, 2: other (punctuation, symbols). ASCII is decided by a table. */
const ASCII_CLASS = new Uint8Array(128).map((_, c) =>
  (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : c === 32 || (c >= 9 && c <= 13) ? 0 : 2,
);

function classOf(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return ASCII_CLASS[c] as number;
  if (c === 0xa0) return 0;
  // Surrogate pairs: classify the whole code point.
  const ch = c >= 0xd800 && c <= 0xdbff ? text.slice(i, i + 2) : (text[i] as string);
  return WORD_CHAR.test(ch) ? 1 : SPACE.test(ch) ? 0 : 2;
}

/** Splits text into tokens with their UTF-16 offsets. One pass, a table lookup per ASCII character. */
export function tokenize(text: string): Tokens {
  const keys: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const gaps: Gap[] = [];
  // Lowercasing the whole text once is much cheaper than per token; it is only safe when no
  // character changes length when lowercased (true for nearly all text).
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  const n = text.length;
  let gap: Gap = Gap.None;
  let i = 0;
  while (i < n) {
    const cls = classOf(text, i);
    if (cls === 0) {
      const c = text.charCodeAt(i);
      if (c === 10 || c === 13) gap = Gap.Line;
      else if (gap === Gap.None) gap = Gap.Inline;
      i++;
      continue;
    }
    const start = i;
    if (cls === 1) {
      while (i < n && classOf(text, i) === 1) i += text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff ? 2 : 1;
    } else {
      i += text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff ? 2 : 1;
    }
    // Curly apostrophes read as straight ones: "Bachelor’s" is "bachelor's".
    const c0 = text.charCodeAt(start);
    keys.push(c0 === 0x2019 || c0 === 0x2018 ? "'" : sameLength ? lower.slice(start, i) : text.slice(start, i).toLowerCase());
    starts.push(start);
    ends.push(i);
    gaps.push(keys.length === 1 ? Gap.None : gap);
    gap = Gap.None;
  }
  return { keys, starts, ends, gaps, lower };
}
