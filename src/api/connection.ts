import type { Backend } from '../contract/index.js';
import { type BackendOptions, openBackend } from '../backends/registry.js';
import type { BackupOptions } from '../backends/xml/file/backup.js';
import type { LockOptions } from '../backends/xml/file/lock.js';
import { FtpsSession, type SessionOptions } from '../session/session.js';

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
}

/** What `openBackend` needs from connection options. */
export function backendOptions(options: ConnectionOptions): BackendOptions {
  return {
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.backup === undefined ? {} : { backup: options.backup }),
    ...(options.lock === undefined ? {} : { lock: options.lock }),
  };
}

/** Opens a backend (unless given one), runs `work` on a fresh session, and closes what it opened. */
export async function withSession<T>(options: ConnectionOptions, sessionOptions: SessionOptions, work: (session: FtpsSession) => Promise<T>): Promise<T> {
  const given = typeof options.backend === 'object' ? options.backend : undefined;
  const backend = given ?? (await openBackend(typeof options.backend === 'string' ? options.backend : 'auto', backendOptions(options)));
  try {
    const session = await FtpsSession.open(backend, sessionOptions);
    try {
      return await work(session);
    } finally {
      session.dispose();
    }
  } finally {
    if (!given) await backend.close();
  }
}
