import { writeSync } from 'node:fs';
import { type WriteFs, nodeWriteFs } from '../../src/backends/xml/file/write.js';

/**
 * Test double of the atomic write's file operations for the crash test: behaves like node:fs,
 * but counts every operation (open, write, fsync, close, rename, link of a backup, unlink of a
 * backup or of the new version) and, on reaching operation number `stopAt`, prints `stop N OP PATH` on stdout and
 * blocks the process for good, before doing it, so that the parent's SIGKILL lands exactly there:
 * with the lock held, and with a backup or a new version part written. What it reaches depends
 * on the count alone, not on how fast the machine is.
 */
export class PhaseWriteFsDouble implements WriteFs {
  #count = 0;
  readonly #stopAt: number;
  readonly #paths = new Map<number, string>();

  /** `stopAt` 0 never stops. */
  constructor(stopAt: number) {
    this.#stopAt = stopAt;
  }

  /** Operations made so far. */
  get count(): number {
    return this.#count;
  }

  #step(op: string, path: string): void {
    this.#count++;
    if (this.#count !== this.#stopAt) return;
    writeSync(1, `stop ${this.#count} ${op} ${path}\n`);
    // Wait for the SIGKILL: a blocked thread runs nothing more, so the files stay as they are now.
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }

  open(path: string, flags: string, mode: number): number {
    this.#step('open', path);
    const fd = nodeWriteFs.open(path, flags, mode);
    this.#paths.set(fd, path);
    return fd;
  }
  write(fd: number, bytes: Uint8Array, offset: number, length: number): number {
    this.#step('write', this.#paths.get(fd) ?? String(fd));
    // Half a piece at a time, so a stop can also fall inside what one write would have done.
    return nodeWriteFs.write(fd, bytes, offset, Math.max(1, Math.min(length, Math.ceil(length / 2))));
  }
  fsync(fd: number): void {
    this.#step('fsync', this.#paths.get(fd) ?? String(fd));
    nodeWriteFs.fsync(fd);
  }
  close(fd: number): void {
    this.#step('close', this.#paths.get(fd) ?? String(fd));
    this.#paths.delete(fd);
    nodeWriteFs.close(fd);
  }
  rename(from: string, to: string): void {
    this.#step('rename', to);
    nodeWriteFs.rename(from, to);
  }
  link(existing: string, newPath: string): void {
    this.#step('link', newPath);
    nodeWriteFs.link!(existing, newPath);
  }
  unlink(path: string): void {
    this.#step('unlink', path);
    nodeWriteFs.unlink(path);
  }
  mode(path: string): number | undefined {
    return nodeWriteFs.mode(path);
  }
}
