/**
 * The PowerShell backend through a real pwsh, against the test double of
 * Microsoft.Web.Administration (test/doubles/mwa) opened on copies of the fixture.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change, ChangeSet, RawSnapshot } from '../../../src/contract/index.js';
import { PowerShellBackend, type PowerShellBackendOptions } from '../../../src/backends/powershell/index.js';
import { elementPaths, findSetting, settings } from '../../../src/schema/index.js';
import { change } from '../../support/changes.js';
import { expectError } from '../../support/expect.js';
import { FIXTURE, copyFixture, mtimeOf, readBytes, readText, tempDir, writeTemp } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime, eventually, isAlive, powershellProcesses } from '../../support/powershell.js';

const PARTNER = { name: 'Partner Exchange', id: 3 };
const PUBLIC = { name: 'Public Drop', id: 2 };
const OBRIEN = { name: 'O\'Brien & Sons "Archive"', id: 7 };
const THUMB = '0123456789abcdef0123456789abcdef01234567';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The reference scenario: TLS required on both channels, client certificates required and used for logon. */
const referenceScenario = (site: { name: string; id: number } | null): Change[] => [
  change(site, 'serverCertHash', THUMB),
  change(site, 'controlChannelPolicy', 'SslRequire'),
  change(site, 'dataChannelPolicy', 'SslRequire'),
  change(site, 'clientCertificatePolicy', 'CertRequire'),
  change(site, 'clientCertAuthentication', true),
];

describe('PowerShell backend (real pwsh, Microsoft.Web.Administration test double)', function () {
  this.timeout(60_000);
  let rt: BridgeRuntime;
  const open: PowerShellBackend[] = [];

  before(function () {
    if (USE_REAL_IIS) this.skip(); // these compare bytes the test double writes; live.test.ts covers real IIS
    rt = bridgeRuntime(this);
  });

  after(async () => {
    await Promise.all(open.map((b) => b.close()));
  });

  const backend = (configPath: string, options: PowerShellBackendOptions = {}): PowerShellBackend => {
    const b = new PowerShellBackend({ executable: rt.exe.path, mwaPath: rt.mwaPath!, configPath, ...options });
    open.push(b);
    return b;
  };

  /** A backend on a fresh copy of the fixture. */
  const fixtureBackend = () => backend(copyFixture());

  describe('reading', () => {
    let b: PowerShellBackend;
    let path: string;
    let snap: RawSnapshot;

    before(async () => {
      path = copyFixture();
      b = backend(path);
      snap = await b.read({ elements: elementPaths, sites: [{ name: 'PARTNER exchange' }, { id: 2 }, { name: OBRIEN.name.toUpperCase() }] });
    });

    it('returns the attributes set on a site, typed as ServerManager types them', () => {
      const partner = snap.sites[0]!;
      assert.equal(partner.name, 'Partner Exchange');
      assert.equal(partner.id, 3);
      assert.deepEqual(partner.protocols, ['ftp']);
      assert.deepEqual(partner.elements['sslClientCertificates'], {
        clientCertificatePolicy: 1,
        validationFlags: 4,
        revocationUrlRetrievalTimeout: { Ticks: 300_000_000 },
      });
      assert.deepEqual(partner.elements['ssl'], {
        serverCertHash: '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432',
        controlChannelPolicy: 1,
        dataChannelPolicy: 1,
      });
      assert.deepEqual(partner.elements['clientCertAuthentication'], {});
    });

    it('returns siteDefaults, sites with nothing set, and escaped names unescaped', () => {
      assert.deepEqual(snap.siteDefaults, {
        sslClientCertificates: { revocationFreshnessTime: { Ticks: 36_000_000_000 } },
        ssl: {},
        clientCertAuthentication: {},
      });
      assert.deepEqual(
        snap.sites.map((s) => [s.name, s.id, s.elements]),
        [
          ['Partner Exchange', 3, snap.sites[0]!.elements],
          ['Public Drop', 2, { sslClientCertificates: {}, ssl: {}, clientCertAuthentication: {} }],
          [OBRIEN.name, 7, { sslClientCertificates: {}, ssl: {}, clientCertAuthentication: {} }],
        ],
      );
    });

    it('names the version by the SHA-256 of the file, as the offline backend does', () => {
      assert.equal(snap.version, sha256(path));
    });

    it('reads every site in file order with allSites', async () => {
      const all = await b.read({ elements: elementPaths, allSites: true });
      assert.deepEqual(
        all.sites.map((s) => [s.name, s.id, s.protocols]),
        [
          ['Default Web Site', 1, ['http']],
          ['Public Drop', 2, ['ftp']],
          ['Partner Exchange', 3, ['ftp']],
          [OBRIEN.name, 7, ['ftp']],
        ],
      );
    });

    it('fails with SITE_NOT_FOUND naming the site and listing those that exist', async () => {
      const e = await expectError(b.read({ elements: elementPaths, sites: [{ name: 'Nope' }] }), 'SITE_NOT_FOUND', /No site named "Nope".*"Partner Exchange" \(id 3\)/);
      assert.equal(e.details.site, 'Nope');
      await expectError(b.read({ elements: elementPaths, sites: [{ id: 99 }] }), 'SITE_NOT_FOUND', /with id 99/);
    });
  });

  describe('committing', () => {
    it('writes the reference scenario into a site without an FTP security block, all at once', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths, sites: [PUBLIC] });
      const before = readText(path);
      const result = await b.commit({ version: snap.version, changes: referenceScenario(PUBLIC) });
      assert.equal(result.written, true);
      assert.equal(result.version, sha256(path));
      const expected = before.replace(
        '                <ftpServer serverAutoStart="true" />\r\n',
        [
          '                <ftpServer serverAutoStart="true">',
          '                    <security>',
          `                        <ssl serverCertHash="${THUMB}" controlChannelPolicy="SslRequire" dataChannelPolicy="SslRequire" />`,
          '                        <sslClientCertificates clientCertificatePolicy="CertRequire" />',
          '                        <authentication>',
          '                            <clientCertAuthentication enabled="true" />',
          '                        </authentication>',
          '                    </security>',
          '                </ftpServer>',
          '',
        ].join('\r\n'),
      );
      assert.notEqual(expected, before);
      assert.equal(readText(path), expected);

      const after = await b.read({ elements: elementPaths, sites: [PUBLIC] });
      assert.equal(after.version, result.version);
      assert.deepEqual(after.sites[0]!.elements, {
        ssl: { serverCertHash: THUMB, controlChannelPolicy: 1, dataChannelPolicy: 1 },
        sslClientCertificates: { clientCertificatePolicy: 2 },
        clientCertAuthentication: { enabled: true },
      });
    });

    it('writes the reference scenario under siteDefaults', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths });
      await b.commit({ version: snap.version, changes: referenceScenario(null) });
      const after = await b.read({ elements: elementPaths });
      assert.deepEqual(after.siteDefaults, {
        ssl: { serverCertHash: THUMB, controlChannelPolicy: 1, dataChannelPolicy: 1 },
        sslClientCertificates: { clientCertificatePolicy: 2, revocationFreshnessTime: { Ticks: 36_000_000_000 } },
        clientCertAuthentication: { enabled: true },
      });
      assert.match(readText(path), /<sslClientCertificates revocationFreshnessTime="01:00:00" clientCertificatePolicy="CertRequire" \/>\r\n/);
    });

    it('round-trips every value type: enum, flags, time span, bool and string, then resets them', async () => {
      const path = copyFixture();
      const b = backend(path);
      const values: Record<string, [unknown, unknown]> = {
        clientCertificatePolicy: ['CertRequire', 2],
        validationFlags: [['CertNoUsageCheck', 'NoRevocationCheck'], 9],
        revocationFreshnessTime: ['1.02:03:04', { Ticks: (((26 * 60 + 3) * 60) + 4) * 10_000_000 }],
        revocationUrlRetrievalTimeout: ['00:00:05', { Ticks: 50_000_000 }],
        useActiveDirectoryMapping: [true, true],
        controlChannelPolicy: ['SslRequireCredentialsOnly', 2],
        dataChannelPolicy: ['SslDeny', 2],
        serverCertHash: [THUMB.toUpperCase(), THUMB.toUpperCase()],
        serverCertStoreName: ['WebHosting', 'WebHosting'],
        ssl128: [true, true],
        clientCertAuthentication: [true, true],
      };
      assert.deepEqual(Object.keys(values).sort(), settings.map((s) => s.name).sort(), 'every setting of the schema is covered');
      let snap = await b.read({ elements: elementPaths, sites: [PARTNER] });
      await b.commit({ version: snap.version, changes: Object.entries(values).map(([name, [v]]) => change(PARTNER, name, v)) });
      snap = await b.read({ elements: elementPaths, sites: [PARTNER] });
      for (const [name, [, raw]] of Object.entries(values)) {
        const def = findSetting(name)!;
        assert.deepEqual(snap.sites[0]!.elements[def.element]![def.attribute], raw, name);
        const decoded = def.def.codec.decode(raw);
        assert.ok(decoded.ok, `${name}: the codec reads what ServerManager returns`);
      }
      const text = readText(path);
      assert.match(text, /validationFlags="NoRevocationCheck, CertNoUsageCheck"/);
      assert.match(text, /revocationFreshnessTime="1\.02:03:04"/);
      assert.match(text, /useActiveDirectoryMapping="true"/);

      await b.commit({ version: snap.version, changes: Object.keys(values).map((name) => change(PARTNER, name, null)) });
      snap = await b.read({ elements: elementPaths, sites: [PARTNER] });
      assert.deepEqual(snap.sites[0]!.elements, { ssl: {}, sslClientCertificates: {}, clientCertAuthentication: {} });
      const text2 = readText(path);
      assert.ok(text2.includes('                <ftpServer>\r\n                    <security>\r\n                        <authentication>\r\n'), 'emptied ssl and sslClientCertificates are removed with their lines');
      assert.ok(!text2.includes('<ssl '), 'no ssl element is left');
    });

    it('writes nothing when every value is already so', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths, sites: [PARTNER] });
      const bytes = readBytes(path);
      const mtime = mtimeOf(path);
      await new Promise((r) => setTimeout(r, 20));
      const result = await b.commit({
        version: snap.version,
        changes: [change(PARTNER, 'clientCertificatePolicy', 'CertAllow'), change(PARTNER, 'validationFlags', 'CertChainCacheOnlyUrlRetrieval'), change(PARTNER, 'ssl128', null)],
      });
      assert.deepEqual(result, { written: false, version: snap.version });
      assert.deepEqual(readBytes(path), bytes);
      assert.equal(mtimeOf(path), mtime);
    });

    it('refuses a commit with CONFLICT when the file changed after it was read, leaving it as it is', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths, sites: [PUBLIC] });
      const edited = readText(path).replace('<configHistory />', '<configHistory maxHistories="5" />');
      writeFileSync(path, edited);
      await expectError(b.commit({ version: snap.version, changes: referenceScenario(PUBLIC) }), 'CONFLICT', /changed on disk/);
      assert.equal(readText(path), edited);
    });

    it('commits nothing when one change of the set is invalid, and says which', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths, sites: [PUBLIC] });
      const bad: Change = { ...change(PUBLIC, 'dataChannelPolicy', 'SslDeny'), value: 'Bogus', number: 7 };
      const e = await expectError(b.commit({ version: snap.version, changes: [change(PUBLIC, 'clientCertificatePolicy', 'CertRequire'), bad] }), 'INVALID_VALUE', /dataChannelPolicy/);
      assert.equal(e.details.dotnetType, 'System.FormatException');
      assert.deepEqual(readBytes(path), readBytes(FIXTURE));
    });

    it('fails with SITE_NOT_FOUND when a change names a site that is gone, writing nothing', async () => {
      const path = copyFixture();
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths, sites: [PUBLIC] });
      await expectError(b.commit({ version: snap.version, changes: [change({ name: 'Gone', id: 42 }, 'ssl128', true)] }), 'SITE_NOT_FOUND', /Gone/);
      await expectError(b.commit({ version: snap.version, changes: [change({ name: 'Public Drop', id: 3 }, 'ssl128', true)] }), 'SITE_NOT_FOUND', /Public Drop/);
      assert.deepEqual(readBytes(path), readBytes(FIXTURE));
    });
  });

  describe('the file', () => {
    it('refuses a DTD with XML_DTD and a malformed file with XML_MALFORMED', async () => {
      const dtd = writeTemp('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "boom">]>\n<configuration><system.applicationHost><sites /></system.applicationHost></configuration>\n');
      await expectError(backend(dtd).read({ elements: elementPaths }), 'XML_DTD', /DTD/);
      const broken = writeTemp('<?xml version="1.0"?>\n<configuration><system.applicationHost><sites></system.applicationHost></configuration>\n');
      await expectError(backend(broken).read({ elements: elementPaths }), 'XML_MALFORMED', /not well-formed/);
    });

    it('fails with FILE_READ for a missing file', async () => {
      await expectError(backend(join(tempDir(), 'missing.config')).read({ elements: elementPaths }), 'FILE_READ', /missing\.config/);
    });
  });

  describe('the session', () => {
    it('serves many calls from one PowerShell process, and the first pays the start-up', async function () {
      if (process.platform !== 'linux') this.skip();
      const before = powershellProcesses();
      const b = fixtureBackend();
      const t0 = Date.now();
      const first = await b.ping();
      const startup = Date.now() - t0;
      const pids = new Set<number>([first.pid]);
      const timings: number[] = [];
      for (let i = 0; i < 8; i++) {
        const t = Date.now();
        await b.read({ elements: elementPaths, sites: [PARTNER] });
        timings.push(Date.now() - t);
        pids.add((await b.ping()).pid);
      }
      assert.equal(pids.size, 1, `one PowerShell answered every call: ${[...pids].join(', ')}`);
      assert.equal(b.processId, first.pid);
      const mine = [...powershellProcesses()].filter(([pid]) => !before.has(pid));
      // One session: pwsh itself, or the .NET global tool's shim and the pwsh.dll it runs.
      assert.ok(mine.length >= 1 && mine.length <= 2, `PowerShell processes started: ${JSON.stringify(mine)}`);
      assert.ok(mine.some(([pid]) => pid === first.pid), 'the answering process is one this backend started');
      const median = timings.sort((x, y) => x - y)[Math.floor(timings.length / 2)]!;
      assert.ok(median < startup, `a later call (${median} ms) is faster than the first (${startup} ms)`);
      await b.close();
      assert.ok(await eventually(() => !isAlive(first.pid)), 'close() ends the process');
    });

    it('ends the process and fails with BACKEND_TIMEOUT when a call outlives its time-out; the next call starts afresh', async function () {
      const b = fixtureBackend();
      const first = await b.ping();
      await expectError(b.ping({ delayMs: 10_000, timeoutMs: 300 }), 'BACKEND_TIMEOUT', /300 ms.*ended/);
      assert.equal(b.processId, undefined);
      assert.ok(await eventually(() => !isAlive(first.pid), 2000), `process ${first.pid} is gone`);
      const second = await b.ping();
      assert.notEqual(second.pid, first.pid);
    });

    it('with a tiny time-out, fails with BACKEND_TIMEOUT during start-up and leaves no process behind', async function () {
      if (process.platform !== 'linux') this.skip();
      const before = powershellProcesses();
      const b = backend(copyFixture(), { timeoutMs: 1 });
      await expectError(b.read({ elements: elementPaths }), 'BACKEND_TIMEOUT', /1 ms/);
      const left = () => [...powershellProcesses()].filter(([pid]) => !before.has(pid) && isAlive(pid));
      assert.ok(await eventually(() => left().length === 0, 5000), `left behind: ${JSON.stringify(left())}`);
    });

    it('fails with BACKEND_UNAVAILABLE, without crashing, when the executable is missing or cannot run', async () => {
      await expectError(new PowerShellBackend({ executable: join(tempDir(), 'no-such-pwsh') }).read({ elements: elementPaths }), 'BACKEND_UNAVAILABLE', /not an executable PowerShell/);
      await expectError(new PowerShellBackend({ executable: 'no-such-pwsh-on-path' }).read({ elements: elementPaths }), 'BACKEND_UNAVAILABLE', /Install PowerShell/);
      const notRunnable = join(tempDir(), 'pwsh');
      writeFileSync(notRunnable, 'not a program');
      chmodSync(notRunnable, 0o755);
      const b = new PowerShellBackend({ executable: notRunnable, timeoutMs: 10_000 });
      await expectError(b.read({ elements: elementPaths }), 'BACKEND_UNAVAILABLE', /could not be started from .*pwsh \(it exited with code \d+\)/);
      await b.close();
    });

    it('fails with BACKEND_UNAVAILABLE when Microsoft.Web.Administration cannot be found', async () => {
      const b = backend(copyFixture(), { mwaPath: join(tempDir(), 'Microsoft.Web.Administration.dll') });
      await expectError(b.read({ elements: elementPaths }), 'BACKEND_UNAVAILABLE', /IIS_FTPS_MWA_PATH names .* not a file/);
    });

    it('is closed for good by close(), which may be called twice', async () => {
      const b = fixtureBackend();
      await b.ping();
      await b.close();
      await b.close();
      await expectError(b.read({ elements: elementPaths }), 'SESSION_CLOSED');
    });
  });

  describe('data never becomes code', () => {
    const SENTINEL_DIR = tempDir();
    const sentinel = join(SENTINEL_DIR, 'SENTINEL');
    const ps = (s: string) => s.replace(/'/g, "''");
    const corpus = [
      `x'; New-Item -ItemType File -Path '${ps(sentinel)}' #`,
      `x"; New-Item -ItemType File -Path "${sentinel}" #`,
      `$(New-Item -ItemType File -Path '${ps(sentinel)}')`,
      '`$(New-Item -ItemType File -Path ' + sentinel + ')`',
      `@(New-Item -ItemType File -Path '${ps(sentinel)}')`,
      `; New-Item -ItemType File -Path ${sentinel}; #`,
      `x\nNew-Item -ItemType File -Path ${sentinel}\n#`,
      `x\r\nNew-Item -ItemType File -Path ${sentinel}`,
      `'@\nNew-Item -ItemType File -Path ${sentinel}\n@'`,
      `& { New-Item -ItemType File -Path '${ps(sentinel)}' }`,
      "Ünïcødé 名前 🚀 — ‘smart’ “quotes” ‛x",
      '\u2018; New-Item -ItemType File -Path ' + sentinel + ' #\u2019',
      '<tag attr="v">&amp;</tag> \t tab',
    ];

    /** A configuration whose sites are named by the corpus. */
    function corpusConfig(): string {
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
      const sites = corpus.map((name, i) => `      <site name="${esc(name)}" id="${i + 10}">\n        <bindings>\n          <binding protocol="ftp" bindingInformation="*:${2100 + i}:" />\n        </bindings>\n      </site>`);
      return `<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n  <system.applicationHost>\n    <sites>\n${sites.join('\n')}\n    </sites>\n  </system.applicationHost>\n</configuration>\n`;
    }

    afterEach(() => {
      assert.equal(existsSync(sentinel), false, 'the sentinel file was created: data ran as code');
    });

    it('finds sites whose names hold quotes, backticks, $(), semicolons, newlines and non-ASCII, and returns them intact', async () => {
      const path = writeTemp(corpusConfig());
      const b = backend(path);
      const snap = await b.read({ elements: elementPaths, sites: corpus.map((name) => ({ name })) });
      assert.deepEqual(snap.sites.map((s) => s.name), corpus);
      const all = await b.read({ elements: elementPaths, allSites: true });
      assert.deepEqual(all.sites.map((s) => s.name), corpus);
    });

    it('passes unknown hostile names back in SITE_NOT_FOUND untouched', async () => {
      const b = fixtureBackend();
      for (const name of corpus) {
        const e = await expectError(b.read({ elements: elementPaths, sites: [{ name: name + '?' }] }), 'SITE_NOT_FOUND');
        assert.equal(e.details.site, name + '?');
      }
    });

    it('writes hostile values as data and reads them back exactly', async () => {
      const path = writeTemp(corpusConfig());
      const b = backend(path);
      let snap = await b.read({ elements: elementPaths, allSites: true });
      const changes: Change[] = snap.sites.map((s, i) => ({ ...change({ name: s.name, id: s.id }, 'serverCertStoreName', 'MY'), value: corpus[(i + 1) % corpus.length]! }));
      const cs: ChangeSet = { version: snap.version, changes };
      await b.commit(cs);
      snap = await b.read({ elements: elementPaths, allSites: true });
      // Tabs and line breaks survive because they are written as &#x9; &#xA; &#xD;.
      assert.deepEqual(
        snap.sites.map((s) => s.elements['ssl']!['serverCertStoreName']),
        corpus.map((_, i) => corpus[(i + 1) % corpus.length]!),
      );
      assert.match(readText(path), /&#xA;New-Item/);
    });

    it('opens a configuration whose path holds quotes, $() and non-ASCII', async () => {
      const dir = join(tempDir(), "it's $(New-Item SENTINEL) `x` ; ü名");
      mkdirSync(dir);
      const path = join(dir, 'applicationHost.config');
      writeFileSync(path, readFileSync(FIXTURE));
      const snap = await backend(path).read({ elements: elementPaths, sites: [PARTNER] });
      assert.equal(snap.sites[0]!.id, 3);
      assert.equal(existsSync(join(process.cwd(), 'SENTINEL')), false);
    });
  });
});
