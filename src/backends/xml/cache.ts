import type { ChangeSet, ReadQuery } from '../../contract/index.js';
import { type SitesDocument, loadSites } from './document.js';
import { type PathTrie, type SiteFilter, pathTrie, trieCovers } from './scan/scan.js';

/** The sites a read names, as a scan filter; none for a read of every site. */
export function siteFilterOf(query: Pick<ReadQuery, 'sites' | 'allSites'>): SiteFilter | undefined {
  if (query.allSites) return undefined;
  const names = new Set<string>();
  const ids = new Set<number>();
  for (const ref of query.sites ?? []) {
    if ('name' in ref) names.add(ref.name.toUpperCase());
    else ids.add(ref.id);
  }
  return { names, ids };
}

/** True when the document's index built every site the changes name (each site looked up once, however many changes it has). */
function holdsSites(doc: SitesDocument, changes: ChangeSet): boolean {
  let last: ChangeSet['changes'][number]['site'] = null;
  for (const c of changes.changes) {
    if (c.level === 'siteDefaults') continue;
    if (c.site === null) return false;
    if (last !== null && c.site.name === last.name && c.site.id === last.id) continue;
    if (doc.index.sites.find(c.site) < 0) return false;
    last = c.site;
  }
  return true;
}

/**
 * The document a read scanned, kept for the commit that follows it: a commit made against that
 * version plans its edits on the same index instead of reading and scanning the file a second
 * time. Anything else (another version, paths or sites the index does not hold, a file whose
 * size or time changed) scans afresh, and the usual version check then decides. A change that
 * leaves size and time alone is still caught: the commit's copy of the file checks its stamp or hash.
 */
export class DocumentCache {
  #doc: SitesDocument | null = null;
  #trie: PathTrie | null = null;
  /** The kept document was scanned with no site filter: it built every site, so none need looking up. */
  #everySite = false;

  /** Reads and scans for a query, building nodes only for the sites it names, and keeps the result. */
  read(path: string, query: ReadQuery): SitesDocument {
    this.forget();
    const trie = pathTrie(query.elements.map((e) => e.path));
    const filter = siteFilterOf(query);
    const doc = loadSites(path, trie, filter ? { siteFilter: filter } : {});
    this.#doc = doc;
    this.#trie = trie;
    this.#everySite = filter === undefined;
    return doc;
  }

  /** The document to plan a change set on: the kept one when it still applies, else a fresh scan. */
  forChanges(path: string, changes: ChangeSet): SitesDocument {
    const trie = pathTrie([...new Set(changes.changes.map((c) => c.path))]);
    const kept = this.#doc;
    if (
      kept &&
      kept.main.file.path === path &&
      kept.version === changes.version &&
      trieCovers(this.#trie!, trie) &&
      (this.#everySite || holdsSites(kept, changes)) &&
      kept.main.looksUnchanged() &&
      (kept.file === kept.main || kept.file.looksUnchanged())
    ) {
      return kept;
    }
    this.forget();
    return loadSites(path, trie);
  }

  /** Drops the kept document (after a write, or on close). */
  forget(): void {
    this.#doc = null;
    this.#trie = null;
    this.#everySite = false;
  }
}
