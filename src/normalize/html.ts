import { streamHtml } from './html-stream.js';

const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'svg', 'iframe', 'button', 'form', 'nav', 'title']);
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'section', 'article', 'header', 'footer', 'blockquote', 'ul', 'ol', 'dl', 'table', 'pre', 'main', 'aside', 'figure']);
const NEEDS_COLLAPSE = /[\t\n\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}/;
const WHITESPACE = /[\s\u00a0]+/g;
const LINE = new Set(['div', 'li', 'tr', 'dt', 'dd', 'br', 'hr', 'address', 'caption', 'summary', 'details', 'figcaption']);

/**
 * HTML to plain text that keeps block structure: paragraphs and headings on lines of their own
 * with blank lines between, list items as "- " lines, <br> as a line break, inline whitespace
 * collapsed, entities decoded, scripts and styles dropped. One streaming pass, linear in the
 * input however it nests, no DOM built (this runs for every posting).
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  // 0: mid-line, 1: at a line start, 2: after a blank line. Starts as if after a blank line.
  let breaks = 2;
  let pendingSpace = false;
  let skipDepth = 0;
  let preDepth = 0;
  const newline = (n: 1 | 2) => {
    if (breaks >= n) return;
    out.push(n === 2 && breaks === 0 ? '\n\n' : '\n');
    breaks = n;
    pendingSpace = false;
  };
  const write = (s: string) => {
    if (s === '') return;
    if (pendingSpace && breaks === 0) out.push(' ');
    out.push(s);
    breaks = 0;
    pendingSpace = false;
  };
  streamHtml(html, {
    onopentag(name) {
      if (skipDepth > 0 || SKIP.has(name)) {
        skipDepth++;
        return;
      }
      if (name === 'pre') preDepth++;
      if (name === 'br') newline(1);
      else if (PARAGRAPH.has(name)) newline(2);
      else if (LINE.has(name)) newline(1);
      if (name === 'li') write('- ');
      if (name === 'td' || name === 'th') pendingSpace = true;
    },
    ontext(data) {
      if (skipDepth > 0) return;
      if (preDepth > 0) {
        data.split('\n').forEach((line, k) => {
          if (k > 0) {
            out.push('\n');
            breaks = 1;
          }
          // trimEnd, not /\s+$/: that pattern is quadratic in a long run of inner spaces.
          write(line.trimEnd());
        });
        return;
      }
      // Most text runs hold single spaces only: the collapsing pass is for the others.
      const collapsed = NEEDS_COLLAPSE.test(data) ? data.replace(WHITESPACE, ' ') : data;
      const leading = collapsed.charCodeAt(0) === 32;
      const trailing = collapsed.charCodeAt(collapsed.length - 1) === 32;
      if (leading) pendingSpace = true;
      const core = leading || trailing ? collapsed.trim() : collapsed;
      write(core);
      if (trailing && core !== '') pendingSpace = true;
    },
    onclosetag(name, implied) {
      if (skipDepth > 0) {
        skipDepth--;
        return;
      }
      if (name === 'pre' && preDepth > 0) preDepth--;
      if (name === 'br') return;
      // An unclosed <p> closed by the next one leaves the paragraph break to that one.
      if (PARAGRAPH.has(name)) newline(implied && name === 'p' ? 1 : 2);
      else if (LINE.has(name)) newline(1);
    },
  });
  const text = out.join('');
  return (text.includes('- \n') ? text.replace(/^- \n/gm, '') : text).trim();
}

/** All the text of an HTML fragment, as a DOM's textContent reads it (script text included), in one linear pass. */
export function htmlTextContent(html: string): string {
  const parts: string[] = [];
  streamHtml(html, { onopentag: () => {}, onclosetag: () => {}, ontext: (text) => parts.push(text) });
  return parts.join('');
}

const BLOCK_TAG = /<\/?(?:p|div|br|ul|ol|li|h[1-6]|strong|b|em|span|a|table)\b/i;

/**
 * True when a "plain" field actually holds HTML (many feeds put markup in `description`): a tag
 * name with a ">" after it. Looked up with indexOf: the pattern /<p\b[^>]*>/ was quadratic in a
 * text of many "<p" and no ">".
 */
export function looksLikeHtml(s: string): boolean {
  const tag = BLOCK_TAG.exec(s);
  return tag !== null && s.indexOf('>', tag.index + tag[0].length) !== -1;
}
