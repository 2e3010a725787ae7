/**
 * The npm package as users get it: `npm pack`, then installed from the tarball into an empty
 * folder (production dependencies only) and globally (`npm install -g iis-ftps`, into a temporary
 * prefix), its dependencies coming from a loopback registry (test/support/npm-registry.ts) that
 * serves the very tarballs package-lock.json names, taken from the npm cache `npm ci` filled: no
 * other network. In both installs edge-js's build fails, in the two ways it fails in the field.
 * Then the command, the API through import and require, and a TypeScript consumer.
 */
import { strict as assert } from 'node:assert';
import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix, sep } from 'node:path';
import { REPO, tempDir } from '../../support/fixture.js';
import { generateConfig } from '../../support/generate.js';
import { type TestRegistry, readTarball, startRegistry } from '../../support/npm-registry.js';

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const EDGE_INSTALL_FAILS = join(REPO, 'test', 'doubles', 'npm', 'edge-install-fails.cjs');

/** The environment of every child: no tsx loader, nothing from the test's own npm run but the npm cache's place. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_|^NODE_OPTIONS$|^INIT_CWD$/i.test(k) || /^npm_config_cache$/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

function run(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): SpawnSyncReturns<string> {
  return spawnSync(file, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), input: options.input, encoding: 'utf8', timeout: 300_000, shell: process.platform === 'win32' && file.endsWith('.cmd') });
}

/** As run, without blocking this process's event loop (npm must reach the registry double it serves). */
function runAsync(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<SpawnSyncReturns<string>> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' && file.endsWith('.cmd') });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 300_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ pid: child.pid ?? 0, output: [], stdout, stderr, status: null, signal: null, error });
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ pid: child.pid ?? 0, output: [], stdout, stderr, status, signal });
    });
  });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.status, 0, `${what} exited ${r.status}${r.error ? ` (${r.error.message})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`);
  return r.stdout;
}

/**
 * Every package package-lock.json installs outside devDependencies (the optional ones too), as
 * npm pack takes it from the cache npm ci filled: its tarball URL where the lock records one,
 * else name@version (npm ci then fetched the packument to find the tarball, and cached both).
 */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; name?: string; resolved?: string; dev?: boolean; link?: boolean }>;
  };
  const specs = new Set<string>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path || entry.dev || entry.link || !entry.version) continue;
    const name = entry.name ?? path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    specs.add(entry.resolved?.startsWith('http') ? entry.resolved : `${name}@${entry.version}`);
  }
  return [...specs].sort();
}

describe('npm package (packed tarball, installed locally and globally)', function () {
  this.timeout(600_000);
  let work: string;
  let tarball: string;
  let entries: string[];
  let registry: TestRegistry;
  let consumer: string;
  let prefix: string;
  let localInstall: SpawnSyncReturns<string>;
  let globalInstall: SpawnSyncReturns<string>;
  let npmEnv: NodeJS.ProcessEnv;

  const localBin = (): string => join(consumer, 'node_modules', '.bin', process.platform === 'win32' ? 'iis-ftps.cmd' : 'iis-ftps');
  const globalBin = (): string => (process.platform === 'win32' ? join(prefix, 'iis-ftps.cmd') : join(prefix, 'bin', 'iis-ftps'));
  const globalPackage = (): string => (process.platform === 'win32' ? join(prefix, 'node_modules', 'iis-ftps') : join(prefix, 'lib', 'node_modules', 'iis-ftps'));

  before(async function () {
    work = tempDir();
    // 1. the tarball, as `npm publish` would make it (prepare builds dist/)
    const packed = ok(run(NPM, ['pack', '--json', '--pack-destination', work], { cwd: REPO }), 'npm pack');
    tarball = join(work, (JSON.parse(packed.slice(packed.indexOf('['))) as { filename: string }[])[0]!.filename);
    entries = readTarball(tarball).map((e) => e.path.replace(/^package\//, ''));

    // 2. the dependencies' registry tarballs, from the npm cache (filled by npm ci)
    const deps = join(work, 'deps');
    mkdirSync(deps);
    const fromCache = run(NPM, ['pack', ...productionPackages(), '--offline', '--json', '--pack-destination', deps], { cwd: work });
    if (fromCache.status !== 0) {
      const reason = `the dependencies' tarballs are not in the npm cache (run npm ci first): ${fromCache.stderr.split('\n').find((l) => /error/i.test(l)) ?? fromCache.stderr}`;
      if (process.env['CI'] === 'true') throw new Error(reason);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    registry = await startRegistry([tarball, ...readdirSync(deps).map((f) => join(deps, f))]);
    writeFileSync(join(work, 'npmrc'), '');
    npmEnv = cleanEnv({
      npm_config_registry: registry.url,
      npm_config_userconfig: join(work, 'npmrc'),
      npm_config_cache: join(work, 'npm-cache'),
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
      npm_config_loglevel: 'warn',
    });

    // 3. an empty folder: the tarball with production dependencies only; edge-js's install script fails
    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
    localInstall = await runAsync(NPM, ['install', tarball, '--omit=dev'], {
      cwd: consumer,
      env: { ...npmEnv, NODE_OPTIONS: `--require=${EDGE_INSTALL_FAILS}`, IIS_FTPS_TEST_DOUBLE_LOG: join(work, 'local-doubles.log') },
    });

    // 4. globally, by name, into a temporary prefix; node-gyp cannot build edge-js (the Node
    //    headers it is pointed at are missing, as on a machine without them and without network)
    prefix = join(work, 'global');
    const noHeaders = join(work, 'no-node-headers');
    mkdirSync(noHeaders);
    globalInstall = await runAsync(NPM, ['install', '--global', '--prefix', prefix, '--foreground-scripts', pkg.name], {
      cwd: work,
      env: { ...npmEnv, npm_config_nodedir: noHeaders },
    });
  });

  after(async () => {
    await registry?.close();
  });

  it('packs what runs, and neither sources, tests, the PowerShell module nor source maps', () => {
    for (const f of ['package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/bin.cjs', 'dist/cli/bundle.cjs', 'dist/cli/bundle.cjs.cache', 'ps/IisFtps.Core.ps1', 'src/engine/Engine.cs', 'examples/applicationHost.config', 'scripts/build-edge.mjs']) {
      assert.ok(entries.includes(f), `${f} is missing from the tarball`);
    }
    // The engine's C# is the one source that ships: the live backends compile it where they run.
    const unwanted = entries.filter((e) => /^(test|bench|module|src\/(?!engine\/[A-Za-z]+\.cs$))|\.map$|^dist\/IisFtps\/|^Manifest\.psd1$|^tsconfig|^\.ci/.test(e));
    assert.deepEqual(unwanted, []);
  });

  it('imports at run time only Node built-ins, its own files and dependencies (never a devDependency)', () => {
    const runtime = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})]);
    const files = new Set(entries);
    const problems: string[] = [];
    let imports = 0;
    for (const e of readTarball(tarball)) {
      const path = e.path.replace(/^package\//, '');
      if (!/\.(m?js|cjs)$/.test(path)) continue;
      const text = e.data.toString('utf8');
      const specs = [
        ...text.matchAll(/^\s*(?:import|export)\b[^'"\n]*?\bfrom\s*['"]([^'"\s]+)['"]/gm),
        ...text.matchAll(/^\s*import\s*['"]([^'"\s]+)['"]/gm),
        ...text.matchAll(/\bimport\s*\(\s*['"]([^'"\s]+)['"]\s*\)/g),
        ...text.matchAll(/\brequire[A-Za-z]*\s*\(\s*['"]([^'"\s]+)['"]\s*\)/g),
      ].map((m) => m[1]!);
      for (const spec of specs) {
        imports++;
        if (spec.startsWith('.')) {
          const target = posix.normalize(posix.join(posix.dirname(path), spec));
          if (!files.has(target) && !target.endsWith('package.json')) problems.push(`${path}: ${spec} is not in the package`);
          continue;
        }
        if (isBuiltin(spec)) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (!runtime.has(name)) problems.push(`${path}: ${spec} is ${pkg.devDependencies[name] ? 'a devDependency' : 'not a dependency'}`);
      }
    }
    assert.ok(imports > 50, `expected to find the package's imports, found ${imports}`);
    assert.deepEqual(problems, []);
  });

  it('ships the CLI bundled, each module that finds files beside itself pointed at its own place in dist/ (scripts/bundle-cli.mjs)', () => {
    const files = new Map(readTarball(tarball).map((e) => [e.path.replace(/^package\//, ''), e.data]));
    assert.equal((pkg as unknown as { bin: Record<string, string> }).bin['iis-ftps'], 'dist/cli/bin.cjs');
    assert.match(files.get('dist/cli/bin.cjs')!.toString('utf8'), /^#!\/usr\/bin\/env node\n/, 'the command keeps the shebang');
    const bundle = files.get('dist/cli/bundle.cjs')!.toString('utf8');
    assert.doesNotMatch(bundle, /require\("\.\/run\.js"\)|from "\.\/run\.js"/, "bundle.cjs holds the CLI's modules, it does not load tsc's files");
    assert.ok(files.get('dist/cli/bundle.cjs.cache')!.length > 1000, 'the code cache ships');
    // Every module of src/ that uses import.meta.url, and where it is in dist/.
    const users = readdirSync(join(REPO, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && readFileSync(join(REPO, 'src', f), 'utf8').includes('import.meta.url'))
      .map((f) => `dist/${f.split(sep).join('/').replace(/\.ts$/, '.js')}`)
      .sort();
    const relocated = new Set<string>();
    for (const m of bundle.matchAll(/new URL\("([^"]+)", __iisFtpsBundleUrl\)\.href/g)) relocated.add(posix.normalize(posix.join('dist/cli', m[1]!)));
    // A module the CLI never loads would be missing here: the CLI loads all of them today.
    assert.deepEqual([...relocated].sort(), users);
    for (const f of relocated) assert.ok(entries.includes(f), `${f} is in the package`);
  });

  it('runs the bundle with its code cache, and without it when V8 refuses the cache (src/cli/bin.cts)', () => {
    const bin = join(consumer, 'node_modules', 'iis-ftps', 'dist', 'cli', 'bin.cjs');
    const probe = (cache: string): { rejected: boolean; code: number; out: string } => {
      const script = `const { loadBundle } = require(${JSON.stringify(bin)});
        const { bundle, script } = loadBundle(undefined, ${cache});
        let out = '';
        bundle.run(['--version'], { stdout: (t) => (out += t), stderr: (t) => (out += t) }).then((code) => console.log(JSON.stringify({ rejected: script.cachedDataRejected === true, code, out })));`;
      return JSON.parse(ok(run(process.execPath, ['-e', script], { cwd: work }), 'loadBundle')) as { rejected: boolean; code: number; out: string };
    };
    // The cache the build made, for the Node that built it (this one): accepted.
    assert.deepEqual(probe('undefined'), { rejected: false, code: 0, out: `${pkg.version}\n` });
    // Bytes V8 cannot use (as a cache from another Node version would be): refused, and the command runs all the same.
    assert.deepEqual(probe("Buffer.from('not a code cache')"), { rejected: true, code: 0, out: `${pkg.version}\n` });
  });

  it('sizes its young generation for the file before the work, and keeps it through a bulk set (src/cli/heap.ts)', () => {
    const bin = join(consumer, 'node_modules', 'iis-ftps', 'dist', 'cli', 'bin.cjs');
    // Loaded before anything else: at exit, the memory V8's young generation holds (both semi-spaces), on stderr.
    const probe = join(work, 'young-generation-probe.cjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write('\\nYOUNG_GENERATION ' + require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size + '\\n'));\n");
    const youngAtExit = (sites: number, command: (argv: string[]) => string[]): number => {
      const config = join(tempDir(), 'applicationHost.config');
      writeFileSync(config, generateConfig(sites).text);
      // A bulk set's report of 20,000 sites is more than spawnSync keeps by default.
      const r = spawnSync(process.execPath, ['--require', probe, ...command(['set', '--config', config, '--all-ftp-sites', '--ssl128', 'true', '--no-backup'])], { cwd: work, env: cleanEnv(), encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /unrecognized flag/);
      return Number(/YOUNG_GENERATION (\d+)/.exec(r.stderr)?.[1]);
    };
    const installed = (argv: string[]) => [bin, ...argv];
    // The same bundle and work without the setting.
    const withoutSetting = (argv: string[]) => ['-e', `const { bundle } = require(${JSON.stringify(bin)}).loadBundle(); bundle.run(${JSON.stringify(argv)}, bundle.processIo()).then((c) => { process.exitCode = c; });`];
    // A large file (10,000 sites, 7.8 MB): the young generation grows once, before the work, and
    // stays at that size on twice the work; the same bundle without the setting grows it past that.
    const large = youngAtExit(10_000, installed);
    assert.equal(youngAtExit(20_000, installed), large);
    assert.ok(youngAtExit(10_000, withoutSetting) > large, 'without the setting, the young generation grows past it on 10,000 sites');
    // A small file (50 sites) is worked on with the young generation as V8 starts it; help and the version get nothing done to it.
    const small = youngAtExit(50, installed);
    assert.ok(small > 0 && small < large, `small file ${small} bytes, large ${large}`);
    assert.ok(youngAtExit(50, () => [bin, '--version']) <= small);
  });

  it('installs from the tarball in an empty folder, production dependencies only, though edge-js cannot be installed', () => {
    ok(localInstall, 'npm install <tarball> --omit=dev');
    assert.deepEqual(registry.missing, [], 'every package came from the registry double');
    for (const dep of Object.keys(pkg.dependencies)) assert.ok(registry.served.has(dep), `${dep} came from the registry double`);
    assert.ok(existsSync(join(consumer, 'node_modules', 'iis-ftps', 'package.json')));
    for (const dep of Object.keys(pkg.dependencies)) assert.ok(existsSync(join(consumer, 'node_modules', dep, 'package.json')), `${dep} is installed`);
    for (const dev of Object.keys(pkg.devDependencies)) assert.ok(!existsSync(join(consumer, 'node_modules', dev)), `the devDependency ${dev} is not installed`);
    const log = existsSync(join(work, 'local-doubles.log')) ? readFileSync(join(work, 'local-doubles.log'), 'utf8') : '';
    assert.match(log, /edge-js install failed/, "edge-js's install script ran, and failed");
    assert.ok(!existsSync(join(consumer, 'node_modules', 'edge-js')), 'npm dropped the optional edge-js when its install failed');
  });

  it('installs globally by name, though node-gyp cannot build edge-js', () => {
    ok(globalInstall, 'npm install --global iis-ftps');
    assert.ok(registry.served.has('iis-ftps'), 'the global install resolved iis-ftps from the registry');
    const edge = join(globalPackage(), 'node_modules', 'edge-js');
    assert.ok(existsSync(join(edge, 'package.json')), 'edge-js is installed (its install script ignores the failed build)');
    const release = join(edge, 'build', 'Release');
    assert.ok(!existsSync(release) || !readdirSync(release).some((f) => f.endsWith('.node')), 'edge-js has no native binary');
    assert.match(globalInstall.stdout + globalInstall.stderr, /gyp ERR!/, "edge-js's install script ran node-gyp, which failed");
  });

  for (const where of ['local', 'global'] as const) {
    it(`runs iis-ftps --help and iis-ftps get --config on the example (${where} install)`, () => {
      const bin = where === 'local' ? localBin() : globalBin();
      const installed = where === 'local' ? join(consumer, 'node_modules', 'iis-ftps') : globalPackage();
      const help = ok(run(bin, ['--help'], { cwd: work }), 'iis-ftps --help');
      assert.match(help, /iis-ftps get/);
      assert.match(help, /iis-ftps set/);
      assert.equal(ok(run(bin, ['--version'], { cwd: work }), 'iis-ftps --version').trim(), pkg.version);
      const config = join(tempDir(), 'applicationHost.config');
      copyFileSync(join(installed, 'examples', 'applicationHost.config'), config);
      const got = JSON.parse(ok(run(bin, ['get', '--config', config, '--site', 'Partner Exchange', '--json'], { cwd: work }), 'iis-ftps get')) as {
        sslClientCertificates: { clientCertificatePolicy: { value: string; source: string } };
      };
      assert.deepEqual(got.sslClientCertificates.clientCertificatePolicy, { value: 'CertAllow', source: 'site' });
    });
  }

  it('reports the edge backend unavailable, with the reason, where edge-js did not build', () => {
    const config = join(tempDir(), 'applicationHost.config');
    copyFileSync(join(globalPackage(), 'examples', 'applicationHost.config'), config);
    const r = run(globalBin(), ['get', '--config', config, '--site-defaults', '--backend', 'edge', '--json'], { cwd: work });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /BACKEND_UNAVAILABLE/);
  });

  it('loads the API with import and with require (Node 20.19 and later)', () => {
    const config = join(tempDir(), 'applicationHost.config');
    copyFileSync(join(consumer, 'node_modules', 'iis-ftps', 'examples', 'applicationHost.config'), config);
    writeFileSync(join(consumer, 'esm.mjs'), [
      "import { getFtpsSetting, IisFtpsError, settingNames } from 'iis-ftps';",
      'const { settings } = await getFtpsSetting({ config: process.argv[2], site: "Public Drop" });',
      'console.log(JSON.stringify({ names: settingNames.length, error: typeof IisFtpsError, policy: settings.sslClientCertificates.clientCertificatePolicy }));',
    ].join('\n'));
    writeFileSync(join(consumer, 'cjs.cjs'), [
      "const { getFtpsSetting, IisFtpsError, settingNames } = require('iis-ftps');",
      'getFtpsSetting({ config: process.argv[2], site: "Public Drop" }).then(({ settings }) =>',
      '  console.log(JSON.stringify({ names: settingNames.length, error: typeof IisFtpsError, policy: settings.sslClientCertificates.clientCertificatePolicy })));',
    ].join('\n'));
    const results = ['esm.mjs', 'cjs.cjs'].map((f) => {
      const r = run(process.execPath, [f, config], { cwd: consumer });
      ok(r, `node ${f}`);
      assert.doesNotMatch(r.stderr, /ExperimentalWarning|Error/, `node ${f} warned: ${r.stderr}`);
      return JSON.parse(r.stdout) as unknown;
    });
    assert.deepEqual(results[0], { names: 11, error: 'function', policy: { value: 'CertIgnore', source: 'default' } });
    assert.deepEqual(results[1], results[0]);
  });

  for (const resolution of ['node16', 'bundler'] as const) {
    it(`type-checks a TypeScript consumer against the shipped .d.ts (moduleResolution ${resolution})`, () => {
      const dir = join(consumer, `ts-${resolution}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          module: resolution === 'node16' ? 'node16' : 'esnext',
          moduleResolution: resolution,
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
          typeRoots: [join(REPO, 'node_modules', '@types')],
        },
        files: ['index.ts'],
      }, null, 2));
      writeFileSync(join(dir, 'index.ts'), [
        "import { getFtpsSetting, setFtpsSetting, FtpsSession, IisFtpsError, settingNames, type SettingValues, type SettingName, type ChangeReport } from 'iis-ftps';",
        "export const wanted: Partial<SettingValues> = { clientCertificatePolicy: 'CertRequire', validationFlags: ['NoRevocationCheck'] };",
        // the check can fail: were the shipped types missing or loose (any), this directive would be unused, an error
        '// @ts-expect-error CertMaybe is not a clientCertificatePolicy',
        "export const wrong: Partial<SettingValues> = { clientCertificatePolicy: 'CertMaybe' };",
        'export const names: readonly SettingName[] = settingNames;',
        'export async function policy(config: string): Promise<{ value: unknown; source: string }> {',
        "  const { settings } = await getFtpsSetting({ config, site: 'Public Drop' });",
        '  return settings.sslClientCertificates.clientCertificatePolicy;',
        '}',
        "export const change = (config: string): Promise<ChangeReport> => setFtpsSetting({ config, site: 'Public Drop', settings: wanted });",
        "export const isMissing = (e: unknown): boolean => e instanceof IisFtpsError && e.code === 'SITE_NOT_FOUND';",
        'export type Session = FtpsSession;',
      ].join('\n'));
      const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
      ok(run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir }), `tsc (${resolution})`);
    });
  }
});
