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
}

const TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** Splits text into tokens with their UTF-16 offsets. */
export function tokenize(text: string): Tokens {
  const keys: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const gaps: Gap[] = [];
  // Lowercasing the whole text once is much cheaper than per token; it is only safe when no
  // character changes length when lowercased (true for nearly all text).
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  let prevEnd = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    keys.push(sameLength ? lower.slice(start, end) : m[0].toLowerCase());
    starts.push(start);
    ends.push(end);
    gaps.push(gapBetween(text, prevEnd, start));
    prevEnd = end;
  }
  return { keys, starts, ends, gaps };
}

function gapBetween(text: string, from: number, to: number): Gap {
  if (from === to) return Gap.None;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return Gap.Line;
  }
  return Gap.Inline;
}
