import { wrapText } from '../report/fit.js';
import type { Command } from './args.js';

/** Help is written for 80 columns, whatever the terminal: it is read in terminals, pagers and READMEs alike. */
export const HELP_WIDTH = 80;
/** An option longer than this puts its description on the next line. */
const FLAG_WIDTH = 22;

/**
 * Words of a usage line, a bracketed group kept whole ("[--kind summary|skill <id>]"), so a wrapped
 * usage line never breaks inside an option.
 */
function usageWords(usage: string): string[] {
  const words: string[] = [];
  let depth = 0;
  let word = '';
  for (const ch of usage) {
    if (ch === '[') depth++;
    if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ' ' && depth === 0) {
      if (word) words.push(word);
      word = '';
    } else word += ch;
  }
  if (word) words.push(word);
  return words;
}

/** `Usage: ...` wrapped to 80 columns, later lines indented under the command's arguments. */
export function renderUsage(usage: string, width = HELP_WIDTH): string[] {
  const words = usageWords(usage);
  // "Usage: skillpulse <command> ": what follows lines up under the first argument.
  const indent = ' '.repeat(Math.min(28, 'Usage: '.length + words.slice(0, 2).join(' ').length + 1));
  const lines: string[] = [];
  let line = `Usage: ${words.slice(0, 2).join(' ')}`;
  for (const word of words.slice(2)) {
    if (line.length + 1 + word.length > width && line.trim().length > 0 && line !== indent) {
      lines.push(line);
      line = `${indent}${word}`;
    } else line = `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/**
 * Option lines of --help as a two-column list: the option, then its description, aligned and
 * wrapped to 80 columns. An entry is "option  description" (two spaces or more between them); one
 * indented by two spaces is an item under the entry before it (a report kind).
 */
export function renderOptions(entries: string[], width = HELP_WIDTH): string[] {
  const parsed = entries.map((e) => {
    const nested = /^ {2}\S/.test(e);
    const line = e.trim();
    const gap = line.search(/ {2,}/);
    return { nested, flag: gap < 0 ? line : line.slice(0, gap), text: gap < 0 ? '' : line.slice(gap).trim() };
  });
  const flagWidth = Math.min(FLAG_WIDTH, Math.max(0, ...parsed.map((p) => p.flag.length + (p.nested ? 2 : 0))));
  const indent = ' '.repeat(2 + flagWidth + 2);
  return parsed.flatMap(({ nested, flag, text }) => {
    const head = `  ${nested ? '  ' : ''}${flag}`;
    if (!text) return [head];
    const body = wrapText(text, width, indent);
    if (head.length > indent.length - 2) return [head, `${indent}${body[0]}`, ...body.slice(1)];
    return [`${head.padEnd(indent.length)}${body[0]}`, ...body.slice(1)];
  });
}

/** The text of `skillpulse <command> --help` (and `skillpulse help <command>`). */
export async function renderCommandHelp(c: Command): Promise<string> {
  const options = (await Promise.all(c.options.map((o) => (typeof o === 'string' ? o : o())))).flat();
  return [...renderUsage(c.usage), '', ...wrapText(c.summary, HELP_WIDTH), ...(options.length ? ['', 'Options:', ...renderOptions(options)] : []), ''].join('\n');
}
