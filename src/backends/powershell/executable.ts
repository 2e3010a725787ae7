import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** Which PowerShell an executable is: PowerShell 7 (`pwsh`) or Windows PowerShell 5.1 (`powershell.exe`). */
export type PowerShellKind = 'pwsh' | 'powershell';

export interface ResolvedPowerShell {
  readonly path: string;
  readonly kind: PowerShellKind;
}

const isWindows = process.platform === 'win32';

function isRunnable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (!isWindows) accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A command name looked up on PATH (with the Windows extensions), or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(delimiter).filter(Boolean);
  const exts = isWindows && !/\.[a-z0-9]+$/i.test(name) ? (env['PATHEXT'] ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean) : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isRunnable(candidate)) return candidate;
    }
  }
  return undefined;
}

function kindOf(path: string): PowerShellKind {
  return /(^|[\\/])powershell(\.exe)?$/i.test(path) ? 'powershell' : 'pwsh';
}

/**
 * Finds the PowerShell to run. `preferred` is a path or a command name; without it: `pwsh` on
 * PATH, then the .NET global tool (`~/.dotnet/tools/pwsh`), then on Windows `powershell.exe`.
 * Returns undefined when none is there.
 */
export function resolvePowerShell(preferred?: string, env: NodeJS.ProcessEnv = process.env): ResolvedPowerShell | undefined {
  if (preferred) {
    const hasDir = preferred.includes('/') || preferred.includes('\\') || isAbsolute(preferred);
    const path = hasDir ? (isRunnable(resolve(preferred)) ? resolve(preferred) : undefined) : findOnPath(preferred, env);
    return path ? { path, kind: kindOf(path) } : undefined;
  }
  const candidates: (string | undefined)[] = [
    findOnPath('pwsh', env),
    join(homedir(), '.dotnet', 'tools', isWindows ? 'pwsh.exe' : 'pwsh'),
  ];
  if (isWindows) {
    candidates.push(findOnPath('powershell.exe', env));
    const root = env['SystemRoot'] ?? env['windir'];
    if (root) candidates.push(join(root, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe'));
  }
  for (const path of candidates) if (path && isRunnable(path)) return { path, kind: kindOf(path) };
  return undefined;
}
