import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { type Stats, closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { IisFtpsError, isIisFtpsError } from '../../../errors/errors.js';
import { positionAt } from '../../../errors/position.js';
import { OffsetMap } from './offsets.js';
import { type FileStamp, FileSource, stampOf } from './source.js';
import { UTF8_BOM } from './utf8.js';

/**
 * A configuration file read whole: whether it had a BOM, its text without the BOM, its size and
 * hash, and its bytes when asked for (`keepBytes`). Used where a whole text is wanted (a backup
 * being restored, a preview's diff, the exact position of an error); the offline backend's reads
 * and commits go through `readConfigFileInChunks` and never hold the text.
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

/** Why a file cannot be opened or read, in words, from the error. */
function readFailure(path: string, e: unknown): IisFtpsError {
  if (isIisFtpsError(e)) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'does not exist; check the path passed with --config'
    : code === 'EACCES' || code === 'EPERM' ? 'cannot be read: permission denied (run as a user who may read it)'
    : code === 'ELOOP' ? 'is a loop of symbolic links; point --config at the real file'
    : code === 'ENOTDIR' ? 'does not exist: a part of its path is a file, not a folder'
    : `cannot be read (${code ?? String(e)})`;
  return new IisFtpsError('FILE_READ', `${path} ${why}`, {}, { cause: e });
}

/**
 * Fails as reading would when `path` cannot be read (missing, a folder, a device or pipe, no
 * permission), without reading it: a writer checks this before it takes the file's lock, so
 * such a file is reported as what it is rather than as a lock that cannot be made beside it.
 */
export function checkReadable(path: string): void {
  try {
    refuseIrregular(path, statSync(path));
    closeSync(openSync(path, 'r'));
  } catch (e) {
    throw readFailure(path, e);
  }
}

/** Reads a configuration file, with errors that say what is wrong and what to do. */
export function readConfigFile(path: string, options: { readonly keepBytes?: boolean } = {}): LoadedFile {
  let bytes: Buffer;
  try {
    refuseIrregular(path, statSync(path));
    bytes = readFileSync(path);
  } catch (e) {
    throw readFailure(path, e);
  }
  return decodeFile(path, bytes, options);
}

/** A file whose bytes changed between two reads of it. */
export function changedWhileRead(path: string): IisFtpsError {
  return new IisFtpsError('FILE_READ', `${path} changed while it was being read; try again`);
}

/** Bytes read at a time by a chunked read. */
const CHUNK_BYTES = 1 << 16;

/**
 * Reads a configuration file in chunks and hands its text to `onText` piece by piece, so the
 * whole text is never held: the bytes are hashed and the non-ASCII characters mapped as they go
 * by. Returns the file's text as a `FileSource`, which reads back what is asked for. A file that
 * is not strict UTF-8, or holds a NUL, fails with the same error as `readConfigFile`.
 */
export function readConfigFileInChunks(path: string, onText: (text: string) => void): FileSource {
  let fd: number;
  let st: Stats;
  let stamp: FileStamp;
  try {
    // Examined before it is opened: opening a named pipe would wait for a writer.
    refuseIrregular(path, statSync(path));
    fd = openSync(path, 'r');
    st = fstatSync(fd);
    stamp = stampOf(fstatSync(fd, { bigint: true }));
  } catch (e) {
    throw readFailure(path, e);
  }
  const sha = createHash('sha256');
  const map = new OffsetMap();
  const decoder = new StringDecoder('utf8');
  let size = 0;
  let length = 0;
  let bom = false;
  /** U+FFFD seen: either in the file, or standing for bytes that are not UTF-8 (checked at the end). */
  let replaced = false;
  const take = (text: string, ascii = false): boolean => {
    if (text.length === 0) return true;
    if (text.indexOf('\0') >= 0) return false;
    if (ascii) map.skip(text.length);
    else {
      if (text.indexOf('\uFFFD') >= 0) replaced = true;
      map.add(text);
    }
    length += text.length;
    onText(text);
    return true;
  };
  let clean = true;
  let asciiSoFar = true;
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let n = readSync(fd, buf, 0, buf.length, null); n > 0 && clean; n = readSync(fd, buf, 0, buf.length, null)) {
      let chunk = buf.subarray(0, n);
      sha.update(chunk);
      if (size === 0) {
        // The first chunk holds at least the first four bytes unless the file is shorter.
        if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) clean = false;
        bom = chunk.subarray(0, 3).equals(UTF8_BOM);
        if (bom) chunk = chunk.subarray(3);
      }
      size += n;
      // While every chunk has been ASCII, none ends inside a character: an ASCII chunk is its
      // own text (copied byte for byte, not decoded) and has no offsets to map.
      if (asciiSoFar && isAscii(chunk)) {
        clean &&= take(chunk.toString('latin1'), true);
        continue;
      }
      asciiSoFar = false;
      const text = decoder.write(chunk);
      // All ASCII, nothing pending from the chunk before (one character per byte): no offsets to map.
      clean &&= take(text, text.length === chunk.length && isAscii(chunk));
    }
    clean &&= take(decoder.end());
  } catch (e) {
    // What `onText` throws passes through; a failed read is explained.
    throw (e as NodeJS.ErrnoException).code === undefined ? e : readFailure(path, e);
  } finally {
    closeSync(fd);
  }
  const hash = sha.digest('hex');
  // The whole-file read gives the exact error and position; when it finds nothing wrong, the file changed meanwhile.
  if (!clean || replaced) {
    const again = readConfigFile(path);
    if (!clean || again.hash !== hash) throw changedWhileRead(path);
  }
  return new FileSource({ path, bom, size, hash, mtimeMs: st.mtimeMs, stamp }, length, map);
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
