import { isHighSurrogate } from './utf8.js';

/** Bytes per piece of a written content: pieces are gathered up to this size. */
const PIECE_BYTES = 3 << 18;

/** A range at least this long goes out as it is, after what was gathered before it: copying it gains nothing. */
export const PASS_THROUGH_BYTES = PIECE_BYTES >> 1;

/**
 * Gathers bytes and strings' UTF-8 into one buffer, handed out each time it fills. The core
 * (`copy`, `encode`, `take`) is plain calls, so a content of tens of thousands of parts makes
 * no generator per part; `bytes`, `text` and `flush` wrap it for callers that yield.
 */
export class Gather {
  readonly #scratch = Buffer.allocUnsafe(PIECE_BYTES);
  #filled = 0;

  /** True when nothing more fits: `take()` before the next `copy` or `encode`. */
  get full(): boolean {
    return this.#filled === this.#scratch.length;
  }

  /** True when something is gathered. */
  get pending(): boolean {
    return this.#filled > 0;
  }

  /** Copies `bytes` from `off` on, as much as fits; returns the offset reached (short of the end when it filled). */
  copy(bytes: Uint8Array, off: number): number {
    const n = Math.min(this.#scratch.length - this.#filled, bytes.length - off);
    this.#scratch.set(n === bytes.length ? bytes : bytes.subarray(off, off + n), this.#filled);
    this.#filled += n;
    return off + n;
  }

  /**
   * Encodes `s.slice(at, end)` as `enc` (latin1 only for ASCII text), as much as surely fits;
   * returns where it stopped (short of `end` when the buffer must be taken first).
   */
  encode(s: string, at: number, end: number, enc: 'utf8' | 'latin1'): number {
    const scratch = this.#scratch;
    // Room for the rest at three bytes a character at most, else what surely fits.
    if ((end - at) * 3 > scratch.length - this.#filled && this.#filled > 0) return at;
    let to = Math.min(end, at + Math.floor((scratch.length - this.#filled) / 3));
    if (to < end && isHighSurrogate(s.charCodeAt(to - 1))) to--;
    this.#filled += scratch.write(to - at === s.length ? s : s.slice(at, to), this.#filled, enc);
    return to;
  }

  /** The bytes gathered (valid until the next call), and an empty buffer. */
  take(): Uint8Array {
    const piece = this.#scratch.subarray(0, this.#filled);
    this.#filled = 0;
    return piece;
  }

  *bytes(bytes: Uint8Array): Iterable<Uint8Array> {
    if (bytes.length >= PASS_THROUGH_BYTES) {
      yield* this.flush();
      yield bytes;
      return;
    }
    for (let off = 0; off < bytes.length; ) {
      off = this.copy(bytes, off);
      if (this.full) yield this.take();
    }
  }

  /** Appends `s.slice(at, end)` encoded as `enc` (latin1 only for ASCII text). */
  *text(s: string, at: number, end: number, enc: 'utf8' | 'latin1'): Iterable<Uint8Array> {
    while (at < end) {
      const to = this.encode(s, at, end, enc);
      if (to < end) yield this.take();
      at = to;
    }
  }

  *flush(): Iterable<Uint8Array> {
    if (this.#filled > 0) yield this.take();
  }
}
