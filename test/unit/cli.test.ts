import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../src/cli/run.js';
import type { ChangeReport } from '../../src/api/commit.js';
import { FIXTURE, REPO, copyFixture, mtimeOf, readBytes, readText, tempDir } from '../support/fixture.js';

interface Outcome {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], stdin?: string): Promise<Outcome> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), ...(stdin === undefined ? {} : { stdin: () => stdin }) });
  return { code, out, err };
}

const REFERENCE = [
  '--server-cert-hash', '57686f6120447564652c2049495320526f636b73',
  '--control-channel-policy', 'SslRequire', '--data-channel-policy', 'SslRequire',
  '--client-certificate-policy', 'CertRequire', '--use-active-directory-mapping', 'true', '--client-cert-authentication', 'true',
];

describe('cli', () => {
  describe('get', () => {
    it('--json prints one object with the target and a key per element, values typed and sourced', async () => {
      const r = await cli(['get', '--config', FIXTURE, '--site', 'Partner Exchange', '--json']);
      assert.equal(r.code, 0, r.err);
      const j = JSON.parse(r.out);
      assert.deepEqual(Object.keys(j), ['target', 'sslClientCertificates', 'ssl', 'clientCertAuthentication']);
      assert.deepEqual(j.target, { level: 'site', name: 'Partner Exchange', id: 3, protocols: ['ftp'] });
      assert.deepEqual(j.sslClientCertificates.validationFlags, { value: ['CertChainCacheOnlyUrlRetrieval'], source: 'site' });
      assert.deepEqual(j.sslClientCertificates.revocationFreshnessTime, { value: '01:00:00', source: 'siteDefaults' });
      assert.deepEqual(j.sslClientCertificates.useActiveDirectoryMapping, { value: false, source: 'default' });
      assert.deepEqual(j.clientCertAuthentication, { enabled: { value: false, source: 'default' } });
      assert.equal(r.err, '');
    });
    it('prints a readable table by default', async () => {
      const r = await cli(['get', '--config', FIXTURE, '--site-id', '3']);
      assert.equal(r.code, 0);
      assert.match(r.out, /^site "Partner Exchange" \(id 3\)/);
      assert.match(r.out, /revocationFreshnessTime\s+01:00:00\s+siteDefaults/);
    });
    it('reads siteDefaults', async () => {
      const r = await cli(['get', '--config', FIXTURE, '--site-defaults', '--json']);
      assert.deepEqual(JSON.parse(r.out).sslClientCertificates.revocationFreshnessTime, { value: '01:00:00', source: 'siteDefaults' });
    });
  });

  describe('set', () => {
    it('runs the reference scenario in one commit; doctor is then happy', async () => {
      const path = copyFixture();
      const r = await cli(['set', '--config', path, '--site', 'public drop', ...REFERENCE]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /ssl\.controlChannelPolicy: \(not set\) -> SslRequire/);
      assert.match(r.out, /Wrote 6 change\(s\)/);
      const j = JSON.parse((await cli(['get', '--config', path, '--site', 'Public Drop', '--json'])).out);
      assert.deepEqual(j.ssl.serverCertHash, { value: '57686f6120447564652c2049495320526f636b73', source: 'site' });
      assert.deepEqual(j.clientCertAuthentication.enabled, { value: true, source: 'site' });
      assert.equal((await cli(['doctor', '--config', path, '--site', 'Public Drop'])).code, 0);
      const again = await cli(['set', '--config', path, '--site', 'public drop', ...REFERENCE]);
      assert.equal(again.code, 0);
      assert.match(again.out, /Nothing to change/);
    });
    it('--what-if shows old -> new and a diff, and leaves the file alone', async () => {
      const path = copyFixture();
      const bytes = readBytes(path);
      const mtime = mtimeOf(path);
      const r = await cli(['set', '--config', path, '--site', 'Partner Exchange', '--client-certificate-policy', 'CertRequire', '--what-if']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /clientCertificatePolicy: CertAllow -> CertRequire/);
      assert.match(r.out, /^-\s+<sslClientCertificates clientCertificatePolicy="CertAllow"/m);
      assert.match(r.out, /^\+\s+<sslClientCertificates clientCertificatePolicy="CertRequire"/m);
      assert.match(r.out, /nothing was written/);
      assert.deepEqual(readBytes(path), bytes);
      assert.equal(mtimeOf(path), mtime);
    });
    it('--json reports changes and whether it wrote', async () => {
      const path = copyFixture();
      const r = await cli(['set', '--config', path, '--site-defaults', '--validation-flags', '9', '--json']);
      const j = JSON.parse(r.out);
      assert.equal(j.written, true);
      assert.deepEqual(j.changes[0].new, ['NoRevocationCheck', 'CertNoUsageCheck']);
      assert.match(readText(path), /<sslClientCertificates revocationFreshnessTime="01:00:00" validationFlags="NoRevocationCheck, CertNoUsageCheck" \/>/);
    });
  });

  describe('reset and apply', () => {
    it('reset removes a setting so it inherits', async () => {
      const path = copyFixture();
      const r = await cli(['reset', '--config', path, '--site', 'Partner Exchange', '--setting', 'revocation-url-retrieval-timeout']);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /00:00:30 -> \(inherits 00:01:00 from default\)/);
      assert.doesNotMatch(readText(path), /revocationUrlRetrievalTimeout/);
    });
    it('apply reads a desired state from a file or standard input and is idempotent', async () => {
      const path = copyFixture();
      const desired = join(tempDir(), 'desired.json');
      writeFileSync(desired, JSON.stringify({ sites: { 'Partner Exchange': { clientCertificatePolicy: 'CertRequire' } } }));
      const first = await cli(['apply', '--config', path, '--desired', desired]);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /Wrote 1 change/);
      const second = await cli(['apply', '--config', path, '--desired', '-'], readText(desired));
      assert.equal(second.code, 0);
      assert.match(second.out, /Nothing to change/);
    });
  });

  describe('exit codes and errors', () => {
    const cases: [string, (p: string) => string[], number, RegExp][] = [
      ['an invalid enum value', (p) => ['set', '--config', p, '--site', 'Partner Exchange', '--control-channel-policy', 'SslDeny'], 2, /Invalid value for controlChannelPolicy.*SslDeny exists for dataChannelPolicy only.*Allowed: SslAllow \(0\), SslRequire \(1\), SslRequireCredentialsOnly \(2\)/s],
      ['a bad thumbprint', (p) => ['set', '--config', p, '--site', 'Partner Exchange', '--server-cert-hash', 'abc'], 2, /serverCertHash.*3 hex digits/],
      ['an unknown option', (p) => ['set', '--config', p, '--site', 'x', '--client-cert-policy', 'CertRequire'], 2, /Unknown option --client-cert-policy/],
      ['an unknown command', () => ['sett'], 2, /Unknown command "sett"/],
      ['no target', (p) => ['get', '--config', p], 2, /Name a target/],
      ['two targets', (p) => ['get', '--config', p, '--site', 'a', '--site-defaults'], 2, /one target only/],
      ['a bad site id', (p) => ['get', '--config', p, '--site-id', 'three'], 2, /whole number/],
      ['set without settings', (p) => ['set', '--config', p, '--site', 'a'], 2, /at least one setting/],
      ['an option of another command', (p) => ['get', '--config', p, '--site', 'a', '--what-if'], 2, /--what-if does not go with 'get'/],
      ['an unknown reset setting', (p) => ['reset', '--config', p, '--site', 'Partner Exchange', '--setting', 'nope'], 2, /Unknown setting "nope"/],
      ['no --config and no live IIS', () => ['get', '--site', 'a'], 2, /Pass --config/],
      ['an unknown backend', (p) => ['get', '--config', p, '--site', 'a', '--backend', 'ftp'], 2, /Unknown backend "ftp"/],
      ['a site that does not exist', (p) => ['set', '--config', p, '--site', 'Nope', '--ssl128', 'true'], 1, /No site named "Nope"/],
      ['a missing file', () => ['get', '--config', '/nonexistent/applicationHost.config', '--site', 'a'], 1, /does not exist/],
      ['a DTD', (p) => (writeFileSync(p, '<!DOCTYPE c [<!ENTITY x "y">]><configuration/>'), ['get', '--config', p, '--site', 'a']), 1, /DTD/],
      ['a broken rule in doctor', (p) => (writeFileSync(p, readText(p).replace('<basicAuthentication enabled="true" />', '<clientCertAuthentication enabled="true" />')), ['doctor', '--config', p]), 1, /cca-needs-ad-mapping/],
    ];
    for (const [what, args, code, message] of cases) {
      it(`exits ${code} on ${what}, says why on stderr and writes nothing`, async () => {
        const path = copyFixture();
        const argv = args(path);
        const bytes = readBytes(path);
        const r = await cli(argv);
        assert.equal(r.code, code, r.err + r.out);
        const text = what.includes('doctor') ? r.out : r.err;
        assert.match(text, message);
        assert.deepEqual(readBytes(path), bytes);
      });
    }
    it('prints errors as JSON on stderr with --json', async () => {
      const r = await cli(['get', '--config', FIXTURE, '--site', 'Nope', '--json']);
      assert.equal(r.code, 1);
      assert.equal(r.out, '');
      const j = JSON.parse(r.err);
      assert.equal(j.error.code, 'SITE_NOT_FOUND');
    });
    it('gives an excerpt and line for a malformed file', async () => {
      const path = copyFixture();
      writeFileSync(path, readText(path).replace('</bindings>', '</binding>'));
      const r = await cli(['get', '--config', path, '--site', 'a']);
      assert.equal(r.code, 1);
      // The position is the mismatched end tag's `<`, and the message names both elements.
      assert.match(r.err, /not well-formed XML: <\/binding> does not close the open element <bindings> \(line 46, column 17\)/);
      assert.match(r.err, /\n {16}<\/binding>\n {16}\^\n/);
    });
  });

  describe('help', () => {
    it('lists every setting with its values, generated from the schema', async () => {
      const r = await cli(['set', '--help']);
      assert.equal(r.code, 0);
      for (const opt of ['--client-certificate-policy', '--validation-flags', '--server-cert-hash', '--client-cert-authentication']) assert.ok(r.out.includes(opt), opt);
      assert.match(r.out, /one of CertIgnore \| CertAllow \| CertRequire/);
      assert.match(r.out, /Examples/);
    });
    it('shows the overview with exit codes; without a command it exits 2', async () => {
      const r = await cli([]);
      assert.equal(r.code, 2);
      assert.match(r.out, /Exit codes/);
      assert.equal((await cli(['help', 'apply'])).code, 0);
      assert.equal((await cli(['--help'])).code, 0);
    });

    it('help servers explains --computer; an unknown topic lists the topics', async () => {
      const r = await cli(['help', 'servers']);
      assert.equal(r.code, 0);
      assert.match(r.out, /iis-ftps \(apply \| test\) --computer SERVER\.\.\. --desired FILE\.json/);
      assert.match((await cli(['--help'])).out, /'iis-ftps help servers'/);
      const bad = await cli(['help', 'server']);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /No help on "server"\. Topics: .*servers.*test/);
    });
  });

  describe('as a process', () => {
    it('the bin entry runs, prints to stdout and returns the exit code', () => {
      const main = join(REPO, 'src', 'cli', 'main.ts');
      const ok = spawnSync(process.execPath, ['--import', 'tsx', main, 'get', '--config', FIXTURE, '--site-id', '2', '--json'], { cwd: REPO, encoding: 'utf8' });
      assert.equal(ok.status, 0, ok.stderr);
      assert.equal(JSON.parse(ok.stdout).ssl.controlChannelPolicy.source, 'default');
      const bad = spawnSync(process.execPath, ['--import', 'tsx', main, 'get', '--config', FIXTURE, '--site', 'Nope'], { cwd: REPO, encoding: 'utf8' });
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /SITE_NOT_FOUND/);
    });
  });
});

describe('cli progress bar', () => {
  it('is cleared before an error is printed, so the message never shares the bar\'s line', async () => {
    const { generateConfig } = await import('../support/generate.js');
    const path = join(tempDir(), 'applicationHost.config');
    writeFileSync(path, generateConfig(1200).text);
    let err = '';
    let touched = false;
    const code = await run(['set', '--config', path, '--all-ftp-sites', '--ssl128', 'true'], {
      stdout: () => {},
      stderr: (t) => {
        err += t;
        // While the bar is drawn, someone else changes the file: the commit then fails with CONFLICT.
        if (!touched && t.includes('[')) {
          touched = true;
          writeFileSync(path, readText(path).replace('ftp-00001', 'ftp-00001-renamed'));
        }
      },
      stderrIsTTY: true,
    });
    assert.equal(code, 1);
    assert.ok(touched, 'the bar was drawn');
    const message = err.indexOf('iis-ftps:');
    assert.ok(message > 0, err);
    assert.equal(err.slice(message - 4, message), '\r\x1b[K', `the bar is cleared right before the message: ${JSON.stringify(err.slice(Math.max(0, message - 60), message + 20))}`);
  });
});

describe('cli output of a bulk set', () => {
  it('is written a piece at a time, and the pieces make the same text as formatChanges', async () => {
    const { generateConfig } = await import('../support/generate.js');
    const { formatChanges } = await import('../../src/cli/format.js');
    const path = join(tempDir(), 'applicationHost.config');
    writeFileSync(path, generateConfig(1200).text);
    const pieces: string[] = [];
    const code = await run(['set', '--config', path, '--all-ftp-sites', '--ssl128', 'true', '--what-if'], { stdout: (t) => pieces.push(t), stderr: () => {} });
    assert.equal(code, 0);
    assert.ok(pieces.length > 1, `${pieces.length} piece(s)`);
    for (const p of pieces.slice(0, -1)) assert.ok(p.length < (1 << 16) + 1000, `a piece of ${p.length} characters`);
    const whole = pieces.join('');
    assert.match(whole, /What if: \d+ change\(s\); nothing was written\.\n$/);
    const lines = whole.split('\n').filter((l) => l.startsWith('site '));
    assert.ok(lines.length > 1000, `${lines.length} changes`);
    // The same report, whole and in pieces: the same text.
    const { setFtpsSetting } = await import('../../src/api/cmdlets.js');
    const { writeChanges } = await import('../../src/cli/format.js');
    const report = await setFtpsSetting({ backend: 'xml', config: path, allFtpSites: true, settings: { ssl128: true }, whatIf: true });
    const parts: string[] = [];
    writeChanges(report, path, (t) => parts.push(t));
    assert.ok(parts.length > 1);
    assert.equal(parts.join(''), formatChanges(report, path));
    assert.equal(formatChanges({ changes: [], written: false, whatIf: false }), 'Nothing to change: every value is already so. Nothing was written.\n');
  });

  it('writes a long diff in pieces that never cut a character outside the BMP in two', async () => {
    const { writeChanges } = await import('../../src/cli/format.js');
    const change = {
      target: { level: 'site', name: 'ftp \u{1F600}', id: 1 },
      setting: 'ssl128',
      element: 'ssl',
      attribute: 'ssl128',
      old: null,
      new: true,
      effective: { value: true, source: 'site' },
    } as unknown as ChangeReport['changes'][number];
    // A pair straddles each 64 K boundary of the diff, whichever piece the boundary falls in.
    for (const before of [(1 << 16) - 1, (1 << 16) - 2, 1 << 16]) {
      const diff = `${'x'.repeat(before)}\u{1F600}${'y'.repeat(1 << 16)}\u{1F601}\n`;
      const pieces: string[] = [];
      writeChanges({ changes: [change], written: false, whatIf: true, diff }, 'f', (t) => pieces.push(t));
      const lone = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
      for (const p of pieces) assert.ok(!lone.test(p), `a piece of ${p.length} characters holds no half of a surrogate pair`);
      const whole = pieces.join('');
      assert.ok(whole.includes(diff), 'the diff is written whole');
      assert.ok(pieces.length >= 4, `${pieces.length} pieces`);
    }
  });
});
