import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { judgeCertificate } from '../../src/certificates/judge.js';
import { diagnose } from '../../src/doctor/rules.js';
import { settings } from '../../src/schema/index.js';
import { daysFromNow, makeCertificate } from './certificates.js';
import { renewalConfig } from './renewal.js';

/**
 * What the certificate tests of the Pester suite need from this side: the renewal configuration,
 * a real certificate file, and cases for the PowerShell port of judgeCertificate with the
 * problems the TypeScript judge finds (code and message), so both must word them the same.
 */
export function certificateFixtures(dir: string): Record<string, string> {
  const renewal = join(dir, 'renewal.config');
  writeFileSync(renewal, renewalConfig());
  const good = makeCertificate({ cn: 'ftp.example.net' });
  const now = new Date();
  const cases = [
    { name: 'good', facts: { ...good.facts, store: 'My', hasPrivateKey: true } },
    { name: 'keyless', facts: { ...good.facts, store: 'WebHosting', hasPrivateKey: false } },
    (() => {
      const expired = makeCertificate({ notBefore: daysFromNow(-90), notAfter: daysFromNow(-1) });
      return { name: 'expired', file: expired.pem, facts: { ...expired.facts, store: 'My', hasPrivateKey: true } };
    })(),
    { name: 'not yet valid', facts: { ...makeCertificate({ notBefore: daysFromNow(1), notAfter: daysFromNow(90) }).facts, store: 'My', hasPrivateKey: true } },
    (() => {
      const clientOnly = makeCertificate({ eku: 'client' });
      return { name: 'client only', file: clientOnly.der, facts: { ...clientOnly.facts, store: 'My', hasPrivateKey: true } };
    })(),
    { name: 'no EKU', facts: { ...makeCertificate({ eku: 'none' }).facts, store: 'My', hasPrivateKey: true } },
    { name: 'empty EKU, no key', facts: { ...good.facts, store: 'My', enhancedKeyUsages: [], hasPrivateKey: false } },
    // Ten and a half days: the whole days left are 10 for twelve hours, however long the suite
    // takes between this judgement and the module's (the message names the count).
    { name: 'expires soon', facts: { ...makeCertificate({ notBefore: daysFromNow(-60), notAfter: daysFromNow(10.5) }).facts, store: 'My', hasPrivateKey: true } },
  ].map((c) => {
    // An FTP site bound to the certificate, and what the CLI's doctor finds there with the store's answer.
    const level = boundLevel(c.facts.thumbprint);
    return { ...c, problems: judgeCertificate(c.facts, now), level, findings: diagnose(level as never, { level: 'site', ftp: true, certificate: c.facts, now }) };
  });
  const judge = join(dir, 'judge-cases.json');
  writeFileSync(judge, JSON.stringify(cases));
  return { IIS_FTPS_TEST_RENEWAL: renewal, IIS_FTPS_TEST_CERT_PEM: good.pem, IIS_FTPS_TEST_CERT_DER: good.der, IIS_FTPS_TEST_JUDGE_CASES: judge };
}

/** Effective settings of an FTP site bound to a certificate (TLS required on both channels), the rest at the schema's defaults. */
function boundLevel(thumbprint: string): Record<string, Record<string, { value: unknown; source: string }>> {
  const values: Record<string, unknown> = { serverCertHash: thumbprint, serverCertStoreName: 'My', controlChannelPolicy: 'SslRequire', dataChannelPolicy: 'SslRequire' };
  const level: Record<string, Record<string, { value: unknown; source: string }>> = {};
  for (const s of settings) (level[s.element] ??= {})[s.attribute] = s.name in values ? { value: values[s.name], source: 'site' } : { value: s.def.default, source: 'default' };
  return level;
}
