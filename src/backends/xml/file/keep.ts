import * as fs from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { IisFtpsError, isIisFtpsError } from '../../../errors/errors.js';
import { type BackupEntry, type BackupPolicy, listBackups, stampOf } from './backup.js';
import type { FileBytes } from './read.js';
import { type WriteFs, cleanStaleTemps, describeFsError, fsyncDir, nodeWriteFs, writeFileAtomic } from './write.js';

/** A copy kept before a write: `done` once the write succeeded, `undo` when it failed. */
export interface KeptBackup {
  readonly entry: BackupEntry;
  /** True when the copy is a second name (hard link) of the file being replaced, not a copy of its bytes. */
  readonly linked: boolean;
  /** The write went through: removes the oldest copies of the file beyond `keep`. */
  done(): void;
  /**
   * The write failed: a linked copy is removed, since it is still the live file under another
   * name (a later edit in place would change it too); a copied one stays.
   */
  undo(): void;
}

/**
 * Keeps a copy of `file` before it is overwritten. Called with the file's lock held.
 *
 * With `linkable` (the file on disk is the version being replaced, and the write that follows
 * is an atomic rename of a new file over it), the copy is a hard link to the file: the rename
 * then leaves the old version's bytes under the backup's name alone, exactly as they were, and
 * nothing is copied. Where a link cannot be made (another volume, a file system without links,
 * a `WriteFs` without `link`), or would not be safe (a symbolic link, a file that has other names
 * already, which could change it later), the bytes are copied. A copy that cannot
 * be kept stops the commit: FILE_WRITE, nothing written.
 */
export function keepBackup(
  configPath: string,
  file: { readonly path: string; readonly bytes: FileBytes; readonly size: number; readonly linkable?: boolean },
  policy: BackupPolicy,
  io: WriteFs = nodeWriteFs,
  now = new Date(),
): KeptBackup {
  const rel = relative(dirname(resolve(configPath)), resolve(file.path)).split(sep).join('/');
  const fail = (e: unknown): never => {
    if (isIisFtpsError(e) && e.code === 'CONFLICT') throw e;
    const why = isIisFtpsError(e) ? e.message.replace(/^Could not write [^:]*: /, '').replace(/\. The file is unchanged$/, '') : describeFsError(e);
    throw new IisFtpsError(
      'FILE_WRITE',
      `Could not keep a backup of ${file.path} in ${policy.dir}: ${why}. Nothing was written; free space or fix permissions there, choose another folder with --backup-dir, or write without a backup (--no-backup)`,
      {},
      { cause: e },
    );
  };
  try {
    fs.mkdirSync(policy.dir, { recursive: true });
  } catch (e) {
    fail(e);
  }
  cleanStaleTemps(policy.dir);
  const existing = listBackups(configPath, policy);
  const counter = existing.reduce((max, b) => Math.max(max, b.counter), 0) + 1;
  const name = `${encodeURIComponent(rel)}.${stampOf(now)}.${counter}.bak`;
  const path = join(policy.dir, name);
  let linked = false;
  if (file.linkable && io.link && onlyName(file.path)) {
    try {
      io.link(file.path, path);
      fsyncDir(policy.dir);
      linked = true;
    } catch {
      // No link here: the bytes are copied instead.
    }
  }
  if (!linked) {
    try {
      writeFileAtomic(path, file.bytes, io);
    } catch (e) {
      fail(e);
    }
  }
  const entry: BackupEntry = { name, path, file: resolve(file.path), time: now.toISOString(), counter, size: file.size };
  let settled = false;
  return {
    entry,
    linked,
    done() {
      if (settled) return;
      settled = true;
      const mine = [...existing.filter((b) => b.file === entry.file), entry];
      for (const old of mine.slice(0, Math.max(0, mine.length - policy.keep))) {
        try {
          fs.unlinkSync(old.path);
        } catch {
          // Removed by hand meanwhile.
        }
      }
    },
    undo() {
      if (settled) return;
      settled = true;
      if (!linked) return;
      try {
        io.unlink(path);
      } catch {
        // Gone already.
      }
    },
  };
}

/** True when `path` is a regular file with no other name: a link to it then holds it alone once it is replaced. */
function onlyName(path: string): boolean {
  try {
    const st = fs.lstatSync(path);
    return st.isFile() && st.nlink === 1;
  } catch {
    return false;
  }
}
