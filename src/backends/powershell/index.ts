export { PowerShellBackend, createPowerShellBackend, CORE_SCRIPT } from './backend.js';
export type { PowerShellBackendOptions, PowerShellInfo } from './backend.js';
export { resolvePowerShell, findOnPath } from './executable.js';
export { findAdministrationAssembly } from '../bridge.js';
export type { PowerShellKind, ResolvedPowerShell } from './executable.js';

export { isPowerShellAvailable, powershellFactory } from './factory.js';
