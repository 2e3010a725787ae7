import * as fs from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { IisFtpsError } from '../../../errors/errors.js';
import { describeFsError } from './fs-errors.js';
import type { BackupOptions } from '../../../contract/index.js';

/**
 * Copies of a configuration file kept before each write, in the spirit of IIS's configuration
 * history (CFGHISTORY_nnnnnnnnnn, the last 10): by default in `.iis-ftps-history/` beside
 * applicationHost.config, one file per copy, named
 * `applicationHost.config.20250102T030405.678Z.17.bak` (the file, the UTC time, and a counter
 * that orders copies made in the same millisecond). A `configSource` file's copies go to the
 * same folder under its path relative to applicationHost.config's folder, `/` written `%2F`.
 */
export type { BackupOptions } from '../../../contract/index.js';

export const BACKUP_DIR_NAME = '.iis-ftps-history';
export const BACKUP_KEEP = 10;

/** One kept copy. */
export interface BackupEntry {
  /** The copy's file name, which `restore` takes. */
  readonly name: string;
  /** The copy's full path. */
  readonly path: string;
  /** The file it is a copy of (and that a restore writes). */
  readonly file: string;
  /** When it was taken (ISO time, UTC). */
  readonly time: string;
  readonly counter: number;
  readonly size: number;
}

/** Resolved backup settings for a configuration file. */
export interface BackupPolicy {
  readonly enabled: boolean;
  readonly keep: number;
  readonly dir: string;
}

export function backupPolicy(configPath: string, options: BackupOptions | boolean | undefined): BackupPolicy {
  const o: BackupOptions = typeof options === 'boolean' ? { enabled: options } : (options ?? {});
  const keep = o.keep ?? BACKUP_KEEP;
  if (!Number.isInteger(keep) || keep < 1) {
    throw new IisFtpsError('USAGE', `The number of backups to keep must be a whole number of at least 1; got ${String(keep)}. To keep none, turn backups off (--no-backup)`);
  }
  return { enabled: o.enabled ?? true, keep, dir: resolve(o.dir ?? join(dirname(resolve(configPath)), BACKUP_DIR_NAME)) };
}

const NAME = /^(.+)\.(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z\.(\d+)\.bak$/;

/** A copy's time as its name holds it: `20250102T030405.678Z`. */
export const stampOf = (d: Date): string => d.toISOString().replace(/[-:]/g, '');

/** The copies in a policy's folder, oldest first (by counter). */
export function listBackups(configPath: string, policy: BackupPolicy): BackupEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync(policy.dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new IisFtpsError('FILE_READ', `Cannot list the backups in ${policy.dir}: ${describeFsError(e)}`, {}, { cause: e });
  }
  const base = dirname(resolve(configPath));
  const out: BackupEntry[] = [];
  for (const name of names) {
    const m = NAME.exec(name);
    if (!m) continue;
    let rel: string;
    try {
      rel = decodeURIComponent(m[1]!);
    } catch {
      continue;
    }
    const file = resolve(base, rel);
    const r = relative(base, file);
    if (r === '' || r.startsWith('..') || isAbsolute(r)) continue;
    let size = 0;
    try {
      const st = fs.statSync(join(policy.dir, name));
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue;
    }
    const time = `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}.${m[8]}Z`;
    out.push({ name, path: join(policy.dir, name), file, time, counter: Number(m[9]), size });
  }
  return out.sort((a, b) => a.counter - b.counter || a.name.localeCompare(b.name));
}


/** Finds a copy by its name, its counter, or `latest` (the newest copy of `file`). */
export function findBackup(entries: readonly BackupEntry[], which: string, files: readonly string[]): BackupEntry {
  const mine = entries.filter((b) => files.includes(b.file));
  const found =
    which === 'latest' ? mine[mine.length - 1]
    : /^\d+$/.test(which) ? mine.find((b) => b.counter === Number(which))
    : mine.find((b) => b.name === which || b.path === resolve(which));
  if (found) return found;
  const list = mine.length ? `Backups: ${mine.slice(-10).map((b) => `${b.counter} ${b.name}`).join(', ')}` : 'There are no backups of this configuration';
  throw new IisFtpsError('FILE_READ', `No backup ${JSON.stringify(which)}. ${list}. List them with 'iis-ftps restore --config FILE'`, { value: which, allowed: mine.map((b) => b.name) });
}
