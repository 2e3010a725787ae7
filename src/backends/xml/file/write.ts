import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { IisFtpsError, isIisFtpsError } from '../../../errors/errors.js';
import { type FileBytes, piecesOf } from './read.js';
import { describeFsError } from './fs-errors.js';

export { describeFsError };

/** The prefix of temporary files, so a later run can recognise (and clean) its own leftovers. */
export const TEMP_PREFIX = '.iis-ftps-';

/**
 * The file operations an atomic write makes: the seam through which tests inject a full disk,
 * a refused permission or a failing rename (test/doubles/failing-fs.ts). Everything else uses
 * node:fs directly.
 */
export interface WriteFs {
  open(path: string, flags: string, mode: number): number;
  write(fd: number, bytes: Uint8Array, offset: number, length: number): number;
  fsync(fd: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
  /** The permission bits of an existing file, or undefined when there is none. */
  mode(path: string): number | undefined;
  /**
   * Makes a second name for a file (a hard link), for a backup that costs no copy. Optional: where
   * it is missing, or fails (another volume, a file system without links), the backup is copied.
   */
  link?(existing: string, newPath: string): void;
}

export const nodeWriteFs: WriteFs = {
  open: (path, flags, mode) => fs.openSync(path, flags, mode),
  write: (fd, bytes, offset, length) => fs.writeSync(fd, bytes, offset, length),
  fsync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (path) => fs.unlinkSync(path),
  link: (existing, newPath) => fs.linkSync(existing, newPath),
  mode(path) {
    try {
      return fs.statSync(path).mode & 0o7777;
    } catch {
      return undefined;
    }
  },
};

/** A short tag for this machine, so leftovers of another machine sharing the folder are told apart. */
export const HOST_TAG = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** `.iis-ftps-NAME.PID-HOST.RANDOM.tmp`: whose it is can be read from the name alone. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${TEMP_PREFIX}${basename(path)}.${process.pid}-${HOST_TAG}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Whether a process of this machine is still running (a zombie counts as ended). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // On Linux a killed process that its parent has not reaped yet still answers kill(pid, 0).
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}


/**
 * Writes a file atomically: the bytes go to a temporary file beside it, which is flushed and
 * renamed over the original (keeping its mode). On any error the temporary file is removed and
 * the original is untouched. Content given as pieces is written piece by piece; when producing
 * them fails with CONFLICT (their source changed), that error is passed on as it is.
 */
export function writeFileAtomic(path: string, bytes: FileBytes, io: WriteFs = nodeWriteFs): void {
  const temp = tempPathFor(path);
  const mode = io.mode(path) ?? 0o644;
  let fd: number | undefined;
  try {
    fd = io.open(temp, 'wx', mode);
    for (const piece of piecesOf(bytes)) {
      let off = 0;
      while (off < piece.length) off += io.write(fd, piece, off, piece.length - off);
    }
    io.fsync(fd);
    io.close(fd);
    fd = undefined;
    io.rename(temp, path);
  } catch (e) {
    if (fd !== undefined) {
      try {
        io.close(fd);
      } catch {
        // The write already failed; that error is the one to report.
      }
    }
    try {
      io.unlink(temp);
    } catch {
      // Already gone.
    }
    // A content that found its source changed says so itself.
    if (isIisFtpsError(e) && e.code === 'CONFLICT') throw e;
    throw new IisFtpsError('FILE_WRITE', `Could not write ${path}: ${describeFsError(e)}. The file is unchanged`, {}, { cause: e });
  }
  fsyncDir(dirname(path));
}

/** Flushes a folder's entries (a rename, a new link) to disk; not every platform can, and then the rename itself is atomic. */
export function fsyncDir(dir: string): void {
  try {
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Not every platform can fsync a folder.
  }
}

/** Temporary files older than this are removed whoever left them (a writer never takes this long). */
export const TEMP_STALE_MS = 60 * 60 * 1000;

const TEMP_NAME = /^\.iis-ftps-.+?\.(\d+)-([0-9a-f]{8})\.[0-9a-f]+\.tmp$/;

/**
 * Removes temporary files a crashed writer left in a folder: those of a process of this machine
 * that has ended, and any older than an hour. Another live writer's file is never touched.
 * Called with the file's lock held. Returns the names removed.
 */
export function cleanStaleTemps(dir: string, now = Date.now()): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX) || !name.endsWith('.tmp')) continue;
    const m = TEMP_NAME.exec(name);
    const full = join(dir, name);
    let stale = m !== null && m[2] === HOST_TAG && !processAlive(Number(m[1]));
    if (!stale) {
      try {
        stale = now - fs.lstatSync(full).mtimeMs > TEMP_STALE_MS;
      } catch {
        continue;
      }
    }
    if (!stale) continue;
    try {
      fs.unlinkSync(full);
      removed.push(name);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}
