#!/usr/bin/env node
/**
 * Runs the edge bridge suites (test/integration/edge) once per .NET runtime edge-js can host here,
 * each in its own Node process (edge-js hosts one runtime per process):
 *   Linux/macOS: CoreCLR, then Mono;  Windows: .NET Framework, then CoreCLR when its bootstrap is built.
 * Under Mono, the tests that start processes are left out (a process started after Mono loaded
 * next to a live child, such as tsx's esbuild, is never reaped); the CoreCLR run has them.
 * Extra arguments go to mocha. With CI=true a runtime that cannot run fails its run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const mocha = require.resolve('mocha/bin/mocha.js');
const repo = fileURLToPath(new URL('..', import.meta.url));
let bootstrapBuilt = false;
try {
  bootstrapBuilt = existsSync(join(dirname(require.resolve('edge-js/package.json')), 'lib', 'bootstrap', 'bin', 'Release', 'bootstrap.dll'));
} catch {
  // No edge-js: the suites say so (and fail with CI=true).
}
const runtimes = process.platform === 'win32' ? ['netfx', ...(bootstrapBuilt ? ['coreclr'] : [])] : ['coreclr', 'mono'];
let failed = false;
for (const runtime of runtimes) {
  console.log(`\n== edge bridge suites on ${runtime}`);
  const args = [mocha, '--no-config', '--node-option', 'import=tsx', '--extension', 'ts', '--timeout', '120000', '--reporter', 'spec'];
  if (runtime === 'mono') args.push('--grep', '\\(starts processes\\)', '--invert');
  args.push('test/integration/edge/**/*.test.ts', ...process.argv.slice(2));
  const r = spawnSync(process.execPath, args, { cwd: repo, stdio: 'inherit', env: { ...process.env, IIS_FTPS_TEST_EDGE_RUNTIME: runtime } });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
