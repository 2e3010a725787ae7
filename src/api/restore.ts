import { IisFtpsError, isIisFtpsError } from '../errors/errors.js';
import { XmlBackend } from '../backends/xml/index.js';
import type { BackupEntry, BackupOptions } from '../backends/xml/file/backup.js';
import type { LockOptions } from '../backends/xml/file/lock.js';
import type { RestoreResult } from '../backends/xml/restore.js';

/** Where the kept copies of a configuration file are. */
export interface BackupLocation {
  /** The configuration file (applicationHost.config or a copy). Backups exist for files only. */
  readonly config: string;
  /** The backup settings used when writing; `dir` says where the copies are. */
  readonly backup?: BackupOptions | boolean;
  readonly lock?: LockOptions;
}

function backendFor(options: BackupLocation): XmlBackend {
  if (typeof options.config !== 'string' || options.config === '') {
    throw new IisFtpsError('USAGE', 'Backups are kept for configuration files: pass the file (--config PATH)');
  }
  return new XmlBackend({ path: options.config, ...(options.backup === undefined ? {} : { backup: options.backup }), ...(options.lock === undefined ? {} : { lock: options.lock }) });
}

/** The copies kept of a configuration (and of its configSource file), oldest first. */
export async function listFtpsBackups(options: BackupLocation): Promise<BackupEntry[]> {
  return backendFor(options).listBackups();
}

/**
 * Puts a kept copy back: `from` is `latest`, a copy's counter or its file name. The write is
 * atomic and locked like any commit, and (unless backups are off) the version it replaces is
 * kept first, so a restore can itself be undone.
 */
export async function restoreFtpsBackup(options: BackupLocation & { readonly from: string }): Promise<RestoreResult> {
  if (typeof options.from !== 'string' || options.from === '') throw new IisFtpsError('USAGE', 'Name the copy to restore: latest, its number, or its file name');
  return backendFor(options).restore(options.from);
}

/**
 * Runs a read-modify-write again when it fails with CONFLICT (another writer changed the file
 * between its read and its commit), up to `retries` more times, each time reading afresh.
 */
export async function retryOnConflict<T>(retries: number, work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if (!(isIisFtpsError(e)) || e.code !== 'CONFLICT' || attempt >= retries) throw e;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}
