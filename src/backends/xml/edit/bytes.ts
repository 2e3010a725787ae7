import type { Edit } from '../../../changes/edits.js';
import { sortEdits } from '../../../changes/edits.js';
import type { LoadedFile } from '../file/read.js';

/**
 * The file's new bytes after text edits, built from slices of its original bytes (BOM
 * included) and the edits' UTF-8: no second copy of the text is made. Returns null when the
 * result has the same bytes as the file, so nothing needs writing.
 */
export function editedBytes(file: Pick<LoadedFile, 'bytes' | 'bom' | 'text'>, edits: readonly Edit[]): Buffer | null {
  const { bytes, text } = file;
  const bom = file.bom ? 3 : 0;
  // Offsets in the text are UTF-16 units; in an ASCII file they are byte offsets too.
  const ascii = bytes.length - bom === text.length;
  let char = 0;
  let byte = bom;
  const byteAt = (offset: number): number => {
    if (ascii) return offset + bom;
    byte += Buffer.byteLength(text.slice(char, offset), 'utf8');
    char = offset;
    return byte;
  };
  const parts: Buffer[] = [];
  let cursor = 0;
  let cursorByte = 0;
  for (const e of sortEdits(edits)) {
    if (e.start < cursor) throw new Error(`internal: overlapping edits at ${e.start}`);
    const start = byteAt(e.start);
    const end = byteAt(e.end);
    parts.push(bytes.subarray(cursorByte, start), Buffer.from(e.text, 'utf8'));
    cursor = e.end;
    cursorByte = end;
  }
  if (parts.length === 0) return null;
  parts.push(bytes.subarray(cursorByte));
  const out = Buffer.concat(parts);
  return out.equals(bytes) ? null : out;
}
