import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { IisFtpsError } from '../../../errors/errors.js';
import { refuseIrregular } from './read.js';
import { HOST_TAG, TEMP_PREFIX, describeFsError, processAlive } from './write.js';
import type { LockOptions } from '../../../contract/index.js';

/**
 * An OS-level lock on one configuration file, shared by every process (CLI, API, PowerShell
 * module through Node) that writes it.
 *
 * The lock is a folder beside the file, `.iis-ftps-NAME.lock/`. A writer that wants the lock
 * creates its own owner file in it (`PID-HOST.TOKEN.owner`, exclusive create, holding pid, host
 * and time as JSON) and then lists the folder: it holds the lock when its file is the only one
 * there. Otherwise it removes its file and tries again later. Two writers can never both hold
 * it: whichever of them listed second saw the other's file.
 *
 * A crashed holder's file stays behind. It is stale when its process (on this machine) has
 * ended, or when it is older than `staleMs`. Recovering a stale lock removes exactly that one
 * owner file, by its unique name, so any number of waiters may recover the same stale lock at
 * once and none of them can remove a live holder's file by mistake.
 */

export type { LockOptions } from '../../../contract/index.js';

export const LOCK_TIMEOUT_MS = 30_000;
export const LOCK_STALE_MS = 120_000;

/** Who holds (or held) a lock, as its owner file says. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** This machine's tag for the host (see HOST_TAG). */
  readonly hostTag: string;
  /** When the lock was taken, as an ISO time. */
  readonly since: string;
}

export const lockDirFor = (path: string): string => join(dirname(path), `${TEMP_PREFIX}${basename(path)}.lock`);

const OWNER = /^(\d+)-([0-9a-f]{8})\.[0-9a-f]+\.owner$/;

function readHolder(dir: string, name: string): { holder: LockHolder; ageMs: number } | null {
  const m = OWNER.exec(name);
  let st: fs.Stats;
  try {
    st = fs.statSync(join(dir, name));
  } catch {
    return null;
  }
  let info: Partial<{ pid: number; host: string; since: string }> = {};
  try {
    info = JSON.parse(fs.readFileSync(join(dir, name), 'utf8')) as typeof info;
  } catch {
    // Written but not yet filled in, or cut short by a crash: the name says enough.
  }
  const holder: LockHolder = {
    pid: Number(m?.[1] ?? info.pid ?? 0),
    host: info.host ?? `host ${m?.[2] ?? '?'}`,
    hostTag: m?.[2] ?? '',
    since: info.since ?? st.mtime.toISOString(),
  };
  return { holder, ageMs: Date.now() - st.mtimeMs };
}

const describeHolder = (h: LockHolder): string => `process ${h.pid} on ${h.host} (since ${h.since})`;

/** A held lock. `release()` is safe to call more than once. */
export interface FileLock {
  readonly dir: string;
  release(): void;
}

function mkdirOnce(dir: string, file: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code === 'ENOENT') throw new IisFtpsError('FILE_READ', `${file} does not exist: its folder ${dirname(file)} is missing; check the path passed with --config`, {}, { cause: e });
    throw new IisFtpsError('FILE_WRITE', `Cannot lock ${file} (creating ${dir}): ${describeFsError(e)}. The file is unchanged`, {}, { cause: e });
  }
}

/**
 * Takes the lock on `file`, waiting (polling with a growing, randomised pause) while other
 * writers hold it, up to `timeoutMs` for any one of them; stale owner files of crashed writers
 * are removed on the way. Throws LOCK_TIMEOUT naming the holder when one holder keeps it longer.
 */
export async function acquireLock(file: string, options: LockOptions = {}): Promise<FileLock> {
  const timeoutMs = options.timeoutMs ?? LOCK_TIMEOUT_MS;
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  const dir = lockDirFor(file);
  const name = `${process.pid}-${HOST_TAG}.${randomBytes(6).toString('hex')}.owner`;
  const own = join(dir, name);
  const body = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() });
  // No lock folder beside a folder, in /dev, or next to a pipe: those are refused before anything is made.
  refuseIrregular(file);
  let deadline = Date.now() + timeoutMs;
  let pause = 2;
  let holder: LockHolder | null = null;
  // The holder the wait is for: when another takes its place, the first one finished.
  let waitingOn = '';
  for (;;) {
    mkdirOnce(dir, file);
    let created = false;
    try {
      const fd = fs.openSync(own, 'wx');
      created = true;
      try {
        fs.writeSync(fd, body);
      } finally {
        fs.closeSync(fd);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (created) {
        removeQuietly(own);
        throw new IisFtpsError('FILE_WRITE', `Cannot lock ${file}: ${describeFsError(e)}. The file is unchanged`, {}, { cause: e });
      }
      // The folder was removed by a writer releasing the lock just now: make it again.
      if (code !== 'ENOENT') throw new IisFtpsError('FILE_WRITE', `Cannot lock ${file} (in ${dir}): ${describeFsError(e)}. The file is unchanged`, {}, { cause: e });
      continue;
    }
    const others = listOwners(dir).filter((n) => n !== name);
    if (others.length === 0) {
      let released = false;
      return {
        dir,
        release() {
          if (released) return;
          released = true;
          removeQuietly(own);
          try {
            fs.rmdirSync(dir);
          } catch {
            // Another writer is in it already.
          }
        },
      };
    }
    removeQuietly(own);
    let recovered = false;
    holder = null;
    for (const other of others) {
      const seen = readHolder(dir, other);
      if (!seen) {
        recovered = true;
        continue;
      }
      const dead = seen.holder.hostTag === HOST_TAG && !processAlive(seen.holder.pid);
      if (dead || seen.ageMs > staleMs) {
        // Unique name: this removes that crashed writer's file and nothing else.
        removeQuietly(join(dir, other));
        recovered = true;
      } else if (!holder || seen.ageMs > Date.now() - Date.parse(holder.since)) {
        holder = seen.holder;
      }
    }
    if (recovered && !holder) continue;
    // The oldest owner file is the holder's; the others are waiters' passing tries.
    const seenNow = holder ? `${holder.pid}-${holder.hostTag}@${holder.since}` : '';
    if (seenNow !== waitingOn) {
      // Another writer holds the lock now: the one waited for finished, so the wait starts again.
      waitingOn = seenNow;
      deadline = Date.now() + timeoutMs;
    }
    if (Date.now() >= deadline) {
      const who = holder ? describeHolder(holder) : 'another writer';
      throw new IisFtpsError(
        'LOCK_TIMEOUT',
        `${file} is locked by ${who}; waited ${Math.round(timeoutMs / 1000)} s and wrote nothing. Run again when that writer is done; if no such process is running, remove ${dir}`,
      );
    }
    await sleep(Math.min(pause + Math.random() * pause, Math.max(1, deadline - Date.now())));
    pause = Math.min(pause * 2, 50);
  }
}

function listOwners(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => n.endsWith('.owner'));
  } catch {
    return [];
  }
}

function removeQuietly(path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // Already removed.
  }
}

/** The lock folders held by the code running now (and by what it awaits), for re-entry. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Runs `work` with the lock on `file` held, and releases it whatever happens. Re-entrant: work
 * that already runs under this lock (a one-shot write holding it from its read to its commit)
 * runs at once instead of waiting for itself.
 */
export async function withFileLock<T>(file: string, options: LockOptions, work: () => T | Promise<T>): Promise<T> {
  const dir = lockDirFor(file);
  const mine = held.getStore();
  if (mine?.has(dir)) return work();
  const lock = await acquireLock(file, options);
  try {
    return await held.run(new Set([...(mine ?? []), dir]), work);
  } finally {
    lock.release();
  }
}
