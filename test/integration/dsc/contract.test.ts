/**
 * The DSC v3 contract of IisFtps/Setting, driven by the shipped manifest the way DSC drives a
 * command resource: the executable is looked up on PATH, started with the manifest's args (the
 * `whatIfArg` only in what-if mode), the instance written to stdin (`input: stdin`), stdout read as
 * JSON lines (state, then the diff for `return: stateAndDiff`), stderr as `{"error"|"warn"|"info":
 * ...}` lines, the exit code looked up in `exitCodes`. Every instance printed is validated against
 * the manifest's embedded schema with ajv. (DSC itself cannot be installed on these machines.)
 *
 * PATH holds a test-owned `iis-ftps` that runs the CLI from src/ with tsx, as `npm install
 * --global` puts the built one there.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { DSC_MANIFEST } from '../../../scripts/build-dsc-manifest.js';
import { settings } from '../../../src/schema/index.js';
import { REPO, copyFixture, readBytes, tempDir, writeTemp } from '../../support/fixture.js';
import { REFERENCE_SETTINGS } from '../../support/changes.js';

type Json = Record<string, any>;
const manifest = JSON.parse(readFileSync(DSC_MANIFEST, 'utf8')) as Json;
const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
const validateInstance = ajv.compile(manifest['schema']['embedded']);
const PROPERTIES = Object.keys(manifest['schema']['embedded']['properties']);

let bin: string;
before(() => {
  bin = tempDir();
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const main = join(REPO, 'src', 'cli', 'main.ts');
  if (process.platform === 'win32') writeFileSync(join(bin, 'iis-ftps.cmd'), `@"${process.execPath}" --import "${tsx}" "${main}" %*\r\n`);
  else {
    writeFileSync(join(bin, 'iis-ftps'), `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${main}" "$@"\n`);
    chmodSync(join(bin, 'iis-ftps'), 0o755);
  }
});

/** Finds an executable on PATH as DSC does. */
function onPath(name: string, path: string): string {
  for (const dir of path.split(delimiter)) {
    for (const ext of process.platform === 'win32' ? ['.exe', '.cmd'] : ['']) {
      const candidate = join(dir, name + ext);
      if (existsSync(candidate)) return candidate;
    }
  }
  throw new Error(`${name} is not on PATH`);
}

interface Invocation {
  code: number;
  /** Every stdout line, parsed. */
  lines: unknown[];
  /** Every stderr line, parsed; each is one object with one key: error, warn, info, debug or trace. */
  logs: Record<string, string>[];
  /** What the manifest's exitCodes says about the exit code. */
  meaning: string;
}

/** Runs one operation of the resource as DSC would, from its manifest entry. */
function invoke(operation: 'get' | 'set' | 'test' | 'export', instance: unknown, options: { whatIf?: boolean } = {}): Invocation {
  const m = manifest[operation] as { executable: string; args: (string | Json)[]; input?: string };
  const PATH = `${bin}${delimiter}${process.env['PATH'] ?? ''}`;
  const args: string[] = [];
  const json = instance === undefined ? '' : JSON.stringify(instance);
  for (const a of m.args) {
    if (typeof a === 'string') args.push(a);
    else if ('whatIfArg' in a) {
      if (options.whatIf) args.push(a['whatIfArg']);
    } else if ('jsonInputArg' in a) {
      if (instance !== undefined || a['mandatory']) args.push(a['jsonInputArg'], json);
    } else throw new Error(`argument kind the harness does not know: ${JSON.stringify(a)}`);
  }
  if (options.whatIf && !m.args.some((a) => typeof a === 'object' && 'whatIfArg' in a)) throw new Error(`${operation} has no whatIfArg`);
  const exe = onPath(m.executable, PATH);
  const r = spawnSync(exe, args, {
    input: m.input === 'stdin' ? json : '',
    encoding: 'utf8',
    env: { ...process.env, PATH },
    shell: process.platform === 'win32',
    timeout: 60_000,
  });
  assert.equal(r.error, undefined, String(r.error));
  const parse = (text: string) => text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  const logs = parse(r.stderr) as Record<string, string>[];
  for (const log of logs) {
    assert.equal(Object.keys(log).length, 1, `a log line is one object with one key: ${JSON.stringify(log)}`);
    assert.ok(['error', 'warn', 'info', 'debug', 'trace'].includes(Object.keys(log)[0]!), JSON.stringify(log));
    assert.equal(typeof Object.values(log)[0], 'string');
  }
  const code = r.status!;
  const meaning = (manifest['exitCodes'] as Record<string, string>)[String(code)];
  assert.ok(meaning, `exit code ${code} is not declared in the manifest's exitCodes`);
  const lines = parse(r.stdout);
  if (code === 0) {
    assert.equal(logs.filter((l) => 'error' in l).length, 0, 'no error line on success');
    const states = operation === 'export' ? lines : lines.slice(0, 1);
    for (const state of states) assert.ok(validateInstance(state), `${operation} printed ${JSON.stringify(state)}, which the embedded schema refuses: ${JSON.stringify(validateInstance.errors)}`);
    if (operation === 'get') assert.equal(lines.length, 1);
    if (operation === 'test' || operation === 'set') {
      // return: stateAndDiff: the state, then the names of the properties that differ.
      assert.equal(lines.length, 2, `${operation} prints the state and the diff`);
      const diff = lines[1] as string[];
      assert.ok(Array.isArray(diff) && diff.every((p) => PROPERTIES.includes(p)), JSON.stringify(diff));
    }
    if (operation === 'test') assert.equal(typeof (lines[0] as Json)['_inDesiredState'], 'boolean');
    else for (const state of lines.filter((l) => !Array.isArray(l))) assert.equal((state as Json)['_inDesiredState'], undefined);
  } else {
    assert.deepEqual(lines, [], 'nothing on stdout on failure');
    assert.ok(logs.some((l) => 'error' in l), 'an error line on failure');
  }
  return { code, lines, logs, meaning };
}

const hashOf = (path: string): string => readBytes(path).toString('base64');

describe('DSC v3 resource IisFtps/Setting, driven by its manifest', function () {
  this.timeout(120_000);

  it('get: the site\'s own value of every setting, null where it inherits', () => {
    const config = copyFixture();
    const r = invoke('get', { site: 'Partner Exchange', configPath: config });
    assert.equal(r.code, 0);
    const state = r.lines[0] as Json;
    assert.deepEqual(Object.keys(state), ['site', 'configPath', ...settings.map((s) => s.name)]);
    assert.equal(state['clientCertificatePolicy'], 'CertAllow');
    assert.deepEqual(state['validationFlags'], ['CertChainCacheOnlyUrlRetrieval']);
    assert.equal(state['revocationUrlRetrievalTimeout'], '00:00:30');
    // Inherited from siteDefaults (01:00:00) is not set on the site.
    assert.equal(state['revocationFreshnessTime'], null);
    assert.equal(state['useActiveDirectoryMapping'], null);
  });

  it('get: only the settings an instance names, for a site id and for siteDefaults', () => {
    const config = copyFixture();
    const byId = invoke('get', { siteId: 3, configPath: config, serverCertHash: null, ssl128: true });
    assert.deepEqual(byId.lines[0], { siteId: 3, configPath: config, serverCertHash: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', ssl128: null });
    const defaults = invoke('get', { siteDefaults: true, configPath: config, revocationFreshnessTime: '00:00:00' });
    assert.deepEqual(defaults.lines[0], { siteDefaults: true, configPath: config, revocationFreshnessTime: '01:00:00' });
  });

  it('test: _inDesiredState false and the settings that differ, writing nothing', () => {
    const config = copyFixture();
    const before = hashOf(config);
    const r = invoke('test', { site: 'Partner Exchange', configPath: config, clientCertificatePolicy: 'CertRequire', revocationUrlRetrievalTimeout: '00:00:30', revocationFreshnessTime: null, ssl128: false });
    assert.equal(r.code, 0);
    assert.deepEqual(r.lines[0], { site: 'Partner Exchange', configPath: config, clientCertificatePolicy: 'CertAllow', revocationUrlRetrievalTimeout: '00:00:30', revocationFreshnessTime: null, ssl128: null, _inDesiredState: false });
    assert.deepEqual(r.lines[1], ['clientCertificatePolicy', 'ssl128']);
    assert.equal(hashOf(config), before);
  });

  it('set --what-if (the whatIfArg): the state it would leave and the diff, writing nothing', () => {
    const config = copyFixture();
    const before = hashOf(config);
    const r = invoke('set', { site: 'Public Drop', configPath: config, clientCertificatePolicy: 'CertRequire', ssl128: null }, { whatIf: true });
    assert.equal(r.code, 0);
    assert.deepEqual(r.lines, [{ site: 'Public Drop', configPath: config, clientCertificatePolicy: 'CertRequire', ssl128: null }, ['clientCertificatePolicy']]);
    assert.ok(r.logs.some((l) => /What if: site "Public Drop": clientCertificatePolicy: \(not set\) -> CertRequire/.test(l['info'] ?? '')), JSON.stringify(r.logs));
    assert.equal(hashOf(config), before);
  });

  it('set: the reference scenario in one commit, then test holds, and a second set writes nothing', () => {
    const config = copyFixture();
    const desired = {
      site: 'Public Drop',
      configPath: config,
      ...REFERENCE_SETTINGS,
    };
    const r = invoke('set', desired);
    assert.equal(r.code, 0);
    assert.deepEqual(r.lines[0], desired);
    assert.deepEqual(r.lines[1], ['controlChannelPolicy', 'dataChannelPolicy', 'serverCertHash', 'clientCertificatePolicy', 'useActiveDirectoryMapping', 'clientCertAuthentication'].sort((a, b) => PROPERTIES.indexOf(a) - PROPERTIES.indexOf(b)));
    const text = readFileSync(config, 'utf8');
    assert.match(text, /<clientCertAuthentication enabled="true" \/>/);
    assert.match(text, /serverCertHash="57686f6120447564652c2049495320526f636b73"/);
    const t = invoke('test', desired);
    assert.deepEqual(t.lines[1], []);
    assert.equal((t.lines[0] as Json)['_inDesiredState'], true);
    const after = hashOf(config);
    const again = invoke('set', desired);
    assert.equal(again.code, 0);
    assert.deepEqual(again.lines, [desired, []]);
    assert.ok(again.logs.some((l) => /nothing was written/.test(l['info'] ?? '')));
    assert.equal(hashOf(config), after);
  });

  it('set: null makes a setting inherit (removed at that level)', () => {
    const config = copyFixture();
    const r = invoke('set', { siteDefaults: true, configPath: config, revocationFreshnessTime: null, validationFlags: ['CertNoUsageCheck', 'NoRevocationCheck'] });
    assert.equal(r.code, 0);
    // Flags come back in IIS's canonical order.
    assert.deepEqual(r.lines[0], { siteDefaults: true, configPath: config, validationFlags: ['NoRevocationCheck', 'CertNoUsageCheck'], revocationFreshnessTime: null });
    assert.doesNotMatch(readFileSync(config, 'utf8'), /revocationFreshnessTime=/);
    const site = invoke('get', { site: 'Partner Exchange', configPath: config, revocationFreshnessTime: null });
    assert.deepEqual(site.lines[0], { site: 'Partner Exchange', configPath: config, revocationFreshnessTime: null });
  });

  it('export: siteDefaults and every FTP site (no web-only site), and setting them back changes nothing', () => {
    const config = copyFixture();
    const r = invoke('export', { configPath: config });
    assert.equal(r.code, 0);
    const names = r.lines.map((l) => (l as Json)['site'] ?? 'siteDefaults');
    assert.deepEqual(names, ['siteDefaults', 'Public Drop', 'Partner Exchange', 'O\'Brien & Sons "Archive"']);
    for (const line of r.lines) assert.deepEqual(Object.keys(line as Json).slice(-settings.length), settings.map((s) => s.name));
    const before = hashOf(config);
    for (const line of r.lines) {
      const s = invoke('set', line);
      assert.deepEqual(s.lines[1], [], JSON.stringify(line));
    }
    assert.equal(hashOf(config), before);
  });

  it('export of one server onto another makes the second the same', () => {
    const source = copyFixture();
    invoke('set', { site: 'Public Drop', configPath: source, clientCertificatePolicy: 'CertRequire', ssl128: true });
    const target = copyFixture('other.config');
    for (const line of invoke('export', { configPath: source }).lines) invoke('set', { ...(line as Json), configPath: target });
    const a = invoke('export', { configPath: source }).lines.map((l) => ({ ...(l as Json), configPath: undefined }));
    const b = invoke('export', { configPath: target }).lines.map((l) => ({ ...(l as Json), configPath: undefined }));
    assert.deepEqual(b, a);
    assert.equal((b[1] as Json)['clientCertificatePolicy'], 'CertRequire');
  });

  it('reports a stored value IIS would not accept as a warn line, and as not in the desired state', () => {
    const text = readFileSync(copyFixture(), 'utf8').replace('clientCertificatePolicy="CertAllow"', 'clientCertificatePolicy="CertMaybe"');
    const config = writeTemp(text);
    const r = invoke('test', { site: 'Partner Exchange', configPath: config, clientCertificatePolicy: null });
    assert.equal(r.code, 0);
    assert.deepEqual(r.lines[1], ['clientCertificatePolicy']);
    assert.ok(r.logs.some((l) => /clientCertificatePolicy: stored value is invalid/.test(l['warn'] ?? '')), JSON.stringify(r.logs));
  });

  const failures: [string, string, unknown, number, RegExp][] = [
    ['an unknown site', 'get', { site: 'No Such Site' }, 3, /No site named "No Such Site".*SITE_NOT_FOUND/],
    ['two targets', 'test', { site: 'Public Drop', siteDefaults: true }, 2, /exactly one target/],
    ['an unknown property, listing the properties', 'set', { site: 'Public Drop', clientCertPolicy: 'CertRequire' }, 2, /clientCertPolicy.*Properties: site, siteId, siteDefaults, configPath, clientCertificatePolicy/],
    ['a value its setting does not allow', 'set', { site: 'Public Drop', controlChannelPolicy: 'SslDeny' }, 2, /controlChannelPolicy/],
    ['minutes out of range', 'set', { site: 'Public Drop', revocationFreshnessTime: '00:61:00' }, 2, /INVALID_VALUE/],
    ['a set that manages nothing', 'set', { site: 'Public Drop' }, 2, /names no setting/],
    ['no instance at all', 'get', undefined, 2, /got none/],
    ['export with a target', 'export', { site: 'Public Drop' }, 2, /Export takes/],
  ];
  for (const [name, op, instance, code, message] of failures) {
    it(`fails with exit code ${code} and an error line on ${name}, writing nothing`, () => {
      const config = copyFixture();
      const before = hashOf(config);
      const r = invoke(op as 'get', instance === undefined ? undefined : { ...(instance as Json), configPath: config });
      assert.equal(r.code, code, JSON.stringify(r.logs));
      assert.match(r.logs.find((l) => 'error' in l)!['error']!, message);
      assert.equal(hashOf(config), before);
    });
  }

  it('fails with the file exit code on a configuration that is not well-formed, naming the position', () => {
    const config = writeTemp('<configuration><system.applicationHost><sites><site name="a" id="1"></sites>');
    const r = invoke('get', { siteDefaults: true, configPath: config });
    assert.equal(r.code, 5);
    assert.match(r.meaning, /could not be read/);
    assert.match(r.logs[0]!['error']!, /XML_MALFORMED/);
  });

  it('without configPath and without IIS, says IIS cannot be reached and to name a configPath', function () {
    if (process.platform === 'win32') this.skip(); // a Windows runner may have IIS
    const r = invoke('get', { siteDefaults: true });
    assert.equal(r.code, 6);
    assert.match(r.meaning, /configPath/);
  });
});
