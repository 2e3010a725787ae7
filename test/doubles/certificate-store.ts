/**
 * A test double of a live backend's certificate store: the offline backend (a real file), with
 * `findCertificate` answered from certificates a test puts in, as a live engine answers it from
 * LocalMachine\STORE (no store name: `My`, then `WebHosting`; store names compare
 * case-insensitively, as Windows' store names do). Every lookup is recorded.
 */
import type { Backend, CertificateInfo, ChangeSet, CommitResult, FilePreview, RawSnapshot, ReadQuery } from '../../src/contract/index.js';
import { createXmlBackend } from '../../src/backends/xml/index.js';
import type { CertificateFacts } from '../../src/certificates/judge.js';

export class CertificateStoreDouble implements Backend {
  readonly name = 'certificate-store-double';
  readonly #inner: Backend;
  readonly #certificates: CertificateInfo[] = [];
  readonly lookups: { thumbprint: string; storeName: string | undefined }[] = [];
  commits = 0;

  constructor(inner: Backend) {
    this.#inner = inner;
  }

  static open(config: string, options: { backup?: boolean } = {}): CertificateStoreDouble {
    return new CertificateStoreDouble(createXmlBackend({ path: config, ...(options.backup === undefined ? {} : { backup: options.backup }) }));
  }

  /** Puts a certificate into LocalMachine\STORE, with or without its private key. */
  add(facts: CertificateFacts, store = 'My', hasPrivateKey = true): CertificateInfo {
    const info: CertificateInfo = {
      thumbprint: facts.thumbprint,
      store,
      subject: facts.subject,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      hasPrivateKey,
      enhancedKeyUsages: facts.enhancedKeyUsages,
    };
    this.#certificates.push(info);
    return info;
  }

  async findCertificate(thumbprint: string, storeName?: string): Promise<CertificateInfo | null> {
    this.lookups.push({ thumbprint, storeName });
    const stores = storeName === undefined ? ['My', 'WebHosting'] : [storeName];
    for (const store of stores) {
      const hit = this.#certificates.find((c) => c.store.toUpperCase() === store.toUpperCase() && c.thumbprint === thumbprint.toUpperCase());
      if (hit) return hit;
    }
    return null;
  }

  read(query: ReadQuery): Promise<RawSnapshot> {
    return this.#inner.read(query);
  }

  commit(changes: ChangeSet): Promise<CommitResult> {
    this.commits++;
    return this.#inner.commit(changes);
  }

  preview(changes: ChangeSet): Promise<FilePreview> {
    return this.#inner.preview!(changes);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
