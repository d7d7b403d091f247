/**
 * Sentence bounds around an offset, found by scanning for line breaks and sentence-ending
 * punctuation (cheap, so it runs for every hit; compromise only sees sentences that need it).
 */

const ABBREVIATIONS = new Set(['e.g', 'i.e', 'eg', 'ie', 'etc', 'vs', 'incl', 'approx', 'esp', 'min', 'max', 'no', 'sr', 'jr', 'inc', 'co', 'ltd', 'dept', 'yrs', 'yr', 'st', 'mr', 'ms', 'dr']);

/** True when the character at `i` ('.', '!' or '?') ends a sentence. */
function endsSentence(text: string, i: number): boolean {
  const next = text.charCodeAt(i + 1);
  // Followed by a space, a line break or the end of the text: "Node.js" and "3.5" are not ends.
  if (!(Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13)) return false;
  if (text[i] !== '.') return true;
  let w = i;
  while (w > 0 && /[\p{L}.]/u.test(text[w - 1] as string)) w--;
  const word = text.slice(w, i).toLowerCase();
  if (word.length === 1) return false; // initials and "B.S." style degrees
  return !ABBREVIATIONS.has(word) && !/^(?:[a-z]\.)+[a-z]$/.test(word);
}

/**
 * A bullet inside a line starts a new sentence: "•" anywhere, "*" and "-" between spaces (text whose
 * line breaks were lost: "Skills: * Python * SQL - Experience with dbt").
 */
function isBullet(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  // The common case first: no bullet character at all.
  if (code !== 42 && code !== 45 && code !== 0x2022 && code !== 0x25aa && code !== 0x25e6) return false;
  const c = text[i];
  if (c === '•' || c === '▪' || c === '◦') return true;
  if ((c !== '*' && c !== '-') || text[i - 1] !== ' ' || text[i + 1] !== ' ') return false;
  return c === '*' || /\p{Lu}/u.test(text[i + 2] ?? '');
}

/**
 * The longest sentence read as one. Text without sentence ends (a flattened list, a run of words)
 * is cut into pieces of about this size, so the work per mention stays bounded and a document's
 * cost grows linearly with its size.
 */
export const MAX_SENTENCE = 2000;
/** How far past a cut point a piece may run to end at a space instead of inside a word. */
const CUT_SLACK = 100;

function isEnd(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c === 46 || c === 33 || c === 63) && endsSentence(text, i);
}

/** [start, end) of the sentence holding `offset`, trimmed of surrounding spaces and bullets. */
export function sentenceAt(text: string, offset: number): [number, number] {
  let start = offset;
  // The natural bounds, looked for no further than MAX_SENTENCE either way.
  const low = Math.max(0, offset - MAX_SENTENCE);
  while (start > low) {
    if (text.charCodeAt(start - 1) === 10 || isEnd(text, start - 1) || isBullet(text, start - 1)) break;
    start--;
  }
  let end = offset;
  const high = Math.min(text.length, offset + MAX_SENTENCE);
  let ended = false;
  while (!ended && end < high) {
    if (text.charCodeAt(end) === 10 || (end > offset && isBullet(text, end))) ended = true;
    else if (isEnd(text, end)) {
      end++;
      ended = true;
    } else end++;
  }
  ended ||= end >= text.length;
  const started = startsSentence(text, start);
  if (!started || !ended || end - start >= MAX_SENTENCE) [start, end] = cutPiece(text, offset, start, end, started, ended);
  while (start < end && /[\s\-*•·]/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return [start, end];
}

/** Whether a sentence starts at `i` (the character before it ends one). */
function startsSentence(text: string, i: number): boolean {
  return i === 0 || text[i - 1] === '\n' || isEnd(text, i - 1) || isBullet(text, i - 1);
}

/** The first space at or after `i` (within CUT_SLACK), else `i`: where a long sentence is cut. */
function cutAt(text: string, i: number): number {
  for (let k = i; k < Math.min(text.length, i + CUT_SLACK); k++) if (/\s/.test(text[k] as string)) return k;
  return i;
}

/**
 * The piece of an overlong sentence that holds `offset`: cuts fall at the first space after each
 * multiple of MAX_SENTENCE / 2 of the text, so every mention in a piece sees the same piece.
 */
function cutPiece(text: string, offset: number, start: number, end: number, started: boolean, ended: boolean): [number, number] {
  const step = MAX_SENTENCE / 2;
  // Cut k falls at the first space at or after k * step (cut 0 at the start of the text).
  const cut = (k: number) => (k <= 0 ? 0 : Math.min(text.length, cutAt(text, k * step)));
  let k = Math.floor(offset / step);
  if (cut(k) > offset) k--;
  return [started ? Math.max(start, cut(k)) : cut(k), ended ? Math.min(end, cut(k + 1)) : cut(k + 1)];
}

/** Characters that may start a bullet (see isBullet): an offset on one is looked up afresh. */
function mayBeBullet(code: number): boolean {
  return code === 42 || code === 45 || code === 0x2022 || code === 0x25aa || code === 0x25e6;
}

/**
 * The sentences of one text found so far: each is found by scanning once, and every later offset
 * inside it is answered by a binary search. sentenceAt gives the same bounds for every offset in
 * the sentence it returns (its scans stop at the same ends, and an overlong sentence is cut at the
 * same points), except on a bullet character, which ends the sentence before it only when the
 * scan starts elsewhere: offsets on those are always scanned.
 */
export class SentenceIndex {
  /** Found sentences in text order, as [start, end) pairs: they do not overlap. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly text: string) {}

  /** [start, end) of the sentence holding `offset`: sentenceAt(text, offset). */
  at(offset: number): [number, number] {
    // On a bullet the scan is not the same as from the sentence's other offsets: neither looked up nor kept.
    if (mayBeBullet(this.text.charCodeAt(offset))) return sentenceAt(this.text, offset);
    const { starts, ends } = this;
    // The last sentence starting at or before the offset.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    if (k >= 0 && offset < (ends[k] as number)) return [starts[k] as number, ends[k] as number];
    const found = sentenceAt(this.text, offset);
    const [start, end] = found;
    // Kept when it holds an offset and is not one found already (from a bullet, or from the
    // spaces trimmed off a sentence's ends): where it goes, neither neighbour overlaps it.
    let at = 0;
    for (hi = starts.length; at < hi; ) {
      const mid = (at + hi) >> 1;
      if ((starts[mid] as number) < start) at = mid + 1;
      else hi = mid;
    }
    if (start < end && (at === 0 || (ends[at - 1] as number) <= start) && (at === starts.length || (starts[at] as number) >= end)) {
      starts.splice(at, 0, start);
      ends.splice(at, 0, end);
    }
    return found;
  }
}
