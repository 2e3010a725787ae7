import { type SaxesTagPlain, saxes } from '../saxes.js';
import { IisFtpsError } from '../../../errors/errors.js';
import { positionAt } from '../../../errors/position.js';
import { type NodeId, SpanIndex } from './spans.js';
import type { SiteNo } from './sites.js';
import { own } from './strings.js';
import { StringSource, type TextSource } from '../file/text.js';

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

/** What the scan knows of each open element: small, and shared by every element nobody asked for. */
interface Frame {
  readonly name: string;
  readonly start: number;
  /** The tracked node, or -1 for elements nobody asked for. */
  readonly node: NodeId;
  /** What to track below this element. */
  readonly trie: PathTrie | null;
  /** Depth along the path to `<sites>` this frame matches, or -1. */
  readonly sitesDepth: number;
  /** The site this frame is (`<site>`) or lists the bindings of (`<bindings>`), or -1. */
  readonly site: SiteNo;
  /** Protocols of the site's bindings, collected while its `<bindings>` is open. */
  readonly protocols: string[] | null;
}

/** The frame of every element that matters to nobody: shared, so the pass allocates nothing for it. */
const UNTRACKED: Frame = Object.freeze({ name: '', start: -1, node: -1, trie: null, sitesDepth: -1, site: -1, protocols: null });

export interface ScanOptions {
  /** The file's name, for error positions. */
  readonly file?: string;
  readonly sitesPath?: readonly string[];
  /** Build nodes only for these sites (every site when omitted). */
  readonly siteFilter?: SiteFilter;
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/** Thrown by a scan fed in chunks when the document is not acceptable: the caller scans the whole text for the exact error. */
export class ScanRefused extends Error {}

/** A scan fed the text piece by piece: `write` each piece in order, then `close` with the text's source. */
export interface Scanner {
  write(text: string): void;
  close(source: TextSource): SpanIndex;
}

/** Scans a whole text held in memory; errors carry their line and column. */
export function scan(text: string, trie: PathTrie, options: ScanOptions = {}): SpanIndex {
  const scanner = createScanner(trie, options, text);
  scanner.write(text);
  return scanner.close(new StringSource(text));
}

/**
 * One pass of a conformant XML parser over the whole document, fed in pieces. Refuses a DTD and
 * anything not well-formed (with its line and column when `whole` is the text; fed in pieces,
 * with `ScanRefused`, and the caller scans the whole text to say where). Records spans only for
 * `<sites>`, each `<site>` (or each site the filter names) and `<siteDefaults>`, the tracked
 * paths below them, and those sites' binding protocols; every other element costs the
 * parser's own work and nothing more.
 *
 * Only a window of the text is held: from the last `<` before the current piece (a tag that
 * began in an earlier piece starts there, since a tag holds no `<`) to the piece's end.
 */
export function createScanner(trie: PathTrie, options: ScanOptions = {}, whole?: string): Scanner {
  const sitesPath = options.sitesPath ?? SITES_IN_APPHOST;
  const filter = options.siteFilter;
  // Few handlers on purpose: past about seven, V8 turns the parser object into a slow
  // dictionary and every character of the document pays for it (several times slower).
  const { SaxesParser } = saxes();
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  const index = new SpanIndex();
  const stack: Frame[] = [];
  /**
   * The text held, in two parts so that no piece is copied: `head`, the end of the text before
   * the current piece from its last `<` on, and `body`, the current piece. They hold offsets
   * [base, base + head.length + body.length) of the document.
   */
  let head = '';
  let body = '';
  let base = 0;
  /** The last character before the window's current piece, to tell CRLF from LF at a piece's start. */
  let before = '';
  let newlineFound = false;

  const fail = (code: 'XML_MALFORMED' | 'XML_DTD' | 'XML_ENCODING', message: string, offset: number): never => {
    if (whole === undefined) throw new ScanRefused(message);
    const position = positionAt(whole, offset, options.file);
    throw new IisFtpsError(code, `${message} (line ${position.line}, column ${position.column})`, { position });
  };
  /** The text between two offsets of the window. */
  const textAt = (start: number, end: number): string => {
    const a = start - base;
    const b = end - base;
    const h = head.length;
    if (a >= h) return body.slice(a - h, b - h);
    if (b <= h) return head.slice(a, b);
    return head.slice(a) + body.slice(0, b - h);
  };
  /** Offset of the last `<` at or before `from`: the start of the tag that ends there. */
  const lastLt = (from: number): number => {
    const j = from - base;
    const h = head.length;
    if (j >= h) {
      const at = body.lastIndexOf('<', j - h);
      if (at >= 0) return at + h + base;
    }
    const at = j < 0 ? -1 : head.lastIndexOf('<', Math.min(j, h - 1));
    return at < 0 ? -1 : at + base;
  };

  /** The `<` of the start tag that just ended: `known` when it was looked up already (-1 when not). */
  const startOfTag = (known: number): number => (known >= 0 ? known : lastLt(parser.position - 1));

  /** The character code at a document offset inside the window. */
  const codeAt = (at: number): number => {
    const a = at - base;
    const h = head.length;
    return a >= h ? body.charCodeAt(a - h) : head.charCodeAt(a);
  };

  /**
   * Records an element whose start tag just ended. The parser has accepted the tag as
   * well-formed, so a plain walk over it finds each attribute's span exactly; attributes are
   * recorded for elements below a site or siteDefaults, the ones edits touch. For the others
   * (`<sites>`, `<site>`, `<siteDefaults>`) only where the attributes end is needed: found
   * from the tag's end, since after the last value's closing quote only blanks, `/` and `>` come.
   */
  const record = (tag: SaxesTagPlain, tagStart: number, parentStart: number, withAttrs: boolean): NodeId => {
    const startTagEnd = parser.position;
    if (!withAttrs) {
      let k = startTagEnd - 2; // before `>`
      if (tag.isSelfClosing) k--; // before `/`
      while (isBlank(codeAt(k))) k--;
      return index.openNode({ name: tag.name, start: tagStart, startTagEnd, selfClosing: tag.isSelfClosing, attrsEnd: k + 1, parentStart });
    }
    // The start tag as one string: its attributes are walked with plain string operations.
    const t = textAt(tagStart, startTagEnd);
    let k = 1 + tag.name.length;
    let attrsEnd = k;
    const node = index.openNode({ name: tag.name, start: tagStart, startTagEnd, selfClosing: tag.isSelfClosing, attrsEnd: tagStart + attrsEnd, parentStart });
    // The parser's attributes come in document order (an XML name is never an array index, so
    // the object keeps the order they were set in): each name is the next one in the tag.
    const attributes = tag.attributes;
    for (const name in attributes) {
      while (isBlank(t.charCodeAt(k))) k++;
      const start = k;
      k = t.indexOf('=', k + name.length) + 1;
      while (isBlank(t.charCodeAt(k))) k++;
      const single = t.charCodeAt(k) === 0x27; /* ' */
      const valueStart = k + 1;
      const valueEnd = t.indexOf(single ? "'" : '"', valueStart);
      index.addAttr(name, tagStart + start, tagStart + valueStart, tagStart + valueEnd, attributes[name]!, single);
      k = attrsEnd = valueEnd + 1;
    }
    index.setAttrsEnd(node, tagStart + attrsEnd);
    return node;
  };

  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && decl.encoding.toUpperCase() !== 'UTF-8' && decl.encoding.toUpperCase() !== 'UTF8') {
      fail('XML_ENCODING', `The document declares encoding "${decl.encoding}"; only UTF-8 is read (IIS writes UTF-8)`, 0);
    }
  });
  parser.on('doctype', () => {
    const at = whole === undefined ? 0 : whole.lastIndexOf('<!DOCTYPE', parser.position);
    fail('XML_DTD', 'The document has a DTD (<!DOCTYPE ...>); it is refused, never expanded. applicationHost.config has none: remove it', Math.max(at, 0));
  });
  parser.on('opentag', (tag) => {
    const depth = stack.length;
    const parent = stack[depth - 1];
    // Below an element nobody asked for, nothing is tracked: most of the document.
    if (parent === UNTRACKED) {
      stack.push(UNTRACKED);
      return;
    }
    // The start tag ends here; its `<` is the last one before (an attribute value cannot hold `<`).
    let frame = UNTRACKED;
    /** The tag's `<`, once looked up (-1 before): a tracked element's first child needs it twice. */
    let tagStart = -1;
    if (parent && parent.node >= 0 && index.firstChildStart(parent.node) < 0) index.setFirstChildStart(parent.node, (tagStart = lastLt(parser.position - 1)));
    let below: PathTrie | undefined;
    if ((parent ? parent.sitesDepth === depth - 1 : depth === 0) && sitesPath[depth] === tag.name) {
      const start = startOfTag(tagStart);
      let node = -1;
      if (depth === sitesPath.length - 1 && index.sitesNode < 0) {
        node = index.sitesNode = record(tag, start, parent?.start ?? -1, false);
        const source = tag.attributes['configSource'];
        index.configSource = source === undefined ? null : own(source);
      }
      frame = { name: tag.name, start, node, trie: null, sitesDepth: depth, site: -1, protocols: null };
    } else if (parent && parent.node >= 0 && parent.node === index.sitesNode && (tag.name === 'site' || tag.name === 'siteDefaults')) {
      if (tag.name === 'siteDefaults') {
        const start = startOfTag(tagStart);
        const node = record(tag, start, parent.start, false);
        if (index.siteDefaults < 0) index.siteDefaults = node;
        frame = { name: tag.name, start, node, trie, sitesDepth: -1, site: -1, protocols: null };
      } else {
        const name = tag.attributes['name'] ?? '';
        const rawId = tag.attributes['id'];
        const id = rawId !== undefined && /^\d+$/.test(rawId) ? Number(rawId) : null;
        if (!filter || filter.names.has(name.toUpperCase()) || (id !== null && filter.ids.has(id))) {
          // Where the tag starts is looked up only for the sites built: the others need no offsets.
          const node = record(tag, startOfTag(tagStart), parent.start, false);
          const site = index.sites.add(name, id, node);
          frame = { name: tag.name, start: index.start(node), node, trie, sitesDepth: -1, site, protocols: null };
        } else index.sites.add(name, id, -1);
      }
    } else if ((below = parent?.trie?.get(tag.name)) !== undefined) {
      const start = startOfTag(tagStart);
      const node = record(tag, start, parent!.start, true);
      frame = { name: tag.name, start, node, trie: below, sitesDepth: -1, site: -1, protocols: null };
    } else if (tag.name === 'bindings' && parent && parent.site >= 0 && parent.protocols === null) {
      frame = { name: tag.name, start: -1, node: -1, trie: null, sitesDepth: -1, site: parent.site, protocols: [] };
    } else if (tag.name === 'binding' && parent?.name === 'bindings' && parent.protocols) {
      const protocol = tag.attributes['protocol'];
      if (protocol !== undefined) parent.protocols.push(protocol.toLowerCase());
    }
    stack.push(frame);
  });
  // saxes reports a self-closing tag as an open and a close tag, both ending after `/>`.
  parser.on('closetag', () => {
    const frame = stack.pop()!;
    const n = frame.node;
    if (n >= 0) {
      const end = parser.position;
      index.closeNode(n, index.selfClosing(n) ? index.startTagEnd(n) : lastLt(end - 1), end);
    } else if (frame.protocols) index.sites.addProtocols(frame.site, frame.protocols);
  });
  parser.on('error', (e) => {
    const message = e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
    fail('XML_MALFORMED', `The document is not well-formed XML: ${message}`, Math.max(0, parser.position - 1));
  });

  return {
    write(text: string): void {
      if (text.length === 0) return;
      if (!newlineFound) {
        const lf = text.indexOf('\n');
        if (lf >= 0) {
          newlineFound = true;
          index.newline = (lf > 0 ? text[lf - 1] : before) === '\r' ? '\r\n' : '\n';
        }
      }
      before = text[text.length - 1]!;
      const keep = body.lastIndexOf('<');
      if (keep >= 0) {
        base += head.length + keep;
        head = body.slice(keep);
      } else if (head.length > 0) {
        // A tag (or what follows the last one) runs across the whole piece: kept with it.
        const last = head.lastIndexOf('<');
        base += last;
        head = head.slice(last) + body;
      } else {
        base += head.length + body.length;
        head = '';
      }
      body = text;
      parser.write(text);
    },
    close(source: TextSource): SpanIndex {
      parser.close();
      head = body = '';
      index.source = source;
      return index;
    },
  };
}
