import { IntColumn } from '../columns.js';
import { own } from './strings.js';

/** A site's number, in file order; -1 means "none". */
export type SiteNo = number;
/** An element's number in the span index (see spans.ts); -1 means "none". */
type NodeId = number;

/** One site as listed: its name (unescaped) and id. */
export interface SiteEntry {
  readonly name: string;
  readonly id: number | null;
}

/**
 * Every site of a document, in file order: its name, id and binding protocols, and its
 * `<site>` element in the span index when the scan built it (the sites a read names, or all of
 * them). Lookups by name and id are built on first use.
 */
export class SiteRegistry {
  count = 0;

  readonly #names: string[] = [];
  readonly #ids: (number | null)[] = [];
  readonly #nodes = new IntColumn();
  readonly #protocols = new IntColumn();
  /** Distinct lists of binding protocols; sites hold their number. */
  readonly #protocolSets: (readonly string[])[] = [];
  readonly #protocolSetIds = new Map<string, number>();
  #byExactName: Map<string, SiteNo> | null = null;
  #byName: Map<string, SiteNo[]> | null = null;
  #byId: Map<number, SiteNo> | null = null;
  /** The set of no protocols, which every site has until its bindings are read. */
  readonly #noProtocols = this.#protocolSet([]);

  /** Lists a site; its nodes are built (`node`) or not (-1). */
  add(name: string, id: number | null, node: NodeId): SiteNo {
    const s = this.count++;
    this.#names.push(own(name));
    this.#ids.push(id);
    this.#nodes.set(s, node);
    this.#protocols.set(s, this.#noProtocols);
    return s;
  }

  /** Adds the protocols of one `<bindings>` element to the site's. */
  addProtocols(s: SiteNo, protocols: readonly string[]): void {
    const known = this.protocols(s);
    this.#protocols.set(s, this.#protocolSet(known.length ? [...known, ...protocols] : protocols));
  }

  #protocolSet(protocols: readonly string[]): number {
    const key = protocols.join('\n');
    let id = this.#protocolSetIds.get(key);
    if (id === undefined) {
      id = this.#protocolSets.length;
      this.#protocolSets.push(Object.freeze(protocols.map(own)));
      this.#protocolSetIds.set(key, id);
    }
    return id;
  }

  name(s: SiteNo): string {
    return this.#names[s]!;
  }
  id(s: SiteNo): number | null {
    return this.#ids[s]!;
  }
  /** The site's `<site>` element, or -1 when the scan listed the site without building its nodes. */
  node(s: SiteNo): NodeId {
    return this.#nodes.get(s);
  }
  /** Protocols of the site's bindings, lower-case; one shared frozen list per distinct set. */
  protocols(s: SiteNo): readonly string[] {
    return this.#protocolSets[this.#protocols.get(s)]!;
  }
  /** Every site in the file, in file order. */
  entries(): SiteEntry[] {
    const out: SiteEntry[] = [];
    for (let s = 0; s < this.count; s++) out.push({ name: this.name(s), id: this.id(s) });
    return out;
  }

  /**
   * The site a reference names, among the sites whose nodes were built: by name
   * (case-insensitive; the stored spelling is tried first) and, when an id is given too, with
   * that id; or by id alone. -1 when there is none.
   */
  find(ref: { readonly name?: string; readonly id?: number | null }): SiteNo {
    if (ref.name === undefined) {
      if (ref.id == null) return -1;
      if (!this.#byId) {
        this.#byId = new Map();
        for (let s = 0; s < this.count; s++) {
          const id = this.id(s);
          if (id !== null && this.node(s) >= 0 && !this.#byId.has(id)) this.#byId.set(id, s);
        }
      }
      return this.#byId.get(ref.id) ?? -1;
    }
    // Change sets name sites as stored: the stored spelling finds them without an upper-cased copy of every name.
    if (!this.#byExactName) {
      this.#byExactName = new Map();
      for (let s = 0; s < this.count; s++) if (this.node(s) >= 0 && !this.#byExactName.has(this.name(s))) this.#byExactName.set(this.name(s), s);
    }
    const exact = this.#byExactName.get(ref.name);
    if (exact !== undefined && (ref.id == null || this.id(exact) === ref.id)) return exact;
    if (!this.#byName) {
      this.#byName = new Map();
      for (let s = 0; s < this.count; s++) {
        if (this.node(s) < 0) continue;
        const key = this.name(s).toUpperCase();
        const list = this.#byName.get(key);
        if (list) list.push(s);
        else this.#byName.set(key, [s]);
      }
    }
    const found = this.#byName.get(ref.name.toUpperCase());
    if (!found) return -1;
    for (const s of found) if (ref.id == null || this.id(s) === ref.id) return s;
    return -1;
  }

  /** The `<site>` element a reference names (see `find`), or -1. */
  findNode(ref: { readonly name?: string; readonly id?: number | null }): NodeId {
    const s = this.find(ref);
    return s < 0 ? -1 : this.node(s);
  }
}
