import { type LexTag, XmlSyntaxError, createLexer } from '../lexer/lexer.js';
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

/**
 * A path trie as the scan walks it: each level's names in a list, compared with `===`. A tag's
 * name is a new string each time; looked up in a map it would be hashed first, for every child
 * of every tracked element (most of them a site's children nobody asked for).
 */
interface TrieLevel {
  readonly names: readonly string[];
  readonly below: readonly TrieLevel[];
}

function compile(trie: PathTrie): TrieLevel {
  const names: string[] = [];
  const below: TrieLevel[] = [];
  for (const [name, next] of trie) {
    names.push(name);
    below.push(compile(next));
  }
  return { names, below };
}

/** The position of `name` among a level's names, or -1. */
function positionIn(level: TrieLevel, name: string): number {
  const names = level.names;
  for (let i = 0; i < names.length; i++) if (names[i] === name) return i;
  return -1;
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
  readonly trie: TrieLevel | null;
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
 * One pass of the lexer (lexer/lexer.ts) over the whole document, fed in pieces: it refuses a
 * DTD and anything not well-formed (with its line and column when `whole` is the text; fed in
 * pieces, with `ScanRefused`, and the caller scans the whole text to say where). Records spans
 * only for `<sites>`, each `<site>` (or each site the filter names) and `<siteDefaults>`, the
 * tracked paths below them, and those sites' binding protocols; every other element costs the
 * lexer's own work and nothing more.
 */
export function createScanner(trie: PathTrie, options: ScanOptions = {}, whole?: string): Scanner {
  const sitesPath = options.sitesPath ?? SITES_IN_APPHOST;
  const tracked = compile(trie);
  const filter = options.siteFilter;
  const index = new SpanIndex();
  const stack: Frame[] = [];
  /** The last character of the piece before, to tell CRLF from LF at a piece's start. */
  let before = '';
  let newlineFound = false;

  const fail = (code: 'XML_MALFORMED' | 'XML_DTD' | 'XML_ENCODING', message: string, offset: number): never => {
    if (whole === undefined) throw new ScanRefused(message);
    const position = positionAt(whole, offset, options.file);
    throw new IisFtpsError(code, `${message} (line ${position.line}, column ${position.column})`, { position });
  };
  const refused = (e: unknown): never => {
    if (!(e instanceof XmlSyntaxError)) throw e;
    if (e.dtd) fail('XML_DTD', 'The document has a DTD (<!DOCTYPE ...>); it is refused, never expanded. applicationHost.config has none: remove it', e.offset);
    return fail('XML_MALFORMED', `The document is not well-formed XML: ${e.message}`, e.offset);
  };

  /**
   * Records an element: attributes for elements below a site or siteDefaults, the ones edits
   * touch; for the others (`<sites>`, `<site>`, `<siteDefaults>`) only where the attributes end.
   */
  const record = (tag: LexTag, name: string, parentStart: number, withAttrs: boolean): NodeId => {
    const count = tag.count;
    const attrsEnd = count > 0 ? tag.valueEnd(count - 1) + 1 : tag.start + 1 + name.length;
    // `name` is the tag's name as the scan knows it (a constant, or the trie's own string): the
    // index looks it up without hashing a new string for each element.
    const node = index.openNode({ name, start: tag.start, startTagEnd: tag.end, selfClosing: tag.selfClosing, attrsEnd, parentStart }, withAttrs ? count : 0);
    if (withAttrs) for (let i = 0; i < count; i++) index.addAttr(tag.attrName(i), tag.nameStart(i), tag.valueStart(i), tag.valueEnd(i), tag.value(i), tag.single(i));
    return node;
  };

  const lexer = createLexer({
    xmlDecl(encoding) {
      if (encoding !== undefined && encoding.toUpperCase() !== 'UTF-8' && encoding.toUpperCase() !== 'UTF8') {
        fail('XML_ENCODING', `The document declares encoding "${encoding}"; only UTF-8 is read (IIS writes UTF-8)`, 0);
      }
    },
    openTag(tag) {
      const depth = stack.length;
      const parent = stack[depth - 1];
      // Below an element nobody asked for, nothing is tracked: most of the document.
      if (parent === UNTRACKED) {
        stack.push(UNTRACKED);
        return;
      }
      let frame = UNTRACKED;
      const start = tag.start;
      if (parent && parent.node >= 0 && index.firstChildStart(parent.node) < 0) index.setFirstChildStart(parent.node, start);
      let at = -1;
      if ((parent ? parent.sitesDepth === depth - 1 : depth === 0) && sitesPath[depth] === tag.name) {
        let node = -1;
        if (depth === sitesPath.length - 1 && index.sitesNode < 0) {
          node = index.sitesNode = record(tag, sitesPath[depth]!, parent?.start ?? -1, false);
          const source = tag.get('configSource');
          index.configSource = source === undefined ? null : own(source);
        }
        frame = { name: tag.name, start, node, trie: null, sitesDepth: depth, site: -1, protocols: null };
      } else if (parent && parent.node >= 0 && parent.node === index.sitesNode && (tag.name === 'site' || tag.name === 'siteDefaults')) {
        if (tag.name === 'siteDefaults') {
          const node = record(tag, 'siteDefaults', parent.start, false);
          if (index.siteDefaults < 0) index.siteDefaults = node;
          frame = { name: tag.name, start, node, trie: tracked, sitesDepth: -1, site: -1, protocols: null };
        } else {
          const name = tag.get('name') ?? '';
          const rawId = tag.get('id');
          const id = rawId !== undefined && /^\d+$/.test(rawId) ? Number(rawId) : null;
          if (!filter || filter.names.has(name.toUpperCase()) || (id !== null && filter.ids.has(id))) {
            const node = record(tag, 'site', parent.start, false);
            const site = index.sites.add(name, id, node);
            frame = { name: tag.name, start, node, trie: tracked, sitesDepth: -1, site, protocols: null };
          } else index.sites.add(name, id, -1);
        }
      } else if (parent?.trie && (at = positionIn(parent.trie, tag.name)) >= 0) {
        const node = record(tag, parent.trie.names[at]!, parent.start, true);
        frame = { name: tag.name, start, node, trie: parent.trie.below[at]!, sitesDepth: -1, site: -1, protocols: null };
      } else if (tag.name === 'bindings' && parent && parent.site >= 0 && parent.protocols === null) {
        frame = { name: tag.name, start: -1, node: -1, trie: null, sitesDepth: -1, site: parent.site, protocols: [] };
      } else if (tag.name === 'binding' && parent?.name === 'bindings' && parent.protocols) {
        const protocol = tag.get('protocol');
        if (protocol !== undefined) parent.protocols.push(protocol.toLowerCase());
      }
      stack.push(frame);
    },
    // A self-closing tag is closed at once, its end tag "starting" where it ends.
    closeTag(start, end) {
      const frame = stack.pop()!;
      const n = frame.node;
      if (n >= 0) index.closeNode(n, start, end);
      else if (frame.protocols) index.sites.addProtocols(frame.site, frame.protocols);
    },
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
      try {
        lexer.write(text);
      } catch (e) {
        refused(e);
      }
    },
    close(source: TextSource): SpanIndex {
      try {
        lexer.close();
      } catch (e) {
        refused(e);
      }
      index.source = source;
      return index;
    },
  };
}
