import { IisFtpsError } from '../errors/errors.js';
import type { Backend, BackendFactory, BackendOptions } from '../contract/index.js';
import { xmlFactory } from './xml/factory.js';
import { powershellFactory } from './powershell/factory.js';
import { edgeFactory } from './edge/factory.js';

/**
 * The backends there are, and how one is picked. The registry imports each backend folder's
 * factory; no factory imports the registry.
 */
export type { Availability, BackendFactory, BackendOptions, ProbeMode } from '../contract/index.js';
export { xmlFactory };

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
