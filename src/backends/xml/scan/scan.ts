import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { IisFtpsError } from '../../../errors/errors.js';
import { positionAt } from '../../../errors/position.js';
import { lexAttributes } from './attributes.js';
import type { SiteEntry, XmlIndex, XmlNode, XmlSite } from './nodes.js';

/** A prefix tree of the element paths to track below `<site>` / `<siteDefaults>`. */
export type PathTrie = Map<string, PathTrie>;

export function pathTrie(paths: readonly (readonly string[])[]): PathTrie {
  const root: PathTrie = new Map();
  for (const path of paths) {
    let level = root;
    for (const name of path) {
      let next = level.get(name);
      if (!next) level.set(name, (next = new Map()));
      level = next;
    }
  }
  return root;
}

/** True when every path of `inner` is tracked by `outer`. */
export function trieCovers(outer: PathTrie, inner: PathTrie): boolean {
  for (const [name, below] of inner) {
    const o = outer.get(name);
    if (!o || !trieCovers(o, below)) return false;
  }
  return true;
}

/** Where `<sites>` sits: in applicationHost.config, or as the root of a `configSource` file. */
export const SITES_IN_APPHOST = ['configuration', 'system.applicationHost', 'sites'] as const;
export const SITES_AS_ROOT = ['sites'] as const;

/**
 * Which sites to build nodes for: by upper-cased name or by id. Every other site is only listed
 * (name and id), so reading one site of fifty thousand builds one site's nodes.
 */
export interface SiteFilter {
  readonly names: ReadonlySet<string>;
  readonly ids: ReadonlySet<number>;
}

interface Frame {
  readonly name: string;
  readonly start: number;
  /** The tracked node, or null for elements nobody asked for. */
  readonly node: XmlNode | null;
  /** What to track below this element. */
  readonly trie: PathTrie | null;
  /** Depth along the path to `<sites>` this frame matches, or -1. */
  readonly sitesDepth: number;
  readonly site: XmlSite | null;
}

/** The children of every leaf: one shared map, never written (a node gets its own map with its first child). */
const NO_CHILDREN: ReadonlyMap<string, XmlNode> = new Map();

/** Values longer than this are rarely shared by sites (names, hashes), so they are not interned. */
const INTERN_MAX = 24;

/** The frame of every element that matters to nobody: shared, so the pass allocates nothing for it. */
const UNTRACKED: Frame = Object.freeze({ name: '', start: -1, node: null, trie: null, sitesDepth: -1, site: null });

export interface ScanOptions {
  /** The file's name, for error positions. */
  readonly file?: string;
  readonly sitesPath?: readonly string[];
  /** Build nodes only for these sites (every site when omitted). */
  readonly siteFilter?: SiteFilter;
}

/**
 * One pass of a conformant XML parser over the whole document. Refuses a DTD and anything not
 * well-formed with its line and column. Builds nodes only for `<sites>`, each `<site>` (or each
 * site the filter names) and `<siteDefaults>`, the tracked paths below them, and those sites'
 * binding protocols; every other element costs the parser's own work and nothing more.
 */
export function scan(text: string, trie: PathTrie, options: ScanOptions = {}): XmlIndex {
  const sitesPath = options.sitesPath ?? SITES_IN_APPHOST;
  const filter = options.siteFilter;
  // Few handlers on purpose: past about seven, V8 turns the parser object into a slow
  // dictionary and every character of the document pays for it (several times slower).
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const stack: Frame[] = [];
  const sites: XmlSite[] = [];
  const allSites: SiteEntry[] = [];
  let siteDefaults: XmlNode | null = null;
  let sitesNode: XmlNode | null = null;
  let configSource: string | null = null;

  const fail = (code: 'XML_MALFORMED' | 'XML_DTD' | 'XML_ENCODING', message: string, offset: number): never => {
    const position = positionAt(text, offset, options.file);
    throw new IisFtpsError(code, `${message} (line ${position.line}, column ${position.column})`, { position });
  };

  // Element and attribute names and short values, one string each for the whole document:
  // fifty thousand sites repeat the same few, and each kept copy would cost memory.
  const interned = new Map<string, string>();
  const intern = (s: string): string => {
    if (s.length > INTERN_MAX) return s;
    const known = interned.get(s);
    if (known !== undefined) return known;
    interned.set(s, s);
    return s;
  };

  const makeNode = (tag: SaxesTagPlain, tagStart: number, parentStart: number): XmlNode => {
    const startTagEnd = parser.position;
    const nameEnd = tagStart + 1 + tag.name.length;
    return {
      name: intern(tag.name),
      start: tagStart,
      nameEnd,
      startTagEnd,
      selfClosing: tag.isSelfClosing,
      endTagStart: startTagEnd,
      end: startTagEnd,
      attrs: lexAttributes(text, nameEnd, startTagEnd, tag.attributes, intern),
      children: NO_CHILDREN,
      parentStart,
      firstChildStart: -1,
    };
  };

  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && decl.encoding.toUpperCase() !== 'UTF-8' && decl.encoding.toUpperCase() !== 'UTF8') {
      fail('XML_ENCODING', `The document declares encoding "${decl.encoding}"; only UTF-8 is read (IIS writes UTF-8)`, 0);
    }
  });
  parser.on('doctype', () => {
    const at = text.lastIndexOf('<!DOCTYPE', parser.position);
    fail('XML_DTD', 'The document has a DTD (<!DOCTYPE ...>); it is refused, never expanded. applicationHost.config has none: remove it', Math.max(at, 0));
  });
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    const depth = stack.length;
    // The start tag ends here; its `<` is the last one before (an attribute value cannot hold `<`).
    const tagStartOf = () => text.lastIndexOf('<', parser.position - 1);
    let frame = UNTRACKED;
    if (parent?.node && parent.node.firstChildStart < 0) parent.node.firstChildStart = tagStartOf();
    if ((parent ? parent.sitesDepth === depth - 1 : depth === 0) && sitesPath[depth] === tag.name) {
      const start = tagStartOf();
      let node: XmlNode | null = null;
      if (depth === sitesPath.length - 1 && !sitesNode) {
        node = sitesNode = makeNode(tag, start, parent?.start ?? -1);
        configSource = tag.attributes['configSource'] ?? null;
      }
      frame = { name: tag.name, start, node, trie: null, sitesDepth: depth, site: null };
    } else if (parent?.node && parent.node === sitesNode && (tag.name === 'site' || tag.name === 'siteDefaults')) {
      if (tag.name === 'siteDefaults') {
        const start = tagStartOf();
        const node = makeNode(tag, start, parent.start);
        siteDefaults ??= node;
        frame = { name: tag.name, start, node, trie, sitesDepth: -1, site: null };
      } else {
        const name = tag.attributes['name'] ?? '';
        const rawId = tag.attributes['id'];
        const id = rawId !== undefined && /^\d+$/.test(rawId) ? Number(rawId) : null;
        allSites.push({ name, id });
        if (!filter || filter.names.has(name.toUpperCase()) || (id !== null && filter.ids.has(id))) {
          const start = tagStartOf();
          const node = makeNode(tag, start, parent.start);
          const site: XmlSite = { node, name, id, protocols: [] };
          sites.push(site);
          frame = { name: tag.name, start, node, trie, sitesDepth: -1, site };
        }
      }
    } else if (parent?.trie?.has(tag.name)) {
      const start = tagStartOf();
      const node = makeNode(tag, start, parent.start);
      if (parent.node && !parent.node.children.has(tag.name)) {
        if (parent.node.children === NO_CHILDREN) parent.node.children = new Map();
        (parent.node.children as Map<string, XmlNode>).set(node.name, node);
      }
      frame = { name: tag.name, start, node, trie: parent.trie.get(tag.name)!, sitesDepth: -1, site: null };
    } else if (tag.name === 'bindings' && parent?.site && parent.node === parent.site.node) {
      frame = { name: tag.name, start: -1, node: null, trie: null, sitesDepth: -1, site: parent.site };
    } else if (tag.name === 'binding' && parent?.name === 'bindings' && parent.site) {
      const protocol = tag.attributes['protocol'];
      if (protocol !== undefined) parent.site.protocols.push(intern(protocol.toLowerCase()));
    }
    stack.push(frame);
  });
  // saxes reports a self-closing tag as an open and a close tag, both ending after `/>`.
  parser.on('closetag', () => {
    const n = stack.pop()!.node;
    if (n) {
      n.end = parser.position;
      n.endTagStart = n.selfClosing ? n.startTagEnd : text.lastIndexOf('</', n.end - 1);
    }
  });
  parser.on('error', (e) => {
    const message = e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
    fail('XML_MALFORMED', `The document is not well-formed XML: ${message}`, Math.max(0, parser.position - 1));
  });

  parser.write(text).close();
  return { text, sites, allSites, siteDefaults, sitesNode, configSource };
}
