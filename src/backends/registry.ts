import { IisFtpsError } from '../errors/errors.js';
import type { Backend } from '../contract/index.js';
import { XmlBackend } from './xml/index.js';
import { powershellFactory } from './powershell/factory.js';
import { edgeFactory } from './edge/index.js';
import type { BackupOptions } from './xml/file/backup.js';
import type { LockOptions } from './xml/file/lock.js';

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

/** How a backend is found and made. Every backend has one, listed in `backendFactories`. */
export interface BackendFactory {
  readonly name: string;
  readonly description: string;
  /** Cheap check, for `auto`: no process is started that is not needed anyway. */
  probe(options: BackendOptions, mode?: ProbeMode): Promise<Availability>;
  /** Makes the backend; may load its code first. */
  create(options: BackendOptions): Backend | Promise<Backend>;
}

export const xmlFactory: BackendFactory = {
  name: 'xml',
  description: 'offline: edits an applicationHost.config file (any OS); needs --config',
  async probe(options) {
    return options.config ? { ok: true } : { ok: false, reason: 'the offline backend needs --config FILE' };
  },
  create(options) {
    if (!options.config) throw new IisFtpsError('USAGE', 'The xml backend edits a file: pass --config PATH (for example a copy of applicationHost.config)');
    return new XmlBackend({
      path: options.config,
      ...(options.backup === undefined ? {} : { backup: options.backup }),
      ...(options.lock === undefined ? {} : { lock: options.lock }),
    });
  },
};

/** In order of preference for `auto`: in-process, then PowerShell, then the offline file. */
export const backendFactories: BackendFactory[] = [edgeFactory, powershellFactory, xmlFactory];

/** Adds a backend of a third party (the project's own are listed in `backendFactories`). */
export function registerBackend(factory: BackendFactory, position: 'first' | 'beforeXml' = 'beforeXml'): void {
  const existing = backendFactories.findIndex((f) => f.name === factory.name);
  if (existing >= 0) backendFactories.splice(existing, 1);
  const xml = backendFactories.findIndex((f) => f.name === 'xml');
  backendFactories.splice(position === 'first' ? 0 : xml < 0 ? backendFactories.length : xml, 0, factory);
}

export const backendNames = (): string[] => ['auto', ...backendFactories.map((f) => f.name)];

/** Picks and makes a backend: a named one, or with `auto` the first that can run here. */
export async function openBackend(name: string = 'auto', options: BackendOptions = {}): Promise<Backend> {
  if (name !== 'auto') {
    const factory = backendFactories.find((f) => f.name === name);
    if (!factory) throw new IisFtpsError('USAGE', `Unknown backend ${JSON.stringify(name)}. Backends: ${backendNames().join(', ')}`, { allowed: backendNames() });
    const a = await factory.probe(options, 'explicit');
    if (!a.ok) throw new IisFtpsError(name === 'xml' ? 'USAGE' : 'BACKEND_UNAVAILABLE', `The ${name} backend cannot run here: ${a.reason}`);
    return factory.create(options);
  }
  const reasons: string[] = [];
  for (const factory of backendFactories) {
    const a = await factory.probe(options, 'auto');
    if (a.ok) return factory.create(options);
    reasons.push(`${factory.name}: ${a.reason}`);
  }
  throw new IisFtpsError(
    'USAGE',
    `No live IIS configuration can be reached here (${reasons.join('; ')}). Pass --config PATH to work on an applicationHost.config file`,
  );
}
