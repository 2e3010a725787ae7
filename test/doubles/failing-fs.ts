import { type WriteFs, nodeWriteFs } from '../../src/backends/xml/file/write.js';

/**
 * Test double of the atomic write's file operations: behaves like node:fs until the step it is
 * told to fail, then throws the errno error a full disk, a refused permission or a read-only
 * file system gives. A write can fail part way (after `afterBytes` bytes), as ENOSPC does.
 * It only fails writes to paths that match `when` (default: every path).
 */
export type FailingStep = 'open' | 'write' | 'fsync' | 'close' | 'rename' | 'link';

export interface FailingWriteFsOptions {
  readonly step: FailingStep;
  readonly code: 'ENOSPC' | 'EACCES' | 'EPERM' | 'EROFS' | 'EIO' | 'EDQUOT' | 'EXDEV';
  readonly afterBytes?: number;
  readonly when?: (path: string) => boolean;
  /** Offer `link` (hard links for backups), as node:fs does; without it a backup is always copied. On when `step` is `link`. */
  readonly links?: boolean;
}

export class FailingWriteFsDouble implements WriteFs {
  readonly calls: string[] = [];
  /** Temporary files this double created, to check they are removed. */
  readonly created = new Set<string>();
  readonly #fdPaths = new Map<number, string>();
  #written = 0;
  readonly #o: FailingWriteFsOptions;

  /** Present with `links` (or a failing `link` step): a backup may then be a hard link. */
  readonly link?: (existing: string, newPath: string) => void;

  constructor(options: FailingWriteFsOptions) {
    this.#o = options;
    if (options.links || options.step === 'link') {
      this.link = (existing, newPath) => {
        this.calls.push(`link ${existing} ${newPath}`);
        this.#fail('link', newPath);
        nodeWriteFs.link!(existing, newPath);
      };
    }
  }

  #fail(step: FailingStep, path: string): void {
    if (step !== this.#o.step || !(this.#o.when?.(path) ?? true)) return;
    const e = new Error(`${this.#o.code}: simulated by FailingWriteFsDouble, ${step} '${path}'`) as NodeJS.ErrnoException;
    e.code = this.#o.code;
    throw e;
  }

  open(path: string, flags: string, mode: number): number {
    this.calls.push(`open ${path}`);
    this.#fail('open', path);
    const fd = nodeWriteFs.open(path, flags, mode);
    this.created.add(path);
    this.#fdPaths.set(fd, path);
    return fd;
  }

  write(fd: number, bytes: Uint8Array, offset: number, length: number): number {
    const path = this.#fdPaths.get(fd) ?? '';
    if (this.#o.step === 'write' && (this.#o.when?.(path) ?? true)) {
      const room = Math.max(0, (this.#o.afterBytes ?? 0) - this.#written);
      if (room === 0) this.#fail('write', path);
      const n = nodeWriteFs.write(fd, bytes, offset, Math.min(length, room));
      this.#written += n;
      return n;
    }
    return nodeWriteFs.write(fd, bytes, offset, length);
  }

  fsync(fd: number): void {
    this.#fail('fsync', this.#fdPaths.get(fd) ?? '');
    nodeWriteFs.fsync(fd);
  }

  close(fd: number): void {
    const path = this.#fdPaths.get(fd) ?? '';
    this.#fdPaths.delete(fd);
    nodeWriteFs.close(fd);
    this.#fail('close', path);
  }

  rename(from: string, to: string): void {
    this.calls.push(`rename ${from} ${to}`);
    this.#fail('rename', to);
    nodeWriteFs.rename(from, to);
  }

  unlink(path: string): void {
    nodeWriteFs.unlink(path);
  }

  mode(path: string): number | undefined {
    return nodeWriteFs.mode(path);
  }
}
