/**
 * Loading edge-js and compiling the C# engine (src/engine/), once per process.
 *
 * edge-js is an optional dependency: it is required lazily, so this package installs and runs
 * without it. Which .NET it hosts is decided by edge-js when it is first loaded and holds for the
 * life of the process: .NET Framework on Windows, Mono elsewhere, CoreCLR with EDGE_USE_CORECLR=1.
 */
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { IisFtpsError, isIisFtpsError } from '../../errors/errors.js';
import { EDGE_TYPE_NAME, engineSource } from '../../engine/source.js';

/** The runtime edge-js hosts: Mono (`edge_nativeclr` off Windows), .NET Framework (`edge_nativeclr` on Windows) or CoreCLR. */
export type EdgeRuntime = 'mono' | 'netfx' | 'coreclr';

/** The compiled engine: one JSON request in, one JSON answer out (see src/engine/Engine.cs). */
export type BridgeFunction = (request: string, callback: (error: unknown, answer: unknown) => void) => void;

interface EdgeModule {
  func(options: { source: string; typeName: string; methodName: string; references?: string[] }): BridgeFunction;
}

/** How to install what the edge backend needs, said with every "cannot run here" reason. */
const SETUP_HINT = 'see docs/backend-edge.md';

const requireHere = createRequire(import.meta.url);

/** The folder edge-js is installed in, or undefined. */
export function edgeJsDir(): string | undefined {
  try {
    return dirname(requireHere.resolve('edge-js/package.json'));
  } catch {
    return undefined;
  }
}

/** The runtime edge-js will host in this process, from the environment and the binaries present. */
export function plannedRuntime(dir: string, env: NodeJS.ProcessEnv = process.env): EdgeRuntime {
  if (env['EDGE_USE_CORECLR']) return 'coreclr';
  if (process.platform === 'win32') return 'netfx';
  return existsSync(join(dir, 'build', 'Release', 'edge_nativeclr.node')) ? 'mono' : 'coreclr';
}

export type Readiness = { readonly ok: true; readonly runtime: EdgeRuntime } | { readonly ok: false; readonly reason: string };

/**
 * Whether edge-js is installed and built for the runtime it would host, looking at files only
 * (nothing is loaded). A half-built edge-js is caught here: loading it would crash the process.
 */
export function edgeReadiness(env: NodeJS.ProcessEnv = process.env): Readiness {
  if (state.loaded) return { ok: true, runtime: state.loaded.runtime };
  if (state.failure) return { ok: false, reason: state.failure };
  const dir = edgeJsDir();
  if (!dir) {
    return { ok: false, reason: `edge-js is not installed (it is an optional dependency of iis-ftps; npm skips it where it cannot build; ${SETUP_HINT})` };
  }
  const runtime = plannedRuntime(dir, env);
  if (process.platform === 'win32') return { ok: true, runtime };
  const release = join(dir, 'build', 'Release');
  const missing: string[] = [];
  if (runtime === 'mono') {
    if (!existsSync(join(release, 'MonoEmbedding.exe'))) missing.push('build/Release/MonoEmbedding.exe');
  } else {
    if (!existsSync(join(release, 'edge_coreclr.node'))) missing.push('build/Release/edge_coreclr.node');
    const bootstrap = env['EDGE_BOOTSTRAP_DIR'] ?? env['EDGE_APP_ROOT'] ?? join(dir, 'lib', 'bootstrap', 'bin', 'Release');
    if (!existsSync(join(bootstrap, 'bootstrap.dll')) && !env['EDGE_APP_ROOT']) missing.push(`${bootstrap}/bootstrap.dll`);
  }
  if (missing.length) {
    return {
      ok: false,
      reason: `edge-js is not built for ${runtime === 'mono' ? 'Mono' : 'CoreCLR'} (missing ${missing.join(', ')}); run \`node scripts/build-edge.mjs ${runtime}\` in the iis-ftps folder (${SETUP_HINT})`,
    };
  }
  return { ok: true, runtime };
}

/**
 * What the engine references beyond what edge-js gives every compilation. Mono and the .NET
 * Framework need System.Xml named. On CoreCLR, edge-js compiles against the runtime's own
 * assemblies, and only what is referenced is visible: SHA-256 and X.509 live in
 * System.Security.Cryptography (from .NET 7 on), X509Certificate2Collection derives from
 * System.Collections.NonGeneric's CollectionBase, and XmlReader lives in System.Private.Xml, which
 * edge-js resolves only by its path in the runtime's folder (see coreclrRuntimeDir).
 */
function engineReferences(runtime: EdgeRuntime): string[] {
  if (runtime !== 'coreclr') return ['System.Xml.dll'];
  const dir = coreclrRuntimeDir();
  const privateXml = dir ? join(dir, 'System.Private.Xml.dll') : 'System.Private.Xml.dll';
  return ['System.Security.Cryptography.dll', 'System.Collections.NonGeneric.dll', 'System.Xml.ReaderWriter.dll', privateXml];
}

/**
 * The folder of the .NET runtime edge-js hosts on CoreCLR: the newest
 * `shared/Microsoft.NETCore.App/<version>` below DOTNET_ROOT, else below the `dotnet` on PATH (as
 * edge-js itself finds it).
 */
export function coreclrRuntimeDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const roots: string[] = [];
  if (env['DOTNET_ROOT']) roots.push(env['DOTNET_ROOT']);
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    const exe = join(dir, process.platform === 'win32' ? 'dotnet.exe' : 'dotnet');
    if (existsSync(exe)) {
      try {
        roots.push(dirname(realpathSync(exe)));
      } catch {
        // A broken link: look further.
      }
    }
  }
  for (const root of roots) {
    const shared = join(root, 'shared', 'Microsoft.NETCore.App');
    let versions: string[];
    try {
      versions = readdirSync(shared).filter((v) => /^\d+\.\d+\.\d+$/.test(v) && existsSync(join(shared, v, 'System.Private.Xml.dll')));
    } catch {
      continue;
    }
    const newest = versions.sort((a, b) => compareVersions(b, a))[0];
    if (newest) return join(shared, newest);
  }
  return undefined;
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

const state: { loaded?: { runtime: EdgeRuntime; func: BridgeFunction }; failure?: string } = {};

/**
 * Mono's libmono-native resolves its symbols from libmonosgen globally, but Node loads edge-js's
 * addon (and with it libmonosgen) with RTLD_LOCAL. Opening the already loaded libmonosgen again
 * with RTLD_GLOBAL makes its symbols global, which is what `LD_PRELOAD=libmonosgen-2.0.so.1` would
 * do, without having to set it before Node starts. Node then refuses the library as an addon,
 * which is expected; the promotion stays.
 */
function promoteMonoSymbols(): void {
  if (process.platform !== 'linux') return;
  if (/libmonosgen/.test(process.env['LD_PRELOAD'] ?? '')) return;
  let path = 'libmonosgen-2.0.so.1';
  try {
    const mapped = readFileSync('/proc/self/maps', 'utf8').match(/\s(\/\S*libmonosgen-2\.0\.so[.\d]*)$/m);
    if (mapped) path = mapped[1]!;
  } catch {
    // Fall back to the library's soname.
  }
  try {
    process.dlopen({ exports: {} }, path, constants.dlopen.RTLD_NOW | constants.dlopen.RTLD_GLOBAL);
  } catch (e) {
    if (!/self-register/.test((e as Error).message)) {
      throw new IisFtpsError('BACKEND_UNAVAILABLE', `Mono's runtime library could not be made global (${(e as Error).message}); start Node with LD_PRELOAD=${path} (${SETUP_HINT})`);
    }
  }
}

/**
 * The compiled engine, loading edge-js and compiling src/engine/*.cs on first use. A failure is
 * remembered: edge-js cannot be loaded twice in one process.
 */
export function loadBridge(): { runtime: EdgeRuntime; func: BridgeFunction } {
  if (state.loaded) return state.loaded;
  if (state.failure) throw new IisFtpsError('BACKEND_UNAVAILABLE', state.failure);
  const ready = edgeReadiness();
  if (!ready.ok) throw new IisFtpsError('BACKEND_UNAVAILABLE', ready.reason);
  let edge: EdgeModule;
  try {
    edge = requireHere('edge-js') as EdgeModule;
  } catch (e) {
    state.failure = `edge-js could not be loaded: ${messageHead(e)} (${SETUP_HINT})`;
    throw new IisFtpsError('BACKEND_UNAVAILABLE', state.failure, {}, { cause: e });
  }
  // edge-js sets EDGE_USE_CORECLR when it picked its CoreCLR addon.
  const runtime: EdgeRuntime = process.env['EDGE_USE_CORECLR'] ? 'coreclr' : ready.runtime;
  try {
    if (runtime === 'mono') promoteMonoSymbols();
    const func = edge.func({
      source: engineSource(),
      typeName: EDGE_TYPE_NAME,
      methodName: 'Invoke',
      references: engineReferences(runtime),
    });
    state.loaded = { runtime, func };
    return state.loaded;
  } catch (e) {
    state.failure = isIisFtpsError(e) ? e.message : `the iis-ftps C# engine could not be compiled on ${runtime}: ${messageHead(e)}`;
    throw new IisFtpsError('BACKEND_UNAVAILABLE', state.failure, {}, { cause: e });
  }
}

/** The start of an error's message on one line: its first six lines (a compiler's first errors), joined. */
function messageHead(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n').slice(0, 6).join(' ').trim();
}
