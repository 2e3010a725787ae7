import { strict as assert } from 'node:assert';
import { diagnose, ruleData, rules } from '../../src/doctor/rules.js';
import { findSetting } from '../../src/schema/index.js';
import type { EffectiveSettings } from '../../src/session/session.js';

/** Effective settings from setting name -> value (source site), anything else at its schema default. */
function settings(values: Record<string, unknown>, problems: Record<string, string> = {}): EffectiveSettings {
  const out: Record<string, Record<string, unknown>> = { sslClientCertificates: {}, ssl: {}, clientCertAuthentication: {} };
  for (const name of ['clientCertificatePolicy', 'validationFlags', 'revocationFreshnessTime', 'revocationUrlRetrievalTimeout', 'useActiveDirectoryMapping', 'controlChannelPolicy', 'dataChannelPolicy', 'serverCertHash', 'serverCertStoreName', 'ssl128', 'clientCertAuthentication']) {
    const def = findSetting(name)!;
    if (name in problems) out[def.element]![def.attribute] = { value: null, source: 'site', problem: problems[name] };
    else out[def.element]![def.attribute] = name in values ? { value: values[name], source: 'site' } : { value: def.def.default, source: 'default' };
  }
  return out as unknown as EffectiveSettings;
}

const HASH = '57686f6120447564652c2049495320526f636b73';

describe('doctor rules (data in src/doctor, the same for the CLI and the PowerShell module)', () => {
  it('names only settings the schema has', () => {
    for (const r of ruleData) for (const k of r.cases) for (const c of k.when) if ('setting' in c) assert.ok(findSetting(c.setting), `${r.id}: ${c.setting}`);
    // Every rule is data, the server certificate rules too (test/unit/doctor-certificates.test.ts).
    assert.deepEqual(rules.map((r) => r.id), ruleData.map((r) => r.id));
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length, 'rule ids are unique');
  });

  it('finds nothing wrong with the reference scenario', () => {
    const s = settings({ serverCertHash: HASH, clientCertificatePolicy: 'CertRequire', useActiveDirectoryMapping: true, clientCertAuthentication: true });
    assert.deepEqual(diagnose(s), []);
  });

  it('words every broken rule as the CLI prints it', () => {
    const cases: [Record<string, unknown>, Record<string, string>, Record<string, string>][] = [
      [{ clientCertAuthentication: true }, {}, {
        'cca-needs-server-certificate': 'clientCertAuthentication is enabled but no serverCertHash is bound, so TLS is off; set --server-cert-hash',
        'cca-needs-client-certificates': 'clientCertAuthentication is enabled but clientCertificatePolicy is CertIgnore, so no certificate is ever negotiated; set CertRequire or CertAllow',
        'cca-needs-ad-mapping': 'clientCertAuthentication is enabled but useActiveDirectoryMapping is false, so certificates map to no account; set --use-active-directory-mapping true',
      }],
      [{ clientCertAuthentication: true, dataChannelPolicy: 'SslDeny', serverCertHash: HASH, clientCertificatePolicy: 'CertAllow', useActiveDirectoryMapping: true }, {}, {
        'cca-needs-tls-channels': 'clientCertAuthentication is enabled but dataChannelPolicy is SslDeny, which forbids TLS on the data channel; set SslRequire or SslAllow',
      }],
      [{ validationFlags: ['NoRevocationCheck', 'CertNoUsageCheck'], clientCertificatePolicy: 'CertAllow' }, {}, {
        'no-revocation-check': 'validationFlags includes NoRevocationCheck, so revoked client certificates are accepted; Microsoft advises against it',
        'client-certificates-without-tls': 'clientCertificatePolicy is CertAllow but no serverCertHash is bound, so TLS (and with it any client certificate) is off',
      }],
      [{ clientCertificatePolicy: 'CertRequire', controlChannelPolicy: 'SslAllow', serverCertHash: HASH }, {}, {
        'cert-require-with-optional-tls': 'clientCertificatePolicy is CertRequire but controlChannelPolicy is SslAllow, so a client that does not start TLS is never asked for a certificate; set SslRequire',
      }],
      [{ clientCertificatePolicy: 'CertRequire', controlChannelPolicy: 'SslAllow', serverCertHash: '' }, {}, {
        'client-certificates-without-tls': 'clientCertificatePolicy is CertRequire but no serverCertHash is bound, so TLS (and with it any client certificate) is off',
      }],
      [{}, { clientCertificatePolicy: 'stored value is invalid: "x" is not a value of this enum', ssl128: 'stored value is invalid: "y" is not a boolean' }, {
        'stored-value-invalid': 'sslClientCertificates.clientCertificatePolicy (site): stored value is invalid: "x" is not a value of this enum; ssl.ssl128 (site): stored value is invalid: "y" is not a boolean',
        'client-certificates-without-tls': 'clientCertificatePolicy is null but no serverCertHash is bound, so TLS (and with it any client certificate) is off',
      }],
    ];
    for (const [values, problems, expected] of cases) {
      // At siteDefaults, which the server certificate rules pass by: only the data rules speak.
      const found = Object.fromEntries(diagnose(settings(values, problems), { level: 'siteDefaults' }).map((f) => [f.rule, f.message]));
      assert.deepEqual(found, expected, JSON.stringify(values));
    }
  });
});
