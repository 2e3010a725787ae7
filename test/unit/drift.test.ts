import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { applyFtpsState } from '../../src/api/apply.js';
import { testFtpsState } from '../../src/api/drift.js';
import { run } from '../../src/cli/run.js';
import { copyFixture, mtimeOf, readBytes, writeTemp } from '../support/fixture.js';

async function cli(args: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), ...(stdin === undefined ? {} : { stdin: () => stdin }) });
  return { code, out, err };
}

// The fixture: siteDefaults sets revocationFreshnessTime 01:00:00; "Partner Exchange" (id 3) sets
// clientCertificatePolicy CertAllow and revocationUrlRetrievalTimeout 00:00:30.
const DESIRED = {
  siteDefaults: { validationFlags: [] },
  sites: { 'Partner Exchange': { revocationUrlRetrievalTimeout: null, clientCertificatePolicy: 'certrequire', revocationFreshnessTime: '01:00:00' } },
};

describe('drift: testFtpsState and iis-ftps test', () => {
  it('lists each named setting whose level does not set it as desired, in schema order, and writes nothing', async () => {
    const config = copyFixture();
    const before = readBytes(config);
    const mtime = mtimeOf(config);
    const r = await testFtpsState({ config, desired: DESIRED });
    assert.equal(r.inDesiredState, false);
    assert.equal(r.checked, 4);
    assert.deepEqual(
      r.differences.map((d) => [d.target.level, d.target.name, d.setting, d.actual, d.desired]),
      [
        ['siteDefaults', null, 'validationFlags', null, []],
        ['site', 'Partner Exchange', 'clientCertificatePolicy', 'CertAllow', 'CertRequire'],
        // equal to what siteDefaults gives, but not set on the site: applying pins it
        ['site', 'Partner Exchange', 'revocationFreshnessTime', null, '01:00:00'],
        ['site', 'Partner Exchange', 'revocationUrlRetrievalTimeout', '00:00:30', null],
      ],
    );
    assert.deepEqual(readBytes(config), before);
    assert.equal(mtimeOf(config), mtime);
  });

  it('is in the desired state when every named setting is so', async () => {
    const config = copyFixture();
    const r = await testFtpsState({ config, desired: { sites: { 'partner exchange': { clientCertificatePolicy: 'CertAllow', revocationUrlRetrievalTimeout: '00:00:30', ssl128: null } } } });
    assert.deepEqual(r, { inDesiredState: true, checked: 3, differences: [] });
  });

  it('drifts in exactly the settings apply --what-if would change (property over generated desired states)', async () => {
    const config = copyFixture();
    const value = fc.constantFrom<unknown>(null, 'CertIgnore', 'CertAllow', 'CertRequire');
    const flags = fc.constantFrom<unknown>(null, [], ['NoRevocationCheck'], ['CertChainCacheOnlyUrlRetrieval']);
    const time = fc.constantFrom<unknown>(null, '00:00:30', '01:00:00');
    const level = fc.record({ clientCertificatePolicy: value, validationFlags: flags, revocationFreshnessTime: time, revocationUrlRetrievalTimeout: time }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(level, level, level, async (defaults, partner, drop) => {
        const desired = { siteDefaults: defaults, sites: { 'Partner Exchange': partner, 'Public Drop': drop } };
        const drift = await testFtpsState({ config, desired });
        const plan = await applyFtpsState({ config, desired, whatIf: true });
        const key = (t: { level: string; name: string | null }, s: string) => `${t.level}:${t.name}:${s}`;
        assert.deepEqual(drift.differences.map((d) => key(d.target, d.setting)).sort(), plan.changes.map((c) => key(c.target, c.setting)).sort());
        assert.equal(drift.inDesiredState, plan.changes.length === 0);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses an invalid desired state before reading, and a site that does not exist', async () => {
    const config = copyFixture();
    await assert.rejects(testFtpsState({ config, desired: { site: {} } }), { code: 'INVALID_DESIRED_STATE', message: /Invalid desired state at the document: .*Expected \{ "siteDefaults"/ });
    await assert.rejects(testFtpsState({ config, desired: { siteDefaults: { dataChannelPolicy: 'SslRequireCredentialsOnly' } } }), { code: 'INVALID_VALUE', message: /^siteDefaults: Invalid value for dataChannelPolicy/ });
    await assert.rejects(testFtpsState({ config: '/nonexistent/applicationHost.config', desired: { sites: { x: { nope: 1 } } } }), { code: 'UNKNOWN_SETTING' });
    await assert.rejects(testFtpsState({ config, desired: { sites: { 'No Such Site': { ssl128: true } } } }), { code: 'SITE_NOT_FOUND' });
  });

  describe('iis-ftps test', () => {
    it('exits 1 with one line per difference, then 0 after apply; --json gives the report', async () => {
      const config = copyFixture();
      const desired = writeTemp(JSON.stringify(DESIRED), 'desired.json');
      const r = await cli(['test', '--config', config, '--desired', desired]);
      assert.equal(r.code, 1, r.err);
      assert.match(r.out, /^site "Partner Exchange" \(id 3\): clientCertificatePolicy is CertAllow, should be CertRequire$/m);
      assert.match(r.out, /revocationUrlRetrievalTimeout is 00:00:30, should be \(inherit\)/);
      assert.match(r.out, /Not in the desired state: 4 of 4 setting\(s\) differ/);
      const j = await cli(['test', '--config', config, '--desired', '-', '--json'], JSON.stringify(DESIRED));
      assert.equal(j.code, 1);
      const report = JSON.parse(j.out) as { inDesiredState: boolean; differences: { setting: string; target: { id: number | null } }[] };
      assert.equal(report.inDesiredState, false);
      assert.deepEqual(report.differences.map((d) => d.setting), ['validationFlags', 'clientCertificatePolicy', 'revocationFreshnessTime', 'revocationUrlRetrievalTimeout']);
      assert.equal((await cli(['apply', '--config', config, '--desired', desired])).code, 0);
      const after = await cli(['test', '--config', config, '--desired', desired]);
      assert.equal(after.code, 0, after.out);
      assert.match(after.out, /In the desired state: all 4 setting\(s\) it names are so/);
    });

    it('exits 2 on a usage error or an invalid document, naming what is allowed', async () => {
      const config = copyFixture();
      const none = await cli(['test', '--config', config]);
      assert.equal(none.code, 2);
      assert.match(none.err, /test needs --desired FILE\.json/);
      const site = await cli(['test', '--config', config, '--desired', '-', '--site', 'x'], '{}');
      assert.equal(site.code, 2);
      assert.match(site.err, /--site does not go with 'test'/);
      const bad = await cli(['test', '--config', config, '--desired', '-'], '{"sites": 3}');
      assert.equal(bad.code, 2);
      assert.match(bad.err, /INVALID_DESIRED_STATE/);
      assert.match((await cli(['help', 'test'])).out, /exactly those 'apply' with the same file would change/);
      assert.match((await cli(['--help'])).out, /iis-ftps test +\[--config FILE\] --desired FILE\.json/);
    });
  });
});
