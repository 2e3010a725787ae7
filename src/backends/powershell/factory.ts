import type { Availability, BackendFactory, BackendOptions } from '../../contract/index.js';
import { administrationAssemblyAvailability } from '../bridge.js';
import { resolvePowerShell } from './executable.js';

/**
 * Whether the PowerShell backend can run here, without starting a process: a PowerShell
 * executable, and Microsoft.Web.Administration.dll at IIS_FTPS_MWA_PATH or in IIS's folder.
 * (An assembly only in the GAC is not seen by this check; name the backend explicitly then.)
 */
export function isPowerShellAvailable(options: { executable?: string; mwaPath?: string } = {}): Availability {
  const exe = resolvePowerShell(options.executable);
  if (!exe) {
    return { ok: false, reason: 'PowerShell was not found (pwsh on PATH, ~/.dotnet/tools/pwsh, or powershell.exe on Windows)' };
  }
  return administrationAssemblyAvailability(options.mwaPath ?? process.env['IIS_FTPS_MWA_PATH']);
}

export const powershellFactory: BackendFactory = {
  name: 'powershell',
  description: 'live IIS through PowerShell and Microsoft.Web.Administration (Windows; --config FILE opens that file instead)',
  async probe(_options: BackendOptions) {
    return isPowerShellAvailable();
  },
  // Loaded when chosen: a run on a file need not load the PowerShell session code.
  async create(options: BackendOptions) {
    const { createPowerShellBackend } = await import('./backend.js');
    return createPowerShellBackend(options.config ? { configPath: options.config } : {});
  },
};

