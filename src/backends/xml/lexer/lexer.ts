/**
 * The first stage of every read of a file: one pass that checks the document is well-formed
 * XML 1.0 (fifth edition) and reports each start and end tag with its exact offsets. It refuses
 * any DTD at its `<!DOCTYPE`, so no entity is ever declared, let alone expanded.
 *
 * It is written for applicationHost.config, a large file of tags and attributes with almost no
 * text: markup is found with `indexOf` and checked as a whole token, never one state per
 * character, and nothing is allocated for an attribute nobody asks for. What a conformant
 * parser checks, this checks too; test/unit/lexer.test.ts holds it to saxes, a conformant
 * streaming parser, on generated and hostile documents, whole and fed in pieces.
 *
 * Offsets are UTF-16 offsets into the document's text (without a BOM the reader removed). A
 * document fed in pieces gives the same events, offsets and first error as the same document
 * fed whole.
 */

/** A start tag, as `openTag` sees it: valid only during that call. */
export interface LexTag {
  readonly name: string;
  /** Offset of its `<`. */
  readonly start: number;
  /** Offset just after its `>`. */
  readonly end: number;
  readonly selfClosing: boolean;
  /** How many attributes it has. */
  readonly count: number;
  attrName(i: number): string;
  /** Offset of the attribute's name. */
  nameStart(i: number): number;
  /** Offset just after the value's opening quote. */
  valueStart(i: number): number;
  /** Offset of the value's closing quote. */
  valueEnd(i: number): number;
  /** True when the value is quoted with `'`. */
  single(i: number): boolean;
  /** The value as XML defines it: each literal tab, line end (CR LF counts as one) and LF a space, then references expanded. */
  value(i: number): string;
  /** The value of the attribute named `name`, or undefined. */
  get(name: string): string | undefined;
}

export interface LexHandlers {
  /** The XML declaration at the start of the document, with its encoding when it names one. */
  xmlDecl?(encoding: string | undefined): void;
  openTag(tag: LexTag): void;
  /** An end tag from its `<` to after its `>`; for a self-closing tag, called right after `openTag` with its end twice. */
  closeTag(start: number, end: number): void;
}

/** The document is not well-formed (or has a DTD, when `dtd`): `offset` is where the problem is. */
export class XmlSyntaxError extends Error {
  readonly offset: number;
  readonly dtd: boolean;
  constructor(message: string, offset: number, dtd = false) {
    super(message);
    this.name = 'XmlSyntaxError';
    this.offset = offset;
    this.dtd = dtd;
  }
}

export interface Lexer {
  /** The next piece of the text. */
  write(text: string): void;
  /** The text has ended: throws when the document is incomplete. */
  close(): void;
}

export function createLexer(handlers: LexHandlers): Lexer {
  return new XmlLexer(handlers);
}

/** Lexes a whole text. */
export function lex(text: string, handlers: LexHandlers): void {
  const lexer = new XmlLexer(handlers);
  lexer.write(text);
  lexer.close();
}

// Character classes of XML 1.0 (fifth edition), productions [2], [4] and [4a].
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NAME_START_AT = new RegExp(`[${NAME_START}]`, 'uy');
const NAME_REST_AT = new RegExp(`[${NAME_CHAR}]*`, 'uy');
const IS_NAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');
/**
 * A code unit production [2] may not allow: the ones it never does, and every surrogate, which
 * it allows only as half of a pair (checked one by one: a configuration file has few or none).
 */
const NOT_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/g;
/** Production [23], with [24] to [26] and [32]. */
const XML_DECL = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"([A-Za-z][A-Za-z0-9._-]*)"|'([A-Za-z][A-Za-z0-9._-]*)'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>$/;
const NEEDS_NORMALIZING = /[\t\n\r&]/;
const NORMALIZE = /\r\n|[\t\n\r]|&([^;]*);/g;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
/** No position yet: a cached search must run again. */
const UNKNOWN = -1;
/** The buffer ends before the token does: wait for the next piece. */
const MORE = -1;

const isBlank = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isAsciiNameChar = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x3a) || c === 0x5f || c === 0x2d || c === 0x2e;
const isChar = (cp: number): boolean => cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);

/** A character reference's code point (`#…` or `#x…`), or -1 when it is not a well-formed one. */
function charRef(body: string): number {
  const hex = body.charCodeAt(1) === 0x78; /* x */
  const digits = body.slice(hex ? 2 : 1);
  if (!(hex ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/).test(digits)) return -1;
  // Leading zeros are allowed; more than seven digits besides them is beyond Unicode either way.
  const significant = digits.replace(/^0+(?=.)/, '');
  return significant.length > 7 ? 0x110000 : Number.parseInt(significant, hex ? 16 : 10);
}

class XmlLexer implements LexTag {
  readonly #handlers: LexHandlers;
  /** The text not yet consumed: a token the last piece cut short, then the newest piece. */
  #buf = '';
  /** Document offset of `#buf[0]`. */
  #base = 0;
  /** Where lexing goes on in `#buf`. */
  #i = 0;
  /** Names of the open elements. */
  readonly #open: string[] = [];
  /** The text starts with a BOM (which is not part of the document). */
  #bom = false;
  #rootSeen = false;
  #rootClosed = false;
  /** Document offset of the first character XML does not allow, once one is seen. */
  #badAt = Infinity;
  /** A high surrogate that ended the last piece, held back to be read with the next. */
  #carry = '';
  // Cached searches in `#buf`: the next `&` and `]]>` at or after where they were last needed,
  // and the next `<` after the start tag just lexed (it looked for it), or UNKNOWN.
  #amp = UNKNOWN;
  #nextLt = UNKNOWN;
  #cdataEnd = UNKNOWN;

  // The tag being reported.
  name = '';
  start = 0;
  end = 0;
  selfClosing = false;
  count = 0;
  readonly #nameStart: number[] = [];
  readonly #nameEnd: number[] = [];
  readonly #valueStart: number[] = [];
  readonly #valueEnd: number[] = [];

  constructor(handlers: LexHandlers) {
    this.#handlers = handlers;
  }

  write(text: string): void {
    // A surrogate pair is never cut: a high surrogate that ends a piece waits for the next one.
    if (this.#carry) {
      text = this.#carry + text;
      this.#carry = '';
    }
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.#carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    if (text.length === 0) return;
    this.#feed(text);
    this.#run(false);
  }

  close(): void {
    if (this.#carry) this.#feed(this.#carry);
    this.#carry = '';
    this.#run(true);
    const at = this.#base + this.#buf.length;
    if (this.#open.length > 0) this.#fail(`the document ends inside <${this.#open[this.#open.length - 1]}>, which is never closed`, at);
    if (!this.#rootSeen) this.#fail('the document has no root element', at);
    if (this.#badAt < Infinity) this.#fail('', at);
  }

  #feed(text: string): void {
    this.#checkChars(text, this.#base + this.#buf.length);
    const i = this.#i;
    // Joined, not added: `a + b` makes a rope, and every search and character read of the
    // lexer would then go through it; a join makes one flat string.
    this.#buf = i < this.#buf.length ? [this.#buf.slice(i), text].join('') : text;
    this.#base += i;
    this.#i = 0;
    this.#amp = this.#cdataEnd = this.#nextLt = UNKNOWN;
  }

  // --- LexTag: the tag being reported -------------------------------------------------------

  attrName(i: number): string {
    return this.#buf.slice(this.#nameStart[i], this.#nameEnd[i]);
  }
  nameStart(i: number): number {
    return this.#base + this.#nameStart[i]!;
  }
  valueStart(i: number): number {
    return this.#base + this.#valueStart[i]!;
  }
  valueEnd(i: number): number {
    return this.#base + this.#valueEnd[i]!;
  }
  single(i: number): boolean {
    return this.#buf.charCodeAt(this.#valueEnd[i]!) === SQUOTE;
  }
  value(i: number): string {
    const raw = this.#buf.slice(this.#valueStart[i], this.#valueEnd[i]);
    if (!NEEDS_NORMALIZING.test(raw)) return raw;
    // Attribute-value normalization (3.3.3): the references were checked when the tag was lexed.
    return raw.replace(NORMALIZE, (_all, ref: string | undefined) => {
      if (ref === undefined) return ' ';
      if (ref.charCodeAt(0) === 0x23) return String.fromCodePoint(charRef(ref));
      return PREDEFINED[ref]!;
    });
  }
  get(name: string): string | undefined {
    const buf = this.#buf;
    for (let i = 0; i < this.count; i++) {
      const s = this.#nameStart[i]!;
      if (this.#nameEnd[i]! - s === name.length && buf.startsWith(name, s)) return this.value(i);
    }
    return undefined;
  }

  // --- The pass -------------------------------------------------------------------------------

  /**
   * Records where the first character XML does not allow is; reported when lexing reaches it,
   * so that an earlier error is reported first, and the same one however the text was cut.
   */
  #checkChars(text: string, offset: number): void {
    if (this.#badAt < Infinity) return;
    NOT_CHAR.lastIndex = 0;
    for (let m = NOT_CHAR.exec(text); m; m = NOT_CHAR.exec(text)) {
      const k = m.index;
      const c = text.charCodeAt(k);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(k + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          NOT_CHAR.lastIndex = k + 2;
          continue;
        }
      }
      this.#badAt = offset + k;
      return;
    }
  }

  /**
   * Throws the error at `at`, or the disallowed character before it: a document's first
   * problem is the one reported.
   */
  #fail(message: string, at: number, dtd = false): never {
    if (this.#badAt <= at) {
      const c = this.#codeAtDoc(this.#badAt);
      throw new XmlSyntaxError(`U+${c.toString(16).toUpperCase().padStart(4, '0')} is not a character XML allows`, this.#badAt);
    }
    throw new XmlSyntaxError(message, at, dtd);
  }

  #codeAtDoc(at: number): number {
    const k = at - this.#base;
    return k >= 0 && k < this.#buf.length ? this.#buf.charCodeAt(k) : 0xfffd;
  }

  #run(final: boolean): void {
    const buf = this.#buf;
    let i = this.#i;
    // A BOM the reader left in place is not part of the document.
    if (this.#base === 0 && i === 0 && buf.charCodeAt(0) === 0xfeff) {
      i = 1;
      this.#bom = true;
    }
    for (;;) {
      const known = this.#nextLt;
      this.#nextLt = UNKNOWN;
      const lt = known >= i ? known : buf.indexOf('<', i);
      if (lt < 0) {
        i = this.#trailingText(i, final);
        break;
      }
      if (lt > i) this.#text(i, lt);
      if (this.#base + lt > this.#badAt) this.#fail('', this.#badAt);
      const next = this.#markup(lt, final);
      if (next === MORE) {
        i = lt;
        if (final) this.#fail(`the document ends inside the markup that starts here`, this.#base + lt);
        break;
      }
      i = next;
      if (this.#base + i > this.#badAt) this.#fail('', this.#badAt);
    }
    if (this.#base + i > this.#badAt) this.#fail('', this.#badAt);
    this.#i = i;
  }

  /** Text with no `<` after it in the buffer: checked up to where a later piece cannot change it. */
  #trailingText(i: number, final: boolean): number {
    const buf = this.#buf;
    const len = buf.length;
    if (final || this.#open.length === 0) {
      if (len > i) this.#text(i, len);
      return len;
    }
    // A reference or `]]>` may run on into the next piece: the text is checked up to either.
    let safe = len - 2;
    // The last `&` of the text itself, looked for back to where the text starts only: a
    // `lastIndexOf` would go on through the whole piece before it when the text has none.
    let amp = -1;
    for (let k = safe - 1; k >= i; k--) {
      if (buf.charCodeAt(k) === 0x26 /* & */) {
        amp = k;
        break;
      }
    }
    if (amp >= i) {
      const semi = buf.indexOf(';', amp);
      if (semi < 0 || semi >= safe) safe = amp;
    }
    if (safe <= i) return i;
    this.#text(i, safe);
    return safe;
  }

  /** Character data between `a` and `b`. */
  #text(a: number, b: number): void {
    const buf = this.#buf;
    if (this.#open.length === 0) {
      for (let k = a; k < b; k++) {
        if (!isBlank(buf.charCodeAt(k))) {
          this.#fail(this.#rootSeen ? 'text after the root element' : 'text before the root element', this.#base + k);
        }
      }
      return;
    }
    let cd = this.#cdataEnd;
    if (cd !== UNKNOWN && cd < a) cd = UNKNOWN;
    if (cd === UNKNOWN) {
      cd = buf.indexOf(']]>', a);
      this.#cdataEnd = cd = cd < 0 ? Infinity : cd;
    }
    // The first problem is the one reported: references before the `]]>` are checked first.
    this.#references(a, Math.min(b, cd));
    if (cd < b) this.#fail('"]]>" in text: write it as "]]&gt;"', this.#base + cd);
  }

  /** Checks each `&` between `a` and `b` starts a reference to a predefined entity or a character. */
  #references(a: number, b: number): void {
    const buf = this.#buf;
    let amp = this.#amp;
    if (amp !== UNKNOWN && amp < a) amp = UNKNOWN;
    for (;;) {
      if (amp === UNKNOWN) {
        amp = buf.indexOf('&', a);
        if (amp < 0) amp = Infinity;
      }
      if (amp >= b) break;
      // A reference holds no `&`: a `;` after the next `&` ends no reference of this one.
      const semi = buf.indexOf(';', amp + 1);
      const nextAmp = buf.indexOf('&', amp + 1);
      if (semi < 0 || semi >= b || (nextAmp >= 0 && nextAmp < semi)) this.#fail('"&" starts no reference: write it as "&amp;"', this.#base + amp);
      const body = buf.slice(amp + 1, semi);
      if (body.charCodeAt(0) === 0x23 /* # */) {
        const cp = charRef(body);
        if (cp < 0) this.#fail(`"&${body};" is not a character reference`, this.#base + amp);
        if (!isChar(cp)) this.#fail(`"&${body};" refers to a character XML does not allow`, this.#base + amp);
      } else if (!Object.hasOwn(PREDEFINED, body)) {
        this.#fail(
          IS_NAME.test(body) ? `"&${body};" is an undefined entity: only &lt; &gt; &amp; &apos; &quot; and character references are defined without a DTD` : '"&" starts no reference: write it as "&amp;"',
          this.#base + amp,
        );
      }
      // The next `&` is already known.
      a = semi + 1;
      amp = nextAmp < 0 ? Infinity : nextAmp;
    }
    this.#amp = amp;
  }

  /** 1 when `lit` is at `p`, 0 when it is not, MORE when the buffer ends before that is known. */
  #has(lit: string, p: number, final: boolean): number {
    const buf = this.#buf;
    const n = Math.min(lit.length, buf.length - p);
    for (let k = 0; k < n; k++) if (buf.charCodeAt(p + k) !== lit.charCodeAt(k)) return 0;
    return n === lit.length ? 1 : final ? 0 : MORE;
  }

  /** Where the name at `p` ends; `p` when there is none; MORE when the buffer ends inside it. */
  #nameEndAt(p: number, final: boolean): number {
    const buf = this.#buf;
    const len = buf.length;
    if (p >= len) return final ? p : MORE;
    const c = buf.charCodeAt(p);
    let q = p;
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a) q = p + 1;
    else if (c >= 0x80) {
      NAME_START_AT.lastIndex = p;
      if (!NAME_START_AT.test(buf)) {
        // A high surrogate at the buffer's end may start an astral name character.
        return !final && p === len - 1 && c >= 0xd800 && c <= 0xdbff ? MORE : p;
      }
      q = NAME_START_AT.lastIndex;
    } else return p;
    for (;;) {
      while (q < len && isAsciiNameChar(buf.charCodeAt(q))) q++;
      if (q >= len) return final ? q : MORE;
      if (buf.charCodeAt(q) < 0x80) return q;
      NAME_REST_AT.lastIndex = q;
      NAME_REST_AT.test(buf);
      const r = NAME_REST_AT.lastIndex;
      if (r >= len) return final ? r : MORE;
      if (r === q) {
        const h = buf.charCodeAt(q);
        return !final && q === len - 1 && h >= 0xd800 && h <= 0xdbff ? MORE : q;
      }
      q = r;
    }
  }

  /** The markup at `lt`: where it ends, or MORE. */
  #markup(lt: number, final: boolean): number {
    const buf = this.#buf;
    if (lt + 1 >= buf.length) return final ? this.#fail('the document ends inside a tag', this.#base + lt) : MORE;
    const c = buf.charCodeAt(lt + 1);
    if (c === SLASH) return this.#endTag(lt, final);
    if (c === BANG) return this.#bang(lt, final);
    if (c === QUESTION) return this.#instruction(lt, final);
    return this.#startTag(lt, final);
  }

  #endTag(lt: number, final: boolean): number {
    const buf = this.#buf;
    const p = lt + 2;
    const ne = this.#nameEndAt(p, final);
    if (ne === MORE) return MORE;
    if (ne === p) this.#fail('an end tag needs the name of the element it closes', this.#base + p);
    let q = ne;
    while (q < buf.length && isBlank(buf.charCodeAt(q))) q++;
    if (q >= buf.length) return final ? this.#fail('the document ends inside an end tag', this.#base + lt) : MORE;
    if (buf.charCodeAt(q) !== GT) this.#fail(`expected ">" to end </${buf.slice(p, ne)}>`, this.#base + q);
    const open = this.#open;
    const top = open[open.length - 1];
    if (top === undefined) this.#fail(`</${buf.slice(p, ne)}> closes no open element`, this.#base + lt);
    if (top.length !== ne - p || !buf.startsWith(top, p)) this.#fail(`</${buf.slice(p, ne)}> does not close the open element <${top}>`, this.#base + lt);
    open.pop();
    if (open.length === 0) this.#rootClosed = true;
    this.#handlers.closeTag(this.#base + lt, this.#base + q + 1);
    return q + 1;
  }

  /** `<!--`, `<![CDATA[` or `<!DOCTYPE`. */
  #bang(lt: number, final: boolean): number {
    const buf = this.#buf;
    let has = this.#has('<!--', lt, final);
    if (has === 1) {
      const close = buf.indexOf('-->', lt + 4);
      if (close < 0) return final ? this.#fail('a comment is never closed with "-->"', this.#base + lt) : MORE;
      const dashes = buf.indexOf('--', lt + 4);
      if (dashes < close) this.#fail('"--" inside a comment', this.#base + dashes);
      return close + 3;
    }
    if (has === MORE) return MORE;
    has = this.#has('<![CDATA[', lt, final);
    if (has === 1) {
      if (this.#open.length === 0) this.#fail('a CDATA section outside the root element', this.#base + lt);
      const close = buf.indexOf(']]>', lt + 9);
      if (close < 0) return final ? this.#fail('a CDATA section is never closed with "]]>"', this.#base + lt) : MORE;
      return close + 3;
    }
    if (has === MORE) return MORE;
    has = this.#has('<!DOCTYPE', lt, final);
    if (has === 1) return this.#fail('a DTD (<!DOCTYPE ...>)', this.#base + lt, true);
    if (has === MORE) return MORE;
    return this.#fail('"<!" starts no comment or CDATA section', this.#base + lt);
  }

  /** A processing instruction, or the XML declaration at the start. */
  #instruction(lt: number, final: boolean): number {
    const buf = this.#buf;
    const p = lt + 2;
    const ne = this.#nameEndAt(p, final);
    if (ne === MORE) return MORE;
    if (ne === p) this.#fail('a processing instruction needs a target name after "<?"', this.#base + p);
    const close = buf.indexOf('?>', ne);
    if (close < 0) return final ? this.#fail('a processing instruction is never closed with "?>"', this.#base + lt) : MORE;
    if (close > ne && !isBlank(buf.charCodeAt(ne))) this.#fail('a processing instruction needs white space after its target', this.#base + ne);
    const target = buf.slice(p, ne);
    if (target.toLowerCase() === 'xml') {
      const atStart = this.#base + lt === (this.#bom ? 1 : 0);
      if (target !== 'xml' || !atStart) this.#fail('an XML declaration is only allowed at the very start of the document', this.#base + lt);
      const decl = XML_DECL.exec(buf.slice(lt, close + 2));
      if (!decl) this.#fail('the XML declaration is malformed: it is <?xml version="1.0" encoding="UTF-8"?>', this.#base + lt);
      this.#handlers.xmlDecl?.(decl[1] ?? decl[2]);
    }
    return close + 2;
  }

  /**
   * The buffer ends inside the start tag at `lt` (its name ends at `ne`): wait for the next
   * piece, or fail at the end of the text. A method, not a closure: a closure would be made for
   * every tag of the document.
   */
  #cutShort(final: boolean, lt: number, ne: number): number {
    return final ? this.#fail(`the document ends inside <${this.#buf.slice(lt + 1, ne)}>`, this.#base + lt) : MORE;
  }

  #startTag(lt: number, final: boolean): number {
    const buf = this.#buf;
    const len = buf.length;
    const p = lt + 1;
    const ne = this.#nameEndAt(p, final);
    if (ne === MORE) return MORE;
    if (ne === p) this.#fail('"<" starts no tag: write it as "&lt;"', this.#base + lt);
    if (this.#rootClosed) this.#fail('a second root element: a document has one', this.#base + lt);
    const nameStart = this.#nameStart;
    const nameEnd = this.#nameEnd;
    const valueStart = this.#valueStart;
    const valueEnd = this.#valueEnd;
    // The next `<`: an attribute value must end before it.
    let nextLt = buf.indexOf('<', p);
    if (nextLt < 0) nextLt = Infinity;
    let count = 0;
    let seen: Set<string> | undefined;
    let q = ne;
    let selfClosing = false;
    for (;;) {
      const blank = q;
      while (q < len && isBlank(buf.charCodeAt(q))) q++;
      if (q >= len) return this.#cutShort(final, lt, ne);
      const c = buf.charCodeAt(q);
      if (c === GT) break;
      if (c === SLASH) {
        if (q + 1 >= len) return this.#cutShort(final, lt, ne);
        if (buf.charCodeAt(q + 1) !== GT) this.#fail('expected ">" after "/"', this.#base + q + 1);
        selfClosing = true;
        q++;
        break;
      }
      const an = this.#nameEndAt(q, final);
      if (an === MORE) return MORE;
      if (an === q) this.#fail(`expected an attribute name or the end of <${buf.slice(p, ne)}>`, this.#base + q);
      if (blank === q) this.#fail('attributes must be separated by white space', this.#base + q);
      let k = an;
      while (k < len && isBlank(buf.charCodeAt(k))) k++;
      if (k >= len) return this.#cutShort(final, lt, ne);
      if (buf.charCodeAt(k) !== EQUALS) this.#fail(`attribute ${buf.slice(q, an)} has no value: write ${buf.slice(q, an)}="..."`, this.#base + k);
      k++;
      while (k < len && isBlank(buf.charCodeAt(k))) k++;
      if (k >= len) return this.#cutShort(final, lt, ne);
      const quote = buf.charCodeAt(k);
      if (quote !== DQUOTE && quote !== SQUOTE) this.#fail(`the value of ${buf.slice(q, an)} must be quoted`, this.#base + k);
      const vs = k + 1;
      const ve = buf.indexOf(quote === DQUOTE ? '"' : "'", vs);
      if (ve < 0) return final ? this.#fail(`the value of ${buf.slice(q, an)} is never closed`, this.#base + k) : MORE;
      if (nextLt < ve) this.#fail('"<" in an attribute value: write it as "&lt;"', this.#base + nextLt);
      this.#references(vs, ve);
      // Each name once per tag: compared in place for the few a tag usually has, in a set past that.
      if (count < 16) {
        const nameLength = an - q;
        for (let j = 0; j < count; j++) {
          const s = nameStart[j]!;
          if (nameEnd[j]! - s === nameLength && buf.startsWith(buf.slice(q, an), s)) this.#fail(`attribute ${buf.slice(q, an)} is given twice`, this.#base + q);
        }
      } else {
        if (count === 16) {
          seen = new Set();
          for (let j = 0; j < count; j++) seen.add(buf.slice(nameStart[j], nameEnd[j]));
        }
        const name = buf.slice(q, an);
        if (seen!.has(name)) this.#fail(`attribute ${name} is given twice`, this.#base + q);
        seen!.add(name);
      }
      nameStart[count] = q;
      nameEnd[count] = an;
      valueStart[count] = vs;
      valueEnd[count] = ve;
      count++;
      q = ve + 1;
    }
    this.#rootSeen = true;
    const name = buf.slice(p, ne);
    this.name = name;
    this.start = this.#base + lt;
    this.end = this.#base + q + 1;
    this.selfClosing = selfClosing;
    this.count = count;
    if (this.#base + q >= this.#badAt) this.#fail('', this.#badAt);
    // Kept only for a tag lexed whole: one cut short is lexed again from its `<`.
    this.#nextLt = nextLt === Infinity ? UNKNOWN : nextLt;
    this.#handlers.openTag(this);
    if (selfClosing) {
      if (this.#open.length === 0) this.#rootClosed = true;
      this.#handlers.closeTag(this.end, this.end);
    } else this.#open.push(name);
    return q + 1;
  }
}
