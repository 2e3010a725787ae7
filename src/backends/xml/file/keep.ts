import * as fs from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { IisFtpsError } from '../../../errors/errors.js';
import { type BackupEntry, type BackupPolicy, listBackups, stampOf } from './backup.js';
import type { FileBytes } from './read.js';
import { type WriteFs, cleanStaleTemps, describeFsError, nodeWriteFs, writeFileAtomic } from './write.js';

/**
 * Keeps a copy of `file` (its bytes as last read and verified) before it is overwritten, then
 * removes the oldest copies of that file beyond `keep`. Called with the file's lock held. A
 * copy that cannot be written stops the commit: FILE_WRITE, nothing written.
 */
export function keepBackup(configPath: string, file: { readonly path: string; readonly bytes: FileBytes; readonly size: number }, policy: BackupPolicy, io: WriteFs = nodeWriteFs, now = new Date()): BackupEntry {
  const rel = relative(dirname(resolve(configPath)), resolve(file.path)).split(sep).join('/');
  const fail = (e: unknown): never => {
    if (e instanceof IisFtpsError && e.code === 'CONFLICT') throw e;
    const why = e instanceof IisFtpsError ? e.message.replace(/^Could not write [^:]*: /, '').replace(/\. The file is unchanged$/, '') : describeFsError(e);
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
  try {
    writeFileAtomic(path, file.bytes, io);
  } catch (e) {
    fail(e);
  }
  const entry: BackupEntry = { name, path, file: resolve(file.path), time: now.toISOString(), counter, size: file.size };
  const mine = [...existing.filter((b) => b.file === entry.file), entry];
  for (const old of mine.slice(0, Math.max(0, mine.length - policy.keep))) {
    try {
      fs.unlinkSync(old.path);
    } catch {
      // Removed by hand meanwhile.
    }
  }
  return entry;
}
