#!/usr/bin/env node
/**
 * Finishes edge-js's build for the edge backend on Linux and macOS, where edge-js compiles itself
 * at install time and can stop half-way (its install script does not report failures):
 *
 *   mono     build/Release/edge_nativeclr.node (node-gyp) and build/Release/MonoEmbedding.exe (mcs)
 *   coreclr  build/Release/edge_coreclr.node (node-gyp) and lib/bootstrap/bin/Release/bootstrap.dll,
 *            built here from edge-js's own sources with packages NuGet has (edge-js's bootstrap
 *            project asks for package versions that not every NuGet feed serves)
 *
 * Usage: node scripts/build-edge.mjs [mono] [coreclr] [--check]
 *   Without a runtime named, builds every runtime whose tools are here (mono-devel, the .NET SDK).
 *   --check only reports. Exits 1 when a runtime asked for (or, with none named, every runtime)
 *   cannot be made ready. Idempotent: a runtime already built is left alone.
 *   Does nothing on Windows, where edge-js ships prebuilt binaries.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const args = process.argv.slice(2);
const check = args.includes('--check');
const named = args.filter((a) => a === 'mono' || a === 'coreclr');
const unknown = args.filter((a) => a !== '--check' && !named.includes(a));
if (unknown.length) {
  console.error(`build-edge: unknown argument ${unknown.join(' ')}; usage: node scripts/build-edge.mjs [mono] [coreclr] [--check]`);
  process.exit(2);
}

const say = (text) => console.log(`build-edge: ${text}`);

if (process.platform === 'win32') {
  say('Windows: edge-js ships prebuilt binaries; nothing to build');
  process.exit(0);
}

let edgeDir;
try {
  edgeDir = dirname(createRequire(import.meta.url).resolve('edge-js/package.json'));
} catch {
  say('edge-js is not installed (it is an optional dependency: run npm install, with mono-devel or the .NET SDK present)');
  process.exit(1);
}

const release = join(edgeDir, 'build', 'Release');
const files = {
  nativeclr: join(release, 'edge_nativeclr.node'),
  monoEmbedding: join(release, 'MonoEmbedding.exe'),
  coreclr: join(release, 'edge_coreclr.node'),
  bootstrap: join(edgeDir, 'lib', 'bootstrap', 'bin', 'Release', 'bootstrap.dll'),
};

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, argv, options = {}) {
  say(`${command} ${argv.join(' ')}`);
  execFileSync(command, argv, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/** node-gyp as npm runs it for install scripts, else npm's own copy. */
function nodeGyp() {
  const fromNpm = process.env['npm_config_node_gyp'];
  if (fromNpm && existsSync(fromNpm)) return fromNpm;
  const root = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  const bundled = join(root, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  if (existsSync(bundled)) return bundled;
  throw new Error('node-gyp was not found (it comes with npm)');
}

/** Builds one native target of edge-js, without its managed-code actions. */
function buildNative(target) {
  const gyp = nodeGyp();
  if (!existsSync(join(edgeDir, 'build', 'Makefile'))) run(process.execPath, [gyp, 'configure', '--release'], { cwd: edgeDir });
  run('make', ['-C', 'build', 'BUILDTYPE=Release', target], { cwd: edgeDir });
}

const results = [];

function mono() {
  const missing = ['mono', 'mcs', 'pkg-config'].filter((c) => !has(c));
  if (missing.length) return `Mono is not installed (no ${missing.join(', ')}): apt-get install -y mono-devel`;
  if (check) return existsSync(files.nativeclr) && existsSync(files.monoEmbedding) ? null : 'not built yet';
  if (!existsSync(files.nativeclr)) buildNative('edge_nativeclr');
  if (!existsSync(files.monoEmbedding)) {
    const sources = ['src/mono', 'src/common'].flatMap((d) => readdirSync(join(edgeDir, d)).filter((f) => f.endsWith('.cs')).map((f) => `${d}/${f}`));
    run('mcs', ['-sdk:4.5', '-target:exe', '-out:build/Release/MonoEmbedding.exe', ...sources], { cwd: edgeDir });
  }
  return existsSync(files.nativeclr) && existsSync(files.monoEmbedding) ? null : 'the build finished without its outputs';
}

function coreclr() {
  if (!has('dotnet')) return 'the .NET SDK (dotnet) is not installed';
  if (check) return existsSync(files.coreclr) && existsSync(files.bootstrap) ? null : 'not built yet';
  if (!existsSync(files.coreclr)) buildNative('edge_coreclr');
  if (!existsSync(files.bootstrap)) {
    const work = mkdtempSync(join(tmpdir(), 'iis-ftps-edge-bootstrap-'));
    try {
      const src = (p) => join(edgeDir, p).replace(/\\/g, '/');
      const common = `<Nullable>disable</Nullable><TreatWarningsAsErrors>false</TreatWarningsAsErrors><NoWarn>$(NoWarn);NU1603;NU1902;NU1903;NU1904;CS0618;CS8632</NoWarn><EnableDefaultCompileItems>false</EnableDefaultCompileItems>`;
      // The EdgeJs assembly edge_coreclr.node calls into, and the app whose deps.json lists it.
      writeFileSync(
        join(work, 'EdgeJs.csproj'),
        `<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework><AssemblyName>EdgeJs</AssemblyName><PackageId>Edge.js</PackageId><AllowUnsafeBlocks>true</AllowUnsafeBlocks>${common}</PropertyGroup>` +
          `<ItemGroup><Compile Include="${src('src/double/Edge.js/dotnetcore')}/*.cs;${src('src/common')}/*.cs" /></ItemGroup>` +
          `<ItemGroup><PackageReference Include="Microsoft.CodeAnalysis" Version="4.11.0" /><PackageReference Include="Microsoft.CSharp" Version="4.7.0" /><PackageReference Include="Microsoft.Extensions.DependencyModel" Version="8.0.2" /><PackageReference Include="Microsoft.DotNet.InternalAbstractions" Version="1.0.0" /></ItemGroup></Project>\n`,
      );
      writeFileSync(
        join(work, 'bootstrap.csproj'),
        `<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net8.0</TargetFramework><AssemblyName>bootstrap</AssemblyName><PreserveCompilationContext>true</PreserveCompilationContext><RollForward>Major</RollForward>${common}</PropertyGroup>` +
          `<ItemGroup><Compile Include="${src('lib/bootstrap')}/*.cs" /></ItemGroup><ItemGroup><ProjectReference Include="EdgeJs.csproj" /></ItemGroup></Project>\n`,
      );
      const out = dirname(files.bootstrap);
      run('dotnet', ['build', join(work, 'bootstrap.csproj'), '-c', 'Release', '-o', out, '-nologo', '-v', 'quiet'], {
        env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1', DOTNET_SKIP_FIRST_TIME_EXPERIENCE: '1' },
      });
      // edge_coreclr.node wants exactly one *.deps.json in the bootstrap folder: the app's.
      rmSync(join(out, 'EdgeJs.deps.json'), { force: true });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  return existsSync(files.coreclr) && existsSync(files.bootstrap) ? null : 'the build finished without its outputs';
}

for (const [name, build] of [
  ['mono', mono],
  ['coreclr', coreclr],
]) {
  if (named.length && !named.includes(name)) continue;
  let problem;
  try {
    problem = build();
  } catch (e) {
    problem = `the build failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
  }
  results.push({ name, problem });
  say(`${name}: ${problem ? `not ready: ${problem}` : 'ready'}`);
}

const failed = named.length ? results.some((r) => r.problem) : results.every((r) => r.problem);
process.exit(failed ? 1 : 0);
