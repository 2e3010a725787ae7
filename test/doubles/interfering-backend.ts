import { readFileSync, writeFileSync } from 'node:fs';
import type { Backend, ChangeSet, CommitResult, ReadQuery, RawSnapshot } from '../../src/contract/index.js';
import { XmlBackend } from '../../src/backends/xml/index.js';

/**
 * Test double of a backend whose store another writer changes behind its back: it wraps the
 * offline backend on a file and, just before each of its first `interferences` commits, rewrites
 * the file as a writer that takes no lock would (IIS itself, appcmd, an editor): it adds a
 * comment after the XML declaration, so the bytes change and the settings do not. The commit that
 * follows meets a changed file and is refused with CONFLICT, as the real one is.
 *
 * With `holdable: false` it has no `exclusive`, as a live backend (ServerManager holds no lock).
 * `calls` records the order of what it was asked to do, so a test can see what ran under the hold.
 */
export class InterferingBackendDouble implements Backend {
  readonly name = 'interfering-double';
  readonly inner: XmlBackend;
  /** Commits asked for so far, and interferences made. */
  commits = 0;
  interfered = 0;
  readonly calls: string[] = [];
  readonly #path: string;
  readonly #interferences: number;
  readonly exclusive?: <T>(work: () => Promise<T>) => Promise<T>;

  constructor(path: string, options: { readonly interferences: number; readonly holdable: boolean }) {
    this.#path = path;
    this.#interferences = options.interferences;
    this.inner = new XmlBackend({ path, backup: false });
    if (options.holdable) {
      this.exclusive = async (work) => {
        this.calls.push('hold');
        try {
          return await this.inner.exclusive(work);
        } finally {
          this.calls.push('release');
        }
      };
    }
  }

  read(query: ReadQuery): Promise<RawSnapshot> {
    this.calls.push('read');
    return this.inner.read(query);
  }

  commit(changes: ChangeSet): Promise<CommitResult> {
    this.calls.push('commit');
    this.commits++;
    if (this.interfered < this.#interferences) {
      this.interfered++;
      const text = readFileSync(this.#path, 'utf8');
      const decl = text.indexOf('?>') + 2;
      writeFileSync(this.#path, `${text.slice(0, decl)}\r\n<!-- edited by another tool (${this.interfered}) -->${text.slice(decl)}`);
    }
    return this.inner.commit(changes);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
