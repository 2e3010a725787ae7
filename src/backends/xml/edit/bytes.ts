import type { Edit } from '../../../edits/edits.js';
import { sortEdits } from '../../../edits/edits.js';
import type { FileBytes } from '../file/read.js';
import type { TextSource } from '../file/text.js';
import { isHighSurrogate } from '../file/utf8.js';

/** What a content is edited from: the document's text and whether the file starts with a BOM. */
export interface EditedFrom {
  readonly bom: boolean;
  readonly source: TextSource;
}

/**
 * The file's new content after text edits, as pieces: ranges of its original text (copied as
 * exactly the bytes they came from) and the edits' UTF-8, after the BOM the file had. No copy of
 * the document is made; the pieces are produced as they are written. Returns null when the
 * result has the same bytes as the file, so nothing needs writing.
 */
export function editedContent(file: EditedFrom, edits: readonly Edit[]): FileBytes | null {
  const { source } = file;
  const sorted = sortEdits(edits);
  let cursor = 0;
  let changed = false;
  let length = source.length;
  for (const e of sorted) {
    if (e.start < cursor) throw new Error(`internal: overlapping edits at ${e.start}`);
    if (!changed && (e.end - e.start !== e.text.length || source.slice(e.start, e.end) !== e.text)) changed = true;
    length += e.text.length - (e.end - e.start);
    cursor = e.end;
  }
  // Edits that give back the text they replace, or that together do, leave the file as it is.
  if (!changed || (length === source.length && sameText(source, partsOf(source.length, sorted)))) return null;
  return () => source.bytes(partsOf(source.length, sorted), file.bom);
}

/** The new content as ranges of the original text and the edits' texts between them, in order. */
function* partsOf(length: number, sorted: readonly Edit[]): Iterable<readonly [number, number] | string> {
  let cursor = 0;
  for (const e of sorted) {
    if (e.start > cursor) yield [cursor, e.start];
    if (e.text.length > 0) yield e.text;
    cursor = e.end;
  }
  if (cursor < length) yield [cursor, length];
}

/** Code units compared at a time when a range of the text is compared with the text elsewhere. */
const COMPARE_UNITS = 1 << 16;

/** True when the parts, put together, are the text itself (UTF-16 equality is byte equality: the encoding is one to one). */
function sameText(source: TextSource, parts: Iterable<readonly [number, number] | string>): boolean {
  let at = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      if (source.slice(at, at + part.length) !== part) return false;
      at += part.length;
    } else {
      const [start, end] = part;
      if (start !== at) {
        // Windows end between characters, never inside a surrogate pair, on both sides.
        for (let i = start; i < end; ) {
          let to = Math.min(end, i + COMPARE_UNITS);
          while (to < end && (isHighSurrogate(source.charCodeAt(to - 1)) || isHighSurrogate(source.charCodeAt(at + to - start - 1)))) to++;
          if (source.slice(i, to) !== source.slice(at + i - start, at + to - start)) return false;
          i = to;
        }
      }
      at += end - start;
    }
  }
  return true;
}
