import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { PowerShell } from 'node-powershell';
import { IisFtpsError } from '../../errors/errors.js';
import type { ResolvedPowerShell } from './executable.js';

/** Inert text only: base64 never closes a single-quoted PowerShell string. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A base64 string literal for PowerShell source, checked to be inert. */
export function base64Literal(text: string): string {
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  if (!BASE64.test(b64)) throw new Error('base64 encoding produced an unexpected character');
  return `'${b64}'`;
}

/** node-powershell's shell, with the executable taken as given (no NODE_POWERSHELL override, no aliasing). */
class BridgeShell extends PowerShell {
  protected override setExecutable({ executable }: { executable?: string }): string {
    if (!executable) throw new Error('no PowerShell executable');
    return executable;
  }
}

/** The parts of node-powershell's shell that it keeps private but a careful owner must reach. */
interface ShellInternals {
  readonly process?: ChildProcess;
  readonly exitPromise?: Promise<unknown>;
}

/**
 * One long-lived PowerShell process, fed commands on stdin by node-powershell. Starting it
 * dot-sources the iis-ftps functions; every later command runs in the same process.
 */
export class PowerShellProcess {
  private readonly shell: BridgeShell;
  private exited = false;
  /** The first error the process itself raised (spawn failure, crash). */
  processError: Error | undefined;

  constructor(exe: ResolvedPowerShell) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NO_COLOR: '1',
      TERM: 'dumb',
      POWERSHELL_TELEMETRY_OPTOUT: '1',
      POWERSHELL_UPDATECHECK: 'Off',
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      DOTNET_NOLOGO: '1',
    };
    this.shell = new BridgeShell({
      executable: exe.path,
      executableOptions: { '-NoProfile': true, '-NonInteractive': true, '-ExecutionPolicy': 'Bypass' },
      spawnOptions: { env, windowsHide: true },
      inputEncoding: 'utf-8',
      outputEncoding: 'utf-8',
      throwOnInvocationError: true,
    });
    // node-powershell listens for one 'error' on stdin and on the process only; a second would
    // crash Node. Keep every further one, and its exit promise, handled.
    this.shell.streams.stdin.on('error', () => {});
    const internals = this.shell as unknown as ShellInternals;
    internals.process?.on('error', (e) => {
      this.processError ??= e;
    });
    internals.exitPromise?.then(
      () => (this.exited = true),
      (e: unknown) => {
        this.exited = true;
        this.processError ??= e instanceof Error ? e : new Error(String(e));
      },
    );
  }

  /** The process node started: PowerShell itself, or the .NET global tool's shim that runs it. */
  get pid(): number | undefined {
    return (this.shell as unknown as ShellInternals).process?.pid;
  }

  /** PowerShell's own process id ($PID), once it has answered. */
  remotePid: number | undefined;

  get isExited(): boolean {
    return this.exited;
  }

  /** Runs one command; resolves with its stdout text. Rejects with node-powershell's errors. */
  async run(command: string): Promise<string> {
    this.setRef(true);
    try {
      const result = await this.shell.invoke(command);
      return result.raw;
    } finally {
      this.setRef(false);
    }
  }

  /** Lets Node exit while the process idles (a caller that forgets close() does not hang). */
  private setRef(ref: boolean): void {
    const child = (this.shell as unknown as ShellInternals).process;
    if (!child || this.exited) return;
    const handles: (ChildProcess | Socket | null | undefined)[] = [child, child.stdin as Socket | null, child.stdout as Socket | null, child.stderr as Socket | null];
    for (const h of handles) {
      if (h && typeof h.ref === 'function') {
        if (ref) h.ref();
        else h.unref();
      }
    }
  }

  /**
   * Ends the process. With `graceMs` > 0 it is asked to exit and killed only if it has not after
   * that long; with 0 it is killed at once. PowerShell itself is killed too when it runs under a
   * shim (the .NET global tool starts pwsh as a child process). Never throws.
   */
  async dispose(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    const exit = (this.shell as unknown as ShellInternals).exitPromise ?? Promise.resolve();
    const done = exit.then(
      () => true,
      () => true,
    );
    if (graceMs > 0) {
      this.shell.streams.stdin.write('exit\n');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), graceMs)));
      const finished = await Promise.race([done, late]);
      clearTimeout(timer);
      if (finished) {
        this.exited = true;
        return;
      }
    }
    // The shim is still running, so the PowerShell it started is too: its pid is not reused yet.
    const shim = this.pid;
    const others = new Set(shim === undefined ? [] : childPids(shim));
    if (this.remotePid !== undefined && this.remotePid !== shim) others.add(this.remotePid);
    for (const pid of others) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await this.shell.dispose('SIGKILL').catch(() => undefined);
    await done;
    this.exited = true;
  }
}

/** The child processes of a process, where the OS tells (Linux); else none. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Turns a failure to start or talk to PowerShell into the contract's error. */
export function processFailure(exe: ResolvedPowerShell, e: unknown, during: 'start' | string): IisFtpsError {
  const err = e instanceof Error ? e : new Error(String(e));
  const proc = err as { originalError?: Error; exitCode?: number | null; signalCode?: string | null };
  const errno = (proc.originalError as NodeJS.ErrnoException | undefined)?.code ?? (err as NodeJS.ErrnoException).code;
  const text = (proc.originalError?.message ?? err.message).replace(/\bundefined\b/g, '').trim();
  const detail = errno
    ? errno
    : typeof proc.exitCode === 'number' || proc.signalCode
      ? `it exited${typeof proc.exitCode === 'number' ? ` with code ${proc.exitCode}` : ''}${proc.signalCode ? ` on ${proc.signalCode}` : ''}`
      : text;
  if (during === 'start') {
    return new IisFtpsError(
      'BACKEND_UNAVAILABLE',
      `PowerShell could not be started from ${exe.path}${detail ? ` (${detail})` : ''}. Install PowerShell 7 (pwsh) or pass the path of a working pwsh / powershell.exe`,
      {},
      { cause: e },
    );
  }
  return new IisFtpsError('BACKEND_FAILED', `PowerShell (${exe.path}) failed ${during}${detail ? `: ${detail}` : ''}`, {}, { cause: e });
}
