import { strict as assert } from 'node:assert';
import { settings } from '../../src/schema/index.js';
import { settingInput, settingValuesSchema } from '../../src/index.js';

describe('the schema as zod schemas (built on demand)', () => {
  const policy = settings.find((s) => s.name === 'clientCertificatePolicy')!;

  it('an attribute schema gives the canonical value of an accepted input', () => {
    const r = settingInput(policy.def).safeParse('certrequire');
    assert.deepEqual(r, { success: true, data: 'CertRequire' });
    assert.equal(settingInput(policy.def), settingInput(policy.def), 'built once');
  });

  it('an attribute schema refuses with the reason and what is allowed', () => {
    const r = settingInput(policy.def).safeParse('CertMaybe');
    assert.equal(r.success, false);
    const issue = r.error!.issues[0] as { message: string; params?: { allowed?: readonly string[] } };
    assert.match(issue.message, /CertMaybe/);
    assert.deepEqual(issue.params?.allowed, ['CertIgnore (0)', 'CertAllow (1)', 'CertRequire (2)']);
  });

  it('settingValuesSchema takes settings by flat name and refuses unknown names', () => {
    assert.deepEqual(settingValuesSchema.parse({ ssl128: 'TRUE', clientCertificatePolicy: 2 }), { ssl128: true, clientCertificatePolicy: 'CertRequire' });
    assert.equal(settingValuesSchema.safeParse({ sslFoo: true }).success, false);
  });
});
