import type { Backend } from '../backends/backend.js';
import { openBackend } from '../backends/registry.js';
import { FtpsSession, type SessionOptions } from '../session/session.js';

/** How an API call reaches a configuration: an open backend, or a backend name and a file. */
export interface ConnectionOptions {
  /** An open backend (left open after the call), or a backend name: `auto` (default), `xml`, `powershell`, `edge`. */
  readonly backend?: Backend | string;
  /** A configuration file to work on instead of the live IIS configuration. */
  readonly config?: string;
}

/** Opens a backend (unless given one), runs `work` on a fresh session, and closes what it opened. */
export async function withSession<T>(options: ConnectionOptions, sessionOptions: SessionOptions, work: (session: FtpsSession) => Promise<T>): Promise<T> {
  const given = typeof options.backend === 'object' ? options.backend : undefined;
  const backend = given ?? (await openBackend(typeof options.backend === 'string' ? options.backend : 'auto', options.config === undefined ? {} : { config: options.config }));
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
