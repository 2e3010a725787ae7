import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ChangeSet, ReadQuery } from '../backend.js';
import { type SitesDocument, loadSites } from './document.js';
import type { LoadedFile } from './file/read.js';
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
 * True when the file on disk still holds exactly `file.bytes`. Compared in chunks, so the check
 * costs a read of the file and no second copy of it in memory, and no hashing.
 */
export function sameOnDisk(file: LoadedFile): boolean {
  let fd: number;
  try {
    fd = openSync(file.path, 'r');
  } catch {
    return false;
  }
  try {
    if (fstatSync(fd).size !== file.bytes.length) return false;
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, Math.max(1, file.bytes.length)));
    for (let at = 0; at < file.bytes.length; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, file.bytes.length - at), at);
      if (n <= 0 || !chunk.subarray(0, n).equals(file.bytes.subarray(at, at + n))) return false;
      at += n;
    }
    return true;
  } finally {
    closeSync(fd);
  }
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
    const trie = pathTrie(changes.changes.map((c) => c.path));
    const kept = this.#doc;
    if (
      kept &&
      kept.main.path === path &&
      kept.version === changes.version &&
      trieCovers(this.#trie!, trie) &&
      changes.changes.every((c) => c.level === 'siteDefaults' || (c.site !== null && findSite(kept.index, c.site) !== undefined)) &&
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
