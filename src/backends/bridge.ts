/**
 * What the live backends' bridges (PowerShell, edge-js) answer, and how an answer becomes a
 * result or the contract's error. Both bridges answer one JSON object per call:
 * `{ ok: true, pid, result }` or `{ ok: false, pid, error: { code, message, dotnetType, site? } }`.
 */
import { IisFtpsError, isErrorCode } from '../errors/errors.js';
import { findAdministrationAssembly } from './powershell/executable.js';

export interface BridgeErrorInfo {
  readonly code?: string;
  readonly message?: string;
  /** The .NET exception behind the error. */
  readonly dotnetType?: string;
  /** For SITE_NOT_FOUND: the site asked for. */
  readonly site?: string;
}

export interface BridgeResponse {
  readonly ok: boolean;
  /** The process that answered. */
  readonly pid: number;
  readonly result?: unknown;
  readonly error?: BridgeErrorInfo;
}

/**
 * The error a bridge reported, as an IisFtpsError: its code when it is one of ours, else
 * BACKEND_FAILED with the .NET type named in the message and in `details.dotnetType`.
 */
export function bridgeError(error: BridgeErrorInfo | undefined, bridge: string): IisFtpsError {
  const err = error ?? {};
  const code = isErrorCode(err.code) ? err.code : 'BACKEND_FAILED';
  const message = err.message ?? `${bridge} reported an error without a message`;
  const details = {
    ...(err.dotnetType ? { dotnetType: err.dotnetType } : {}),
    ...(err.site !== undefined ? { site: err.site } : {}),
  };
  return new IisFtpsError(code, code === 'BACKEND_FAILED' && err.dotnetType ? `${message} (${err.dotnetType})` : message, details);
}

/** The result of a bridge answer, or its error thrown. */
export function bridgeResult(response: BridgeResponse, bridge: string): unknown {
  if (response.ok) return response.result;
  throw bridgeError(response.error, bridge);
}

/**
 * Whether Microsoft.Web.Administration.dll is where a live backend looks before the GAC:
 * `mwaPath` (default `IIS_FTPS_MWA_PATH`), else IIS's folder on Windows. Files only, nothing loaded.
 */
export function administrationAssemblyAvailability(mwaPath: string | undefined = process.env['IIS_FTPS_MWA_PATH']): { ok: true } | { ok: false; reason: string } {
  if (findAdministrationAssembly(mwaPath)) return { ok: true };
  return {
    ok: false,
    reason: mwaPath
      ? `IIS_FTPS_MWA_PATH names ${mwaPath}, which is not a file`
      : "IIS's Microsoft.Web.Administration.dll is not here (no IIS); set IIS_FTPS_MWA_PATH to its path if it lives elsewhere",
  };
}
