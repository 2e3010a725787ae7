/**
 * The PowerShell backend against a real IIS (Windows, the real Microsoft.Web.Administration).
 * Runs only with IIS_FTPS_TEST_REAL_IIS=1 and IIS_FTPS_TEST_SITE naming an FTP site that the
 * run may change (.github/workflows/windows.yml creates one). It changes only that site and
 * resets what it set.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from '../../../src/backends/backend.js';
import { PowerShellBackend } from '../../../src/backends/powershell/index.js';
import { elementPaths, settings } from '../../../src/schema/index.js';
import { change } from '../../support/changes.js';
import { expectError } from '../../support/expect.js';
import { USE_REAL_IIS, bridgeRuntime } from '../../support/powershell.js';

const LIVE_CONFIG = join(process.env['windir'] ?? 'C:\\Windows', 'System32', 'inetsrv', 'config', 'applicationHost.config');
const THUMB = '0123456789ABCDEF0123456789ABCDEF01234567';

describe('PowerShell backend on a live IIS', function () {
  this.timeout(120_000);
  let b: PowerShellBackend;
  let site: { name: string; id: number };

  before(async function () {
    if (!USE_REAL_IIS) {
      console.log('      skipped: needs Windows with IIS (IIS_FTPS_TEST_REAL_IIS=1); see .github/workflows/windows.yml');
      this.skip();
    }
    const name = process.env['IIS_FTPS_TEST_SITE'];
    if (!name) throw new Error('IIS_FTPS_TEST_SITE must name an FTP site the test may change');
    const rt = bridgeRuntime(this);
    b = new PowerShellBackend({ executable: rt.exe.path });
    const snap = await b.read({ elements: elementPaths, sites: [{ name }] });
    site = { name: snap.sites[0]!.name, id: snap.sites[0]!.id! };
  });

  after(async () => {
    if (!b) return;
    const snap = await b.read({ elements: elementPaths, sites: [site] });
    await b.commit({ version: snap.version, changes: settings.map((s) => change(site, s.name, null)) });
    await b.close();
  });

  it('reads the live site through ServerManager, versioned by the hash of applicationHost.config', async () => {
    const snap = await b.read({ elements: elementPaths, sites: [{ name: site.name.toUpperCase() }] });
    assert.equal(snap.sites[0]!.name, site.name);
    assert.equal(typeof snap.sites[0]!.id, 'number');
    assert.ok(snap.sites[0]!.protocols.includes('ftp'));
    assert.equal(snap.version, createHash('sha256').update(readFileSync(LIVE_CONFIG)).digest('hex'));
  });

  it('commits the reference scenario at once and reads it back typed', async () => {
    const changes: Change[] = [
      change(site, 'serverCertHash', THUMB),
      change(site, 'controlChannelPolicy', 'SslRequire'),
      change(site, 'dataChannelPolicy', 'SslRequire'),
      change(site, 'clientCertificatePolicy', 'CertRequire'),
      change(site, 'validationFlags', ['NoRevocationCheck', 'CertNoUsageCheck']),
      change(site, 'revocationUrlRetrievalTimeout', '00:00:30'),
      change(site, 'clientCertAuthentication', true),
    ];
    let snap = await b.read({ elements: elementPaths, sites: [site] });
    const result = await b.commit({ version: snap.version, changes });
    assert.equal(result.written, true);
    snap = await b.read({ elements: elementPaths, sites: [site] });
    const els = snap.sites[0]!.elements;
    assert.equal(String(els['ssl']!['serverCertHash']).toUpperCase(), THUMB);
    assert.equal(els['ssl']!['controlChannelPolicy'], 1);
    assert.equal(els['ssl']!['dataChannelPolicy'], 1);
    assert.equal(els['sslClientCertificates']!['clientCertificatePolicy'], 2);
    assert.equal(els['sslClientCertificates']!['validationFlags'], 9);
    assert.deepEqual(els['sslClientCertificates']!['revocationUrlRetrievalTimeout'], { Ticks: 300_000_000 });
    assert.equal(els['clientCertAuthentication']!['enabled'], true);
  });

  it('refuses a commit made against an older version with CONFLICT', async () => {
    const old = await b.read({ elements: elementPaths, sites: [site] });
    await b.commit({ version: old.version, changes: [change(site, 'ssl128', true)] });
    await expectError(b.commit({ version: old.version, changes: [change(site, 'ssl128', false)] }), 'CONFLICT');
  });

  it('fails with SITE_NOT_FOUND for a site that does not exist', async () => {
    await expectError(b.read({ elements: elementPaths, sites: [{ name: "no such site'; #" }] }), 'SITE_NOT_FOUND');
  });

  it('answers every call from one PowerShell process', async () => {
    const pids = new Set<number>();
    for (let i = 0; i < 5; i++) pids.add((await b.ping()).pid);
    assert.equal(pids.size, 1);
  });
});
