import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { judgeCertificate } from '../../src/certificates/judge.js';
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
    { name: 'empty EKU, no key', facts: { ...good.facts, enhancedKeyUsages: [], hasPrivateKey: false } },
  ].map((c) => ({ ...c, problems: judgeCertificate(c.facts, now) }));
  const judge = join(dir, 'judge-cases.json');
  writeFileSync(judge, JSON.stringify(cases));
  return { IIS_FTPS_TEST_RENEWAL: renewal, IIS_FTPS_TEST_CERT_PEM: good.pem, IIS_FTPS_TEST_CERT_DER: good.der, IIS_FTPS_TEST_JUDGE_CASES: judge };
}
