/**
 * The PowerShell backend against a real IIS (Windows, the real Microsoft.Web.Administration).
 * Runs only with IIS_FTPS_TEST_REAL_IIS=1 and IIS_FTPS_TEST_SITE naming an FTP site that the
 * run may change (.github/workflows/windows.yml creates one). It changes only that site and
 * resets what it set.
 */
import { strict as assert } from 'node:assert';
import type { Change } from '../../../src/contract/index.js';
import { PowerShellBackend } from '../../../src/backends/powershell/index.js';
import { elementPaths } from '../../../src/schema/index.js';
import { change } from '../../support/changes.js';
import { expectError } from '../../support/expect.js';
import { THUMB, checkLiveLevels, liveVersion, useLiveSite } from '../../support/live.js';
import { bridgeRuntime } from '../../support/powershell.js';

describe('PowerShell backend on a live IIS', function () {
  this.timeout(120_000);
  const live = useLiveSite((ctx) => new PowerShellBackend({ executable: bridgeRuntime(ctx).exe.path }));

  it('reads the live site through ServerManager, versioned by the hash of applicationHost.config', async () => {
    const snap = await live.backend.read({ elements: elementPaths, sites: [{ name: live.site.name.toUpperCase() }] });
    assert.equal(snap.sites[0]!.name, live.site.name);
    assert.equal(typeof snap.sites[0]!.id, 'number');
    assert.ok(snap.sites[0]!.protocols.includes('ftp'));
    assert.equal(snap.version, liveVersion());
  });

  it('commits the reference scenario at once and reads it back typed', async () => {
    const changes: Change[] = [
      change(live.site, 'serverCertHash', THUMB),
      change(live.site, 'controlChannelPolicy', 'SslRequire'),
      change(live.site, 'dataChannelPolicy', 'SslRequire'),
      change(live.site, 'clientCertificatePolicy', 'CertRequire'),
      change(live.site, 'validationFlags', ['NoRevocationCheck', 'CertNoUsageCheck']),
      change(live.site, 'revocationUrlRetrievalTimeout', '00:00:30'),
      change(live.site, 'clientCertAuthentication', true),
    ];
    let snap = await live.backend.read({ elements: elementPaths, sites: [live.site] });
    const result = await live.backend.commit({ version: snap.version, changes });
    assert.equal(result.written, true);
    snap = await live.backend.read({ elements: elementPaths, sites: [live.site] });
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
    const old = await live.backend.read({ elements: elementPaths, sites: [live.site] });
    await live.backend.commit({ version: old.version, changes: [change(live.site, 'ssl128', true)] });
    await expectError(live.backend.commit({ version: old.version, changes: [change(live.site, 'ssl128', false)] }), 'CONFLICT');
  });

  it('fails with SITE_NOT_FOUND for a site that does not exist', async () => {
    await expectError(live.backend.read({ elements: elementPaths, sites: [{ name: "no such site'; #" }] }), 'SITE_NOT_FOUND');
  });

  it('answers every call from one PowerShell process', async () => {
    const pids = new Set<number>();
    for (let i = 0; i < 5; i++) pids.add((await live.backend.ping()).pid);
    assert.equal(pids.size, 1);
  });

  it('siteDefaults merged by ServerManager: a value only siteDefaults sets reads as siteDefaults, a set equal to it pins the site, a reset removes it; values typed', async () => {
    await checkLiveLevels(live.backend, live.site);
  });
});
