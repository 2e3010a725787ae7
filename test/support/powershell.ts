/**
 * Set-up for the PowerShell bridge suites: finds pwsh, builds the test double of
 * Microsoft.Web.Administration, and looks at the processes a backend leaves behind.
 *
 * Without CI a missing runtime skips the suite with the reason; with CI=true it fails it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePowerShell, type ResolvedPowerShell } from '../../src/backends/powershell/executable.js';
import { REPO } from './fixture.js';
import { suiteRuntime } from './runtime.js';

export const MWA_BUILD_SCRIPT = join(REPO, 'test', 'doubles', 'mwa', 'build.sh');

export interface BridgeRuntime {
  readonly exe: ResolvedPowerShell;
  /** The Microsoft.Web.Administration.dll the suites load: the test double here, the real one on Windows CI. */
  readonly mwaPath: string | undefined;
}


/** Whether the suites must use the real assembly (Windows with IIS, as in .github/workflows/windows.yml). */
export const USE_REAL_IIS = process.env['IIS_FTPS_TEST_REAL_IIS'] === '1';

function findRuntime(): BridgeRuntime {
  const exe = resolvePowerShell(process.env['IIS_FTPS_TEST_PWSH']);
  if (!exe) throw new Error('PowerShell (pwsh) was not found: install it with `dotnet tool install --global PowerShell --version 7.6.*`');
  if (USE_REAL_IIS) return { exe, mwaPath: undefined };
  if (process.platform === 'win32') throw new Error('the test double is built with bash; on Windows set IIS_FTPS_TEST_REAL_IIS=1 and run against IIS');
  let out: string;
  try {
    out = execFileSync('bash', [MWA_BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`building the Microsoft.Web.Administration test double failed (needs the .NET SDK): ${(err.stderr || err.message).trim()}`);
  }
  const mwaPath = out.trim().split('\n').pop()!;
  if (!existsSync(mwaPath)) throw new Error(`build.sh printed ${mwaPath}, which does not exist`);
  return { exe, mwaPath };
}

/**
 * The runtime for a bridge suite, from a mocha `before` hook: skips the suite when pwsh or the
 * .NET SDK is missing, or fails it with CI=true.
 */
export const bridgeRuntime = suiteRuntime('the PowerShell bridge', findRuntime);

/** Every process below this Node process, as pid -> command line (Linux /proc). */
export function descendants(root = process.pid): Map<number, string> {
  const parents = new Map<number, number>();
  const commands = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
      commands.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
    } catch {
      // The process ended while we looked.
    }
  }
  const out = new Map<number, string>();
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid && !out.has(child)) {
        out.set(child, commands.get(child) ?? '');
        walk(child);
      }
    }
  };
  walk(root);
  return out;
}

/** PowerShell processes below this Node process (a pwsh, or the global tool's shim and its pwsh.dll). */
export function powershellProcesses(): Map<number, string> {
  return new Map([...descendants()].filter(([, cmd]) => /pwsh|powershell/i.test(cmd)));
}

/** Whether a process exists (and is not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until `check` holds, up to `ms`. */
export async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}
