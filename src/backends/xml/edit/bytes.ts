import type { Edit } from '../../../changes/edits.js';
import { sortEdits } from '../../../changes/edits.js';
import { type FileBytes, type LoadedFile, encodePieces, isAscii, piecesOf } from '../file/read.js';

/**
 * The file's new content after text edits, as pieces: ranges of its original text (encoded
 * back to exactly the bytes they came from) and the edits' UTF-8, after the BOM the file had.
 * No second copy of the document is made; the pieces are encoded as they are written. Returns
 * null when the result has the same bytes as the file, so nothing needs writing.
 */
export function editedContent(file: Pick<LoadedFile, 'bom' | 'text' | 'size'>, edits: readonly Edit[]): FileBytes | null {
  const { text } = file;
  const sorted = sortEdits(edits);
  let cursor = 0;
  let changed = false;
  let length = text.length;
  for (const e of sorted) {
    if (e.start < cursor) throw new Error(`internal: overlapping edits at ${e.start}`);
    if (!changed && (e.end - e.start !== e.text.length || !text.startsWith(e.text, e.start))) changed = true;
    length += e.text.length - (e.end - e.start);
    cursor = e.end;
  }
  // Edits that give back the text they replace, or that together do, leave the file as it is.
  if (!changed || (length === text.length && sameText(text, partsOf(text, sorted)))) return null;
  const ascii = isAscii(file);
  return () => encodePieces(text, ascii, file.bom, partsOf(text, sorted));
}

/** The new content as ranges of the original text and the edits' texts between them, in order. */
function* partsOf(text: string, sorted: readonly Edit[]): Iterable<readonly [number, number] | string> {
  let cursor = 0;
  for (const e of sorted) {
    if (e.start > cursor) yield [cursor, e.start];
    if (e.text.length > 0) yield e.text;
    cursor = e.end;
  }
  if (cursor < text.length) yield [cursor, text.length];
}

/** True when the parts, put together, are `text` itself (UTF-16 equality is byte equality: the encoding is one to one). */
function sameText(text: string, parts: Iterable<readonly [number, number] | string>): boolean {
  let at = 0;
  for (const part of parts) {
    if (typeof part === 'string') {
      if (!text.startsWith(part, at)) return false;
      at += part.length;
    } else {
      const [start, end] = part;
      if (start !== at) {
        for (let i = start; i < end; i += 1 << 16) if (!text.startsWith(text.slice(i, Math.min(end, i + (1 << 16))), at + i - start)) return false;
      }
      at += end - start;
    }
  }
  return true;
}

/** The file's new bytes after text edits as one buffer (see editedContent), or null when nothing changes. */
export function editedBytes(file: Pick<LoadedFile, 'bom' | 'text' | 'size'>, edits: readonly Edit[]): Buffer | null {
  const content = editedContent(file, edits);
  if (content === null) return null;
  const copies: Buffer[] = [];
  for (const piece of piecesOf(content)) copies.push(Buffer.from(piece));
  return Buffer.concat(copies);
}
