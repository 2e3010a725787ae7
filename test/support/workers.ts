import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir } from './fixture.js';

/**
 * Child processes for the reliability tests. A worker script under test/support/workers/ is
 * bundled once with esbuild (the compiler tsx itself uses), so that a child starts in a tenth of
 * a second and the crash test can kill hundreds of them; where esbuild cannot be loaded, the
 * child runs the TypeScript through tsx instead, only slower.
 */
const bundles = new Map<string, Promise<string[]>>();

export function workerCommand(name: string): Promise<string[]> {
  let b = bundles.get(name);
  if (!b) {
    const entry = join(REPO, 'test', 'support', 'workers', `${name}.ts`);
    b = (async () => {
      try {
        const { build } = await import('esbuild');
        // Two folders down, so that src/cli/run.ts finds a package.json at ../../package.json.
        const root = tempDir();
        copyFileSync(join(REPO, 'package.json'), join(root, 'package.json'));
        const outfile = join(root, 'workers', 'bundled', `${name}.mjs`);
        await build({
          entryPoints: [entry],
          bundle: true,
          platform: 'node',
          format: 'esm',
          outfile,
          logLevel: 'error',
          // A bundled CommonJS dependency's `require` of a node built-in needs a real require.
          banner: { js: "import { createRequire as __iisFtpsRequire } from 'node:module'; const require = __iisFtpsRequire(import.meta.url);" },
        });
        return [outfile];
      } catch {
        return ['--import', 'tsx', entry];
      }
    })();
    bundles.set(name, b);
  }
  return b;
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts a worker; `done` settles when it has exited. */
export async function startWorker(name: string, args: readonly string[]): Promise<{ child: ChildProcess; done: Promise<Finished>; stdout: () => string }> {
  const command = await workerCommand(name);
  const child = spawn(process.execPath, [...command, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}
