/**
 * The edge backend against a real IIS (Windows, the real Microsoft.Web.Administration, .NET
 * Framework in the Node process). Runs only with IIS_FTPS_TEST_REAL_IIS=1 and IIS_FTPS_TEST_SITE
 * naming an FTP site that the run may change (.github/workflows/windows.yml creates one). It
 * changes only that site and resets what it set.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from '../../../src/backends/backend.js';
import { EdgeBackend } from '../../../src/backends/edge/index.js';
import { elementPaths, settings } from '../../../src/schema/index.js';
import { change } from '../../support/changes.js';
import { edgeRuntime } from '../../support/edge.js';
import { expectError } from '../../support/expect.js';
import { USE_REAL_IIS } from '../../support/powershell.js';

const LIVE_CONFIG = join(process.env['windir'] ?? 'C:\\Windows', 'System32', 'inetsrv', 'config', 'applicationHost.config');
const THUMB = '0123456789ABCDEF0123456789ABCDEF01234567';

describe('edge backend on a live IIS', function () {
  this.timeout(120_000);
  let b: EdgeBackend;
  let site: { name: string; id: number };

  before(async function () {
    if (!USE_REAL_IIS) {
      console.log('      skipped: needs Windows with IIS (IIS_FTPS_TEST_REAL_IIS=1); see .github/workflows/windows.yml');
      this.skip();
    }
    const name = process.env['IIS_FTPS_TEST_SITE'];
    if (!name) throw new Error('IIS_FTPS_TEST_SITE must name an FTP site the test may change');
    edgeRuntime(this);
    b = new EdgeBackend();
    const snap = await b.read({ elements: elementPaths, sites: [{ name }] });
    site = { name: snap.sites[0]!.name, id: snap.sites[0]!.id! };
  });

  after(async () => {
    if (!b) return;
    const snap = await b.read({ elements: elementPaths, sites: [site] });
    await b.commit({ version: snap.version, changes: settings.map((s) => change(site, s.name, null)) });
    await b.close();
  });

  it('runs in this process and reads the live site, versioned by the hash of applicationHost.config', async () => {
    assert.equal((await b.ping()).pid, process.pid);
    const snap = await b.read({ elements: elementPaths, sites: [{ name: site.name.toUpperCase() }] });
    assert.equal(snap.sites[0]!.name, site.name);
    assert.ok(snap.sites[0]!.protocols.includes('ftp'));
    assert.equal(snap.version, createHash('sha256').update(readFileSync(LIVE_CONFIG)).digest('hex'));
  });

  it('commits the reference scenario at once and reads it back typed', async () => {
    const changes: Change[] = [
      change(site, 'serverCertHash', THUMB),
      change(site, 'controlChannelPolicy', 'SslRequire'),
      change(site, 'dataChannelPolicy', 'SslRequire'),
      change(site, 'clientCertificatePolicy', 'CertRequire'),
      change(site, 'revocationFreshnessTime', '1.00:00:00'),
      change(site, 'clientCertAuthentication', true),
    ];
    const snap = await b.read({ elements: elementPaths, sites: [site] });
    const r = await b.commit({ version: snap.version, changes });
    assert.equal(r.written, true);
    const after = await b.read({ elements: elementPaths, sites: [site] });
    const el = after.sites[0]!.elements;
    assert.equal(el['sslClientCertificates']!['clientCertificatePolicy'], 2);
    assert.deepEqual(el['sslClientCertificates']!['revocationFreshnessTime'], { Ticks: 864_000_000_000 });
    assert.equal(el['ssl']!['controlChannelPolicy'], 1);
    assert.equal(el['clientCertAuthentication']!['enabled'], true);
  });

  it('refuses a stale change set with CONFLICT and an unknown site with SITE_NOT_FOUND', async () => {
    const snap = await b.read({ elements: elementPaths, sites: [site] });
    await expectError(b.commit({ version: '0'.repeat(64), changes: [change(site, 'ssl128', true)] }), 'CONFLICT');
    await expectError(b.read({ elements: elementPaths, sites: [{ name: `${site.name} (none)` }] }), 'SITE_NOT_FOUND');
    assert.ok(snap.version);
  });
});
