/**
 * The edge backend: C# compiled by edge-js and run inside this Node process (Mono, or CoreCLR with
 * EDGE_USE_CORECLR=1), against the test double of Microsoft.Web.Administration (test/doubles/mwa)
 * opened on copies of the fixture.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change, ChangeSet } from '../../../src/contract/index.js';
import { EdgeBackend, type EdgeBackendOptions, isEdgeAvailable } from '../../../src/backends/edge/index.js';
import { openBackend } from '../../../src/backends/registry.js';
import { XmlBackend } from '../../../src/backends/xml/index.js';
import { getFtpsSetting, setFtpsSetting } from '../../../src/api/cmdlets.js';
import { elementPaths, settings } from '../../../src/schema/index.js';
import { REFERENCE_SETTINGS, change } from '../../support/changes.js';
import { OBRIEN, PARTNER, POOL, PUBLIC, reference } from '../../support/differential.js';
import { type EdgeTestRuntime, ON_MONO, edgeRuntime } from '../../support/edge.js';
import { expectError } from '../../support/expect.js';
import { FIXTURE, REPO, copyFixture, mtimeOf, readBytes, tempDir, writeTemp } from '../../support/fixture.js';
import { USE_REAL_IIS } from '../../support/powershell.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('edge backend (.NET in this process, Microsoft.Web.Administration test double)', function () {
  this.timeout(120_000);
  let rt: EdgeTestRuntime;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // these compare bytes the test double writes; live-edge.test.ts covers real IIS
    rt = edgeRuntime(this);
  });

  const backend = (configPath: string, options: EdgeBackendOptions = {}) => new EdgeBackend({ mwaPath: rt.mwaPath!, configPath, ...options });
  const xml = (path: string) => new XmlBackend({ path, backup: false });

  describe('runtime', () => {
    it('runs the C# bridge inside this Node process, on the runtime edge-js was asked for', async () => {
      const info = await backend(copyFixture()).ping();
      assert.equal(info.pid, process.pid, 'the bridge answers from this process');
      assert.equal(info.runtime, process.env['IIS_FTPS_TEST_EDGE_RUNTIME'] ?? (process.platform === 'win32' ? 'netfx' : 'coreclr'));
      assert.equal(info.runtime, rt.runtime);
      assert.match(info.version, /\d+\.\d+/);
    });

    it('compiles once: later backends reuse the loaded bridge and answer in milliseconds', async () => {
      const path = copyFixture();
      await backend(path).read({ elements: elementPaths, sites: [PUBLIC] });
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = process.hrtime.bigint();
        await backend(path).read({ elements: elementPaths, sites: [PUBLIC] });
        times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      const median = times.sort((a, b) => a - b)[2]!;
      assert.ok(median < 500, `a read through a new backend took ${median} ms`);
    });
  });

  describe('reading', () => {
    it('returns the attributes set at each level, typed as ServerManager gives them', async () => {
      const path = copyFixture();
      const snap = await backend(path).read({ elements: elementPaths, sites: [PARTNER, { name: 'public drop' }, { id: 7 }] });
      assert.equal(snap.version, sha256(path));
      assert.deepEqual(snap.siteDefaults['sslClientCertificates'], { revocationFreshnessTime: { Ticks: 36_000_000_000 } });
      assert.deepEqual(
        snap.sites.map((s) => [s.name, s.id, s.protocols]),
        [
          ['Partner Exchange', 3, ['ftp']],
          ['Public Drop', 2, ['ftp']],
          [OBRIEN.name, 7, ['ftp']],
        ],
      );
      const partner = snap.sites[0]!.elements;
      assert.deepEqual(partner['sslClientCertificates'], { clientCertificatePolicy: 1, validationFlags: 4, revocationUrlRetrievalTimeout: { Ticks: 300_000_000 } });
      assert.deepEqual(partner['ssl'], { serverCertHash: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432', controlChannelPolicy: 1, dataChannelPolicy: 1 });
      assert.deepEqual(snap.sites[1]!.elements['sslClientCertificates'], {}, 'nothing set: nothing returned (defaults are not "set")');
    });

    it('reads every site in file order with allSites', async () => {
      const snap = await backend(copyFixture()).read({ elements: elementPaths, allSites: true });
      assert.deepEqual(
        snap.sites.map((s) => s.id),
        [1, 2, 3, 7],
      );
    });

    it('gives the same settings, values and sources as the offline backend', async () => {
      const path = copyFixture();
      for (const target of [{ site: 'Partner Exchange' }, { site: 'Public Drop' }, { siteDefaults: true as const }]) {
        const viaEdge = await getFtpsSetting({ backend: backend(path), ...target });
        const viaXml = await getFtpsSetting({ backend: xml(path), ...target });
        assert.deepEqual(viaEdge.settings, viaXml.settings);
      }
    });
  });

  describe('committing', () => {
    it('the reference scenario through the API writes the same file as the offline backend', async () => {
      const edgePath = copyFixture();
      const xmlPath = copyFixture();
      const settingsToSet = REFERENCE_SETTINGS;
      const a = await setFtpsSetting({ backend: backend(edgePath), site: 'Public Drop', settings: settingsToSet });
      const b = await setFtpsSetting({ backend: xml(xmlPath), site: 'Public Drop', settings: settingsToSet });
      assert.equal(a.written, true);
      assert.deepEqual(a.changes, b.changes);
      assert.ok(readBytes(edgePath).equals(readBytes(xmlPath)), 'the same bytes');
      const after = await getFtpsSetting({ backend: backend(edgePath), site: 'Public Drop' });
      assert.deepEqual(after.settings.sslClientCertificates.clientCertificatePolicy, { value: 'CertRequire', source: 'site' });
      assert.deepEqual(after.settings.clientCertAuthentication.enabled, { value: true, source: 'site' });
    });

    it('round-trips every value of every setting, at a site and in siteDefaults', async () => {
      const path = copyFixture();
      const b = backend(path);
      for (const site of [PUBLIC, null]) {
        for (const s of settings) {
          for (const value of POOL[s.name]!) {
            const snap = await b.read({ elements: elementPaths, sites: [PUBLIC] });
            const result = await b.commit({ version: snap.version, changes: [change(site, s.name, value)] });
            assert.equal(result.version, sha256(path));
            const viaEdge = await getFtpsSetting({ backend: b, ...(site ? { site: site.name } : { siteDefaults: true as const }) });
            const viaXml = await getFtpsSetting({ backend: xml(path), ...(site ? { site: site.name } : { siteDefaults: true as const }) });
            assert.deepEqual(viaEdge.settings, viaXml.settings, `${s.name} = ${JSON.stringify(value)}`);
          }
        }
      }
    });

    it('writes nothing when every value is already so', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths });
      const before = readBytes(path);
      const mtime = mtimeOf(path);
      const r = await b.commit({ version: snap.version, changes: [change(PARTNER, 'clientCertificatePolicy', 'CertAllow'), change(PUBLIC, 'ssl128', null)] });
      assert.deepEqual(r, { written: false, version: snap.version });
      assert.ok(readBytes(path).equals(before));
      assert.equal(mtimeOf(path), mtime);
    });

    it('commits a change set all at once: one bad value and nothing is written', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths });
      const before = readBytes(path);
      const bad: Change = { ...change(PUBLIC, 'revocationFreshnessTime', '01:00:00'), value: 'soon' };
      const e = await expectError(b.commit({ version: snap.version, changes: [...reference(PUBLIC), bad] }), 'INVALID_VALUE', /revocationFreshnessTime.*soon/);
      assert.ok(e.details.dotnetType, 'names the .NET exception');
      assert.ok(readBytes(path).equals(before), 'nothing was written');
    });
  });

  describe('errors', () => {
    it('SITE_NOT_FOUND names the site asked for and the sites there are', async () => {
      const b = backend(copyFixture());
      const e = await expectError(b.read({ elements: elementPaths, sites: [{ name: 'Nope' }] }), 'SITE_NOT_FOUND', /No site named "Nope"\. Sites in the configuration: "Default Web Site" \(id 1\)/);
      assert.equal(e.details.site, 'Nope');
      await expectError(b.read({ elements: elementPaths, sites: [{ id: 99 }] }), 'SITE_NOT_FOUND', /with id 99/);
      const snap = await b.read({ elements: elementPaths });
      await expectError(b.commit({ version: snap.version, changes: [change({ name: 'Gone', id: 42 }, 'ssl128', true)] }), 'SITE_NOT_FOUND');
    });

    it('CONFLICT when the file changed after it was read; the other change stays', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths });
      const theirs = readFileSync(path, 'utf8').replace('<!--', '<!-- edited elsewhere;');
      writeFileSync(path, theirs);
      await expectError(b.commit({ version: snap.version, changes: reference(PUBLIC) }), 'CONFLICT', /changed on disk/);
      assert.equal(readFileSync(path, 'utf8'), theirs);
    });

    it('BACKEND_FAILED with the .NET type for an exception the bridge does not know', async () => {
      // The test double does not follow <sites configSource> (NotSupportedException); the engine reads sites.config itself.
      const path = writeTemp(readFileSync(FIXTURE, 'utf8').replace('<sites>', '<sites configSource="sites.config">'));
      writeFileSync(join(path, '..', 'sites.config'), '<sites />');
      const e = await expectError(backend(path).read({ elements: elementPaths }), 'BACKEND_FAILED');
      assert.equal(e.details.dotnetType, 'System.NotSupportedException');
      assert.match(e.message, /\(System\.NotSupportedException\)$/);
    });

    it('XML_MALFORMED and XML_DTD for documents ServerManager refuses; FILE_READ for a missing file', async () => {
      await expectError(backend(writeTemp('<configuration><system.applicationHost><sites>')).read({ elements: elementPaths }), 'XML_MALFORMED');
      await expectError(backend(writeTemp('<!DOCTYPE x [<!ENTITY a "b">]><configuration/>')).read({ elements: elementPaths }), 'XML_DTD');
      await expectError(backend(join(tempDir(), 'missing.config')).read({ elements: elementPaths }), 'FILE_READ');
    });

    it('BACKEND_UNAVAILABLE when the assembly path is not a file, or not an assembly', async () => {
      const path = copyFixture();
      await expectError(backend(path, { mwaPath: join(tempDir(), 'Microsoft.Web.Administration.dll') }).read({ elements: elementPaths }), 'BACKEND_UNAVAILABLE', /IIS_FTPS_MWA_PATH names .* not a file/);
      const junk = writeTemp('MZ this is no assembly', 'Microsoft.Web.Administration.dll');
      const e = await expectError(backend(path, { mwaPath: junk }).read({ elements: elementPaths }), 'BACKEND_UNAVAILABLE', /could not be loaded from/);
      assert.equal(e.details.dotnetType, 'System.BadImageFormatException');
      const notMwa = writeTemp('', 'empty.dll');
      await expectError(backend(path, { mwaPath: notMwa }).read({ elements: elementPaths }), 'BACKEND_UNAVAILABLE');
    });

    it('is closed for good by close(), which may be called twice', async () => {
      const b = backend(copyFixture());
      await b.ping();
      await b.close();
      await b.close();
      await expectError(b.read({ elements: elementPaths }), 'SESSION_CLOSED');
    });
  });

  describe('data never becomes code', () => {
    const sentinel = join(tempDir(), 'SENTINEL');
    const cs = sentinel.replace(/\\/g, '\\\\');
    const corpus = [
      `x"); System.IO.File.Create("${cs}"); //`,
      `x\\"); System.IO.File.Create(@"${cs}"); /*`,
      `}}}; System.IO.File.Create("${cs}"); {{{`,
      `{"op":"commit"}`,
      `\u0000nul and \u001f unit separator`,
      "Ünïcødé 名前 🚀 — ‘smart’ “quotes”",
      '<tag attr="v">&amp;</tag> \t tab\r\nline',
    ];

    afterEach(() => assert.equal(existsSync(sentinel), false, 'the sentinel file was created: data ran as code'));

    function corpusConfig(names: string[]): string {
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
      const sites = names.map((name, i) => `      <site name="${esc(name)}" id="${i + 10}">\n        <bindings>\n          <binding protocol="ftp" bindingInformation="*:${2100 + i}:" />\n        </bindings>\n      </site>`);
      return `<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n  <system.applicationHost>\n    <sites>\n${sites.join('\n')}\n    </sites>\n  </system.applicationHost>\n</configuration>\n`;
    }

    it('finds sites with hostile names, writes hostile values, and reads both back exactly', async () => {
      const names = corpus.filter((n) => !n.includes('\u0000')); // XML 1.0 cannot hold NUL
      const path = writeTemp(corpusConfig(names));
      const b = backend(path);
      let snap = await b.read({ elements: elementPaths, sites: names.map((name) => ({ name })) });
      assert.deepEqual(snap.sites.map((s) => s.name), names);
      const cs: ChangeSet = {
        version: snap.version,
        changes: snap.sites.map((s, i) => ({ ...change({ name: s.name, id: s.id }, 'serverCertStoreName', 'MY'), value: names[(i + 1) % names.length]! })),
      };
      await b.commit(cs);
      snap = await b.read({ elements: elementPaths, allSites: true });
      assert.deepEqual(
        snap.sites.map((s) => s.elements['ssl']!['serverCertStoreName']),
        names.map((_, i) => names[(i + 1) % names.length]!),
      );
    });

    it('passes hostile unknown names back in SITE_NOT_FOUND untouched', async () => {
      const b = backend(copyFixture());
      for (const name of corpus) {
        const e = await expectError(b.read({ elements: elementPaths, sites: [{ name }] }), 'SITE_NOT_FOUND');
        assert.equal(e.details.site, name);
      }
    });
  });

  describe('choosing the backend', () => {
    it('--backend edge opens it on a file; auto passes it by off Windows, saying why', async () => {
      const saved = process.env['IIS_FTPS_MWA_PATH'];
      process.env['IIS_FTPS_MWA_PATH'] = rt.mwaPath!;
      try {
        const b = await openBackend('edge', { config: copyFixture() });
        // By name: the factory imports the backend when it makes one, and under the test runner
        // that import may be another instance of the module than this file's.
        assert.equal(b.name, 'edge');
        assert.equal(b.constructor.name, EdgeBackend.name);
        await b.close();
        if (process.platform !== 'win32') {
          const auto = isEdgeAvailable('auto');
          assert.equal(auto.ok, false);
          assert.match(!auto.ok ? auto.reason : '', /only on Windows/);
        }
        process.env['IIS_FTPS_MWA_PATH'] = join(tempDir(), 'none.dll');
        await expectError(openBackend('edge', { config: copyFixture() }), 'BACKEND_UNAVAILABLE', /The edge backend cannot run here: IIS_FTPS_MWA_PATH names/);
      } finally {
        if (saved === undefined) delete process.env['IIS_FTPS_MWA_PATH'];
        else process.env['IIS_FTPS_MWA_PATH'] = saved;
      }
    });

    // Not in the Mono run (scripts/test-edge.mjs leaves it out by this title): a process started
    // after Mono loaded next to tsx's esbuild is never reaped. The CoreCLR run covers it.
    it('iis-ftps set --backend edge --config FILE works end to end and writes what --backend xml writes (starts processes)', function () {
      // Each CLI process loads .NET and compiles the engine: slow on a busy machine, never a matter of correctness.
      this.timeout(600_000);
      assert.ok(!ON_MONO, 'run without IIS_FTPS_TEST_EDGE_RUNTIME=mono');
      const edgePath = copyFixture();
      const xmlPath = copyFixture();
      const args = ['set', '--site', 'Public Drop', '--client-certificate-policy', 'CertRequire', '--ssl128', 'true', '--validation-flags', 'NoRevocationCheck,CertNoUsageCheck'];
      const cli = (backendName: string, config: string) =>
        spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), ...args, '--backend', backendName, '--config', config, '--no-backup'], {
          cwd: REPO,
          encoding: 'utf8',
          env: { ...process.env, IIS_FTPS_MWA_PATH: rt.mwaPath! },
          timeout: 280_000,
        });
      const r = cli('edge', edgePath);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /clientCertificatePolicy: \(not set\) -> CertRequire/);
      const x = cli('xml', xmlPath);
      assert.equal(x.status, 0, x.stderr);
      assert.ok(readBytes(edgePath).equals(readBytes(xmlPath)), 'the same bytes through edge and the offline backend');
    });
  });
});
