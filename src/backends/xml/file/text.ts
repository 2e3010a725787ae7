import { Gather } from './gather.js';
import { UTF8_BOM } from './utf8.js';

/** The start of the line that an offset is on, the blanks that line starts with, and whether only blanks stand before the offset. */
export interface LinePrefix {
  readonly lineStart: number;
  readonly indent: string;
  readonly startsLine: boolean;
}

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
  /** `linePrefix` (scan/spans.ts) answered by the source itself, where it can do so faster; null when it cannot. */
  linePrefix?(offset: number): LinePrefix | null;
  /**
   * The UTF-8 bytes of a content made of ranges of this text and strings of their own, after a
   * BOM when `bom`, as pieces (each valid only until the next is asked for).
   */
  bytes(parts: Iterable<readonly [number, number] | string>, bom: boolean): Iterable<Uint8Array>;
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
