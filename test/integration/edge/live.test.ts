/**
 * The edge backend against a real IIS (Windows, the real Microsoft.Web.Administration, .NET
 * Framework in the Node process). Runs only with IIS_FTPS_TEST_REAL_IIS=1 and IIS_FTPS_TEST_SITE
 * naming an FTP site that the run may change (.github/workflows/windows.yml creates one). It
 * changes only that site and resets what it set.
 */
import { strict as assert } from 'node:assert';
import type { Change } from '../../../src/contract/index.js';
import { EdgeBackend } from '../../../src/backends/edge/index.js';
import { elementPaths } from '../../../src/schema/index.js';
import { change } from '../../support/changes.js';
import { edgeRuntime } from '../../support/edge.js';
import { expectError } from '../../support/expect.js';
import { THUMB, checkLiveLevels, liveVersion, useLiveSite } from '../../support/live.js';

describe('edge backend on a live IIS', function () {
  this.timeout(120_000);
  const live = useLiveSite((ctx) => {
    edgeRuntime(ctx);
    return new EdgeBackend();
  });

  it('runs in this process and reads the live site, versioned by the hash of applicationHost.config', async () => {
    assert.equal((await live.backend.ping()).pid, process.pid);
    const snap = await live.backend.read({ elements: elementPaths, sites: [{ name: live.site.name.toUpperCase() }] });
    assert.equal(snap.sites[0]!.name, live.site.name);
    assert.ok(snap.sites[0]!.protocols.includes('ftp'));
    assert.equal(snap.version, liveVersion());
  });

  it('commits the reference scenario at once and reads it back typed', async () => {
    const changes: Change[] = [
      change(live.site, 'serverCertHash', THUMB),
      change(live.site, 'controlChannelPolicy', 'SslRequire'),
      change(live.site, 'dataChannelPolicy', 'SslRequire'),
      change(live.site, 'clientCertificatePolicy', 'CertRequire'),
      change(live.site, 'revocationFreshnessTime', '1.00:00:00'),
      change(live.site, 'clientCertAuthentication', true),
    ];
    const snap = await live.backend.read({ elements: elementPaths, sites: [live.site] });
    const r = await live.backend.commit({ version: snap.version, changes });
    assert.equal(r.written, true);
    const after = await live.backend.read({ elements: elementPaths, sites: [live.site] });
    const el = after.sites[0]!.elements;
    assert.equal(el['sslClientCertificates']!['clientCertificatePolicy'], 2);
    assert.deepEqual(el['sslClientCertificates']!['revocationFreshnessTime'], { Ticks: 864_000_000_000 });
    assert.equal(el['ssl']!['controlChannelPolicy'], 1);
    assert.equal(el['clientCertAuthentication']!['enabled'], true);
  });

  it('refuses a stale change set with CONFLICT and an unknown site with SITE_NOT_FOUND', async () => {
    const snap = await live.backend.read({ elements: elementPaths, sites: [live.site] });
    await expectError(live.backend.commit({ version: '0'.repeat(64), changes: [change(live.site, 'ssl128', true)] }), 'CONFLICT');
    await expectError(live.backend.read({ elements: elementPaths, sites: [{ name: `${live.site.name} (none)` }] }), 'SITE_NOT_FOUND');
    assert.ok(snap.version);
  });

  it('siteDefaults merged by ServerManager: a value only siteDefaults sets reads as siteDefaults, a set equal to it pins the site, a reset removes it; values typed', async () => {
    await checkLiveLevels(live.backend, live.site);
  });
});
