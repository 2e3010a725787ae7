import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IisFtpsError } from '../../../errors/errors.js';

/** The prefix of temporary files, so a later run can recognise (and clean) its own leftovers. */
export const TEMP_PREFIX = '.iis-ftps-';

export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a file atomically: the bytes go to a temporary file beside it, which is flushed and
 * renamed over the original (keeping its mode). On any error the temporary file is removed and
 * the original is untouched.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const temp = tempPathFor(path);
  let mode = 0o644;
  try {
    mode = statSync(path).mode & 0o7777;
  } catch {
    // A new file takes the default mode.
  }
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', mode);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOSPC' ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM' ? 'permission denied (run as a user who may write the folder)'
      : code === 'EROFS' ? 'the file system is read-only'
      : String((e as Error).message ?? e);
    throw new IisFtpsError('FILE_WRITE', `Could not write ${path}: ${why}. The file is unchanged`, {}, { cause: e });
  }
  try {
    const dirFd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch {
    // Not every platform can fsync a folder; the rename itself is atomic.
  }
}
