import { createHash } from 'node:crypto';
import { type Stats, readFileSync, statSync } from 'node:fs';
import { IisFtpsError } from '../../../errors/errors.js';
import { positionAt } from '../../../errors/position.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A configuration file as read: whether it had a BOM, its text without the BOM, its size and
 * hash. Only one full copy of the document stays in memory, the text: the file is strict UTF-8,
 * so encoding the text again (`textBytes`) gives back exactly the bytes that were read. The
 * bytes themselves are kept only when asked for (`keepBytes`), or when a caller supplies them.
 */
export interface LoadedFile {
  readonly path: string;
  readonly bom: boolean;
  readonly text: string;
  /** The file's size in bytes (BOM included). */
  readonly size: number;
  /** SHA-256 of the bytes: the version a commit must still find on disk. */
  readonly hash: string;
  /** The bytes as read, when kept. */
  readonly bytes?: Buffer;
}

export const hashBytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Offset (in bytes) of the first invalid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** Decodes a file's bytes: UTF-8 only, BOM kept aside, NUL and invalid sequences refused with a position. */
export function decodeFile(path: string, bytes: Buffer, options: { readonly keepBytes?: boolean } = {}): LoadedFile {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new IisFtpsError('XML_ENCODING', `${path} is UTF-16; only UTF-8 is read (IIS writes UTF-8). Save it as UTF-8 and try again`);
  }
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? bytes.subarray(3) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    const at = firstInvalidUtf8(body);
    const before = new TextDecoder('utf-8').decode(body.subarray(0, Math.max(0, at)));
    const position = positionAt(before + '\uFFFD', before.length, path);
    throw new IisFtpsError('XML_ENCODING', `${path} is not valid UTF-8 at byte ${at + (bom ? 3 : 0)} (line ${position.line}, column ${position.column})`, { position });
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const position = positionAt(text, nul, path);
    throw new IisFtpsError('XML_MALFORMED', `${path} contains a NUL character (line ${position.line}, column ${position.column}); it is not an XML text file`, { position });
  }
  const file = { path, bom, text, size: bytes.length, hash: hashBytes(bytes) };
  return options.keepBytes ? { ...file, bytes } : file;
}

/**
 * Refuses a path that is not a regular file: a folder, or a FIFO or device that would block or
 * never end. Without `st`, a path that cannot be examined passes (reading it says why).
 */
export function refuseIrregular(path: string, st?: Stats): void {
  if (!st) {
    try {
      st = statSync(path);
    } catch {
      return;
    }
  }
  if (st.isDirectory()) throw new IisFtpsError('FILE_READ', `${path} is a folder; pass the path of applicationHost.config itself`);
  if (!st.isFile()) throw new IisFtpsError('FILE_READ', `${path} is not a regular file (a device, pipe or socket); pass the path of applicationHost.config itself`);
}

/** Reads a configuration file, with errors that say what is wrong and what to do. */
export function readConfigFile(path: string, options: { readonly keepBytes?: boolean } = {}): LoadedFile {
  let bytes: Buffer;
  try {
    refuseIrregular(path, statSync(path));
    bytes = readFileSync(path);
  } catch (e) {
    if (e instanceof IisFtpsError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist; check the path passed with --config'
      : code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied (run as a user who may read it)'
      : code === 'ELOOP' ? 'is a loop of symbolic links; point --config at the real file'
      : code === 'ENOTDIR' ? 'does not exist: a part of its path is a file, not a folder'
      : `cannot be read (${code ?? String(e)})`;
    throw new IisFtpsError('FILE_READ', `${path} ${why}`, {}, { cause: e });
  }
  return decodeFile(path, bytes, options);
}

/** The bytes to write for new text, with the BOM the file had. */
export function encodeFile(file: Pick<LoadedFile, 'bom'>, text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return file.bom ? Buffer.concat([UTF8_BOM, body]) : body;
}

/**
 * A file's content written or compared piece by piece, never as one buffer: either bytes, or a
 * function giving the pieces in order. A piece is valid only until the next one is asked for
 * (pieces share one scratch buffer), so a reader uses each at once.
 */
export type FileBytes = Uint8Array | (() => Iterable<Uint8Array>);

/** The pieces of a content, in order. */
export function* piecesOf(content: FileBytes): Iterable<Uint8Array> {
  if (content instanceof Uint8Array) yield content;
  else yield* content();
}

/** Characters encoded per piece: bounded, so that no piece needs a large buffer. */
const PIECE_CHARS = 1 << 18;

/**
 * The UTF-8 bytes of `parts` (ranges of `text`, or strings of their own) as pieces, after a BOM
 * when `bom`. Ranges are cut between characters, never inside a surrogate pair. With `ascii`
 * (the text has only ASCII characters) ranges of the text are copied byte for byte. Small parts
 * are gathered into one piece: a bulk change has tens of thousands of them, and a write or a
 * hash update per part would cost more than the bytes themselves.
 */
export function* encodePieces(text: string, ascii: boolean, bom: boolean, parts: Iterable<readonly [number, number] | string>): Iterable<Uint8Array> {
  if (bom) yield UTF8_BOM;
  const scratch = Buffer.allocUnsafe(PIECE_CHARS * 3);
  let filled = 0;
  for (const part of parts) {
    const source = typeof part === 'string' ? part : text;
    let at = typeof part === 'string' ? 0 : part[0];
    const end = typeof part === 'string' ? part.length : part[1];
    const enc = ascii && typeof part !== 'string' ? 'latin1' : 'utf8';
    while (at < end) {
      // Room for the rest of the part at three bytes a character at most, else a piece's worth.
      if ((end - at) * 3 > scratch.length - filled && filled > 0) {
        yield scratch.subarray(0, filled);
        filled = 0;
      }
      let to = Math.min(end, at + Math.floor((scratch.length - filled) / 3));
      const last = source.charCodeAt(to - 1);
      if (to < end && last >= 0xd800 && last <= 0xdbff) to--;
      filled += scratch.write(source.slice(at, to), filled, enc);
      at = to;
    }
  }
  if (filled > 0) yield scratch.subarray(0, filled);
}

/** True when every character of the file is ASCII: its text offsets are then its byte offsets (past the BOM). */
export const isAscii = (file: Pick<LoadedFile, 'bom' | 'text' | 'size'>): boolean => file.size - (file.bom ? 3 : 0) === file.text.length;

/** The file's bytes as read: kept ones, or its text encoded again (the same bytes, since the file is strict UTF-8). */
export function fileBytes(file: Pick<LoadedFile, 'bom' | 'text' | 'size' | 'bytes'>): FileBytes {
  if (file.bytes) return file.bytes;
  return () => encodePieces(file.text, isAscii(file), file.bom, [[0, file.text.length]]);
}
