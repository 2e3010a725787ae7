/** Source spans of one attribute in a start tag. Offsets are UTF-16 indexes into the text. */
export interface XmlAttr {
  readonly name: string;
  /** Offset of the attribute's name. */
  readonly start: number;
  /** Offset just after the opening quote. */
  readonly valueStart: number;
  /** Offset of the closing quote. */
  readonly valueEnd: number;
  readonly quote: '"' | "'";
  /** The value with entities decoded and white space normalized, as an XML parser reports it. */
  readonly value: string;
}

/** An element on one of the tracked paths, with every span an edit needs. */
export interface XmlNode {
  readonly name: string;
  /** Offset of `<`. */
  readonly start: number;
  /** Offset just after the element name in the start tag. */
  readonly nameEnd: number;
  /** Offset just after the start tag's `>`. */
  readonly startTagEnd: number;
  readonly selfClosing: boolean;
  /** Offset of `</` (equal to `startTagEnd` when self-closing). */
  endTagStart: number;
  /** Offset just after the element. */
  end: number;
  readonly attrs: readonly XmlAttr[];
  /** Tracked child elements, by name (the first of each name). Leaves share one empty map. */
  children: ReadonlyMap<string, XmlNode>;
  /** Offset of the parent's `<`, or -1 for the root. */
  readonly parentStart: number;
  /** Offset of the first child element's `<` (any name), or -1. */
  firstChildStart: number;
}

/** A site as listed: its name (unescaped) and id. */
export interface SiteEntry {
  readonly name: string;
  readonly id: number | null;
}

export interface XmlSite {
  readonly node: XmlNode;
  readonly name: string;
  readonly id: number | null;
  readonly protocols: string[];
}

/** The span index of one document: what the offline backend reads and edits. */
export interface XmlIndex {
  /** The document text without a byte-order mark. */
  readonly text: string;
  /** The sites with nodes built: every site, or those a scan's filter named, in file order. */
  readonly sites: readonly XmlSite[];
  /** Every site in the file, in file order, whether its nodes were built or not. */
  readonly allSites: readonly SiteEntry[];
  readonly siteDefaults: XmlNode | null;
  /** The `<sites>` element, or null when the document has none. */
  readonly sitesNode: XmlNode | null;
  /** `configSource` of `<sites>`, when the section lives in another file. */
  readonly configSource: string | null;
}

/** The line indentation of the element starting at `offset`: the blanks between the line start and `<`. */
export function indentAt(text: string, offset: number): string {
  if (offset < 0) return '';
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lead = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(lead) ? lead : (/^[ \t]*/.exec(lead)?.[0] ?? '');
}

/** True when only blanks stand between the line start and `offset`. */
export function startsLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*$/.test(text.slice(lineStart, offset));
}
