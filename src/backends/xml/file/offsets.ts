import { IntColumn } from '../columns.js';
import { isHighSurrogate } from './utf8.js';

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

  /** Accounts for the next piece of the text when it is known to be ASCII: no entries, its length only. */
  skip(length: number): void {
    this.#length += length;
  }

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
