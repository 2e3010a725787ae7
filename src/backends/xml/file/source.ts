import { createHash } from 'node:crypto';
import { type BigIntStats, closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { IisFtpsError } from '../../../errors/errors.js';
import { Gather } from './gather.js';
import type { OffsetMap } from './offsets.js';
import type { LinePrefix, TextSource } from './text.js';
import { UTF8_BOM } from './utf8.js';

/** Bytes per block read from the file; a few blocks are kept, the planner reads in file order. */
const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const BLOCKS_KEPT = 16;

/** Indentations of spaces, by length: one string each, shared by every line indented so. */
const SPACES: string[] = [];
const spacesOf = (n: number): string => (SPACES[n] ??= ' '.repeat(n));

/** What a file was when it was scanned: the version a commit must still find. */
export interface FileIdentity {
  readonly path: string;
  readonly bom: boolean;
  /** Size in bytes, BOM included. */
  readonly size: number;
  /** SHA-256 of the bytes. */
  readonly hash: string;
  /** Modification time when read, to tell cheaply that the file was touched since. */
  readonly mtimeMs: number;
  /** The file's stamp when it was opened for the scan: what `provesUnchanged` compares. */
  readonly stamp?: FileStamp;
}

/**
 * What the file system says of a file, to nanoseconds: device, inode, size, modification and
 * change time. The change time (ctime) cannot be set by a program (utimes sets the modification
 * time and moves the change time on), so a file whose stamp is the same was not written since,
 * unless the write fell in the same tick of the file system's clock as the stamp: `racy`.
 */
export interface FileStamp {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  /**
   * The file changed so shortly before it was stamped that a write just after could leave the
   * same times (as git's "racily clean" index entries): such a file is checked by its hash.
   */
  readonly racy: boolean;
}

/**
 * How long before the stamp a change must be for the stamp to prove anything. File times come
 * from a coarse clock (a kernel tick: 1 to 16 ms on Linux and Windows); file systems that keep
 * whole seconds or milliseconds only (FAT: 2 s) get a wider margin.
 */
const RACY_FINE_NS = 100_000_000n;
const RACY_COARSE_NS = 3_000_000_000n;

/** The stamp of an open file (fstat with nanoseconds), taken before its bytes are read. */
export function stampOf(st: BigIntStats, nowMs: number = Date.now()): FileStamp {
  const coarse = st.ctimeNs % 1_000_000n === 0n && st.mtimeNs % 1_000_000n === 0n;
  const latest = st.ctimeNs > st.mtimeNs ? st.ctimeNs : st.mtimeNs;
  const racy = BigInt(nowMs) * 1_000_000n - latest < (coarse ? RACY_COARSE_NS : RACY_FINE_NS);
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, racy };
}

const sameStamp = (a: FileStamp, b: BigIntStats): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

export function changedOnDisk(path: string): IisFtpsError {
  return new IisFtpsError('CONFLICT', `${path} changed on disk after it was read; nothing was written. Read it again and repeat the change`);
}

/**
 * The text of a file that is not held in memory: what the planner asks for is read from the file
 * in blocks, and a content written from it copies the file's own bytes. Every copy reads the
 * whole file and checks it is the version scanned, by its stamp or else its hash; a file changed
 * since fails with CONFLICT before anything is renamed into place.
 */
export class FileSource implements TextSource {
  readonly file: FileIdentity;
  readonly length: number;
  readonly #map: OffsetMap;
  readonly #bomBytes: number;
  readonly #blocks = new Map<number, Buffer>();

  constructor(file: FileIdentity, length: number, map: OffsetMap) {
    this.file = file;
    this.length = length;
    this.#map = map;
    this.#bomBytes = file.bom ? 3 : 0;
  }

  /** The file's byte offset of the character at `c`. */
  #byte(c: number): number {
    return this.#bomBytes + this.#map.toByte(c);
  }

  #block(no: number): Buffer {
    let block = this.#blocks.get(no);
    if (block) return block;
    // The oldest block's memory is reused: reading a large file leaves no blocks behind for the collector.
    let memory: Buffer | undefined;
    if (this.#blocks.size >= BLOCKS_KEPT) {
      const [oldest, kept] = this.#blocks.entries().next().value!;
      this.#blocks.delete(oldest);
      memory = Buffer.from(kept.buffer, kept.byteOffset, BLOCK);
    }
    block = this.#read(no * BLOCK, Math.min(this.file.size, (no + 1) * BLOCK), memory ?? Buffer.allocUnsafe(BLOCK));
    this.#blocks.set(no, block);
    return block;
  }

  /** Reads bytes [start, end) of the file (into `memory` when given); a file that ended early has changed. */
  #read(start: number, end: number, memory?: Buffer): Buffer {
    const out = memory ? memory.subarray(0, end - start) : Buffer.allocUnsafe(end - start);
    const held = this.#held;
    const fd = held >= 0 ? held : this.#open();
    try {
      for (let got = 0; got < out.length; ) {
        const n = readSync(fd, out, got, out.length - got, start + got);
        if (n <= 0) throw changedOnDisk(this.file.path);
        got += n;
      }
    } finally {
      if (held < 0) closeSync(fd);
    }
    return out;
  }

  /** The file kept open by `holdingOpen`, or -1. */
  #held = -1;

  /**
   * Runs `work` with the file kept open: the blocks it reads (a plan over thousands of sites
   * reads hundreds) need no open and close each. The file is closed when `work` ends.
   */
  holdingOpen<T>(work: () => T): T {
    if (this.#held >= 0) return work();
    this.#held = this.#open();
    try {
      return work();
    } finally {
      closeSync(this.#held);
      this.#held = -1;
    }
  }

  /**
   * `linePrefix` from the bytes of the blocks, without making strings of the line: the line's
   * blanks and line breaks are single bytes in UTF-8, so the walk back to the line break and the
   * indentation are found byte by byte, and an indentation of spaces is one shared string.
   */
  linePrefix(offset: number): LinePrefix | null {
    if (!(offset >= 0 && offset <= this.length)) return null;
    const bom = this.#bomBytes;
    const at = this.#byte(offset);
    let startsLine = true;
    /** The line's first byte. */
    let first = bom;
    for (let p = at - 1; p >= bom; ) {
      const no = p >> BLOCK_BITS;
      const block = this.#block(no);
      const base = no * BLOCK;
      const low = Math.max(bom, base) - base;
      let i = p - base;
      for (; i >= low; i--) {
        const c = block[i]!;
        if (c === 0x0a) break;
        if (c !== 0x20 && c !== 0x09) startsLine = false;
      }
      if (i >= low) {
        first = base + i + 1;
        break;
      }
      p = base - 1;
    }
    let end = first;
    let spaces = true;
    for (let no = -1, block: Buffer | null = null; end < at; end++) {
      if (end >> BLOCK_BITS !== no) block = this.#block((no = end >> BLOCK_BITS));
      const c = block![end & (BLOCK - 1)]!;
      if (c !== 0x20 && c !== 0x09) break;
      if (c === 0x09) spaces = false;
    }
    const indent = end === first ? '' : spaces ? spacesOf(end - first) : this.#bytes(first, end).toString('latin1');
    return { lineStart: first === bom ? 0 : this.#map.toChar(first - 1 - bom) + 1, indent, startsLine };
  }

  #open(): number {
    try {
      return openSync(this.file.path, 'r');
    } catch (e) {
      throw new IisFtpsError('FILE_READ', `${this.file.path} cannot be read again (${(e as NodeJS.ErrnoException).code ?? String(e)}); nothing was written`, {}, { cause: e });
    }
  }

  /** Bytes [start, end) of the file, from the blocks kept. */
  #bytes(start: number, end: number): Buffer {
    if (end <= start) return Buffer.alloc(0);
    const first = start >> BLOCK_BITS;
    const last = (end - 1) >> BLOCK_BITS;
    if (first === last) return this.#block(first).subarray(start - first * BLOCK, end - first * BLOCK);
    if (last - first > 2) return this.#read(start, end);
    const parts: Buffer[] = [];
    for (let no = first; no <= last; no++) {
      const block = this.#block(no);
      parts.push(block.subarray(Math.max(0, start - no * BLOCK), Math.min(block.length, end - no * BLOCK)));
    }
    return Buffer.concat(parts);
  }

  charCodeAt(i: number): number {
    if (!(i >= 0 && i < this.length)) return NaN;
    const map = this.#map;
    if (map.count > 0) {
      if (map.entryAt(i) >= 0) return this.slice(i, i + (this.#isPairAt(i) ? 2 : 1)).charCodeAt(0);
      if (i > 0 && map.entryAt(i - 1) >= 0 && this.#isPairAt(i - 1)) return this.slice(i - 1, i + 1).charCodeAt(1);
    }
    const b = this.#byte(i);
    return this.#block(b >> BLOCK_BITS)[b & (BLOCK - 1)]!;
  }

  /** True when the non-ASCII character at `c` takes four bytes (a surrogate pair in UTF-16). */
  #isPairAt(c: number): boolean {
    const b = this.#byte(c);
    return this.#block(b >> BLOCK_BITS)[b & (BLOCK - 1)]! >= 0xf0;
  }

  slice(start: number, end: number): string {
    start = Math.max(0, Math.min(start, this.length));
    end = Math.max(start, Math.min(end, this.length));
    return this.#bytes(this.#byte(start), this.#byte(end)).toString(this.#map.count === 0 ? 'latin1' : 'utf8');
  }

  lastIndexOf(ch: string, from: number): number {
    if (from < 0) return -1;
    from = Math.min(from, this.length - 1);
    const want = ch.charCodeAt(0);
    for (let b = this.#byte(from); b >= this.#bomBytes; ) {
      const no = b >> BLOCK_BITS;
      const block = this.#block(no);
      const at = block.lastIndexOf(want, b - no * BLOCK);
      if (at >= 0 && no * BLOCK + at >= this.#bomBytes) return this.#map.toChar(no * BLOCK + at - this.#bomBytes);
      if (at >= 0) return -1;
      b = no * BLOCK - 1;
    }
    return -1;
  }

  /**
   * Streams the file once from the start and gives the content: ranges are copied from the file,
   * strings encoded. Fails with CONFLICT when the bytes read are not the version scanned (proven
   * by the stamp, or else by hashing every byte); a caller writing the pieces to a temporary file
   * then removes it.
   */
  *bytes(parts: Iterable<readonly [number, number] | string>, bom: boolean): Iterable<Uint8Array> {
    const fd = this.#open();
    try {
      // A stamp that proves the file unchanged before and after the copy (see verifyUnchanged)
      // stands in for the hash, as it does for a commit with nothing to write.
      const proven = this.#stampProves(fd);
      const sha = proven ? null : createHash('sha256');
      const buf = Buffer.allocUnsafe(1 << 20);
      /** File bytes [bufAt, bufAt + bufLen) are in buf; `pos` is the next byte to use. */
      let bufAt = 0;
      let bufLen = 0;
      let pos = 0;
      let eof = false;
      const fill = (): void => {
        bufAt += bufLen;
        bufLen = eof ? 0 : readSync(fd, buf, 0, buf.length, bufAt);
        if (bufLen <= 0) {
          bufLen = 0;
          eof = true;
        } else sha?.update(buf.subarray(0, bufLen));
      };
      /** Moves to byte `to` without copying (what is passed over is still read, and hashed when the stamp proves nothing). */
      const skip = (to: number): void => {
        while (pos < to && !eof) {
          if (pos >= bufAt + bufLen) fill();
          else pos = Math.min(to, bufAt + bufLen);
        }
      };
      const out = new Gather();
      if (bom) yield* out.bytes(UTF8_BOM);
      skip(this.#bomBytes);
      // Passing over is plain calls; only the bytes copied go through the gatherer.
      for (const part of parts) {
        if (typeof part === 'string') {
          if (!out.tryText(part)) yield* out.text(part, 0, part.length, 'utf8');
          continue;
        }
        const from = this.#byte(part[0]);
        const to = this.#byte(part[1]);
        skip(from);
        while (pos < to && !eof) {
          if (pos >= bufAt + bufLen) {
            fill();
            continue;
          }
          const end = Math.min(to, bufAt + bufLen);
          const range = buf.subarray(pos - bufAt, end - bufAt);
          if (!out.tryBytes(range)) yield* out.bytes(range);
          pos = end;
        }
        if (pos < to) throw changedOnDisk(this.file.path);
      }
      if (sha) {
        // The rest of the file is read too: the hash covers every byte.
        while (!eof) {
          pos = bufAt + bufLen;
          fill();
        }
        if (bufAt !== this.file.size || sha.digest('hex') !== this.file.hash) throw changedOnDisk(this.file.path);
      } else if (!this.#stampProves()) throw changedOnDisk(this.file.path);
      yield* out.flush();
    } finally {
      closeSync(fd);
    }
  }

  /**
   * True when the stamp scanned was not racy and is still that of the open file (`fd`), or of
   * the file at the path (without `fd`: a file put in its place since the copy began shows).
   */
  #stampProves(fd?: number): boolean {
    const stamp = this.file.stamp;
    if (!stamp || stamp.racy) return false;
    try {
      return sameStamp(stamp, fd === undefined ? statSync(this.file.path, { bigint: true }) : fstatSync(fd, { bigint: true }));
    } catch {
      return false;
    }
  }

  /** False when the file's size or modification time differs from when it was scanned. */
  looksUnchanged(): boolean {
    try {
      const st = statSync(this.file.path);
      return st.size === this.file.size && st.mtimeMs === this.file.mtimeMs;
    } catch {
      return false;
    }
  }

  /** Checks the file against the version scanned as a copy does (the stamp, else every byte's hash), or fails with CONFLICT. */
  verify(): void {
    for (const piece of this.bytes([], false)) void piece;
  }

  /**
   * Checks that the file is still the version scanned, as cheaply as that can be proven: a stamp
   * (device, inode, size, modification and change time) that is the same and was not racy
   * proves it without reading; otherwise the whole file is read and its hash compared
   * (`verify`). Fails with CONFLICT when it changed.
   */
  verifyUnchanged(): void {
    const stamp = this.file.stamp;
    if (!stamp || stamp.racy) return this.verify();
    if (!this.#stampProves()) throw changedOnDisk(this.file.path);
  }
}
