import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend } from '../../src/contract/index.js';
import { getFtpsSetting, resetFtpsSetting, setFtpsSetting } from '../../src/api/cmdlets.js';
import { elementPaths, settings } from '../../src/schema/index.js';
import { change } from './changes.js';
import { USE_REAL_IIS } from './powershell.js';

/** IIS's own configuration file, whose hash the live backends give as the version. */
export const LIVE_CONFIG = join(process.env['windir'] ?? 'C:\\Windows', 'System32', 'inetsrv', 'config', 'applicationHost.config');

/** A certificate thumbprint the live suites set. */
export const THUMB = '0123456789ABCDEF0123456789ABCDEF01234567';

/** The version a live backend should report now: the hash of IIS's configuration file. */
export const liveVersion = (): string => createHash('sha256').update(readFileSync(LIVE_CONFIG)).digest('hex');

/**
 * For a suite against a real IIS: skips it unless IIS_FTPS_TEST_REAL_IIS=1, opens the backend,
 * finds the FTP site IIS_FTPS_TEST_SITE names (one the run may change), and afterwards resets
 * every setting of that site and closes the backend. Call inside `describe`.
 */
export function useLiveSite<B extends Backend>(open: (ctx: Mocha.Context) => B): { readonly backend: B; readonly site: { name: string; id: number } } {
  let backend: B | undefined;
  let site: { name: string; id: number } | undefined;
  before(async function () {
    if (!USE_REAL_IIS) {
      console.log('      skipped: needs Windows with IIS (IIS_FTPS_TEST_REAL_IIS=1); see .github/workflows/windows.yml');
      this.skip();
    }
    const name = process.env['IIS_FTPS_TEST_SITE'];
    if (!name) throw new Error('IIS_FTPS_TEST_SITE must name an FTP site the test may change');
    backend = open(this);
    const snap = await backend.read({ elements: elementPaths, sites: [{ name }] });
    site = { name: snap.sites[0]!.name, id: snap.sites[0]!.id! };
  });
  after(async () => {
    if (!backend || !site) return;
    const snap = await backend.read({ elements: elementPaths, sites: [site] });
    await backend.commit({ version: snap.version, changes: settings.map((s) => change(site!, s.name, null)) });
    await backend.close();
  });
  return {
    get backend() {
      return backend!;
    },
    get site() {
      return site!;
    },
  };
}

/**
 * What only a real IIS proves (the test double cannot): ServerManager merges siteDefaults into the
 * site, so a value only siteDefaults sets must still read with source `siteDefaults`, a set equal
 * to it must pin the site (the attribute is written on the site's element), and a reset must
 * remove it again. Changes siteDefaults' revocationFreshnessTime and validationFlags for the
 * length of the check and puts them back. Also checks how values come back typed.
 */
/** Every setting of sslClientCertificates. */
const SCC = ['clientCertificatePolicy', 'validationFlags', 'revocationFreshnessTime', 'revocationUrlRetrievalTimeout', 'useActiveDirectoryMapping'];

export async function checkLiveLevels(backend: Backend, site: { name: string; id: number }): Promise<void> {
  const target = { backend, site: site.name };
  const onSite = async () => {
    const snap = await backend.read({ elements: elementPaths, sites: [site] });
    return snap.sites[0]!.elements['sslClientCertificates']!;
  };
  const before = await getFtpsSetting({ backend, siteDefaults: true });
  const freshness = before.settings.sslClientCertificates['revocationFreshnessTime']!;
  const flags = before.settings.sslClientCertificates['validationFlags']!;
  const keep = {
    revocationFreshnessTime: freshness.source === 'siteDefaults' ? freshness.value : null,
    validationFlags: flags.source === 'siteDefaults' ? flags.value : null,
  };
  try {
    await resetFtpsSetting({ ...target, settings: SCC });
    assert.equal((await setFtpsSetting({ backend, siteDefaults: true, settings: { revocationFreshnessTime: '01:02:03', validationFlags: ['CertNoUsageCheck'] } })).written, true);

    // A value only siteDefaults sets: ServerManager gives the site siteDefaults' value, not inherited from the schema default.
    let read = await getFtpsSetting(target);
    assert.deepEqual(read.settings.sslClientCertificates.revocationFreshnessTime, { value: '01:02:03', source: 'siteDefaults' });
    assert.deepEqual(read.settings.sslClientCertificates.validationFlags, { value: ['CertNoUsageCheck'], source: 'siteDefaults' });
    assert.deepEqual(await onSite(), {}, 'nothing is set on the site itself');

    // A set equal to siteDefaults pins the site: the attribute is written on the site's element.
    assert.equal((await setFtpsSetting({ ...target, settings: { revocationFreshnessTime: '01:02:03' } })).written, true);
    read = await getFtpsSetting(target);
    assert.deepEqual(read.settings.sslClientCertificates.revocationFreshnessTime, { value: '01:02:03', source: 'site' });
    assert.deepEqual(await onSite(), { revocationFreshnessTime: { Ticks: 37_230_000_000 } });
    assert.equal((await setFtpsSetting({ ...target, settings: { revocationFreshnessTime: '01:02:03' } })).written, false, 'a second set is already so');

    // A reset removes the site's attribute: the site inherits siteDefaults again; a reset of a siteDefaults-only value writes nothing.
    assert.equal((await resetFtpsSetting({ ...target, settings: ['revocationFreshnessTime'] })).written, true);
    read = await getFtpsSetting(target);
    assert.deepEqual(read.settings.sslClientCertificates.revocationFreshnessTime, { value: '01:02:03', source: 'siteDefaults' });
    assert.deepEqual(await onSite(), {});
    assert.equal((await resetFtpsSetting({ ...target, settings: ['validationFlags'] })).written, false);

    // Values as the real ServerManager types them, through a commit of every type.
    await setFtpsSetting({ ...target, settings: { clientCertificatePolicy: 'CertAllow', validationFlags: ['NoRevocationCheck', 'CertNoUsageCheck'], revocationUrlRetrievalTimeout: '00:00:45', useActiveDirectoryMapping: true } });
    const raw = await backend.read({ elements: elementPaths, sites: [site] });
    assert.equal(typeof raw.sites[0]!.id, 'number');
    assert.deepEqual(raw.sites[0]!.elements['sslClientCertificates'], {
      clientCertificatePolicy: 1,
      validationFlags: 9,
      revocationUrlRetrievalTimeout: { Ticks: 450_000_000 },
      useActiveDirectoryMapping: true,
    });
  } finally {
    await resetFtpsSetting({ ...target, settings: SCC });
    await resetFtpsSetting({ backend, siteDefaults: true, settings: ['revocationFreshnessTime', 'validationFlags'] });
    const restore = Object.fromEntries(Object.entries(keep).filter(([, v]) => v !== null));
    if (Object.keys(restore).length) await setFtpsSetting({ backend, siteDefaults: true, settings: restore });
  }
}
