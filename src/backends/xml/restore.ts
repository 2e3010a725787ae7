import { readFileSync } from 'node:fs';
import { IisFtpsError, isIisFtpsError } from '../../errors/errors.js';
import { type BackupEntry, type BackupPolicy, findBackup, listBackups } from './file/backup.js';
import { readConfigFile } from './file/read.js';
import { SITES_AS_ROOT, SITES_IN_APPHOST, scan } from './scan/scan.js';

/** What a restore did. */
export interface RestoreResult {
  /** The copy that was put back. */
  readonly restored: BackupEntry;
  /** The file written. */
  readonly file: string;
  /** False when the file already held exactly those bytes (nothing was written). */
  readonly written: boolean;
  /** The copy kept of the version the restore replaced, when backups are on and there was one. */
  readonly backup: BackupEntry | null;
}

/** The copies kept for the configuration at `main` (its own and its configSource file's), oldest first. */
export function listConfigBackups(main: string, policy: BackupPolicy): BackupEntry[] {
  return listBackups(main, policy);
}

/** Reads the current bytes of a file, or null when it is gone (a restore may bring it back). */
function currentBytes(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new IisFtpsError('FILE_READ', `${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}); nothing was restored`, {}, { cause: e });
  }
}

/**
 * Puts a kept copy back, with the lock of `main` held by the caller. The copy must be a
 * well-formed configuration with a sites section (or, for applicationHost.config, a
 * configSource for it); `write` keeps a backup of the current version and writes atomically.
 */
export function restoreConfigBackup(
  main: string,
  which: string,
  policy: BackupPolicy,
  write: (file: { readonly path: string; readonly bytes: Uint8Array | null; readonly size: number }, bytes: Uint8Array) => BackupEntry | null,
): RestoreResult {
  const entries = listBackups(main, policy);
  const entry = findBackup(entries, which, [...new Set(entries.map((b) => b.file))]);
  const isMain = entry.file === main;
  let copy: ReturnType<typeof readConfigFile>;
  let index: ReturnType<typeof scan>;
  try {
    copy = readConfigFile(entry.path, { keepBytes: true });
    index = scan(copy.text, new Map(), { file: entry.path, sitesPath: isMain ? SITES_IN_APPHOST : SITES_AS_ROOT });
  } catch (e) {
    if (!(isIisFtpsError(e))) throw e;
    throw new IisFtpsError(e.code, `The backup ${entry.path} cannot be restored, nothing was written: ${e.message}`, e.details, { cause: e });
  }
  if (index.sitesNode < 0 && !(isMain && index.configSource)) {
    throw new IisFtpsError('SECTION_NOT_FOUND', `The backup ${entry.path} has no sites section, so it is not a copy of ${entry.file}; nothing was restored`);
  }
  const current = currentBytes(entry.file);
  const bytes = copy.bytes!;
  if (current && current.equals(bytes)) return { restored: entry, file: entry.file, written: false, backup: null };
  const backup = write({ path: entry.file, bytes: current, size: current?.length ?? 0 }, bytes);
  return { restored: entry, file: entry.file, written: true, backup };
}
