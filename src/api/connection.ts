import type { Backend } from '../contract/index.js';
import { type BackendOptions, openBackend } from '../backends/registry.js';
import type { BackupOptions } from '../backends/xml/file/backup.js';
import type { LockOptions } from '../backends/xml/file/lock.js';
import { IisFtpsError, isIisFtpsError } from '../errors/errors.js';
import { FtpsSession, type SessionOptions } from '../session/session.js';

/** A one-shot write that met another writer's change on a live store, and reads again. */
export interface ConflictRetry {
  /** The try that is about to start (2 for the first retry). */
  readonly attempt: number;
  /** How many tries there are at most. */
  readonly attempts: number;
  /** The CONFLICT the previous try met. */
  readonly error: IisFtpsError;
}

/** How an API call reaches a configuration: an open backend, or a backend name and a file. */
export interface ConnectionOptions {
  /** An open backend (left open after the call), or a backend name: `auto` (default), `xml`, `powershell`, `edge`. */
  readonly backend?: Backend | string;
  /** A configuration file to work on instead of the live IIS configuration. */
  readonly config?: string;
  /** With a file: keep a copy before each write (default on, the last 10, in `.iis-ftps-history/`); `false` turns it off. */
  readonly backup?: BackupOptions | boolean;
  /** With a file: how long to wait for another writer's lock (default 30 s). */
  readonly lock?: LockOptions;
  /** Told when a write on live IIS met another writer's change and reads again (see `LIVE_CONFLICT_ATTEMPTS`). */
  readonly onRetry?: (retry: ConflictRetry) => void;
}

/**
 * How often a one-shot write on a store that cannot be held (live IIS through ServerManager)
 * tries in all when another writer changes the configuration between its read and its commit.
 */
export const LIVE_CONFLICT_ATTEMPTS = 5;

/** What `openBackend` needs from connection options. */
export function backendOptions(options: ConnectionOptions): BackendOptions {
  return {
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.backup === undefined ? {} : { backup: options.backup }),
    ...(options.lock === undefined ? {} : { lock: options.lock }),
  };
}

/**
 * Whether a call only reads (`get`, `--what-if`) or is a one-shot write (`set`, `reset`,
 * `apply`): a write reads, plans and commits as one writer (see `Backend.exclusive`), so two
 * one-shot writers never fail each other with CONFLICT.
 */
export type SessionMode = 'read' | 'write';

/** A set, reset or apply writes as one writer; with whatIf it only reads. */
export const writeMode = (whatIf: boolean | undefined): SessionMode => (whatIf ? 'read' : 'write');

/** Opens a backend (unless given one), runs `work` on a fresh session, and closes what it opened. */
export async function withSession<T>(options: ConnectionOptions, sessionOptions: SessionOptions, work: (session: FtpsSession) => Promise<T>, mode: SessionMode = 'read'): Promise<T> {
  const given = typeof options.backend === 'object' ? options.backend : undefined;
  const backend = given ?? (await openBackend(typeof options.backend === 'string' ? options.backend : 'auto', backendOptions(options)));
  const once = async (): Promise<T> => {
    const session = await FtpsSession.open(backend, sessionOptions);
    try {
      return await work(session);
    } finally {
      session.dispose();
    }
  };
  try {
    if (mode === 'read') return await once();
    if (backend.exclusive) return await backend.exclusive(once);
    return await retryLiveConflicts(once, options.onRetry);
  } finally {
    if (!given) await backend.close();
  }
}

/**
 * Runs a one-shot write on a store that cannot be held again when another writer changed it
 * between the read and the commit, up to LIVE_CONFLICT_ATTEMPTS tries in all, each after a short
 * random pause and a fresh read. The last CONFLICT says how often it tried.
 */
async function retryLiveConflicts<T>(once: () => Promise<T>, onRetry: ConnectionOptions['onRetry']): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await once();
    } catch (e) {
      if (!(isIisFtpsError(e)) || e.code !== 'CONFLICT') throw e;
      if (attempt >= LIVE_CONFLICT_ATTEMPTS) {
        throw new IisFtpsError('CONFLICT', `${e.message} (tried ${attempt} times, reading the configuration again before each)`, e.details, { cause: e });
      }
      onRetry?.({ attempt: attempt + 1, attempts: LIVE_CONFLICT_ATTEMPTS, error: e });
      await new Promise((r) => setTimeout(r, 10 + Math.random() * 40 * attempt));
    }
  }
}
