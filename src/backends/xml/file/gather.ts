import { isHighSurrogate } from './utf8.js';

/** Bytes per piece of a written content: pieces are gathered up to this size. */
const PIECE_BYTES = 3 << 18;

/** Writes a string's UTF-8 into a gathering buffer, yielding the buffer each time it fills. */
export class Gather {
  readonly #scratch = Buffer.allocUnsafe(PIECE_BYTES);
  #filled = 0;

  /**
   * Copies `bytes` in when they fit in the room left, without a generator: true when done, false
   * when the caller must go through `bytes()` (a full buffer or a large range). A bulk change's
   * content is tens of thousands of short ranges and edits.
   */
  tryBytes(bytes: Uint8Array): boolean {
    if (bytes.length >= PIECE_BYTES >> 1 || bytes.length >= this.#scratch.length - this.#filled) return false;
    this.#scratch.set(bytes, this.#filled);
    this.#filled += bytes.length;
    return true;
  }

  /** `text(s, 0, s.length, 'utf8')` when all of `s` fits in the room left, without a generator: true when done. */
  tryText(s: string): boolean {
    if (s.length * 3 >= this.#scratch.length - this.#filled) return false;
    this.#filled += this.#scratch.write(s, this.#filled, 'utf8');
    return true;
  }

  *bytes(bytes: Uint8Array): Iterable<Uint8Array> {
    // A large range goes out as it is, after what was gathered before it: copying it gains nothing.
    if (bytes.length >= PIECE_BYTES >> 1) {
      yield* this.flush();
      yield bytes;
      return;
    }
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
