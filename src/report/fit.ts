/** Fitting text to a terminal's width: cutting cells short, leaving columns out, wrapping prose. Pure. */

/** The mark of text cut short. */
export const ELLIPSIS = '…';

/** Columns a terminal shows for `s` (one per code point: our tables hold no wide characters of their own). */
export function displayWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** `s` in at most `width` columns, its end replaced by … when cut. */
export function cutEnd(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 0) return '';
  return `${chars.slice(0, width - 1).join('').trimEnd()}${ELLIPSIS}`;
}

/** `s` in at most `width` columns, its start replaced by … when cut (for sparklines: the latest periods stay). */
export function cutStart(s: string, width: number): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 0) return '';
  return `${ELLIPSIS}${chars.slice(chars.length - width + 1).join('')}`;
}

/** Prose wrapped at spaces to lines of at most `width` columns; a word longer than a line is cut into pieces. */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const room = Math.max(1, width - displayWidth(indent));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/).filter((w) => w !== '')) {
    let w = word;
    while (displayWidth(w) > room) {
      if (line) lines.push(line);
      line = '';
      const chars = [...w];
      lines.push(chars.slice(0, room).join(''));
      w = chars.slice(room).join('');
    }
    if (!w) continue;
    if (!line) line = w;
    else if (displayWidth(line) + 1 + displayWidth(w) <= room) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return lines.map((l, k) => (k === 0 ? l : `${indent}${l}`));
}

export interface ColumnSpec {
  /** The widest cell, header included. */
  natural: number;
  /** Text that may be cut short (numbers never are). */
  elastic: boolean;
  /** How narrow it may be cut before columns are left out (default 12). */
  comfortable?: number;
}

export interface ColumnPlan {
  /** Width of each column, undefined for a column left out. */
  widths: (number | undefined)[];
  /** Columns left out, in the order they were. */
  dropped: number[];
}

/** A cut column keeps at least this much while others can still be left out... */
const COMFORTABLE = 12;
/** ...and at least this much in the end. */
const SMALLEST = 4;

/**
 * Widths for columns separated by `gap` spaces in `width` columns: all as they are when they fit;
 * else elastic columns cut short (the rightmost first) down to 12 columns (24 for prose); else the columns of `drop`
 * left out in that order (each time cutting again from the natural widths); else elastic columns cut
 * down to 4. A table that still does not fit is left wider than the terminal.
 */
export function planColumns(columns: ColumnSpec[], width: number, gap: number, drop: readonly number[] = []): ColumnPlan {
  const dropped: number[] = [];
  const kept = () => columns.map((_, i) => !dropped.includes(i));
  const squeeze = (hard: boolean): (number | undefined)[] => {
    const on = kept();
    const widths = columns.map((c, i) => (on[i] ? c.natural : undefined));
    const budget = width - gap * (on.filter(Boolean).length - 1);
    let over = widths.reduce<number>((a, w) => a + (w ?? 0), 0) - budget;
    // The rightmost elastic column gives way first: names stand on the left, prose and sparklines on the right.
    for (let i = columns.length - 1; i >= 0 && over > 0; i--) {
      const c = columns[i] as ColumnSpec;
      const w = widths[i];
      if (w === undefined || !c.elastic) continue;
      const cut = Math.min(over, w - Math.min(c.natural, hard ? SMALLEST : (c.comfortable ?? COMFORTABLE)));
      if (cut <= 0) continue;
      widths[i] = w - cut;
      over -= cut;
    }
    return widths;
  };
  const fits = (widths: (number | undefined)[]) => widths.reduce<number>((a, w) => a + (w ?? 0), 0) + gap * (widths.filter((w) => w !== undefined).length - 1) <= width;
  let widths = squeeze(false);
  for (const d of drop) {
    if (fits(widths)) break;
    dropped.push(d);
    widths = squeeze(false);
  }
  if (!fits(widths)) widths = squeeze(true);
  return { widths, dropped };
}
