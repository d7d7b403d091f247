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

/** [start, end) of the sentence holding `offset`, trimmed of surrounding spaces and bullets. */
export function sentenceAt(text: string, offset: number): [number, number] {
  let start = offset;
  while (start > 0) {
    const c = text[start - 1] as string;
    if (c === '\n' || ((c === '.' || c === '!' || c === '?') && endsSentence(text, start - 1)) || isBullet(text, start - 1)) break;
    start--;
  }
  let end = offset;
  while (end < text.length) {
    const c = text[end] as string;
    if (c === '\n' || (end > offset && isBullet(text, end))) break;
    if ((c === '.' || c === '!' || c === '?') && endsSentence(text, end)) {
      end++;
      break;
    }
    end++;
  }
  while (start < end && /[\s\-*•·]/.test(text[start] as string)) start++;
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return [start, end];
}
