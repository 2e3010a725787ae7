import { strict as assert } from 'node:assert';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { rotateFtpsCertificate } from '../../src/api/rotate.js';
import { getFtpsSetting } from '../../src/api/cmdlets.js';
import { IisFtpsError } from '../../src/errors/errors.js';
import { CertificateStoreDouble } from '../doubles/certificate-store.js';
import { type TestCertificate, daysFromNow, makeCertificate } from '../support/certificates.js';
import { mtimeOf, readBytes, readText } from '../support/fixture.js';
import { OLD, THIRD, writeRenewalConfig } from '../support/renewal.js';

const backups = (config: string): string[] => {
  const dir = join(dirname(config), '.iis-ftps-history');
  return existsSync(dir) ? readdirSync(dir) : [];
};

async function codeOf(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (e) {
    return e instanceof IisFtpsError ? e.code : `not an IisFtpsError: ${(e as Error).stack}`;
  }
  return 'no error';
}

const hashOf = async (config: string, t: { site: string } | { siteDefaults: true }) => {
  const s = (await getFtpsSetting({ config, backend: 'xml', ...t })).settings.ssl;
  return { hash: s['serverCertHash']!, store: s['serverCertStoreName']! };
};

describe('rotateFtpsCertificate', function () {
  this.timeout(60_000);
  const NEW = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';

  it('replaces OLD in siteDefaults, an FTP-only site and a mixed web+FTP site (hash and store), leaves the third certificate, lists it, one commit; a rerun writes nothing', async () => {
    const config = writeRenewalConfig();
    const before = readText(config);
    const r = await rotateFtpsCertificate({ config, backend: 'xml', from: `\u200e${OLD.match(/../g)!.join(' ')}`, to: NEW.toLowerCase(), storeName: 'WebHosting' });
    assert.equal(r.status, 'rotated');
    assert.equal(r.written, true);
    assert.equal(r.to, NEW);
    assert.deepEqual(r.levels.map((l) => [l.target.level, l.target.name, l.reason]), [
      ['siteDefaults', null, 'held-old'],
      ['site', 'ftp-only', 'held-old'],
      ['site', 'Mixed Web and FTP', 'held-old'],
    ]);
    assert.deepEqual(r.unrelated.map((u) => [u.target.name, u.serverCertHash]), [['Other Customer', THIRD]]);
    assert.deepEqual(r.inheriting.map((t) => t.name), ['Inherits']);
    assert.equal(r.changes.length, 6);
    assert.deepEqual(r.check, { checked: 'none', certificate: null, overridden: [] });
    for (const t of [{ siteDefaults: true as const }, { site: 'ftp-only' }, { site: 'Mixed Web and FTP' }]) {
      const h = await hashOf(config, t);
      assert.equal(h.hash.value, NEW, JSON.stringify(t));
      assert.equal(h.hash.source, 'siteDefaults' in t ? 'siteDefaults' : 'site');
      assert.equal(h.store.value, 'WebHosting');
      assert.equal(h.store.source, 'siteDefaults' in t ? 'siteDefaults' : 'site');
    }
    assert.deepEqual(await hashOf(config, { site: 'Other Customer' }), { hash: { value: THIRD, source: 'site' }, store: { value: 'My', source: 'site' } });
    // inheriting sites stay inheriting
    const inherits = await hashOf(config, { site: 'Inherits' });
    assert.deepEqual(inherits.hash, { value: NEW, source: 'siteDefaults' });
    const after = readText(config);
    assert.doesNotMatch(after, new RegExp(OLD, 'i'));
    assert.match(after, /<ssl serverCertHash="ABCDEF0123456789ABCDEF0123456789ABCDEF01" controlChannelPolicy="SslRequire" serverCertStoreName="WebHosting" \/>\r\n/);
    assert.match(after, /<ssl serverCertHash="ABCDEF0123456789ABCDEF0123456789ABCDEF01" serverCertStoreName="WebHosting" \/>/);
    assert.equal(after.split('\n').length, before.split('\n').length, 'only attributes change');
    assert.equal(backups(config).length, 1, 'one commit, one backup');

    const bytes = readBytes(config);
    const mtime = mtimeOf(config);
    const again = await rotateFtpsCertificate({ config, backend: 'xml', from: OLD, to: NEW, storeName: 'webhosting' });
    assert.equal(again.status, 'already');
    assert.equal(again.written, false);
    assert.deepEqual(again.changes, []);
    assert.deepEqual(again.alreadyNew.map((t) => t.name), [null, 'ftp-only', 'Mixed Web and FTP']);
    assert.deepEqual(again.unrelated.map((u) => u.target.name), ['Other Customer']);
    assert.deepEqual(readBytes(config), bytes);
    assert.equal(mtimeOf(config), mtime);
    assert.equal(backups(config).length, 1);
  });

  it('writes the store name where a level holds NEW but names another store (IIS shows "Not Selected")', async () => {
    const config = writeRenewalConfig(NEW);
    const r = await rotateFtpsCertificate({ config, backend: 'xml', from: OLD, to: NEW, storeName: 'WebHosting' });
    assert.equal(r.status, 'rotated');
    assert.deepEqual(r.levels.map((l) => [l.target.name, l.reason]), [[null, 'store-name'], ['ftp-only', 'store-name'], ['Mixed Web and FTP', 'store-name']]);
    assert.ok(r.changes.every((c) => c.setting === 'serverCertStoreName'));
  });

  it('with from = to (a script rerunning with the last thumbprint it bound) checks that it is in place: no change, or OLD_CERTIFICATE_NOT_FOUND', async () => {
    const config = writeRenewalConfig();
    const r = await rotateFtpsCertificate({ config, backend: 'xml', from: OLD, to: OLD.toLowerCase() });
    assert.equal(r.status, 'already');
    assert.equal(r.written, false);
    assert.equal(r.alreadyNew.length, 3);
    assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', from: NEW, to: NEW })), 'OLD_CERTIFICATE_NOT_FOUND');
  });

  it('fails with OLD_CERTIFICATE_NOT_FOUND, writing nothing, when OLD is bound nowhere and NEW is not in place', async () => {
    const config = writeRenewalConfig();
    const bytes = readBytes(config);
    assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', from: '2222222222222222222222222222222222222222', to: NEW })), 'OLD_CERTIFICATE_NOT_FOUND');
    assert.deepEqual(readBytes(config), bytes);
    assert.equal(backups(config).length, 0);
  });

  it('binds --also-site sites too, in the same commit; without OLD it binds only those', async () => {
    const config = writeRenewalConfig();
    const r = await rotateFtpsCertificate({ config, backend: 'xml', from: OLD, to: NEW, alsoSites: ['other customer'] });
    assert.deepEqual(r.levels.map((l) => [l.target.name, l.reason]), [[null, 'held-old'], ['ftp-only', 'held-old'], ['Mixed Web and FTP', 'held-old'], ['Other Customer', 'also-site']]);
    assert.equal(r.store, 'My');
    assert.deepEqual(r.unrelated, []);
    assert.equal((await hashOf(config, { site: 'Other Customer' })).hash.value, NEW);
    assert.equal(backups(config).length, 1);

    const first = writeRenewalConfig();
    const f = await rotateFtpsCertificate({ config: first, backend: 'xml', to: NEW, alsoSites: ['Inherits'] });
    assert.deepEqual(f.levels.map((l) => l.target.name), ['Inherits']);
    assert.equal((await hashOf(first, { siteDefaults: true })).hash.value, OLD);
    assert.equal(await codeOf(() => rotateFtpsCertificate({ config: first, backend: 'xml', from: OLD, to: NEW, alsoSites: ['No Such Site'] })), 'SITE_NOT_FOUND');
  });

  it('refuses bad input before reading: bad thumbprints, no new certificate, no old one and no site, a bad store name', async () => {
    const config = writeRenewalConfig();
    assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', from: 'abc', to: NEW })), 'INVALID_VALUE');
    assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', from: OLD, to: `${NEW}0` })), 'INVALID_VALUE');
    assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', from: OLD })), 'USAGE');
    assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', to: NEW })), 'USAGE');
    assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', from: OLD, to: NEW, storeName: 'My"><x' })), 'INVALID_VALUE');
  });

  it('with whatIf describes every change and a diff, and writes nothing', async () => {
    const config = writeRenewalConfig();
    const bytes = readBytes(config);
    const r = await rotateFtpsCertificate({ config, backend: 'xml', from: OLD, to: NEW, whatIf: true });
    assert.equal(r.status, 'what-if');
    // My is the default store; "MY" on the mixed site is the same store (names compare case-insensitively): not rewritten
    assert.equal(r.changes.length, 5);
    assert.ok(!r.changes.some((c) => c.target.name === 'Mixed Web and FTP' && c.setting === 'serverCertStoreName'));
    assert.match(r.diff!, /\+.*serverCertHash="ABCDEF0123456789ABCDEF0123456789ABCDEF01"/);
    assert.deepEqual(readBytes(config), bytes);
  });

  describe('--to-file (offline)', () => {
    it('takes NEW as the file certificate thumbprint and checks it', async () => {
      const cert = makeCertificate();
      const config = writeRenewalConfig();
      const r = await rotateFtpsCertificate({ config, backend: 'xml', from: OLD, toFile: cert.der });
      assert.equal(r.to, cert.facts.thumbprint);
      assert.equal(r.check.checked, 'file');
      assert.equal((await hashOf(config, { site: 'ftp-only' })).hash.value, cert.facts.thumbprint);
      assert.equal(await codeOf(() => rotateFtpsCertificate({ config: writeRenewalConfig(), backend: 'xml', from: OLD, to: NEW, toFile: cert.pem })), 'USAGE');
    });
    for (const [name, make, code] of [
      ['expired', () => makeCertificate({ notBefore: daysFromNow(-90), notAfter: daysFromNow(-1) }), 'CERTIFICATE_EXPIRED'],
      ['not yet valid', () => makeCertificate({ notBefore: daysFromNow(1), notAfter: daysFromNow(90) }), 'CERTIFICATE_NOT_YET_VALID'],
      ['client-only EKU', () => makeCertificate({ eku: 'client' }), 'CERTIFICATE_NOT_FOR_SERVER_AUTH'],
    ] as const) {
      it(`refuses ${name === 'expired' ? 'an' : 'a'} ${name} certificate with ${code}, writing nothing; --force binds it and says so`, async () => {
        const cert = make();
        const config = writeRenewalConfig();
        const bytes = readBytes(config);
        assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', from: OLD, toFile: cert.pem })), code);
        assert.deepEqual(readBytes(config), bytes);
        const forced = await rotateFtpsCertificate({ config, backend: 'xml', from: OLD, toFile: cert.pem, force: true });
        assert.deepEqual(forced.check.overridden.map((p) => p.code), [code]);
        assert.equal(forced.written, true);
      });
    }
    it('refuses a file that is not a certificate with CERTIFICATE_FILE_INVALID', async () => {
      const config = writeRenewalConfig();
      assert.equal(await codeOf(() => rotateFtpsCertificate({ config, backend: 'xml', from: OLD, toFile: config })), 'CERTIFICATE_FILE_INVALID');
    });
  });

  describe('live store (a test double of findCertificate)', () => {
    let good: TestCertificate;
    before(() => (good = makeCertificate()));

    it('consults no store for a configuration file (--config): the file may be a copy for another machine', async () => {
      const config = writeRenewalConfig();
      const backend = CertificateStoreDouble.open(config);
      const r = await rotateFtpsCertificate({ backend, config, from: OLD, to: good.facts.thumbprint });
      assert.deepEqual(backend.lookups, [], 'an empty store, never asked');
      assert.equal(r.check.checked, 'none');
      assert.equal(r.status, 'rotated');
      await backend.close();
    });

    it('finds NEW in the store, writes the store it is in, and checks it', async () => {
      const config = writeRenewalConfig();
      const backend = CertificateStoreDouble.open(config);
      backend.add(good.facts, 'WebHosting');
      const r = await rotateFtpsCertificate({ backend, from: OLD, to: good.facts.thumbprint.toLowerCase() });
      assert.equal(r.store, 'WebHosting');
      assert.equal(r.check.checked, 'store');
      assert.deepEqual(backend.lookups, [{ thumbprint: good.facts.thumbprint, storeName: undefined }]);
      assert.equal(backend.commits, 1);
      assert.equal((await hashOf(config, { siteDefaults: true })).store.value, 'WebHosting');
      await backend.close();
    });

    for (const [name, setUp, code] of [
      ['not in the store', (b: CertificateStoreDouble, c: TestCertificate) => void b.add(c.facts, 'Root'), 'CERTIFICATE_NOT_FOUND'],
      ['in another store than named', (b: CertificateStoreDouble, c: TestCertificate) => void b.add(c.facts, 'My'), 'CERTIFICATE_NOT_FOUND'],
      ['without a private key', (b: CertificateStoreDouble, c: TestCertificate) => void b.add(c.facts, 'WebHosting', false), 'CERTIFICATE_NO_PRIVATE_KEY'],
    ] as const) {
      it(`refuses a certificate ${name} with ${code}, nothing written`, async () => {
        const config = writeRenewalConfig();
        const bytes = readBytes(config);
        const backend = CertificateStoreDouble.open(config);
        setUp(backend, good);
        const storeName = name === 'in another store than named' ? 'WebHosting' : undefined;
        assert.equal(await codeOf(() => rotateFtpsCertificate({ backend, from: OLD, to: good.facts.thumbprint, ...(storeName ? { storeName } : {}) })), code);
        assert.equal(backend.commits, 0);
        assert.deepEqual(readBytes(config), bytes);
        const forced = await rotateFtpsCertificate({ backend, from: OLD, to: good.facts.thumbprint, storeName: 'WebHosting', force: true });
        assert.deepEqual(forced.check.overridden.map((p) => p.code), [code]);
        assert.equal(backend.commits, 1);
        await backend.close();
      });
    }

    for (const [name, make, code] of [
      ['expired', () => makeCertificate({ notBefore: daysFromNow(-90), notAfter: daysFromNow(-1) }), 'CERTIFICATE_EXPIRED'],
      ['not yet valid', () => makeCertificate({ notBefore: daysFromNow(1), notAfter: daysFromNow(90) }), 'CERTIFICATE_NOT_YET_VALID'],
      ['client-only EKU', () => makeCertificate({ eku: 'client' }), 'CERTIFICATE_NOT_FOR_SERVER_AUTH'],
    ] as const) {
      it(`refuses ${name === 'expired' ? 'an' : 'a'} ${name} store certificate with ${code}, nothing written`, async () => {
        const cert = make();
        const config = writeRenewalConfig();
        const bytes = readBytes(config);
        const backend = CertificateStoreDouble.open(config);
        backend.add(cert.facts);
        assert.equal(await codeOf(() => rotateFtpsCertificate({ backend, from: OLD, to: cert.facts.thumbprint })), code);
        assert.equal(await codeOf(() => rotateFtpsCertificate({ backend, from: OLD, to: cert.facts.thumbprint, whatIf: true })), code);
        assert.equal(backend.commits, 0);
        assert.deepEqual(readBytes(config), bytes);
        await backend.close();
      });
    }
  });
});
