import type { Change } from '../../../contract/index.js';
import { IisFtpsError } from '../../../errors/errors.js';
import { type NodeId, type SpanIndex, linePrefix } from '../scan/spans.js';
import { escapeAttribute } from './escape.js';
import type { Edit } from '../../../edits/edits.js';

/** A new element to create, with its attributes in the order the change set names them. */
interface NewElement {
  readonly name: string;
  readonly attrs: AttributeOps;
  readonly children: NewElement[];
}

/**
 * The wanted end state of one element's attributes: name -> text, or null to remove, in the
 * order first named. A list, not a map: an element has a handful of attributes, and a bulk
 * change has tens of thousands of elements.
 */
type AttributeOps = [string, string | null][];

function setOp(ops: AttributeOps, name: string, value: string | null): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op[0] !== name) continue;
    if (op[1] === null && value !== null) {
      // A removal, then a value: as ServerManager's Delete() then SetAttributeValue(), the
      // attribute is added after those named since (an attribute the file holds is still
      // edited in place; the order only tells where new attributes go).
      ops.splice(i, 1);
      break;
    }
    op[1] = value;
    return;
  }
  ops.push([name, value]);
}

function opOf(ops: AttributeOps, name: string): string | null | undefined {
  for (const op of ops) if (op[0] === name) return op[1];
  return undefined;
}

interface Group {
  readonly path: readonly string[];
  readonly pathKey: string;
  readonly ops: AttributeOps;
}

/**
 * Turns a change set into text edits, following docs/file-edits.md: values replaced in place,
 * attributes appended or removed with their leading blank, emptied elements pruned, missing
 * elements created and indented like their neighbours. Returns no edits when nothing changes.
 *
 * Every edit falls inside one site (or siteDefaults), and no edit depends on another site's, so
 * the changes are planned site by site: only the edits outlive a site's planning, which keeps a
 * change over fifty thousand sites small in memory.
 */
export function planEdits(index: SpanIndex, changes: readonly Change[]): Edit[] {
  const owners = ownersOf(index, changes);
  // Each owner's changes in the order given, owners in the order first named.
  const order = new Uint32Array(changes.length);
  let contiguous = true;
  const seen = new Set<NodeId>();
  for (let i = 0; i < changes.length; i++) {
    order[i] = i;
    if (i > 0 && owners[i] !== owners[i - 1]) {
      if (seen.has(owners[i]!)) contiguous = false;
      seen.add(owners[i - 1]!);
    }
  }
  seen.clear();
  if (!contiguous) {
    const rank = new Map<NodeId, number>();
    for (const o of owners) if (!rank.has(o)) rank.set(o, rank.size);
    order.sort((a, b) => rank.get(owners[a]!)! - rank.get(owners[b]!)! || a - b);
  }

  const plan = new OwnerPlan(index);
  const edits: Edit[] = [];
  for (let i = 0; i < order.length; ) {
    const owner = owners[order[i]!]!;
    const groups: Group[] = [];
    for (; i < order.length && owners[order[i]!] === owner; i++) {
      const change = changes[order[i]!]!;
      const pathKey = plan.pathKey(change.path);
      let group = groups.find((g) => g.pathKey === pathKey);
      if (!group) groups.push((group = { path: change.path, pathKey, ops: [] }));
      // Re-setting moves nothing: an attribute keeps the position of its first mention.
      setOp(group.ops, change.attribute, change.value);
    }
    plan.owner(owner, groups, edits);
  }
  return edits;
}

/** The element each change is about: a site's, siteDefaults' (-1 when the file has none yet). */
function ownersOf(index: SpanIndex, changes: readonly Change[]): Int32Array {
  const owners = new Int32Array(changes.length);
  // Changes to one site come together: its lookup is reused while the site stays the same.
  let lastRef: Change['site'] = null;
  let lastSite = -1;
  changes.forEach((change, i) => {
    if (change.level === 'siteDefaults') {
      owners[i] = index.siteDefaults;
      return;
    }
    const ref = change.site;
    if (!(ref && lastRef && ref.name === lastRef.name && ref.id === lastRef.id)) {
      lastSite = ref ? index.sites.findNode(ref) : -1;
      lastRef = ref;
    }
    if (lastSite < 0) throw new IisFtpsError('SITE_NOT_FOUND', `No site named ${JSON.stringify(change.site?.name)} in the file`, { site: change.site?.name ?? '' });
    owners[i] = lastSite;
  });
  return owners;
}

/** Plans the edits of one owner (a site or siteDefaults) at a time, with what all of them share. */
class OwnerPlan {
  readonly #index: SpanIndex;
  readonly #nl: string;
  readonly #pathKeys = new Map<readonly string[], string>();
  /** The same value escaped for the same quote is the same text: escaped once per plan. */
  readonly #escaped = new Map<string, string>();
  /**
   * One string for equal inserted texts: thousands of sites that lack the same attributes, or
   * the same elements at the same indentation, get the same text, kept once until it is written.
   */
  readonly #added = new TextMemo();
  readonly #inserted = new TextMemo();

  constructor(index: SpanIndex) {
    this.#index = index;
    this.#nl = index.newline;
  }

  /** Paths are compared by their joined names; the same array, as change sets usually share them, is joined once. */
  pathKey(path: readonly string[]): string {
    let key = this.#pathKeys.get(path);
    if (key === undefined) this.#pathKeys.set(path, (key = path.join('/')));
    return key;
  }

  readonly #escapeDouble = (value: string): string => this.#escape(value, '"');

  #escape(value: string, quote: '"' | "'"): string {
    const key = quote + value;
    let e = this.#escaped.get(key);
    if (e === undefined) this.#escaped.set(key, (e = escapeAttribute(value, quote)));
    return e;
  }

  /** Appends the edits of one owner's groups to `out`. */
  owner(owner: NodeId, groups: readonly Group[], out: Edit[]): void {
    const index = this.#index;
    // Edits go straight to `out` (those inside a pruned element are taken back out); the maps are
    // made when first needed (a bulk change plans tens of thousands of owners, most with one or two edits).
    const start = out.length;
    let anchors: Map<NodeId, NewElement[]> | null = null;
    /** Attribute counts after the change, for nodes whose count changes. */
    let finalAttrCount: Map<NodeId, number> | null = null;
    let prune: NodeId[][] | null = null;
    const anchor = (node: NodeId): NewElement[] => {
      anchors ??= new Map();
      return anchors.get(node) ?? anchors.set(node, []).get(node)!;
    };

    for (const group of groups) {
      const { ops } = group;
      if (owner < 0) {
        // No <siteDefaults> yet: create it under <sites>.
        if (!hasSets(ops)) continue;
        if (index.sitesNode < 0) throw new IisFtpsError('SECTION_NOT_FOUND', 'The file has no <sites> section under <system.applicationHost>');
        addNew(anchor(index.sitesNode), ['siteDefaults', ...group.path], ops);
        continue;
      }
      const chain: NodeId[] = [owner];
      for (const name of group.path) {
        const next = index.child(chain[chain.length - 1]!, name);
        if (next < 0) break;
        chain.push(next);
      }
      if (chain.length <= group.path.length) {
        if (hasSets(ops)) addNew(anchor(chain[chain.length - 1]!), group.path.slice(chain.length - 1), ops);
        continue;
      }
      const node = chain[chain.length - 1]!;
      const first = index.firstAttr(node);
      const total = index.attrCountOf(node);
      let count = total;
      let removedAny = false;
      for (let a = first; a < first + total; a++) {
        const value = opOf(ops, index.attrName(a));
        if (value === undefined) continue;
        if (value === null) {
          out.push({ start: a > first ? index.valueEnd(a - 1) + 1 : index.nameEnd(node), end: index.valueEnd(a) + 1, text: '' });
          count--;
          removedAny = true;
        } else if (value !== index.value(a)) {
          out.push({ start: index.valueStart(a), end: index.valueEnd(a), text: this.#escape(value, index.quote(a)) });
        }
      }
      // The attributes the element lacks, appended in the order named: the text is found by them.
      const memo = this.#added.start();
      const before = count;
      for (const [k, v] of ops) {
        if (!lacks(index, node, k, v)) continue;
        memo.part(k).part(this.#escape(v, '"'));
        count++;
      }
      if (count > before) {
        const at = total > 0 ? index.valueEnd(first + total - 1) + 1 : index.nameEnd(node);
        const added = memo.text(() => {
          let text = '';
          for (const [k, v] of ops) if (lacks(index, node, k, v)) text += ` ${k}="${this.#escape(v, '"')}"`;
          return text;
        });
        out.push({ start: at, end: at, text: added });
      }
      if (count !== total) (finalAttrCount ??= new Map()).set(node, count);
      // Only a removal empties an element; one that was empty before is left as the user wrote it.
      if (count === 0 && removedAny) (prune ??= []).push(chain);
    }

    const removals = prune ? this.#prune(prune, anchors, finalAttrCount, out, start) : [];
    if (anchors) {
      for (const [node, children] of anchors as Map<NodeId, NewElement[]>) {
        out.push(insertChildren(index, this.#nl, node, children, this.#escapeDouble, this.#inserted));
      }
    }
    // Removals come after the owner's insertions.
    for (const r of removals) out.push(r);
  }

  /**
   * Prunes elements left with nothing, bottom-up, never the site or siteDefaults itself, and
   * returns their removals. The owner's edits (out[start...]) inside a removed element go with
   * it; nested removals fold into the outermost.
   */
  #prune(prune: readonly NodeId[][], anchors: ReadonlyMap<NodeId, NewElement[]> | null, finalAttrCount: ReadonlyMap<NodeId, number> | null, out: Edit[], start: number): Edit[] {
    const index = this.#index;
    const removed = new Set<NodeId>();
    const removedChildren = new Map<NodeId, NodeId[]>();
    for (const chain of prune) {
      for (let i = chain.length - 1; i >= 1; i--) {
        const node = chain[i]!;
        if (removed.has(node) || anchors?.has(node)) break;
        const attrs = finalAttrCount?.get(node) ?? index.attrCountOf(node);
        if (attrs > 0 || hasOtherContent(index, node, removedChildren.get(node) ?? [])) break;
        removed.add(node);
        const parent = chain[i - 1]!;
        (removedChildren.get(parent) ?? removedChildren.set(parent, []).get(parent)!).push(node);
      }
    }

    if (removed.size === 0) return [];
    const topRemoved = outermost([...removed].map((node) => wholeLines(index, node)));
    const kept = out.slice(start).filter((e) => !within(topRemoved, e));
    out.length = start;
    for (const e of kept) out.push(e);
    return topRemoved;
  }
}

const hasSets = (ops: AttributeOps): boolean => ops.some((op) => op[1] !== null);

/** True when an op sets an attribute the element does not have yet: one to append. */
const lacks = (index: SpanIndex, node: NodeId, name: string, value: string | null): value is string => value !== null && index.attr(node, name) < 0;

/** Adds the elements of `path` below an anchor's new children (merged with those already there), with the values set. */
function addNew(under: NewElement[], path: readonly string[], ops: AttributeOps): void {
  let level = under;
  let el: NewElement | undefined;
  for (const name of path) {
    el = level.find((c) => c.name === name);
    if (!el) level.push((el = { name, attrs: [], children: [] }));
    level = el.children;
  }
  for (const [k, v] of ops) if (v !== null) setOp(el!.attrs, k, v);
}

/**
 * True when the element holds anything but white space and the given child elements: other
 * elements, comments, processing instructions, CDATA or text. Looked at only for elements
 * about to be pruned, so the scan need not count content.
 */
function hasOtherContent(index: SpanIndex, node: NodeId, children: readonly NodeId[]): boolean {
  if (index.selfClosing(node)) return false;
  const text = index.source;
  const skip = [...children].sort((a, b) => index.start(a) - index.start(b));
  let i = index.startTagEnd(node);
  const stop = index.endTagStart(node);
  let k = 0;
  while (i < stop) {
    const child = skip[k];
    if (child !== undefined && i === index.start(child)) {
      i = index.end(child);
      k++;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return true;
    i++;
  }
  return false;
}

/** The ranges not inside another one, sorted by start. Ranges are nested or disjoint, never crossing. */
function outermost(ranges: readonly Edit[]): Edit[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Edit[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (!last || r.start >= last.end) out.push(r);
  }
  return out;
}

/** True when the edit lies inside one of `ranges` (sorted, disjoint): the last range starting at or before it holds it. */
function within(ranges: readonly Edit[], e: Edit): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]!.start <= e.start) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found >= 0 && e.end <= ranges[found]!.end;
}

/** The element's span, widened to its whole line(s) when nothing else stands on them. */
function wholeLines(index: SpanIndex, node: NodeId): Edit {
  const text = index.source;
  const start = index.start(node);
  const line = linePrefix(text, start);
  if (!line.startsLine) return { start, end: index.end(node), text: '' };
  let end = index.end(node);
  while (text.charCodeAt(end) === 0x20 || text.charCodeAt(end) === 0x09) end++;
  if (text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a) end += 2;
  else if (text.charCodeAt(end) === 0x0a) end += 1;
  else if (end < text.length) return { start, end: index.end(node), text: '' };
  return { start: line.lineStart, end, text: '' };
}

/**
 * A text kept once per sequence of parts that makes it: found again by walking the parts, strings
 * the plan already holds (names, escaped values, indentation), so neither the text is built nor
 * a long string hashed for each of thousands of sites that get the same one.
 */
class TextMemo {
  readonly #root: MemoNode = { next: null, text: undefined };
  #at: MemoNode = this.#root;

  /** Starts a walk from the root. */
  start(): this {
    this.#at = this.#root;
    return this;
  }
  /** Walks one part on. */
  part(p: string): this {
    const next = (this.#at.next ??= new Map());
    let n = next.get(p);
    if (n === undefined) next.set(p, (n = { next: null, text: undefined }));
    this.#at = n;
    return this;
  }
  /** The text kept where the walk stands, or `make()`'s, kept there. */
  text(make: () => string): string {
    return (this.#at.text ??= make());
  }
}

interface MemoNode {
  next: Map<string, MemoNode> | null;
  text: string | undefined;
}

/** Parts that mark the structure of new elements in a memo walk (names and values follow them at fixed places). */
const OPEN = '<';
const ATTR = '@';
const CLOSE = '/';
const SELF_CLOSING_ANCHOR = 'self-closing';
const OWN_LINE = 'line';
const BEFORE_END_TAG = 'before-end-tag';

/** Walks `memo` over the new elements: each one's name, attributes (name, value) and children. */
function walkElements(memo: TextMemo, children: readonly NewElement[]): void {
  for (const el of children) {
    memo.part(OPEN).part(el.name);
    for (const [k, v] of el.attrs) memo.part(ATTR).part(k).part(v!);
    walkElements(memo, el.children);
    memo.part(CLOSE);
  }
}

/**
 * The edit that adds `children` to `anchor`, indented like the anchor's own children (or one
 * step deeper than the anchor, by the unit the file indents with). Equal insertions (the same
 * elements where the file has the same indentation) share one text through `memo`; `escape` is
 * the plan's memoized attribute escaper.
 */
function insertChildren(index: SpanIndex, nl: string, anchor: NodeId, children: readonly NewElement[], escape: (value: string) => string, memo: TextMemo): Edit {
  const text = index.source;
  const aIndent = linePrefix(text, index.start(anchor)).indent;
  // The step from the parent's indentation to the anchor's: the unit when the anchor has no
  // children to copy. Read once, and only when needed.
  let base: string | undefined;
  const baseUnit = (): string => {
    if (base !== undefined) return base;
    const parentStart = index.parentStart(anchor);
    const pIndent = parentStart >= 0 ? linePrefix(text, parentStart).indent : '';
    return (base = aIndent.length > pIndent.length && aIndent.startsWith(pIndent) ? aIndent.slice(pIndent.length) : '    ');
  };
  const firstChild = index.firstChildStart(anchor);
  const first = firstChild >= 0 ? linePrefix(text, firstChild) : null;
  const childIndent = first?.startsLine ? first.indent : aIndent + baseUnit();
  const unit = childIndent.length > aIndent.length && childIndent.startsWith(aIndent) ? childIndent.slice(aIndent.length) : baseUnit();

  const render = (el: NewElement, indent: string): string => {
    let out = `<${el.name}`;
    for (const [k, v] of el.attrs) out += ` ${k}="${escape(v!)}"`;
    if (el.children.length === 0) return `${out} />`;
    out += '>';
    const inner = indent + unit;
    for (const c of el.children) out += nl + inner + render(c, inner);
    return `${out}${nl}${indent}</${el.name}>`;
  };
  /** Each child on a line of its own: after a line break (`lead`) or before one. */
  const block = (lead: boolean): string => {
    let out = '';
    for (const c of children) out += lead ? nl + childIndent + render(c, childIndent) : childIndent + render(c, childIndent) + nl;
    return out;
  };
  /** The text, from the memo when the same insertion was made before: `where` and what it depends on besides the elements. */
  const shared = (where: string, name: string, make: () => string): string => {
    memo.start().part(where).part(name).part(aIndent).part(childIndent).part(unit);
    walkElements(memo, children);
    return memo.text(make);
  };

  const name = index.name(anchor);
  if (index.selfClosing(anchor)) {
    return { start: index.attrsEnd(anchor), end: index.startTagEnd(anchor), text: shared(SELF_CLOSING_ANCHOR, name, () => `>${block(true)}${nl}${aIndent}</${name}>`) };
  }
  const endTagStart = index.endTagStart(anchor);
  const { lineStart, startsLine } = linePrefix(text, endTagStart);
  if (lineStart > index.startTagEnd(anchor) && startsLine) return { start: lineStart, end: lineStart, text: shared(OWN_LINE, name, () => block(false)) };
  return { start: endTagStart, end: endTagStart, text: shared(BEFORE_END_TAG, name, () => `${block(true)}${nl}${aIndent}`) };
}
