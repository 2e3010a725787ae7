import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { IisFtpsError } from '../../../errors/errors.js';
import { IntColumn } from '../columns.js';

export const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** True for the first code unit of a surrogate pair: a text is never cut after one. */
export const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/** Bytes per piece of a written content: pieces are gathered up to this size. */
const PIECE_BYTES = 3 << 18;

/**
 * The text of a document, as the planner and the writer see it: offsets are UTF-16 offsets into
 * the text without its BOM, as the scan reported them. A source either holds the text
 * (`StringSource`) or reads what is asked for from the file (`FileSource`), so that a large file
 * is never held whole.
 */
export interface TextSource {
  /** Length of the text in UTF-16 code units. */
  readonly length: number;
  /** The code unit at `i`, NaN outside the text. */
  charCodeAt(i: number): number;
  /** The text between two offsets that fall between characters. */
  slice(start: number, end: number): string;
  /** Offset of the last `ch` (one ASCII character) at or before `from`, or -1. */
  lastIndexOf(ch: string, from: number): number;
  /**
   * The UTF-8 bytes of a content made of ranges of this text and strings of their own, after a
   * BOM when `bom`, as pieces (each valid only until the next is asked for).
   */
  bytes(parts: Iterable<readonly [number, number] | string>, bom: boolean): Iterable<Uint8Array>;
}

/** Writes a string's UTF-8 into a gathering buffer, yielding the buffer each time it fills. */
class Gather {
  readonly #scratch = Buffer.allocUnsafe(PIECE_BYTES);
  #filled = 0;

  *bytes(bytes: Uint8Array): Iterable<Uint8Array> {
    let off = 0;
    while (off < bytes.length) {
      const n = Math.min(this.#scratch.length - this.#filled, bytes.length - off);
      this.#scratch.set(bytes.subarray(off, off + n), this.#filled);
      this.#filled += n;
      off += n;
      if (this.#filled === this.#scratch.length) yield* this.flush();
    }
  }

  /** Appends `s.slice(at, end)` encoded as `enc` (latin1 only for ASCII text). */
  *text(s: string, at: number, end: number, enc: 'utf8' | 'latin1'): Iterable<Uint8Array> {
    const scratch = this.#scratch;
    while (at < end) {
      // Room for the rest at three bytes a character at most, else a piece's worth.
      if ((end - at) * 3 > scratch.length - this.#filled && this.#filled > 0) yield* this.flush();
      let to = Math.min(end, at + Math.floor((scratch.length - this.#filled) / 3));
      if (to < end && isHighSurrogate(s.charCodeAt(to - 1))) to--;
      this.#filled += scratch.write(to - at === s.length ? s : s.slice(at, to), this.#filled, enc);
      at = to;
    }
  }

  *flush(): Iterable<Uint8Array> {
    if (this.#filled > 0) yield this.#scratch.subarray(0, this.#filled);
    this.#filled = 0;
  }
}

/** A text held in memory: small files, a backup being checked, tests. */
export class StringSource implements TextSource {
  readonly text: string;
  /** True when every character is ASCII, so ranges can be copied byte for byte. */
  readonly #ascii: boolean;

  constructor(text: string) {
    this.text = text;
    this.#ascii = !/[^\x00-\x7f]/.test(text);
  }
  get length(): number {
    return this.text.length;
  }
  charCodeAt(i: number): number {
    return this.text.charCodeAt(i);
  }
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }
  lastIndexOf(ch: string, from: number): number {
    return from < 0 ? -1 : this.text.lastIndexOf(ch, from);
  }
  *bytes(parts: Iterable<readonly [number, number] | string>, bom: boolean): Iterable<Uint8Array> {
    const out = new Gather();
    if (bom) yield* out.bytes(UTF8_BOM);
    for (const part of parts) {
      if (typeof part === 'string') yield* out.text(part, 0, part.length, 'utf8');
      else yield* out.text(this.text, part[0], part[1], this.#ascii ? 'latin1' : 'utf8');
    }
    yield* out.flush();
  }
}

/**
 * Where a text's non-ASCII characters are, so that UTF-16 offsets map to UTF-8 byte offsets
 * and back. An ASCII text (most configuration files) has no entries and maps one to one.
 * Entry k: the offset of a non-ASCII character and the extra bytes UTF-8 spends up to and
 * including it (1 for U+0080..U+07FF, 2 for the rest of the BMP, 2 for a surrogate pair).
 */
export class OffsetMap {
  readonly #chars = new IntColumn();
  readonly #extra = new IntColumn();
  count = 0;
  /** Code units accounted for so far. */
  #length = 0;
  #extraTotal = 0;

  /** Accounts for the next piece of the text (pieces never split a surrogate pair). */
  add(s: string): void {
    const re = /[^\x00-\x7f]/g;
    for (let m = re.exec(s); m; m = re.exec(s)) {
      const i = m.index;
      const c = s.charCodeAt(i);
      if (isHighSurrogate(c)) re.lastIndex = i + 2;
      this.#extraTotal += c < 0x800 ? 1 : 2;
      this.#chars.set(this.count, this.#length + i);
      this.#extra.set(this.count, this.#extraTotal);
      this.count++;
    }
    this.#length += s.length;
  }

  /** The last entry whose `offsetOf` is below `x`, or -1 (entries are in increasing order of both offsets). */
  #lastBelow(x: number, offsetOf: (k: number) => number): number {
    let lo = 0;
    let hi = this.count - 1;
    let k = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (offsetOf(mid) < x) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return k;
  }

  /** Byte offset (from the start of the text) of the character at UTF-16 offset `c`. */
  toByte(c: number): number {
    if (this.count === 0) return c;
    const k = this.#lastBelow(c, (m) => this.#chars.get(m));
    return c + (k >= 0 ? this.#extra.get(k) : 0);
  }

  /** UTF-16 offset of the character starting at byte offset `b` (a character boundary). */
  toChar(b: number): number {
    if (this.count === 0) return b;
    // The last non-ASCII character starting before b; b is past its end.
    const k = this.#lastBelow(b, (m) => this.#chars.get(m) + (m > 0 ? this.#extra.get(m - 1) : 0));
    return b - (k >= 0 ? this.#extra.get(k) : 0);
  }

  /** Index of the entry for the character at `c`, or -1 when it is ASCII. */
  entryAt(c: number): number {
    const k = this.#lastBelow(c + 1, (m) => this.#chars.get(m));
    return k >= 0 && this.#chars.get(k) === c ? k : -1;
  }
}

/** Bytes per block read from the file; a few blocks are kept, the planner reads in file order. */
const BLOCK_BITS = 16;
const BLOCK = 1 << BLOCK_BITS;
const BLOCKS_KEPT = 16;

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
}

export function changedOnDisk(path: string): IisFtpsError {
  return new IisFtpsError('CONFLICT', `${path} changed on disk after it was read; nothing was written. Read it again and repeat the change`);
}

/**
 * The text of a file that is not held in memory: what the planner asks for is read from the file
 * in blocks, and a content written from it copies the file's own bytes. Every copy reads the
 * whole file and checks its hash against the version scanned; a file changed since fails with
 * CONFLICT before anything is renamed into place.
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
    const fd = this.#open();
    try {
      for (let got = 0; got < out.length; ) {
        const n = readSync(fd, out, got, out.length - got, start + got);
        if (n <= 0) throw changedOnDisk(this.file.path);
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    return out;
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
   * Streams the file once from the start, hashing every byte, and gives the content: ranges are
   * copied from the file, strings encoded. Fails with CONFLICT when the bytes read are not the
   * version scanned; a caller writing the pieces to a temporary file then removes it.
   */
  *bytes(parts: Iterable<readonly [number, number] | string>, bom: boolean): Iterable<Uint8Array> {
    const fd = this.#open();
    try {
      const sha = createHash('sha256');
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
        } else sha.update(buf.subarray(0, bufLen));
      };
      const out = new Gather();
      /** Moves to byte `to`, yielding the bytes passed over when `copy`. */
      const advance = function* (to: number, copy: boolean): Iterable<Uint8Array> {
        while (pos < to) {
          if (pos >= bufAt + bufLen) {
            fill();
            if (eof) return;
          }
          const end = Math.min(to, bufAt + bufLen);
          if (copy) yield* out.bytes(buf.subarray(pos - bufAt, end - bufAt));
          pos = end;
        }
      };
      if (bom) yield* out.bytes(UTF8_BOM);
      yield* advance(this.#bomBytes, false);
      for (const part of parts) {
        if (typeof part === 'string') yield* out.text(part, 0, part.length, 'utf8');
        else {
          const to = this.#byte(part[1]);
          yield* advance(this.#byte(part[0]), false);
          yield* advance(to, true);
          if (pos < to) throw changedOnDisk(this.file.path);
        }
      }
      // The rest of the file is read too: the hash covers every byte.
      while (!eof) {
        pos = bufAt + bufLen;
        fill();
      }
      if (bufAt !== this.file.size || sha.digest('hex') !== this.file.hash) throw changedOnDisk(this.file.path);
      yield* out.flush();
    } finally {
      closeSync(fd);
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

  /** Checks the whole file against the version scanned, or fails with CONFLICT. */
  verify(): void {
    for (const piece of this.bytes([], false)) void piece;
  }
}
