/**
 * Set-up for the edge bridge suites: builds edge-js for the runtime this process will host (Mono,
 * or CoreCLR with EDGE_USE_CORECLR=1) and the test double of Microsoft.Web.Administration, then
 * loads the bridge.
 *
 * Without CI a missing runtime skips the suite with the reason; with CI=true it fails it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { edgeJsDir, loadBridge, type EdgeRuntime } from '../../src/backends/edge/index.js';
import { plannedRuntime } from '../../src/backends/edge/runtime.js';
import { REPO } from './fixture.js';
import { MWA_BUILD_SCRIPT, USE_REAL_IIS } from './powershell.js';
import { suiteRuntime } from './runtime.js';

export const BUILD_EDGE_SCRIPT = join(REPO, 'scripts', 'build-edge.mjs');

export interface EdgeTestRuntime {
  readonly runtime: EdgeRuntime;
  /** The Microsoft.Web.Administration.dll the suites load: the test double here, IIS's own on Windows CI. */
  readonly mwaPath: string | undefined;
}


function output(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${[err.stdout, err.stderr].filter(Boolean).join('\n').trim() || err.message}`);
  }
}

/**
 * The runtime these suites ask edge-js for: IIS_FTPS_TEST_EDGE_RUNTIME (`mono`, `coreclr`, `netfx`),
 * else CoreCLR off Windows (Mono takes over SIGCHLD when it loads while a child process is alive, as
 * tsx's esbuild always is here, so Mono runs in its own process: scripts/test-edge.mjs), else
 * .NET Framework on Windows. edge-js reads EDGE_USE_CORECLR when it is loaded, not at start-up.
 */
function chooseRuntime(): void {
  const wanted = process.env['IIS_FTPS_TEST_EDGE_RUNTIME'] ?? (process.platform === 'win32' ? 'netfx' : 'coreclr');
  if (wanted === 'coreclr') process.env['EDGE_USE_CORECLR'] = '1';
  else if (wanted === 'mono' || wanted === 'netfx') delete process.env['EDGE_USE_CORECLR'];
  else throw new Error(`IIS_FTPS_TEST_EDGE_RUNTIME=${wanted}: use mono, coreclr or netfx`);
}

/** Whether this run hosts Mono, under which a process started after it loaded is never reaped (see chooseRuntime). */
export const ON_MONO = (process.env['IIS_FTPS_TEST_EDGE_RUNTIME'] ?? '') === 'mono';

function prepare(): EdgeTestRuntime {
  const dir = edgeJsDir();
  if (!dir) throw new Error('edge-js is not installed (npm install; on Linux it needs mono-devel or the .NET SDK to build)');
  chooseRuntime();
  const runtime = plannedRuntime(dir);
  if (process.platform !== 'win32') output(process.execPath, [BUILD_EDGE_SCRIPT, runtime]);
  let mwaPath: string | undefined;
  if (!USE_REAL_IIS) {
    if (process.platform === 'win32') throw new Error('the test double is built with bash; on Windows set IIS_FTPS_TEST_REAL_IIS=1 and run against IIS');
    mwaPath = output('bash', [MWA_BUILD_SCRIPT]).trim().split('\n').pop()!;
    if (!existsSync(mwaPath)) throw new Error(`build.sh printed ${mwaPath}, which does not exist`);
  }
  return { runtime: loadBridge().runtime, mwaPath };
}

/** The runtime for an edge suite, from a mocha `before` hook: skips (or with CI=true fails) when it cannot run. */
export const edgeRuntime = suiteRuntime('the edge bridge', prepare);
