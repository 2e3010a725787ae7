/**
 * The backend interface: the whole contract between the product and a configuration store.
 *
 * A backend knows nothing of the schema. It is told which elements to read (by path below
 * `ftpServer`'s owner, i.e. below a `<site>` or `<siteDefaults>`), returns the attributes that are
 * set at each level as raw values, and commits a change set all at once or not at all.
 *
 * Raw values are what the store holds: the offline backend returns attribute text; the live
 * backends return what ServerManager returns (numbers for enums and flags, booleans, TimeSpans as
 * `{ Ticks }` or `d.hh:mm:ss` strings). The schema's codecs turn either into canonical values.
 *
 * Everything here crosses process boundaries as JSON (PowerShell, edge-js), so every type is
 * plain data. One allowance: a backend may answer a site's fields through getters, computed
 * when read (the offline backend does, so that reading every site of a large file builds nothing
 * per site); such a site gives the same plain data through `toJSON`, and readers must not expect
 * `elements` to be the same object twice.
 */

/** How a change set or a query names one site. `name` is matched case-insensitively. */
export type SiteRef = { readonly name: string } | { readonly id: number };

/** An element to read or write, located by its path below `<site>` / `<siteDefaults>`. */
export interface ElementPath {
  /** The schema's name for the element, e.g. `sslClientCertificates`. */
  readonly element: string;
  /** XML element names from the site down, e.g. `["ftpServer", "security", "sslClientCertificates"]`. */
  readonly path: readonly string[];
}

/** Which sites to read. `siteDefaults` is always read. */
export interface ReadQuery {
  readonly elements: readonly ElementPath[];
  /** Sites named explicitly; each must exist, else the read fails with `SITE_NOT_FOUND`. */
  readonly sites?: readonly SiteRef[];
  /** Read every site in the file (for bulk selection by pattern or binding). */
  readonly allSites?: boolean;
}

/** A TimeSpan as it comes from .NET through JSON. */
export interface RawTimeSpan {
  readonly Ticks: number;
}

export type RawValue = string | number | boolean | RawTimeSpan;

/** Attributes set at one level: element name -> attribute name -> raw value. Absent = not set there. */
export type RawElements = Record<string, Record<string, RawValue>>;

export interface RawSite {
  /** The site's name as stored (unescaped). */
  readonly name: string;
  readonly id: number | null;
  /** Protocols of the site's bindings, lower-case (`ftp`, `http`, ...). */
  readonly protocols: readonly string[];
  readonly elements: RawElements;
  /**
   * Optional: one attribute's stored value (undefined when not set), the same as
   * `elements[element]?.[attribute]`, for a backend that answers lazily and can do so without
   * building every element's record.
   */
  attribute?(element: string, attribute: string): RawValue | undefined;
}

export interface RawSnapshot {
  /**
   * An opaque token naming the version of the store that was read. A commit carries it back;
   * the backend refuses the commit with `CONFLICT` when the store has changed since.
   */
  readonly version: string;
  readonly siteDefaults: RawElements;
  /** The sites asked for (in query order), or every site (in file order) with `allSites`. */
  readonly sites: readonly RawSite[];
}

/** The XML-level type of a value, so a live backend can hand ServerManager the right .NET type. */
export type ValueType = 'enum' | 'flags' | 'timeSpan' | 'bool' | 'string';

/** One attribute change. `value: null` removes the attribute so it inherits again. */
export interface Change {
  readonly level: 'site' | 'siteDefaults';
  /** The site, for `level: "site"`: both its stored name and id, as read. */
  readonly site: { readonly name: string; readonly id: number | null } | null;
  readonly element: string;
  readonly path: readonly string[];
  readonly attribute: string;
  readonly type: ValueType;
  /** Canonical text as written to the file, or null to remove the attribute. */
  readonly value: string | null;
  /** For enum and flags: the numeric value of `value`. */
  readonly number?: number;
}

export interface ChangeSet {
  /** The version read; the commit is refused when the store no longer has it. */
  readonly version: string;
  readonly changes: readonly Change[];
}

export interface CommitResult {
  /** False when nothing needed writing (every value was already so): the store is untouched. */
  readonly written: boolean;
  /** The store's version after the commit. */
  readonly version: string;
}

/** Replace `[start, end)` of a text with `text`; an insertion has `start === end`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** What a commit would do to a file, for `--what-if` diffs. */
export interface FilePreview {
  readonly file: string;
  readonly before: string;
  readonly edits: readonly TextEdit[];
}

export interface Backend {
  /** A short name: `xml`, `powershell`, `edge`. */
  readonly name: string;
  read(query: ReadQuery): Promise<RawSnapshot>;
  commit(changes: ChangeSet): Promise<CommitResult>;
  /** Optional: backends that edit a file as text can show what a commit would do, writing nothing. */
  preview?(changes: ChangeSet): Promise<FilePreview>;
  findCertificate?(thumbprint: string, storeName?: string): Promise<CertificateInfo | null>;
  /** Release processes and handles. Safe to call more than once. */
  close(): Promise<void>;
}

/** A certificate as a live backend finds it in the machine's certificate store. */
export interface CertificateInfo {
  /** 40 upper-case hex digits. */
  readonly thumbprint: string;
  /** The store it is in, e.g. `My` or `WebHosting`. */
  readonly store: string;
  readonly subject: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly hasPrivateKey: boolean;
  /** Enhanced key usage OIDs; null when the certificate has no EKU extension (usable for any purpose). */
  readonly enhancedKeyUsages: readonly string[] | null;
}
