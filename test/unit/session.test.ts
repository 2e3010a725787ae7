import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { XmlBackend } from '../../src/backends/xml/index.js';
import { expectError } from '../support/expect.js';
import { REFERENCE_SETTINGS } from '../support/changes.js';
import { FtpsSession } from '../../src/session/session.js';
import { applyFtpsState, getFtpsSetting, getFtpsSettings, resetFtpsSetting, setFtpsSetting, testFtpsSetting } from '../../src/index.js';
import { generateConfig } from '../../bench/generate.js';
import { FIXTURE, copyFixture, mtimeOf, readBytes, readText, writeTemp } from '../support/fixture.js';

describe('session', () => {
  it('says where each effective value comes from: site, siteDefaults or default', async () => {
    const s = await FtpsSession.open(new XmlBackend({ path: FIXTURE }), { targets: [{ site: 'Partner Exchange' }] });
    const { settings } = s.get({ site: 'partner exchange' });
    assert.deepEqual(settings.sslClientCertificates['clientCertificatePolicy'], { value: 'CertAllow', source: 'site' });
    assert.deepEqual(settings.sslClientCertificates['validationFlags'], { value: ['CertChainCacheOnlyUrlRetrieval'], source: 'site' });
    assert.deepEqual(settings.sslClientCertificates['revocationFreshnessTime'], { value: '01:00:00', source: 'siteDefaults' });
    assert.deepEqual(settings.sslClientCertificates['revocationUrlRetrievalTimeout'], { value: '00:00:30', source: 'site' });
    assert.deepEqual(settings.ssl['serverCertStoreName'], { value: 'MY', source: 'default' });
    assert.deepEqual(settings.clientCertAuthentication['enabled'], { value: false, source: 'default' });
  });

  it('shows staged changes in reads before the commit, like ServerManager', async () => {
    const s = await FtpsSession.open(new XmlBackend({ path: FIXTURE }), { targets: [{ site: 'Public Drop' }, { siteDefaults: true }] });
    s.set({ siteDefaults: true }, { ssl128: true });
    assert.deepEqual(s.get({ site: 'Public Drop' }).settings.ssl['ssl128'], { value: true, source: 'siteDefaults' });
    s.dispose();
  });

  it('stages nothing for a value already set so at that level, but pins a value equal to the inherited one', async () => {
    const s = await FtpsSession.open(new XmlBackend({ path: FIXTURE }), { targets: [{ site: 'Partner Exchange' }] });
    s.set({ site: 'Partner Exchange' }, { clientCertificatePolicy: 'certallow', validationFlags: 4 });
    assert.equal(s.pendingChanges.length, 0);
    s.set({ site: 'Partner Exchange' }, { useActiveDirectoryMapping: false });
    assert.deepEqual(s.pendingChanges.map((c) => [c.setting, c.old, c.new]), [['useActiveDirectoryMapping', null, false]]);
    assert.deepEqual(s.changeSet.changes.map((c) => [c.attribute, c.value]), [['useActiveDirectoryMapping', 'false']]);
  });

  it('refuses an invalid value before staging anything from the same call', async () => {
    const s = await FtpsSession.open(new XmlBackend({ path: FIXTURE }), { targets: [{ site: 'Partner Exchange' }] });
    await expectError(() => s.set({ site: 'Partner Exchange' }, { ssl128: true, revocationFreshnessTime: '-01:00:00' }), 'INVALID_VALUE', /revocationFreshnessTime/);
    assert.equal(s.pendingChanges.length, 0);
  });

  it('commits every staged change across sites and levels in one write', async () => {
    const path = copyFixture();
    const s = await FtpsSession.open(new XmlBackend({ path }), { targets: [{ site: 'Public Drop' }, { siteId: 3 }, { siteDefaults: true }] });
    s.set({ site: 'Public Drop' }, { clientCertificatePolicy: 'CertRequire' });
    s.set({ siteId: 3 }, { dataChannelPolicy: 'SslAllow' });
    s.reset({ siteDefaults: true }, ['revocationFreshnessTime']);
    const r = await s.commitChanges();
    assert.equal(r.written, true);
    const text = readText(path);
    assert.match(text, /<sslClientCertificates clientCertificatePolicy="CertRequire" \/>/);
    assert.match(text, /dataChannelPolicy="SslAllow"/);
    assert.doesNotMatch(text, /revocationFreshnessTime/);
    await expectError(() => s.set({ site: 'Public Drop' }, { ssl128: true }), 'SESSION_CLOSED');
  });

  it('writes nothing when disposed without a commit', async () => {
    const path = copyFixture();
    const before = readBytes(path);
    const s = await FtpsSession.open(new XmlBackend({ path }), { targets: [{ site: 'Public Drop' }] });
    s.set({ site: 'Public Drop' }, { clientCertificatePolicy: 'CertRequire' });
    s.dispose();
    await expectError(() => s.commitChanges(), 'SESSION_CLOSED');
    assert.deepEqual(readBytes(path), before);
  });

  it('refuses to commit when the file changed after it was read', async () => {
    const path = copyFixture();
    const s = await FtpsSession.open(new XmlBackend({ path }), { targets: [{ site: 'Public Drop' }] });
    s.set({ site: 'Public Drop' }, { clientCertificatePolicy: 'CertRequire' });
    writeFileSync(path, readText(path).replace('D:\\ftp\\public', 'E:\\ftp\\public'));
    const changed = readBytes(path);
    await expectError(s.commitChanges(), 'CONFLICT');
    assert.deepEqual(readBytes(path), changed);
  });

  it('reports a stored value it cannot read instead of failing the whole read', async () => {
    const path = copyFixture();
    writeFileSync(path, readText(path).replace('clientCertificatePolicy="CertAllow"', 'clientCertificatePolicy="CertMaybe"'));
    const r = await getFtpsSetting({ config: path, site: 'Partner Exchange' });
    const e = r.settings.sslClientCertificates['clientCertificatePolicy']!;
    assert.equal(e.value, null);
    assert.equal(e.source, 'site');
    assert.match(e.problem!, /CertMaybe/);
  });

  it('reads the same stored text the same way on every site that holds it, and gives each site a list (flags) of its own', async () => {
    // Stored values repeat across sites: a lenient spelling, an invalid one, the canonical one.
    const texts = ['certrequire', 'CertMaybe', 'CertAllow'];
    let n = 0;
    const written: string[] = [];
    const text = generateConfig({ sites: 300, seed: 3 }).text.replace(/clientCertificatePolicy="[^"]*"/g, () => {
      const t = texts[n++ % texts.length]!;
      written.push(t);
      return `clientCertificatePolicy="${t}"`;
    });
    const path = writeTemp(text);
    const reports = (await getFtpsSettings({ config: path, allFtpSites: true })).filter((r) => r.settings.sslClientCertificates['clientCertificatePolicy']!.source === 'site');
    assert.equal(reports.length, written.length, 'every site that sets the policy is read');
    reports.forEach((r, i) => {
      const e = r.settings.sslClientCertificates['clientCertificatePolicy']!;
      if (written[i] === 'CertMaybe') {
        assert.equal(e.value, null);
        assert.match(e.problem!, /"CertMaybe" is not a value/);
      } else assert.equal(e.value, written[i] === 'certrequire' ? 'CertRequire' : 'CertAllow', `site ${r.target.name}`);
    });
    const lists = reports.map((r) => r.settings.sslClientCertificates['validationFlags']!).filter((e) => e.source === 'site' && Array.isArray(e.value) && (e.value as unknown[]).length > 0);
    const first = lists[0] as { value: string[] } | undefined;
    const b = lists.slice(1).find((e) => JSON.stringify(e.value) === JSON.stringify(first?.value)) as { value: string[] } | undefined;
    assert.ok(first && b, 'two sites that store the same flags');
    const a = first;
    assert.notEqual(a.value, b.value, 'one list each');
    a.value.push('changed by a caller');
    assert.ok(!b.value.includes('changed by a caller'));
  });
});

describe('cmdlet-style API', () => {
  it('sets the reference scenario in one commit and reads it back', async () => {
    const path = copyFixture();
    const r = await setFtpsSetting({
      config: path,
      site: 'Public Drop',
      settings: REFERENCE_SETTINGS,
    });
    assert.equal(r.written, true);
    assert.equal(r.changes.length, 6);
    const got = await getFtpsSetting({ config: path, site: 'Public Drop' });
    assert.deepEqual(got.settings.ssl['controlChannelPolicy'], { value: 'SslRequire', source: 'site' });
    assert.deepEqual(got.settings.clientCertAuthentication['enabled'], { value: true, source: 'site' });
    const doctor = await testFtpsSetting({ config: path, site: 'Public Drop' });
    assert.equal(doctor.ok, true, JSON.stringify(doctor));
  });

  it('validates input before touching the backend: a bad value against a missing file is INVALID_VALUE', async () => {
    await expectError(setFtpsSetting({ config: '/nonexistent.config', site: 'x', settings: { clientCertificatePolicy: 'Maybe' } }), 'INVALID_VALUE', /CertIgnore \(0\), CertAllow \(1\), CertRequire \(2\)/);
    await expectError(setFtpsSetting({ config: '/nonexistent.config', site: 'x', settings: { clientCertPolicy: 'CertRequire' } as never }), 'UNKNOWN_SETTING', /Did you mean clientCertificatePolicy/);
    await expectError(resetFtpsSetting({ config: '/nonexistent.config', site: 'x', settings: ['nope'] }), 'UNKNOWN_SETTING');
    await expectError(getFtpsSetting({ config: FIXTURE } as never), 'USAGE', /exactly one target/);
  });

  it('with whatIf, reports old -> new and a diff, and writes nothing', async () => {
    const path = copyFixture();
    const mtime = mtimeOf(path);
    const r = await setFtpsSetting({ config: path, site: 'Partner Exchange', settings: { clientCertificatePolicy: 'CertRequire' }, whatIf: true });
    assert.equal(r.written, false);
    assert.deepEqual(r.changes.map((c) => [c.old, c.new]), [['CertAllow', 'CertRequire']]);
    assert.match(r.diff!, /^-.*clientCertificatePolicy="CertAllow"/m);
    assert.match(r.diff!, /^\+.*clientCertificatePolicy="CertRequire"/m);
    assert.equal(mtimeOf(path), mtime);
  });

  it('resets a setting so it inherits again, naming the value it falls back to', async () => {
    const path = copyFixture();
    const r = await resetFtpsSetting({ config: path, site: 'Partner Exchange', settings: ['revocationUrlRetrievalTimeout'] });
    assert.deepEqual(r.changes.map((c) => [c.old, c.new, c.effective]), [['00:00:30', null, { value: '00:01:00', source: 'default' }]]);
    const again = await resetFtpsSetting({ config: path, site: 'Partner Exchange', settings: ['revocationUrlRetrievalTimeout'] });
    assert.equal(again.written, false);
  });

  it('applies a desired state once; the second run writes nothing', async () => {
    const path = copyFixture();
    const desired = {
      siteDefaults: { validationFlags: [], revocationFreshnessTime: null },
      sites: { 'partner exchange': { clientCertificatePolicy: 'CertRequire', validationFlags: null }, 'Public Drop': { ssl128: 'True' } },
    };
    const first = await applyFtpsState({ config: path, desired });
    assert.equal(first.written, true);
    assert.equal(first.changes.length, 5);
    const bytes = readBytes(path);
    const mtime = mtimeOf(path);
    const second = await applyFtpsState({ config: path, desired });
    assert.equal(second.written, false);
    assert.equal(second.changes.length, 0);
    assert.deepEqual(readBytes(path), bytes);
    assert.equal(mtimeOf(path), mtime);
  });

  it('refuses a desired state with an unknown key or a bad value, naming where', async () => {
    await expectError(applyFtpsState({ config: FIXTURE, desired: { site: {} } }), 'INVALID_DESIRED_STATE', /Unrecognized key/);
    await expectError(applyFtpsState({ config: FIXTURE, desired: { sites: { A: { ssl128: 'maybe' } } } }), 'INVALID_VALUE', /sites\["A"\]: Invalid value for ssl128/);
  });

  it('doctor finds every broken dependency of client-certificate authentication', async () => {
    const path = copyFixture();
    await setFtpsSetting({ config: path, site: 'Public Drop', settings: { clientCertAuthentication: true, dataChannelPolicy: 'SslDeny', validationFlags: 'NoRevocationCheck' } });
    const r = await testFtpsSetting({ config: path, site: 'Public Drop' });
    assert.equal(r.ok, false);
    assert.deepEqual(r.results[0]!.findings.map((f) => f.rule).sort(), [
      'cca-needs-ad-mapping', 'cca-needs-client-certificates', 'cca-needs-server-certificate', 'cca-needs-tls-channels', 'no-revocation-check',
      // no certificate, controlChannelPolicy SslRequire (the default): every client is refused at login
      'tls-required-without-certificate',
    ]);
  });

  it('doctor without a target checks siteDefaults and every FTP site', async () => {
    const r = await testFtpsSetting({ config: FIXTURE });
    assert.deepEqual(r.results.map((x) => x.target.name), [null, 'Public Drop', 'Partner Exchange', 'O\'Brien & Sons "Archive"']);
    // The two FTP sites without a certificate inherit SslRequire: broken, not "ok".
    assert.deepEqual(r.results.map((x) => x.findings.map((f) => f.rule)), [[], ['tls-required-without-certificate'], [], ['tls-required-without-certificate']]);
    assert.equal(r.ok, false);
  });
});
