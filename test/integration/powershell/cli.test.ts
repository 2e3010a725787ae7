/**
 * The CLI end to end with `--backend powershell --config FILE`, IIS_FTPS_MWA_PATH pointing at the
 * Microsoft.Web.Administration test double, and a real pwsh.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XmlBackend } from '../../../src/backends/xml/index.js';
import { REPO, copyFixture } from '../../support/fixture.js';
import { type BridgeRuntime, USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const run = promisify(execFile);

describe('iis-ftps CLI with --backend powershell', function () {
  this.timeout(120_000);
  let rt: BridgeRuntime;

  before(function () {
    if (USE_REAL_IIS) this.skip(); // live.test.ts drives the real IIS
    rt = bridgeRuntime(this);
  });

  /** Runs the CLI from source; the PowerShell backend module is loaded first so the registry has it. */
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env, IIS_FTPS_MWA_PATH: rt.mwaPath!, IIS_FTPS_TEST_PWSH: rt.exe.path, PATH: `${process.env['PATH']}:${join(rt.exe.path, '..')}` };
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ['--import', 'tsx', join(REPO, 'src', 'cli', 'main.ts'), ...args],
        { env, cwd: REPO, timeout: 90_000 },
      );
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
    }
  }

  it('sets the reference scenario on a site and reads it back, writing what the offline backend writes', async () => {
    const path = copyFixture();
    const expected = copyFixture();
    const set = ['set', '--site', 'public drop', '--server-cert-hash', '0123456789ABCDEF0123456789ABCDEF01234567', '--control-channel-policy', 'SslRequire', '--data-channel-policy', 'SslRequire', '--client-certificate-policy', 'CertRequire', '--client-cert-authentication', 'true'];
    const viaPs = await cli(...set, '--backend', 'powershell', '--config', path);
    assert.equal(viaPs.code, 0, viaPs.stderr);
    const viaXml = await cli(...set, '--backend', 'xml', '--config', expected);
    assert.equal(viaXml.code, 0, viaXml.stderr);
    assert.equal(readFileSync(path, 'utf8'), readFileSync(expected, 'utf8'));

    const get = await cli('get', '--site', 'Public Drop', '--backend', 'powershell', '--config', path, '--json');
    assert.equal(get.code, 0, get.stderr);
    const report = JSON.stringify(JSON.parse(get.stdout));
    assert.match(report, /CertRequire/);
    assert.match(report, /SslRequire/);

    // The offline backend reads the same values from the file the PowerShell backend wrote.
    const snap = await new XmlBackend({ path }).read({ elements: [{ element: 'sslClientCertificates', path: ['ftpServer', 'security', 'sslClientCertificates'] }], sites: [{ name: 'Public Drop' }] });
    assert.deepEqual(snap.sites[0]!.elements['sslClientCertificates'], { clientCertificatePolicy: 'CertRequire' });
  });

  it('reads typed values of a site through ServerManager and shows them as the offline backend does', async () => {
    const path = copyFixture();
    const viaPs = await cli('get', '--site', 'Partner Exchange', '--backend', 'powershell', '--config', path, '--json');
    const viaXml = await cli('get', '--site', 'Partner Exchange', '--backend', 'xml', '--config', path, '--json');
    assert.equal(viaPs.code, 0, viaPs.stderr);
    assert.deepEqual(JSON.parse(viaPs.stdout), JSON.parse(viaXml.stdout));
  });

  it('exits 1 with SITE_NOT_FOUND for an unknown site', async () => {
    const r = await cli('get', '--site', "x'; New-Item SENTINEL #", '--backend', 'powershell', '--config', copyFixture(), '--json');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /SITE_NOT_FOUND/);
  });
});
