import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Backend, CertificateInfo, ChangeSet, CommitResult, RawSnapshot, ReadQuery } from '../../contract/index.js';
import { IisFtpsError, isIisFtpsError } from '../../errors/errors.js';
import { type BridgeResponse, CallQueue, bridgeResult, engineRequest } from '../bridge.js';
import { type ResolvedPowerShell, resolvePowerShell } from './executable.js';
import { PowerShellProcess, base64Literal, processFailure } from './session.js';

export interface PowerShellBackendOptions {
  /**
   * The PowerShell to run: a path or a command name (`pwsh`, `powershell.exe`). Default: `pwsh`
   * on PATH, then `~/.dotnet/tools/pwsh`, then (on Windows) `powershell.exe`.
   */
  readonly executable?: string;
  /** An applicationHost.config to open with `ServerManager(path)`; default: the live IIS configuration. */
  readonly configPath?: string;
  /** Milliseconds one call may take, the first call's start-up included. Default 60 000. */
  readonly timeoutMs?: number;
  /** Path of Microsoft.Web.Administration.dll to load. Default: `IIS_FTPS_MWA_PATH`, else IIS's own. */
  readonly mwaPath?: string;
}

/** What `ping` reports: the PowerShell that answers, and its process id. */
export interface PowerShellInfo {
  readonly psVersion: string;
  readonly psEdition: string;
  readonly pid: number;
}

/** The iis-ftps PowerShell functions (loading the C# engine, the request loop), dot-sourced once per process. */
export const CORE_SCRIPT = fileURLToPath(new URL('../../../ps/IisFtps.Core.ps1', import.meta.url));

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The live backend on Windows: drives Microsoft.Web.Administration.ServerManager through the C#
 * engine (src/engine/), which `ps/` compiles with Add-Type (cached per user) and calls, in one
 * long-lived PowerShell process per backend, started on first use.
 *
 * Requests cross as base64 of JSON and answers come back the same way: no site name, value or path
 * ever becomes PowerShell source.
 */
export class PowerShellBackend implements Backend {
  readonly name = 'powershell';
  private readonly options: PowerShellBackendOptions;
  private readonly timeoutMs: number;
  private proc: PowerShellProcess | undefined;
  private starting: Promise<PowerShellProcess> | undefined;
  private readonly queue = new CallQueue();
  private closed = false;
  private lastPid: number | undefined;

  constructor(options: PowerShellBackendOptions = {}) {
    this.options = options;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new IisFtpsError('USAGE', `timeoutMs must be a positive number of milliseconds, not ${String(options.timeoutMs)}`);
  }

  /** The process id ($PID) of the running PowerShell, if one is running. */
  get processId(): number | undefined {
    return this.proc && !this.proc.isExited ? this.proc.remotePid : undefined;
  }

  async read(query: ReadQuery): Promise<RawSnapshot> {
    return (await this.call('read', { query })) as RawSnapshot;
  }

  async commit(changes: ChangeSet): Promise<CommitResult> {
    return (await this.call('commit', { changeSet: changes })) as CommitResult;
  }

  /**
   * The certificate with that thumbprint in LocalMachine\`storeName`, or (no store given) in
   * `My`, then `WebHosting`; null when it is in none. IIS_FTPS_CERT_STORE_DIR replaces the
   * machine's stores with a folder (a test seam, see docs/backend-powershell.md).
   */
  async findCertificate(thumbprint: string, storeName?: string): Promise<CertificateInfo | null> {
    return (await this.call('findCertificate', { thumbprint, storeName: storeName ?? null, certStoreDir: process.env['IIS_FTPS_CERT_STORE_DIR'] || null })) as CertificateInfo | null;
  }

  /**
   * Asks PowerShell who it is. `delayMs` makes it wait first (for checking time-outs);
   * `timeoutMs` overrides the backend's for this call.
   */
  async ping(options: { delayMs?: number; timeoutMs?: number } = {}): Promise<PowerShellInfo> {
    const result = (await this.call('ping', { delayMs: options.delayMs ?? 0 }, options.timeoutMs)) as Omit<PowerShellInfo, 'pid'>;
    return { ...result, pid: this.lastPid! };
  }

  async close(): Promise<void> {
    this.closed = true;
    const proc = this.proc ?? (await this.starting?.catch(() => undefined));
    this.proc = undefined;
    this.starting = undefined;
    await proc?.dispose();
  }

  /** Calls run one at a time, in order. */
  private call(op: string, payload: Record<string, unknown>, timeoutMs = this.timeoutMs): Promise<unknown> {
    return this.queue.run(() => this.callNow(op, payload, timeoutMs));
  }

  private async callNow(op: string, payload: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
    if (this.closed) throw new IisFtpsError('SESSION_CLOSED', 'The PowerShell backend was closed; open a new one');
    const exe = this.executable();
    const request = engineRequest(op, this.options, payload);
    const entry = op === 'ping' ? 'Invoke-IisFtpsBridgePing' : 'Invoke-IisFtpsBridgeRequest';
    const command = `${entry} -RequestBase64 ${base64Literal(JSON.stringify(request))}`;

    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        reject(new Error('timeout'));
      }, timeoutMs);
    });
    let proc: PowerShellProcess | undefined;
    try {
      const work = (async () => {
        proc = await this.session(exe);
        return proc.run(command);
      })();
      work.catch(() => undefined);
      const raw = await Promise.race([work, expired]);
      return this.answer(exe, raw);
    } catch (e) {
      if (timedOut) {
        const pid = proc?.remotePid ?? this.proc?.remotePid;
        await this.discard();
        throw new IisFtpsError(
          'BACKEND_TIMEOUT',
          `PowerShell did not answer within ${timeoutMs} ms (${op}); its process${pid ? ` (pid ${pid})` : ''} was ended. ` +
            'Nothing was committed unless IIS had already accepted the change; read again before retrying',
        );
      }
      if (isIisFtpsError(e)) throw e;
      const failed = processFailure(exe, e, `during ${op}`);
      if (this.proc?.isExited || this.proc?.processError) await this.discard();
      throw failed;
    } finally {
      clearTimeout(timer);
    }
  }

  private executable(): ResolvedPowerShell {
    const exe = resolvePowerShell(this.options.executable);
    if (exe) return exe;
    const what = this.options.executable ? `${JSON.stringify(this.options.executable)} is not an executable PowerShell` : 'PowerShell was not found (pwsh on PATH, ~/.dotnet/tools/pwsh, or powershell.exe on Windows)';
    throw new IisFtpsError(
      'BACKEND_UNAVAILABLE',
      `${what}. Install PowerShell 7 (for example \`dotnet tool install --global PowerShell\`) or pass the path of pwsh / powershell.exe`,
    );
  }

  /** The running process, or a new one with the iis-ftps functions loaded. */
  private async session(exe: ResolvedPowerShell): Promise<PowerShellProcess> {
    if (this.proc && !this.proc.isExited) return this.proc;
    this.proc = undefined;
    this.starting ??= this.start(exe).finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(exe: ResolvedPowerShell): Promise<PowerShellProcess> {
    if (!existsSync(CORE_SCRIPT)) {
      throw new IisFtpsError('BACKEND_UNAVAILABLE', `The iis-ftps PowerShell functions are missing (${CORE_SCRIPT}); reinstall iis-ftps`);
    }
    const proc = new PowerShellProcess(exe);
    this.proc = proc;
    const init = [
      "$ErrorActionPreference = 'Stop'",
      "$ProgressPreference = 'SilentlyContinue'",
      'try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }',
      "if ($null -ne (Get-Variable -Name PSStyle -ErrorAction SilentlyContinue)) { $PSStyle.OutputRendering = 'PlainText' }",
      `. ([System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String(${base64Literal(CORE_SCRIPT)})))`,
      "[Console]::Out.WriteLine('IISFTPS-PID:' + $PID)",
    ].join('; ');
    try {
      const out = await proc.run(init);
      const pid = /IISFTPS-PID:(\d+)/.exec(out);
      if (!pid) throw new Error(`unexpected start-up output: ${out.trim().slice(0, 500) || '(nothing)'}`);
      proc.remotePid = Number(pid[1]);
    } catch (e) {
      this.proc = undefined;
      await proc.dispose(0);
      throw processFailure(exe, proc.processError ?? e, 'start');
    }
    return proc;
  }

  /** Ends the current process (after a time-out or a crash); the next call starts a new one. */
  private async discard(): Promise<void> {
    const proc = this.proc ?? (await this.starting?.catch(() => undefined));
    this.proc = undefined;
    this.starting = undefined;
    await proc?.dispose(0);
  }

  private answer(exe: ResolvedPowerShell, raw: string): unknown {
    const line = raw.split(/\r?\n/).find((l) => l.startsWith('IISFTPS:'));
    if (!line) {
      throw new IisFtpsError('BACKEND_FAILED', `PowerShell (${exe.path}) gave no iis-ftps answer; it wrote: ${raw.trim().slice(0, 500) || '(nothing)'}`);
    }
    const response = JSON.parse(Buffer.from(line.slice('IISFTPS:'.length).trim(), 'base64').toString('utf8')) as BridgeResponse;
    this.lastPid = response.pid;
    return bridgeResult(response, 'PowerShell');
  }
}

export function createPowerShellBackend(options: PowerShellBackendOptions = {}): PowerShellBackend {
  return new PowerShellBackend(options);
}
