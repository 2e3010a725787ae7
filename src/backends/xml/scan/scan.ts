import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { IisFtpsError } from '../../../errors/errors.js';
import { positionAt } from '../../../errors/position.js';
import { lexAttributes } from './attributes.js';
import type { XmlIndex, XmlNode, XmlSite } from './nodes.js';

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

/** Where `<sites>` sits: in applicationHost.config, or as the root of a `configSource` file. */
export const SITES_IN_APPHOST = ['configuration', 'system.applicationHost', 'sites'] as const;
export const SITES_AS_ROOT = ['sites'] as const;

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
  contentCount: number;
  firstChildStart: number;
}

export interface ScanOptions {
  /** The file's name, for error positions. */
  readonly file?: string;
  readonly sitesPath?: readonly string[];
}

/**
 * One pass of a conformant XML parser over the whole document. Refuses a DTD and anything not
 * well-formed with its line and column. Builds nodes only for `<sites>`, each `<site>` and
 * `<siteDefaults>`, the tracked paths below them, and the sites' binding protocols.
 */
export function scan(text: string, trie: PathTrie, options: ScanOptions = {}): XmlIndex {
  const sitesPath = options.sitesPath ?? SITES_IN_APPHOST;
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const stack: Frame[] = [];
  const sites: XmlSite[] = [];
  let siteDefaults: XmlNode | null = null;
  let sitesNode: XmlNode | null = null;
  let configSource: string | null = null;
  let tagStart = 0;

  const fail = (code: 'XML_MALFORMED' | 'XML_DTD' | 'XML_ENCODING', message: string, offset: number): never => {
    const position = positionAt(text, offset, options.file);
    throw new IisFtpsError(code, `${message} (line ${position.line}, column ${position.column})`, { position });
  };

  const makeNode = (tag: SaxesTagPlain, parentStart: number): XmlNode => {
    const startTagEnd = parser.position;
    const nameEnd = tagStart + 1 + tag.name.length;
    return {
      name: tag.name,
      start: tagStart,
      nameEnd,
      startTagEnd,
      selfClosing: tag.isSelfClosing,
      endTagStart: startTagEnd,
      end: startTagEnd,
      attrs: lexAttributes(text, nameEnd, startTagEnd, tag.attributes),
      children: new Map(),
      parentStart,
      firstChildStart: -1,
      contentCount: 0,
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
  parser.on('opentagstart', () => {
    tagStart = text.lastIndexOf('<', parser.position - 1);
  });
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.contentCount++;
      if (parent.firstChildStart < 0) parent.firstChildStart = tagStart;
    }
    let node: XmlNode | null = null;
    let below: PathTrie | null = null;
    let site: XmlSite | null = null;
    let sitesDepth = -1;
    const depth = stack.length;
    if ((parent ? parent.sitesDepth === depth - 1 : depth === 0) && sitesPath[depth] === tag.name) {
      sitesDepth = depth;
      if (depth === sitesPath.length - 1 && !sitesNode) {
        node = sitesNode = makeNode(tag, parent?.start ?? -1);
        configSource = tag.attributes['configSource'] ?? null;
      }
    } else if (parent?.node && parent.node === sitesNode && (tag.name === 'site' || tag.name === 'siteDefaults')) {
      node = makeNode(tag, parent.start);
      below = trie;
      if (tag.name === 'siteDefaults') {
        siteDefaults ??= node;
      } else {
        const id = tag.attributes['id'];
        site = { node, name: tag.attributes['name'] ?? '', id: id !== undefined && /^\d+$/.test(id) ? Number(id) : null, protocols: [] };
        sites.push(site);
      }
    } else if (parent?.trie?.has(tag.name)) {
      node = makeNode(tag, parent.start);
      below = parent.trie.get(tag.name)!;
      if (parent.node && !parent.node.children.has(tag.name)) parent.node.children.set(tag.name, node);
    } else if (tag.name === 'bindings' && parent?.site && parent.node === parent.site.node) {
      site = parent.site;
    } else if (tag.name === 'binding' && parent?.name === 'bindings' && parent.site) {
      const protocol = tag.attributes['protocol'];
      if (protocol !== undefined) parent.site.protocols.push(protocol.toLowerCase());
    }
    stack.push({ name: tag.name, start: tagStart, node, trie: below, sitesDepth, site, contentCount: 0, firstChildStart: -1 });
    if (tag.isSelfClosing) close();
  });
  const close = () => {
    const frame = stack.pop()!;
    if (frame.node) {
      const n = frame.node;
      n.end = parser.position;
      n.endTagStart = n.selfClosing ? n.startTagEnd : text.lastIndexOf('</', n.end - 1);
      n.contentCount = frame.contentCount;
      n.firstChildStart = frame.firstChildStart;
    }
  };
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) close();
  });
  const content = () => {
    const top = stack[stack.length - 1];
    if (top) top.contentCount++;
  };
  parser.on('text', (t) => {
    if (!/^[ \t\r\n]*$/.test(t)) content();
  });
  parser.on('comment', content);
  parser.on('cdata', content);
  parser.on('processinginstruction', content);
  parser.on('error', (e) => {
    const message = e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
    fail('XML_MALFORMED', `The document is not well-formed XML: ${message}`, Math.max(0, parser.position - 1));
  });

  parser.write(text).close();
  return { text, sites, siteDefaults, sitesNode, configSource };
}
