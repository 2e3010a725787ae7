import type { Change } from '../../backend.js';
import { IisFtpsError } from '../../../errors/errors.js';
import { type XmlIndex, type XmlNode, type XmlSite, indentAt, startsLine } from '../scan/nodes.js';
import { escapeAttribute } from './escape.js';
import type { Edit } from '../../../changes/edits.js';

/** A new element to create, with its attributes in the order the change set names them. */
interface NewElement {
  readonly name: string;
  readonly attrs: Map<string, string>;
  readonly children: Map<string, NewElement>;
}

/**
 * The wanted end state of one element's attributes: name -> text, or null to remove, in the
 * order first named. A list, not a map: an element has a handful of attributes, and a bulk
 * change has tens of thousands of elements.
 */
type AttributeOps = [string, string | null][];

function setOp(ops: AttributeOps, name: string, value: string | null): void {
  for (const op of ops) {
    if (op[0] === name) {
      op[1] = value;
      return;
    }
  }
  ops.push([name, value]);
}

function opOf(ops: AttributeOps, name: string): string | null | undefined {
  for (const op of ops) if (op[0] === name) return op[1];
  return undefined;
}

interface Group {
  readonly owner: XmlNode | null;
  readonly path: readonly string[];
  readonly ops: AttributeOps;
}


export function newlineOf(text: string): string {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

interface SiteLookup {
  readonly byName: Map<string, XmlSite[]>;
  readonly byId: Map<number, XmlSite[]>;
}

const lookups = new WeakMap<XmlIndex, SiteLookup>();

/** The index's sites by upper-cased name and by id, built once per index. */
function lookupOf(index: XmlIndex): SiteLookup {
  let l = lookups.get(index);
  if (!l) {
    l = { byName: new Map(), byId: new Map() };
    for (const s of index.sites) {
      const key = s.name.toUpperCase();
      (l.byName.get(key) ?? l.byName.set(key, []).get(key)!).push(s);
      if (s.id !== null) (l.byId.get(s.id) ?? l.byId.set(s.id, []).get(s.id)!).push(s);
    }
    lookups.set(index, l);
  }
  return l;
}

/** Finds the site a change names: by name (case-insensitive), and by id when one is given. */
export function findSite(index: XmlIndex, ref: { readonly name?: string; readonly id?: number | null }): XmlSite | undefined {
  const l = lookupOf(index);
  if (ref.name !== undefined) return l.byName.get(ref.name.toUpperCase())?.find((s) => ref.id == null || s.id === ref.id);
  return ref.id == null ? undefined : l.byId.get(ref.id)?.[0];
}

/**
 * Turns a change set into text edits, following docs/file-edits.md: values replaced in place,
 * attributes appended or removed with their leading blank, emptied elements pruned, missing
 * elements created and indented like their neighbours. Returns no edits when nothing changes.
 */
export function planEdits(index: XmlIndex, changes: readonly Change[]): Edit[] {
  const { text } = index;
  const nl = newlineOf(text);
  // Groups by owner, then by path, kept in the order first named; paths are compared by their
  // joined names (the same array, as change sets usually share them, is joined once).
  const groupsByOwner = new Map<XmlNode | null, (Group & { readonly pathKey: string })[]>();
  const groups: Group[] = [];
  const pathKeys = new Map<readonly string[], string>();
  // Changes to one site come together: its lookup is reused while the site stays the same.
  let lastRef: Change['site'] = null;
  let lastSite: XmlSite | undefined;

  for (const change of changes) {
    let owner: XmlNode | null;
    if (change.level === 'siteDefaults') owner = index.siteDefaults;
    else {
      const ref = change.site;
      let site: XmlSite | undefined;
      if (ref && lastRef && ref.name === lastRef.name && ref.id === lastRef.id) site = lastSite;
      else {
        site = ref ? findSite(index, ref) : undefined;
        lastRef = ref;
        lastSite = site;
      }
      if (!site) throw new IisFtpsError('SITE_NOT_FOUND', `No site named ${JSON.stringify(change.site?.name)} in the file`, { site: change.site?.name ?? '' });
      owner = site.node;
    }
    let pathKey = pathKeys.get(change.path);
    if (pathKey === undefined) pathKeys.set(change.path, (pathKey = change.path.join('/')));
    let byPath = groupsByOwner.get(owner);
    if (!byPath) groupsByOwner.set(owner, (byPath = []));
    let group = byPath.find((g) => g.pathKey === pathKey);
    if (!group) {
      byPath.push((group = { owner, path: change.path, pathKey, ops: [] }));
      groups.push(group);
    }
    // Re-setting moves nothing: an attribute keeps the position of its first mention.
    setOp(group.ops, change.attribute, change.value);
  }

  const edits: Edit[] = [];
  const anchors = new Map<XmlNode, Map<string, NewElement>>();
  const removed = new Set<XmlNode>();
  const removedChildren = new Map<XmlNode, XmlNode[]>();
  /** Attribute counts after the change, for nodes whose count changes. */
  const finalAttrCount = new Map<XmlNode, number>();
  const prune: XmlNode[][] = [];
  // The same value escaped for the same quote is the same text: escaped once per plan.
  const escaped = new Map<string, string>();
  const escape = (value: string, quote: '"' | "'"): string => {
    const key = quote + value;
    let e = escaped.get(key);
    if (e === undefined) escaped.set(key, (e = escapeAttribute(value, quote)));
    return e;
  };

  const addNew = (under: Map<string, NewElement>, path: readonly string[], ops: AttributeOps) => {
    let level = under;
    let el: NewElement | undefined;
    for (const name of path) {
      el = level.get(name);
      if (!el) level.set(name, (el = { name, attrs: new Map(), children: new Map() }));
      level = el.children;
    }
    for (const [k, v] of ops) if (v !== null) el!.attrs.set(k, v);
  };
  const hasSets = (ops: AttributeOps): boolean => ops.some((op) => op[1] !== null);

  for (const group of groups) {
    const { ops } = group;
    if (!group.owner) {
      // No <siteDefaults> yet: create it under <sites>.
      if (!hasSets(ops)) continue;
      if (!index.sitesNode) throw new IisFtpsError('SECTION_NOT_FOUND', 'The file has no <sites> section under <system.applicationHost>');
      let under = anchors.get(index.sitesNode);
      if (!under) anchors.set(index.sitesNode, (under = new Map()));
      addNew(under, ['siteDefaults', ...group.path], ops);
      continue;
    }
    const chain: XmlNode[] = [group.owner];
    for (const name of group.path) {
      const next = chain[chain.length - 1]!.children.get(name);
      if (!next) break;
      chain.push(next);
    }
    if (chain.length <= group.path.length) {
      if (!hasSets(ops)) continue;
      const anchor = chain[chain.length - 1]!;
      let under = anchors.get(anchor);
      if (!under) anchors.set(anchor, (under = new Map()));
      addNew(under, group.path.slice(chain.length - 1), ops);
      continue;
    }
    const node = chain[chain.length - 1]!;
    const attrs = node.attrs;
    let count = attrs.length;
    let removedAny = false;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i]!;
      const value = opOf(ops, a.name);
      if (value === undefined) continue;
      if (value === null) {
        const prev = attrs[i - 1];
        edits.push({ start: prev ? prev.valueEnd + 1 : node.nameEnd, end: a.valueEnd + 1, text: '' });
        count--;
        removedAny = true;
      } else if (value !== a.value) {
        edits.push({ start: a.valueStart, end: a.valueEnd, text: escape(value, a.quote) });
      }
    }
    let added = '';
    for (const [k, v] of ops) {
      if (v === null || attrs.some((a) => a.name === k)) continue;
      added += ` ${k}="${escape(v, '"')}"`;
      count++;
    }
    if (added !== '') {
      const last = attrs[attrs.length - 1];
      const at = last ? last.valueEnd + 1 : node.nameEnd;
      edits.push({ start: at, end: at, text: added });
    }
    if (count !== attrs.length) finalAttrCount.set(node, count);
    // Only a removal empties an element; one that was empty before is left as the user wrote it.
    if (count === 0 && removedAny) prune.push(chain);
  }

  // Prune elements left with nothing, bottom-up, never the site or siteDefaults itself.
  for (const chain of prune) {
    for (let i = chain.length - 1; i >= 1; i--) {
      const node = chain[i]!;
      if (removed.has(node) || anchors.has(node)) break;
      const attrs = finalAttrCount.get(node) ?? node.attrs.length;
      if (attrs > 0 || hasOtherContent(text, node, removedChildren.get(node) ?? [])) break;
      removed.add(node);
      const parent = chain[i - 1]!;
      (removedChildren.get(parent) ?? removedChildren.set(parent, []).get(parent)!).push(node);
    }
  }

  // Removed elements take the edits inside them along; nested removals fold into the outermost.
  const topRemoved = removed.size === 0 ? [] : outermost([...removed].map((node) => wholeLines(text, node)));
  const kept = topRemoved.length === 0 ? edits : edits.filter((e) => !within(topRemoved, e));

  for (const [anchor, children] of anchors) kept.push(insertChildren(text, nl, anchor, [...children.values()]));
  for (const r of topRemoved) kept.push(r);
  return kept;
}

/**
 * True when the element holds anything but white space and the given child elements: other
 * elements, comments, processing instructions, CDATA or text. Looked at only for elements
 * about to be pruned, so the scan need not count content.
 */
function hasOtherContent(text: string, node: XmlNode, children: readonly XmlNode[]): boolean {
  if (node.selfClosing) return false;
  const skip = [...children].sort((a, b) => a.start - b.start);
  let i = node.startTagEnd;
  let k = 0;
  while (i < node.endTagStart) {
    const child = skip[k];
    if (child && i === child.start) {
      i = child.end;
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
function wholeLines(text: string, node: XmlNode): Edit {
  if (!startsLine(text, node.start)) return { start: node.start, end: node.end, text: '' };
  let end = node.end;
  while (text[end] === ' ' || text[end] === '\t') end++;
  if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
  else if (text[end] === '\n') end += 1;
  else if (end < text.length) return { start: node.start, end: node.end, text: '' };
  return { start: text.lastIndexOf('\n', node.start - 1) + 1, end, text: '' };
}

function insertChildren(text: string, nl: string, anchor: XmlNode, children: readonly NewElement[]): Edit {
  const aIndent = indentAt(text, anchor.start);
  const pIndent = anchor.parentStart >= 0 ? indentAt(text, anchor.parentStart) : '';
  const baseUnit = aIndent.length > pIndent.length && aIndent.startsWith(pIndent) ? aIndent.slice(pIndent.length) : '    ';
  const childIndent =
    anchor.firstChildStart >= 0 && startsLine(text, anchor.firstChildStart) ? indentAt(text, anchor.firstChildStart) : aIndent + baseUnit;
  const unit = childIndent.length > aIndent.length && childIndent.startsWith(aIndent) ? childIndent.slice(aIndent.length) : baseUnit;

  const render = (el: NewElement, indent: string): string => {
    const attrs = [...el.attrs].map(([k, v]) => ` ${k}="${escapeAttribute(v, '"')}"`).join('');
    if (el.children.size === 0) return `<${el.name}${attrs} />`;
    const inner = [...el.children.values()].map((c) => nl + indent + unit + render(c, indent + unit)).join('');
    return `<${el.name}${attrs}>${inner}${nl}${indent}</${el.name}>`;
  };

  if (anchor.selfClosing) {
    const last = anchor.attrs[anchor.attrs.length - 1];
    const from = last ? last.valueEnd + 1 : anchor.nameEnd;
    const block = children.map((c) => nl + childIndent + render(c, childIndent)).join('');
    return { start: from, end: anchor.startTagEnd, text: `>${block}${nl}${aIndent}</${anchor.name}>` };
  }
  const lineStart = text.lastIndexOf('\n', anchor.endTagStart - 1) + 1;
  if (lineStart > anchor.startTagEnd && startsLine(text, anchor.endTagStart)) {
    const lines = children.map((c) => childIndent + render(c, childIndent) + nl).join('');
    return { start: lineStart, end: lineStart, text: lines };
  }
  const block = children.map((c) => nl + childIndent + render(c, childIndent)).join('');
  return { start: anchor.endTagStart, end: anchor.endTagStart, text: `${block}${nl}${aIndent}` };
}

