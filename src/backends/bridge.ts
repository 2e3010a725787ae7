/**
 * What the live backends (PowerShell, edge-js) share: finding Microsoft.Web.Administration.dll
 * (and the one message for when it is not there), running calls one at a time, and turning the
 * engine's answers into results or the contract's errors.
 *
 * Both run the same C# engine (src/engine/), which answers one JSON object per call:
 * `{ ok: true, pid, result }` or `{ ok: false, pid, error: { code, message, dotnetType, site?, line?, column? } }`.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { IisFtpsError, isErrorCode } from '../errors/errors.js';

export interface BridgeErrorInfo {
  readonly code?: string;
  readonly message?: string;
  /** The .NET exception behind the error. */
  readonly dotnetType?: string;
  /** For SITE_NOT_FOUND: the site asked for. */
  readonly site?: string;
  /** For XML_MALFORMED: where in the file, when the engine knows. */
  readonly line?: number;
  readonly column?: number;
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
 * Where a live backend finds Microsoft.Web.Administration.dll before the GAC: `mwaPath` (default
 * `IIS_FTPS_MWA_PATH`), else IIS's folder on Windows. Files only, nothing loaded. The engine
 * (src/engine/Administration.cs) looks in the same places, then in the GAC where the runtime has one.
 */
export function findAdministrationAssembly(mwaPath: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (mwaPath) return isFile(mwaPath) ? mwaPath : undefined;
  const windir = env['windir'] ?? env['SystemRoot'];
  if (process.platform !== 'win32' || !windir) return undefined;
  const inetsrv = join(windir, 'System32', 'inetsrv', 'Microsoft.Web.Administration.dll');
  return isFile(inetsrv) ? inetsrv : undefined;
}

/**
 * Whether Microsoft.Web.Administration.dll is where a live backend looks, for `auto` and the
 * backends' probes: the one "not found" reason both live backends give.
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

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Runs calls one at a time, in the order they were made; a failed call does not stop the next. */
export class CallQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(call: () => Promise<T>): Promise<T> {
    const run = this.tail.then(call);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/** The fields every engine request carries: the configuration to open and the assembly to load. */
export function engineRequest(op: string, options: { readonly configPath?: string; readonly mwaPath?: string }, payload: Record<string, unknown>): Record<string, unknown> {
  return {
    op,
    configPath: options.configPath ?? null,
    mwaPath: options.mwaPath ?? process.env['IIS_FTPS_MWA_PATH'] ?? null,
    ...payload,
  };
}
