import { IntColumn } from '../columns.js';
import type { LinePrefix, TextSource } from '../file/text.js';
import { SiteRegistry } from './sites.js';
import { own } from './strings.js';

/**
 * The span index of one document: where each element and attribute the product tracks starts
 * and ends in the text, kept in paged columns of 32-bit integers rather than one object per element.
 * Fifty thousand sites cost a few bytes per span and no garbage-collected objects beyond the
 * site names and the attribute values (one string per distinct value). The text itself is not
 * held: `source` reads what the planner asks for.
 *
 * Elements are numbered in document order (`NodeId`) and attributes in order of appearance
 * (`AttrId`); -1 means "none". The sites, in file order, are listed in `sites` (sites.ts).
 */

export type NodeId = number;
export type AttrId = number;

/** The fields of an element known when its start tag ends. */
export interface OpenNode {
  readonly name: string;
  readonly start: number;
  readonly startTagEnd: number;
  readonly selfClosing: boolean;
  /** Offset just after the last attribute's closing quote, or after the name when there are none. */
  readonly attrsEnd: number;
  readonly parentStart: number;
}

const NODE_FIELDS = ['start', 'startTagEnd', 'endTagStart', 'end', 'parentStart', 'firstChildStart', 'attrsEnd', 'firstAttr', 'attrCount', 'meta'] as const;
const ATTR_FIELDS = ['start', 'valueStart', 'valueEnd', 'name'] as const;
const SELF_CLOSING = 1 << 16;
/** In an attribute's name column: the value is quoted with `'`. */
const SINGLE_QUOTED = 1 << 16;
type NodeColumns = Record<(typeof NODE_FIELDS)[number], IntColumn>;
type AttrColumns = Record<(typeof ATTR_FIELDS)[number], IntColumn>;

export class SpanIndex {
  /** The document text without a byte-order mark, read on demand. */
  source!: TextSource;
  /** The line break the document uses (that of its first line): CRLF or LF. */
  newline: '\r\n' | '\n' = '\n';
  /** `configSource` of `<sites>`, when the section lives in another file. */
  configSource: string | null = null;
  /** The `<sites>` element and `<siteDefaults>`, or -1. */
  sitesNode: NodeId = -1;
  siteDefaults: NodeId = -1;

  /** Every site in the file, with the `<site>` element of those whose nodes were built. */
  readonly sites = new SiteRegistry();

  nodeCount = 0;
  attrCount = 0;

  readonly #nodes: NodeColumns;
  readonly #attrs: AttrColumns;
  /** Element and attribute names, one string each; columns hold their numbers. */
  readonly #names: string[] = [];
  readonly #nameIds = new Map<string, number>();
  /** Attribute values as the parser decoded them, by AttrId; equal values are one string. */
  readonly #values: string[] = [];
  readonly #distinct = new Map<string, string>();


  constructor() {
    this.#nodes = Object.fromEntries(NODE_FIELDS.map((f) => [f, new IntColumn()])) as NodeColumns;
    this.#attrs = Object.fromEntries(ATTR_FIELDS.map((f) => [f, new IntColumn()])) as AttrColumns;
  }

  #nameId(name: string): number {
    let id = this.#nameIds.get(name);
    if (id === undefined) {
      id = this.#names.length;
      name = own(name);
      this.#names.push(name);
      this.#nameIds.set(name, id);
    }
    return id;
  }

  // ---- building (used by the scan) ----

  /**
   * Appends an element whose start tag has just ended, with the number of attributes that
   * `addAttr` records for it next (0 when none are). Its end is set by `closeNode`.
   */
  openNode(n: OpenNode, attrCount: number): NodeId {
    const id = this.nodeCount++;
    const c = this.#nodes;
    c.start.set(id, n.start);
    c.startTagEnd.set(id, n.startTagEnd);
    c.endTagStart.set(id, n.startTagEnd);
    c.end.set(id, n.startTagEnd);
    c.parentStart.set(id, n.parentStart);
    c.firstChildStart.set(id, -1);
    c.attrsEnd.set(id, n.attrsEnd);
    c.firstAttr.set(id, this.attrCount);
    c.attrCount.set(id, attrCount);
    c.meta.set(id, this.#nameId(n.name) | (n.selfClosing ? SELF_CLOSING : 0));
    return id;
  }

  /** Records an attribute of the element opened last (counted by `openNode`). `value` is the parser's (decoded) value of it. */
  addAttr(name: string, start: number, valueStart: number, valueEnd: number, value: string, singleQuoted: boolean): void {
    const id = this.attrCount++;
    const c = this.#attrs;
    c.start.set(id, start);
    c.valueStart.set(id, valueStart);
    c.valueEnd.set(id, valueEnd);
    c.name.set(id, this.#nameId(name) | (singleQuoted ? SINGLE_QUOTED : 0));
    let kept = this.#distinct.get(value);
    if (kept === undefined) this.#distinct.set((kept = own(value)), kept);
    this.#values.push(kept);
  }

  setAttrsEnd(n: NodeId, offset: number): void {
    this.#nodes.attrsEnd.set(n, offset);
  }

  setFirstChildStart(n: NodeId, offset: number): void {
    this.#nodes.firstChildStart.set(n, offset);
  }

  closeNode(n: NodeId, endTagStart: number, end: number): void {
    this.#nodes.endTagStart.set(n, endTagStart);
    this.#nodes.end.set(n, end);
  }

  // ---- elements ----

  name(n: NodeId): string {
    return this.#names[this.#nodes.meta.get(n) & 0xffff]!;
  }
  /** Offset of `<`. */
  start(n: NodeId): number {
    return this.#nodes.start.get(n);
  }
  /** Offset just after the element name in the start tag. */
  nameEnd(n: NodeId): number {
    return this.start(n) + 1 + this.name(n).length;
  }
  /** Offset just after the start tag's `>`. */
  startTagEnd(n: NodeId): number {
    return this.#nodes.startTagEnd.get(n);
  }
  /** Offset of `</` (equal to `startTagEnd` when self-closing). */
  endTagStart(n: NodeId): number {
    return this.#nodes.endTagStart.get(n);
  }
  /** Offset just after the element. */
  end(n: NodeId): number {
    return this.#nodes.end.get(n);
  }
  selfClosing(n: NodeId): boolean {
    return (this.#nodes.meta.get(n) & SELF_CLOSING) !== 0;
  }
  /** Offset of the parent's `<`, or -1 for the root. */
  parentStart(n: NodeId): number {
    return this.#nodes.parentStart.get(n);
  }
  /** Offset of the first child element's `<` (any name, tracked or not), or -1. */
  firstChildStart(n: NodeId): number {
    return this.#nodes.firstChildStart.get(n);
  }
  /** Offset just after the last attribute's closing quote, or after the name when there are none. */
  attrsEnd(n: NodeId): number {
    return this.#nodes.attrsEnd.get(n);
  }

  /**
   * The first tracked child element of `n` with that name, or -1. Nodes are numbered in
   * document order, so `n`'s descendants follow it; a site holds a handful of them.
   */
  child(n: NodeId, name: string): NodeId {
    const start = this.start(n);
    const end = this.end(n);
    for (let m = n + 1; m < this.nodeCount && this.start(m) < end; m++) {
      if (this.parentStart(m) === start && this.name(m) === name) return m;
    }
    return -1;
  }

  // ---- attributes ----

  /** How many attributes are recorded for `n`: all of them for an element below a site or siteDefaults, none for those. */
  attrCountOf(n: NodeId): number {
    return this.#nodes.attrCount.get(n);
  }
  firstAttr(n: NodeId): AttrId {
    return this.#nodes.firstAttr.get(n);
  }
  attrName(a: AttrId): string {
    return this.#names[this.#attrs.name.get(a) & 0xffff]!;
  }
  /** Offset of the attribute's name. */
  attrStart(a: AttrId): number {
    return this.#attrs.start.get(a);
  }
  /** Offset just after the opening quote. */
  valueStart(a: AttrId): number {
    return this.#attrs.valueStart.get(a);
  }
  /** Offset of the closing quote. */
  valueEnd(a: AttrId): number {
    return this.#attrs.valueEnd.get(a);
  }
  quote(a: AttrId): '"' | "'" {
    return this.#attrs.name.get(a) & SINGLE_QUOTED ? "'" : '"';
  }
  /** The value with entities decoded and white space normalized, as the XML parser reported it. */
  value(a: AttrId): string {
    return this.#values[a]!;
  }
  /** The attribute of `n` with that name, or -1. */
  attr(n: NodeId, name: string): AttrId {
    const first = this.firstAttr(n);
    const last = first + this.attrCountOf(n);
    for (let a = first; a < last; a++) if (this.attrName(a) === name) return a;
    return -1;
  }
  /** Every attribute of `n` as name -> value. */
  attrValues(n: NodeId): Record<string, string> {
    const out: Record<string, string> = {};
    const first = this.firstAttr(n);
    const last = first + this.attrCountOf(n);
    for (let a = first; a < last; a++) out[this.attrName(a)] = this.value(a);
    return out;
  }
}

const isBlankOnLine = (c: number): boolean => c === 0x20 || c === 0x09;

/** Characters of a line read at a time while looking for the end of its indentation. */
const LINE_PEEK = 256;

export type { LinePrefix } from '../file/text.js';

/**
 * What stands on the line before `offset` (the `<` of an element): the line's indentation
 * (its leading blanks, also when something else stands before `offset` on the line), and whether
 * only blanks do. Reads the line in one slice (a file source reads it from one block) rather than
 * character by character: a bulk change asks this several times of every site.
 */
export function linePrefix(text: TextSource, offset: number): LinePrefix {
  const own = text.linePrefix?.(offset);
  if (own) return own;
  const lineStart = offset <= 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
  let indent = '';
  for (let at = lineStart; at < offset; at += LINE_PEEK) {
    const part = text.slice(at, Math.min(offset, at + LINE_PEEK));
    let i = 0;
    while (i < part.length && isBlankOnLine(part.charCodeAt(i))) i++;
    indent += part.slice(0, i);
    if (i < part.length) return { lineStart, indent, startsLine: false };
  }
  return { lineStart, indent, startsLine: true };
}
