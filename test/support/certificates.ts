/**
 * Certificates the tests make themselves, with openssl (`openssl ca -selfsign`, which sets any
 * validity period, so expired and not-yet-valid certificates are real ones): a P-256 key, a
 * self-signed certificate with the extended key usage asked for, in PEM and DER.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateDer, certificateFacts } from '../../src/certificates/file.js';
import type { CertificateFacts } from '../../src/certificates/judge.js';
import { tempDir } from './fixture.js';

export type Eku = 'server' | 'client' | 'server+client' | 'none';

export interface TestCertificate {
  readonly pem: string;
  readonly der: string;
  readonly facts: CertificateFacts;
}

const CA_CONFIG = `[ ca ]
default_ca = test
[ test ]
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
commonName = supplied
[ server ]
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
[ client ]
basicConstraints = CA:FALSE
extendedKeyUsage = clientAuth
[ server_client ]
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth, clientAuth
[ none ]
basicConstraints = CA:FALSE
`;

/** openssl's ca time format, YYYYMMDDHHMMSSZ. */
const caTime = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, 'Z');

const DAY = 86_400_000;
let counter = 0;

/**
 * A new certificate for `cn`, valid from `notBefore` to `notAfter` (default: yesterday to in a
 * year), with the EKU asked for (default Server Authentication).
 */
export function makeCertificate(options: { cn?: string; notBefore?: Date; notAfter?: Date; eku?: Eku } = {}): TestCertificate {
  const dir = tempDir();
  const cn = options.cn ?? `ftp${++counter}.example.net`;
  const notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY);
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  const run = (args: string[]) => {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      throw new Error(`openssl ${args[0]} failed: ${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message)}`);
    }
  };
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem']);
  run(['req', '-new', '-key', 'key.pem', '-subj', `/CN=${cn}`, '-out', 'req.csr']);
  run(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'key.pem', '-in', 'req.csr', '-out', 'cert.pem', '-notext', '-rand_serial',
    '-startdate', caTime(notBefore), '-enddate', caTime(notAfter), '-extensions', (options.eku ?? 'server').replace('+', '_')]);
  run(['x509', '-in', 'cert.pem', '-outform', 'DER', '-out', 'cert.cer']);
  const pem = join(dir, 'cert.pem');
  return { pem, der: join(dir, 'cert.cer'), facts: certificateFacts(certificateDer(readFileSync(pem))) };
}

export const daysFromNow = (n: number): Date => new Date(Date.now() + n * DAY);
