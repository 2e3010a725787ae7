import type { Backend, ChangeSet, CommitResult, FilePreview, RawElements, RawSnapshot, ReadQuery, SiteRef } from '../backend.js';
import { IisFtpsError } from '../../errors/errors.js';
import { type SitesDocument, loadSites } from './document.js';
import { planEdits, findSite } from './edit/plan.js';
import { type Edit, applyEdits } from '../../changes/edits.js';
import { encodeFile, hashBytes } from './file/read.js';
import { writeFileAtomic } from './file/write.js';
import type { XmlIndex, XmlNode } from './scan/nodes.js';
import { type PathTrie, pathTrie } from './scan/scan.js';

export interface XmlBackendOptions {
  /** Path of applicationHost.config (or a copy of it). */
  readonly path: string;
}

function rawElements(node: XmlNode | null, query: ReadQuery): RawElements {
  const out: RawElements = {};
  for (const { element, path } of query.elements) {
    let n: XmlNode | undefined = node ?? undefined;
    for (const name of path) n = n?.children.get(name);
    const attrs: Record<string, string> = {};
    for (const a of n?.attrs ?? []) attrs[a.name] = a.value;
    out[element] = attrs;
  }
  return out;
}

export function siteNotFound(index: XmlIndex, ref: SiteRef): IisFtpsError {
  const names = index.sites.map((s) => `${JSON.stringify(s.name)} (id ${s.id ?? '?'})`);
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

  constructor(options: XmlBackendOptions) {
    this.path = options.path;
  }

  protected load(paths: readonly (readonly string[])[]): SitesDocument {
    return loadSites(this.path, pathTrie(paths));
  }

  async read(query: ReadQuery): Promise<RawSnapshot> {
    const doc = this.load(query.elements.map((e) => e.path));
    const { index } = doc;
    const pick = query.allSites
      ? index.sites
      : (query.sites ?? []).map((ref) => findSite(index, ref) ?? (() => { throw siteNotFound(index, ref); })());
    return {
      version: doc.version,
      siteDefaults: rawElements(index.siteDefaults, query),
      sites: pick.map((s) => ({ name: s.name, id: s.id, protocols: [...s.protocols], elements: rawElements(s.node, query) })),
    };
  }

  /** The edits a change set makes, checked against the version it was made from. */
  protected plan(changes: ChangeSet): { doc: SitesDocument; edits: Edit[] } {
    const doc = this.load(changes.changes.map((c) => c.path));
    if (doc.version !== changes.version) {
      throw new IisFtpsError(
        'CONFLICT',
        `${doc.file.path} changed on disk after it was read; nothing was written. Read it again and repeat the change`,
      );
    }
    return { doc, edits: planEdits(doc.index, changes.changes) };
  }

  async preview(changes: ChangeSet): Promise<FilePreview> {
    const { doc, edits } = this.plan(changes);
    return { file: doc.file.path, before: doc.file.text, edits };
  }

  async commit(changes: ChangeSet): Promise<CommitResult> {
    const { doc, edits } = this.plan(changes);
    const after = applyEdits(doc.file.text, edits);
    if (after === doc.file.text) return { written: false, version: doc.version };
    const bytes = encodeFile(doc.file, after);
    writeFileAtomic(doc.file.path, bytes);
    const hash = hashBytes(bytes);
    return { written: true, version: doc.file === doc.main ? hash : `${doc.main.hash}:${hash}` };
  }

  async close(): Promise<void> {}
}

export function createXmlBackend(options: XmlBackendOptions): XmlBackend {
  return new XmlBackend(options);
}

export type { PathTrie };
