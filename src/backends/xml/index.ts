import type { Backend, ChangeSet, CommitResult, ElementPath, FilePreview, RawElements, RawSite, RawSnapshot, ReadQuery, SiteRef } from '../../contract/index.js';
import { dirname } from 'node:path';
import { IisFtpsError } from '../../errors/errors.js';
import type { SitesDocument } from './document.js';
import type { Edit } from '../../edits/edits.js';
import { createHash } from 'node:crypto';
import { type FileBytes, checkReadable, piecesOf, readConfigFile } from './file/read.js';
import { changedOnDisk } from './file/source.js';
import { DocumentCache } from './cache.js';
import type { WriteFs } from './file/write.js';
import type { LockOptions } from './file/lock.js';
import { type BackupEntry, type BackupOptions, backupPolicy, listBackups } from './file/backup.js';
import { liveConfigPath } from './file/target.js';
import type { RestoreResult } from './restore.js';
import type { NodeId, SpanIndex } from './scan/spans.js';
import type { SiteNo } from './scan/sites.js';

/** The half of the backend that changes files (writer.ts), loaded by the first call that needs it. */
type Writer = typeof import('./writer.js');
let writer: Writer | undefined;
const loadWriter = async (): Promise<Writer> => (writer ??= await import('./writer.js'));

export interface XmlBackendOptions {
  /** Path of applicationHost.config (or a copy of it). */
  readonly path: string;
  /** Copies kept before each write: on by default, the last 10, in `.iis-ftps-history/` beside the file. */
  readonly backup?: BackupOptions | boolean;
  /** How long to wait for another writer's lock, and when a lock counts as a crashed writer's. */
  readonly lock?: LockOptions;
  /** The file operations of an atomic write; tests inject failures here. */
  readonly writeFs?: WriteFs;
}

/** The element at `path` below `node` (a site or siteDefaults), or -1. */
function nodeAt(index: SpanIndex, node: NodeId, path: readonly string[]): NodeId {
  let n = node;
  for (let i = 0; i < path.length && n >= 0; i++) n = index.child(n, path[i]!);
  return n;
}

/** The attributes set on each queried element below `node` (a site or siteDefaults), as the file holds them. */
function rawElements(index: SpanIndex, node: NodeId, elements: readonly ElementPath[]): RawElements {
  const out: RawElements = {};
  for (const { element, path } of elements) {
    const n = nodeAt(index, node, path);
    out[element] = n >= 0 ? index.attrValues(n) : {};
  }
  return out;
}

/**
 * A site of a read, answered from the span index: its attributes are looked up when asked for
 * and not kept, so reading every site of a large file builds no tree of them. `toJSON` gives
 * the plain data the other backends return.
 */
class IndexedSite implements RawSite {
  readonly #index: SpanIndex;
  readonly #site: SiteNo;
  readonly #elements: readonly ElementPath[];

  constructor(index: SpanIndex, site: SiteNo, elements: readonly ElementPath[]) {
    this.#index = index;
    this.#site = site;
    this.#elements = elements;
  }
  get name(): string {
    return this.#index.sites.name(this.#site);
  }
  get id(): number | null {
    return this.#index.sites.id(this.#site);
  }
  get protocols(): readonly string[] {
    return this.#index.sites.protocols(this.#site);
  }
  get elements(): RawElements {
    return rawElements(this.#index, this.#index.sites.node(this.#site), this.#elements);
  }
  attribute(element: string, attribute: string): string | undefined {
    const index = this.#index;
    let path: readonly string[] | undefined;
    // Index loops: a bulk change asks this for every setting of every site.
    const elements = this.#elements;
    for (let i = 0; i < elements.length; i++) {
      if (elements[i]!.element !== element) continue;
      path = elements[i]!.path;
      break;
    }
    const n = path ? nodeAt(index, index.sites.node(this.#site), path) : -1;
    const a = n >= 0 ? index.attr(n, attribute) : -1;
    return a >= 0 ? index.value(a) : undefined;
  }
  toJSON(): RawSite {
    return { name: this.name, id: this.id, protocols: [...this.protocols], elements: this.elements };
  }
}

export function siteNotFound(index: SpanIndex, ref: SiteRef): IisFtpsError {
  const names = index.sites.entries().map((s) => `${JSON.stringify(s.name)} (id ${s.id ?? '?'})`);
  const shown = names.length > 12 ? [...names.slice(0, 12), `and ${names.length - 12} more`] : names;
  const what = 'name' in ref ? `named ${JSON.stringify(ref.name)}` : `with id ${ref.id}`;
  const list = shown.length ? `Sites in the file: ${shown.join(', ')}` : 'The file has no sites';
  return new IisFtpsError('SITE_NOT_FOUND', `No site ${what}. ${list}`, { site: 'name' in ref ? ref.name : String(ref.id), allowed: names });
}

/**
 * The offline backend: reads and edits an applicationHost.config file on any OS. Edits splice
 * into the original text (docs/file-edits.md), commits are atomic and refused when the file
 * changed since it was read.
 */
export class XmlBackend implements Backend {
  readonly name = 'xml';
  readonly path: string;
  readonly options: XmlBackendOptions;
  /** The document the last read scanned, reused by the commit that follows it. */
  readonly #documents = new DocumentCache();

  constructor(options: XmlBackendOptions) {
    this.path = options.path;
    this.options = options;
    backupPolicy(options.path, options.backup);
  }

  /** The file IIS uses: `path`, through a symlink to its target, or where shared configuration redirects. */
  get livePath(): string {
    return liveConfigPath(this.path);
  }

  async read(query: ReadQuery): Promise<RawSnapshot> {
    const doc = this.#documents.read(this.livePath, query);
    const { index } = doc;
    const sites: RawSite[] = [];
    if (query.allSites) {
      for (let s = 0; s < index.sites.count; s++) if (index.sites.node(s) >= 0) sites.push(new IndexedSite(index, s, query.elements));
    } else {
      for (const ref of query.sites ?? []) {
        const s = index.sites.find(ref);
        if (s < 0) throw siteNotFound(index, ref);
        sites.push(new IndexedSite(index, s, query.elements));
      }
    }
    return { version: doc.version, siteDefaults: rawElements(index, index.siteDefaults, query.elements), sites };
  }

  /** The edits a change set makes, checked against the version it was made from. */
  #plan(w: Writer, changes: ChangeSet, livePath: string): { doc: SitesDocument; edits: Edit[] } {
    const doc = this.#documents.forChanges(livePath, changes);
    if (doc.version !== changes.version) {
      throw changedOnDisk(doc.file.file.path);
    }
    return { doc, edits: doc.file.holdingOpen(() => w.planEdits(doc.index, changes.changes)) };
  }

  /**
   * Holds the file's lock while `work` reads, plans and commits: a one-shot write never meets
   * another locking writer's change. Commits and restores inside take the same lock again at once.
   */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    const w = await loadWriter();
    const main = this.livePath;
    checkReadable(main);
    return w.withFileLock(main, this.options.lock ?? {}, work);
  }

  /** The edits a commit would make, with the file's text as it is (read whole: a preview is shown to a person). */
  async preview(changes: ChangeSet): Promise<FilePreview> {
    const { doc, edits } = this.#plan(await loadWriter(), changes, this.livePath);
    const now = readConfigFile(doc.file.file.path);
    if (now.hash !== doc.file.file.hash) throw changedOnDisk(now.path);
    return { file: now.path, before: now.text, edits };
  }

  /**
   * Read, check the version, back up and write, all with the file's lock held: a concurrent
   * writer waits, and a commit made against an older version is refused with CONFLICT.
   */
  async commit(changes: ChangeSet): Promise<CommitResult> {
    const w = await loadWriter();
    const main = this.livePath;
    return w.withFileLock(main, this.options.lock ?? {}, () => {
      const { doc, edits } = this.#plan(w, changes, main);
      const content = w.editedContent({ bom: doc.file.file.bom, source: doc.file }, edits);
      if (!content) {
        // Nothing to write, but the version must still be the one on disk: proven by the file's
        // stamp when it can be, by its hash otherwise (file/source.ts, verifyUnchanged).
        doc.main.verifyUnchanged();
        if (doc.file !== doc.main) doc.file.verifyUnchanged();
        return { written: false, version: doc.version };
      }
      this.#documents.forget();
      // Both copies read the file again and check its hash: a file changed since the scan fails with CONFLICT.
      const { file } = doc.file;
      const before = () => doc.file.bytes([[0, doc.file.length]], file.bom);
      // The new version's hash is taken from the pieces as they are written.
      const sha = createHash('sha256');
      this.#write(w, main, { path: file.path, bytes: before, size: file.size, linkable: true }, function* () {
        for (const piece of piecesOf(content)) {
          sha.update(piece);
          yield piece;
        }
      });
      const hash = sha.digest('hex');
      return { written: true, version: doc.file === doc.main ? hash : `${doc.main.file.hash}:${hash}` };
    });
  }

  /** Replaces a file's bytes (lock held): leftovers of crashed writers go, a backup is kept, then the atomic write. */
  #write(w: Writer, main: string, file: { readonly path: string; readonly bytes: FileBytes | null; readonly size: number; readonly linkable?: boolean }, bytes: FileBytes): BackupEntry | null {
    w.cleanStaleTemps(dirname(file.path));
    const policy = backupPolicy(main, this.options.backup);
    const kept = policy.enabled && file.bytes ? w.keepBackup(main, { ...file, bytes: file.bytes }, policy, this.options.writeFs) : null;
    try {
      w.writeFileAtomic(file.path, bytes, this.options.writeFs ?? w.nodeWriteFs);
    } catch (e) {
      kept?.undo();
      throw e;
    }
    kept?.done();
    return kept ? kept.entry : null;
  }


  /** The copies kept of this configuration (applicationHost.config and its configSource file), oldest first. */
  listBackups(): BackupEntry[] {
    const main = this.livePath;
    return listBackups(main, backupPolicy(main, this.options.backup));
  }

  /** Puts a kept copy back (`latest`, its counter or its name): a locked, atomic write that backs up the current version first. */
  async restore(which: string): Promise<RestoreResult> {
    const w = await loadWriter();
    const main = this.livePath;
    return w.withFileLock(main, this.options.lock ?? {}, () =>
      w.restoreConfigBackup(main, which, backupPolicy(main, this.options.backup), (file, bytes) => this.#write(w, main, file, bytes)),
    );
  }

  async close(): Promise<void> {
    this.#documents.forget();
  }
}

export function createXmlBackend(options: XmlBackendOptions): XmlBackend {
  return new XmlBackend(options);
}
