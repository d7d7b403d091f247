import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/** What a streaming HTML pass hears: tags opened and closed (implied ones too) and text, in order. */
export interface HtmlHandler {
  onopentag(name: string): void;
  onclosetag(name: string, implied: boolean): void;
  ontext(text: string): void;
  /** An attribute of the tag being opened, before its onopentag; names in lower case. */
  onattribute?(name: string, value: string): void;
}

// htmlparser2's Parser rules for HTML (its tables, copied): a start tag closes the open elements
// it implies ("<li>" closes an open "li"), and void elements are never open.
const P = new Set(['p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const TABLE_SECTION = new Set(['thead', 'tbody']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);
const OPEN_IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section', 'table', 'ul'].map((t) => [t, P] as [string, Set<string>]),
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t) => [t, FORM] as [string, Set<string>]),
  ['dd', DD_DT],
  ['dt', DD_DT],
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', TABLE_SECTION],
  ['tfoot', TABLE_SECTION],
]);
const VOID = new Set(['area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/**
 * Streams HTML to a handler with the events htmlparser2's Parser gives (lower-cased names,
 * entities decoded, self-closing tags recognized), in time linear in the input however deep the
 * nesting: the Parser keeps its open elements with Array#unshift, which made 100,000 nested
 * elements take minutes. Attributes are only read when the handler asks for them. With `xml`,
 * as the Parser's xmlMode reads XML: names as written, no implied or void elements.
 */
export function streamHtml(html: string, handler: HtmlHandler, options: { xml?: boolean } = {}): void {
  const xml = options.xml === true;
  const reader = new OpenElements(html, handler, xml);
  const tokenizer = new Tokenizer({ decodeEntities: true, xmlMode: xml }, reader);
  tokenizer.write(html);
  tokenizer.end();
}

/** How deep the elements of an HTML or XML document nest, found in linear time. */
export function nestingDepth(text: string, options: { xml?: boolean } = {}): number {
  let depth = 0;
  let max = 0;
  streamHtml(
    text,
    {
      onopentag: () => {
        max = Math.max(max, ++depth);
      },
      onclosetag: () => {
        depth--;
      },
      ontext: () => {},
    },
    options,
  );
  return max;
}

/** The open elements, innermost last, with a count per name so a stray end tag costs nothing. */
class OpenElements implements TokenizerCallbacks {
  private readonly stack: string[] = [];
  private readonly counts = new Map<string, number>();
  private tagname = '';
  private attribname = '';
  private attribvalue = '';

  private readonly impliedCloses: Map<string, Set<string>>;
  private readonly voids: Set<string>;

  constructor(
    private readonly html: string,
    private readonly h: HtmlHandler,
    private readonly xml: boolean,
  ) {
    this.impliedCloses = xml ? new Map() : OPEN_IMPLIES_CLOSE;
    this.voids = xml ? new Set() : VOID;
  }

  private push(name: string): void {
    this.stack.push(name);
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
  }

  private pop(): string {
    const name = this.stack.pop() as string;
    this.counts.set(name, (this.counts.get(name) ?? 1) - 1);
    return name;
  }

  private name(start: number, end: number): string {
    const name = this.html.slice(start, end);
    return this.xml ? name : name.toLowerCase();
  }

  private emitOpenTag(name: string): void {
    this.tagname = name;
    const implied = this.impliedCloses.get(name);
    if (implied) {
      while (this.stack.length > 0 && implied.has(this.stack[this.stack.length - 1] as string)) this.h.onclosetag(this.pop(), true);
    }
    if (!this.voids.has(name)) this.push(name);
  }

  private endOpenTag(): void {
    this.h.onopentag(this.tagname);
    if (this.voids.has(this.tagname)) this.h.onclosetag(this.tagname, true);
    this.tagname = '';
  }

  private closeCurrentTag(openImplied: boolean): void {
    const name = this.tagname;
    this.endOpenTag();
    if (this.stack[this.stack.length - 1] === name) {
      this.pop();
      this.h.onclosetag(name, !openImplied);
    }
  }

  onopentagname(start: number, end: number): void {
    this.emitOpenTag(this.name(start, end));
  }

  onopentagend(): void {
    this.endOpenTag();
  }

  onselfclosingtag(): void {
    this.closeCurrentTag(false);
  }

  onclosetag(start: number, end: number): void {
    const name = this.name(start, end);
    if (this.voids.has(name)) {
      if (name === 'br') {
        this.h.onopentag('br');
        this.h.onclosetag('br', false);
      }
      return;
    }
    if ((this.counts.get(name) ?? 0) > 0) {
      // Everything opened inside the element closes with it, implied.
      for (let el = this.pop(); ; el = this.pop()) {
        this.h.onclosetag(el, el !== name);
        if (el === name) return;
      }
    }
    if (name === 'p' && !this.xml) {
      // "</p>" with no open <p> is an empty paragraph.
      this.emitOpenTag('p');
      this.closeCurrentTag(true);
    }
  }

  ontext(start: number, end: number): void {
    this.h.ontext(this.html.slice(start, end));
  }

  ontextentity(codepoint: number): void {
    this.h.ontext(String.fromCodePoint(codepoint));
  }

  onattribname(start: number, end: number): void {
    if (this.h.onattribute) this.attribname = this.name(start, end);
  }

  onattribdata(start: number, end: number): void {
    if (this.h.onattribute) this.attribvalue += this.html.slice(start, end);
  }

  onattribentity(codepoint: number): void {
    if (this.h.onattribute) this.attribvalue += String.fromCodePoint(codepoint);
  }

  onattribend(): void {
    this.h.onattribute?.(this.attribname, this.attribvalue);
    this.attribvalue = '';
  }

  onend(): void {
    while (this.stack.length > 0) this.h.onclosetag(this.pop(), true);
  }

  oncdata(start: number, end: number, offset: number): void {
    // XML reads CDATA as text; HTML as a comment.
    if (this.xml) this.h.ontext(this.html.slice(start, end - offset));
  }

  oncomment(): void {}
  ondeclaration(): void {}
  onprocessinginstruction(): void {}
}
