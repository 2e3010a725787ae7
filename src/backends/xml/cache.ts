import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ChangeSet, ReadQuery } from '../backend.js';
import { type SitesDocument, loadSites } from './document.js';
import { type LoadedFile, fileBytes, piecesOf } from './file/read.js';
import { type PathTrie, type SiteFilter, pathTrie, trieCovers } from './scan/scan.js';
import { findSite } from './edit/plan.js';

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

/**
 * True when the file on disk still holds exactly the bytes read (`file.bytes`, or its text
 * encoded again, which gives the same bytes). Compared piece by piece, so the check costs a
 * read of the file and no second copy of it in memory, and no hashing.
 */
export function sameOnDisk(file: LoadedFile): boolean {
  let fd: number;
  try {
    fd = openSync(file.path, 'r');
  } catch {
    return false;
  }
  try {
    const size = file.bytes?.length ?? file.size;
    if (fstatSync(fd).size !== size) return false;
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, size)));
    let at = 0;
    for (const piece of piecesOf(fileBytes(file))) {
      for (let off = 0; off < piece.length; ) {
        const want = Math.min(chunk.length, piece.length - off);
        let got = 0;
        while (got < want) {
          const n = readSync(fd, chunk, got, want - got, at + got);
          if (n <= 0) return false;
          got += n;
        }
        if (!chunk.subarray(0, want).equals(piece.subarray(off, off + want))) return false;
        off += want;
        at += want;
      }
    }
    return at === size;
  } finally {
    closeSync(fd);
  }
}

/** True when the document's index built every site the changes name (each site looked up once, however many changes it has). */
function holdsSites(doc: SitesDocument, changes: ChangeSet): boolean {
  let last: ChangeSet['changes'][number]['site'] = null;
  for (const c of changes.changes) {
    if (c.level === 'siteDefaults') continue;
    if (c.site === null) return false;
    if (last !== null && c.site.name === last.name && c.site.id === last.id) continue;
    if (findSite(doc.index, c.site) < 0) return false;
    last = c.site;
  }
  return true;
}

/**
 * The document a read scanned, kept for the commit that follows it: a commit made against that
 * version checks that the file still has the same bytes and plans its edits on the same index,
 * instead of reading, hashing and scanning the file a second time. Anything else (another
 * version, paths or sites the index does not hold, a changed file) scans afresh, and the usual
 * version check then decides.
 */
export class DocumentCache {
  #doc: SitesDocument | null = null;
  #trie: PathTrie | null = null;

  /** Reads and scans for a query, building nodes only for the sites it names, and keeps the result. */
  read(path: string, query: ReadQuery): SitesDocument {
    this.forget();
    const trie = pathTrie(query.elements.map((e) => e.path));
    const filter = siteFilterOf(query);
    const doc = loadSites(path, trie, filter ? { siteFilter: filter } : {});
    this.#doc = doc;
    this.#trie = trie;
    return doc;
  }

  /** The document to plan a change set on: the kept one when it still applies, else a fresh scan. */
  forChanges(path: string, changes: ChangeSet): SitesDocument {
    const trie = pathTrie([...new Set(changes.changes.map((c) => c.path))]);
    const kept = this.#doc;
    if (
      kept &&
      kept.main.path === path &&
      kept.version === changes.version &&
      trieCovers(this.#trie!, trie) &&
      holdsSites(kept, changes) &&
      sameOnDisk(kept.main) &&
      (kept.file === kept.main || sameOnDisk(kept.file))
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
  }
}
