import { strict as assert } from 'node:assert';
import { setFtpsSetting, testFtpsSetting } from '../../src/api/cmdlets.js';
import { diagnose } from '../../src/doctor/rules.js';
import { FtpsSession } from '../../src/session/session.js';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { CertificateStoreDouble } from '../doubles/certificate-store.js';
import { daysFromNow, makeCertificate } from '../support/certificates.js';
import { FIXTURE, copyFixture } from '../support/fixture.js';

/** The effective settings of Public Drop (no certificate, nothing set) with some values staged. */
async function settingsWith(values: Record<string, unknown>) {
  const s = await FtpsSession.open(new XmlBackend({ path: FIXTURE }), { targets: [{ site: 'Public Drop' }] });
  if (Object.keys(values).length) s.set({ site: 'Public Drop' }, values);
  const r = s.get({ site: 'Public Drop' }).settings;
  s.dispose();
  return r;
}
const rulesOf = (f: readonly { rule: string }[]) => f.map((x) => x.rule).sort();

describe('doctor: server certificate rules', function () {
  this.timeout(60_000);

  describe('sites without a certificate', () => {
    it('an error where a channel policy requires TLS: at login (control channel) or at the first transfer (data channel)', async () => {
      const control = diagnose(await settingsWith({}), { level: 'site', ftp: true });
      assert.deepEqual(rulesOf(control), ['tls-required-without-certificate']);
      assert.match(control[0]!.message, /refuses every client at login/);
      assert.deepEqual(rulesOf(diagnose(await settingsWith({ controlChannelPolicy: 'SslRequireCredentialsOnly', dataChannelPolicy: 'SslAllow' }), { ftp: true })), ['tls-required-without-certificate']);
      const data = diagnose(await settingsWith({ controlChannelPolicy: 'SslAllow' }), { ftp: true });
      assert.deepEqual(rulesOf(data), ['plain-ftp-without-certificate', 'tls-required-without-certificate']);
      assert.match(data.find((f) => f.rule === 'tls-required-without-certificate')!.message, /listing and transfer is refused/);
      assert.equal(data.find((f) => f.rule === 'tls-required-without-certificate')!.severity, 'error');
    });
    it('a warning where plain FTP is allowed: passwords in clear text', async () => {
      const f = diagnose(await settingsWith({ controlChannelPolicy: 'SslAllow', dataChannelPolicy: 'SslAllow' }), { ftp: true });
      assert.deepEqual(f.map((x) => [x.rule, x.severity]), [['plain-ftp-without-certificate', 'warning']]);
      assert.match(f[0]!.message, /clear text/);
    });
    it('neither on siteDefaults nor on a web-only site, nor once a certificate is bound', async () => {
      assert.deepEqual(diagnose(await settingsWith({}), { level: 'siteDefaults' }), []);
      assert.deepEqual(diagnose(await settingsWith({}), { level: 'site', ftp: false }), []);
      assert.deepEqual(diagnose(await settingsWith({ serverCertHash: 'ab'.repeat(20) }), { ftp: true }), []);
    });
  });

  describe('the bound certificate, where the store can be seen', () => {
    async function doctorWith(make: () => ReturnType<typeof makeCertificate> | null, options: { store?: string; key?: boolean; bindStore?: string } = {}) {
      const config = copyFixture();
      const cert = make();
      const hash = cert?.facts.thumbprint.toLowerCase() ?? '12'.repeat(20);
      await setFtpsSetting({ config, backend: 'xml', site: 'Public Drop', settings: { serverCertHash: hash, ...(options.bindStore ? { serverCertStoreName: options.bindStore } : {}) } });
      const backend = CertificateStoreDouble.open(config);
      if (cert) backend.add(cert.facts, options.store ?? 'My', options.key ?? true);
      const r = await testFtpsSetting({ backend, site: 'Public Drop' });
      const offline = await testFtpsSetting({ config, backend: 'xml', site: 'Public Drop' });
      assert.deepEqual(offline.results[0]!.findings, [], 'offline the store cannot be seen: no certificate findings');
      await backend.close();
      return { findings: r.results[0]!.findings, ok: r.ok, lookups: backend.lookups };
    }

    it('a good certificate is ok, looked up once in the store the site names', async () => {
      const r = await doctorWith(() => makeCertificate());
      assert.deepEqual(r.findings, []);
      assert.equal(r.ok, true);
      assert.deepEqual(r.lookups.map((l) => l.storeName), ['MY']);
    });
    it('a certificate not in the store, or in another store than named: an error', async () => {
      assert.deepEqual(rulesOf((await doctorWith(() => null)).findings), ['server-certificate-not-in-store']);
      const other = await doctorWith(() => makeCertificate(), { store: 'WebHosting' });
      assert.deepEqual(rulesOf(other.findings), ['server-certificate-not-in-store']);
      assert.match(other.findings[0]!.message, /LocalMachine\\MY/);
      assert.deepEqual((await doctorWith(() => makeCertificate(), { store: 'WebHosting', bindStore: 'WebHosting' })).findings, []);
    });
    for (const [name, make, key, code] of [
      ['expired', () => makeCertificate({ notBefore: daysFromNow(-100), notAfter: daysFromNow(-3) }), true, 'CERTIFICATE_EXPIRED'],
      ['not yet valid', () => makeCertificate({ notBefore: daysFromNow(3), notAfter: daysFromNow(100) }), true, 'CERTIFICATE_NOT_YET_VALID'],
      ['client-only', () => makeCertificate({ eku: 'client' }), true, 'CERTIFICATE_NOT_FOR_SERVER_AUTH'],
      ['keyless', () => makeCertificate(), false, 'CERTIFICATE_NO_PRIVATE_KEY'],
    ] as const) {
      it(`a ${name} certificate: server-certificate-unusable naming ${code}`, async () => {
        const r = await doctorWith(make, { key });
        assert.deepEqual(r.findings.map((f) => [f.rule, f.severity]), [['server-certificate-unusable', 'error']]);
        assert.match(r.findings[0]!.message, new RegExp(code));
        assert.equal(r.ok, false);
      });
    }
    it('a certificate that ends within 30 days: a warning, still ok', async () => {
      // Half a day off a day boundary, so the count does not depend on when the check runs.
      const r = await doctorWith(() => makeCertificate({ notAfter: daysFromNow(10.5) }));
      assert.deepEqual(r.findings.map((f) => [f.rule, f.severity]), [['server-certificate-expires-soon', 'warning']]);
      assert.match(r.findings[0]!.message, /expires in 10 day\(s\)/);
      assert.equal(r.ok, true);
      assert.deepEqual((await doctorWith(() => makeCertificate({ notAfter: daysFromNow(45) }))).findings, []);
    });
  });
});
