/**
 * How a backend is found and made: the options it is opened with, whether it can run here, and
 * the factory every backend folder exports. The registry (src/backends/registry.ts) lists the
 * factories; a factory never imports the registry.
 */
import type { Backend } from './backend.js';

/** Copies kept of a configuration file before each write (the offline backend). */
export interface BackupOptions {
  /** Keep a copy of the file before each write (default true). */
  readonly enabled?: boolean;
  /** How many copies to keep per file, the newest (default 10). */
  readonly keep?: number;
  /** The folder of the copies (default `.iis-ftps-history` beside the configuration file). */
  readonly dir?: string;
}

/** How a writer waits for the lock beside a configuration file (the offline backend). */
export interface LockOptions {
  /**
   * How long to wait for any one other writer, in milliseconds (default 30 s). The wait goes on
   * while other writers keep taking turns: it runs out only when one holder keeps the lock this
   * long, so a busy file with many short writers never times a waiter out.
   */
  readonly timeoutMs?: number;
  /** An owner file older than this is taken to be a crashed writer's (default 2 min). */
  readonly staleMs?: number;
}

export interface BackendOptions {
  /** A configuration file to work on instead of the live IIS configuration. */
  readonly config?: string;
  /** Offline backend: copies kept before each write (on by default, the last 10). */
  readonly backup?: BackupOptions | boolean;
  /** Offline backend: how long to wait for another writer's lock. */
  readonly lock?: LockOptions;
}

/** Whether a backend was named (`--backend edge`) or is being considered by `auto`. */
export type ProbeMode = 'explicit' | 'auto';

/** Whether a backend can run here, and if not, why (said to the user when `auto` passes it by). */
export type Availability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** How a backend is found and made. Every backend has one, listed in the registry's `backendFactories`. */
export interface BackendFactory {
  readonly name: string;
  readonly description: string;
  /** Cheap check, for `auto`: no process is started that is not needed anyway. */
  probe(options: BackendOptions, mode?: ProbeMode): Promise<Availability>;
  /** Makes the backend; may load its code first. */
  create(options: BackendOptions): Backend | Promise<Backend>;
}
