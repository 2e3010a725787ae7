import { strict as assert } from 'node:assert';
import { schemaDocument } from '../../scripts/build-schema.js';
import { settingsHelp } from '../../src/cli/help.js';
import { findSetting, settings, settingNames } from '../../src/schema/index.js';

/** The tables of ../shared/spec/ftp-tls-elements.md, restated: the schema must match them. */
const SPEC: [string, string, string, unknown, Record<string, number>?][] = [
  ['sslClientCertificates', 'clientCertificatePolicy', 'enum', 'CertIgnore', { CertIgnore: 0, CertAllow: 1, CertRequire: 2 }],
  ['sslClientCertificates', 'validationFlags', 'flags', [], { NoRevocationCheck: 1, CertChainRevocationCheckCacheOnly: 2, CertChainCacheOnlyUrlRetrieval: 4, CertNoUsageCheck: 8 }],
  ['sslClientCertificates', 'revocationFreshnessTime', 'timeSpan', '00:00:00'],
  ['sslClientCertificates', 'revocationUrlRetrievalTimeout', 'timeSpan', '00:01:00'],
  ['sslClientCertificates', 'useActiveDirectoryMapping', 'bool', false],
  ['ssl', 'controlChannelPolicy', 'enum', 'SslRequire', { SslAllow: 0, SslRequire: 1, SslRequireCredentialsOnly: 2 }],
  ['ssl', 'dataChannelPolicy', 'enum', 'SslRequire', { SslAllow: 0, SslRequire: 1, SslDeny: 2 }],
  ['ssl', 'serverCertHash', 'string', null],
  ['ssl', 'serverCertStoreName', 'string', 'MY'],
  ['ssl', 'ssl128', 'bool', false],
  ['clientCertAuthentication', 'enabled', 'bool', false],
];

describe('schema', () => {
  it('has exactly the attributes of the spec, in its order', () => {
    assert.deepEqual(settings.map((s) => [s.element, s.attribute]), SPEC.map(([e, a]) => [e, a]));
  });
  for (const [element, attribute, type, def, numbers] of SPEC) {
    it(`${element}.${attribute}: ${type}, default ${JSON.stringify(def)}`, () => {
      const s = settings.find((x) => x.element === element && x.attribute === attribute)!;
      assert.equal(s.def.type, type);
      assert.deepEqual(s.def.default, def);
      if (numbers) {
        assert.deepEqual(s.def.names, Object.keys(numbers));
        for (const [name, n] of Object.entries(numbers)) assert.equal(s.def.codec.toNumber!((type === 'flags' ? [name] : name) as never), n);
      }
    });
  }
  it('puts the elements where IIS has them', () => {
    assert.deepEqual(findSetting('clientCertificatePolicy')!.path, ['ftpServer', 'security', 'sslClientCertificates']);
    assert.deepEqual(findSetting('ssl128')!.path, ['ftpServer', 'security', 'ssl']);
    assert.deepEqual(findSetting('clientCertAuthentication')!.path, ['ftpServer', 'security', 'authentication', 'clientCertAuthentication']);
  });
  it('names settings uniquely and derives one CLI option from each', () => {
    assert.equal(new Set(settingNames).size, settingNames.length);
    assert.deepEqual(settings.map((s) => s.option), [
      'client-certificate-policy', 'validation-flags', 'revocation-freshness-time', 'revocation-url-retrieval-timeout',
      'use-active-directory-mapping', 'control-channel-policy', 'data-channel-policy', 'server-cert-hash',
      'server-cert-store-name', 'ssl128', 'client-cert-authentication',
    ]);
  });
  it('finds a setting by name in any case, by option, and by element.attribute', () => {
    assert.equal(findSetting('CLIENTCERTIFICATEPOLICY')!.name, 'clientCertificatePolicy');
    assert.equal(findSetting('--use-active-directory-mapping')!.name, 'useActiveDirectoryMapping');
    assert.equal(findSetting('clientCertAuthentication.enabled')!.name, 'clientCertAuthentication');
    assert.equal(findSetting('enabledd'), undefined);
  });
  it('says how each value is written in a format field: the thumbprint, else the XML type', () => {
    assert.deepEqual(settings.filter((s) => s.def.format !== s.def.type).map((s) => [s.name, s.def.format]), [['serverCertHash', 'thumbprint']]);
  });
  it('help and the module schema read the format, not a setting name', () => {
    const help = settingsHelp().split(/\n(?=  --)/);
    const block = (option: string) => help.find((b) => b.startsWith(`  --${option} `))!;
    assert.match(block('server-cert-hash'), /ssl\.serverCertHash: 40 hex digits\./);
    assert.match(block('server-cert-store-name'), /ssl\.serverCertStoreName: text\./);
    const doc = schemaDocument() as { settings: { name: string; format: string }[] };
    assert.deepEqual(doc.settings.map((s) => s.format), settings.map((s) => s.def.format));
  });
});
