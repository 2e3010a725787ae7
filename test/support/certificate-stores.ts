/**
 * Certificates made for a test with openssl, in a folder laid out as the engine's stand-in for the
 * machine's certificate stores (IIS_FTPS_CERT_STORE_DIR: one subfolder per store, .cer and .pfx
 * files in it; see src/engine/Certificates.cs).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './fixture.js';

export interface MadeCertificate {
  readonly thumbprint: string;
  readonly subject: string;
  readonly notBefore: string;
  readonly notAfter: string;
}

export interface CertificateStores {
  /** The folder to set IIS_FTPS_CERT_STORE_DIR to. */
  readonly root: string;
  /** In My, as a .pfx with its private key, EKU server authentication. */
  readonly server: MadeCertificate;
  /** In WebHosting, as a .cer (no private key), EKU client authentication and code signing. */
  readonly hosted: MadeCertificate;
  /** In My, as a .pfx with its key, without an EKU extension. */
  readonly anyPurpose: MadeCertificate;
  /** In My and in WebHosting (a .cer in My, a .pfx in WebHosting). */
  readonly both: MadeCertificate;
}

const iso = (date: string) => new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');

function make(dir: string, name: string, subject: string, eku: string | null): { pem: string; key: string; info: MadeCertificate } {
  const key = join(dir, `${name}.key`);
  const pem = join(dir, `${name}.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', pem, '-days', '30', '-subj', subject, '-config', '/dev/null', '-addext', 'basicConstraints=CA:FALSE', ...(eku ? ['-addext', `extendedKeyUsage=${eku}`] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OPENSSL_CONF: '/dev/null' },
  });
  const x = new X509Certificate(readFileSync(pem));
  return {
    pem,
    key,
    // The subject as Windows (and .NET's X509Certificate2.Subject) writes it: last RDN first, ", " between.
    info: { thumbprint: x.fingerprint.replace(/:/g, '').toUpperCase(), subject: x.subject.split('\n').reverse().join(', '), notBefore: iso(x.validFrom), notAfter: iso(x.validTo) },
  };
}

/** A .pfx without a password, encrypted with 3DES and a SHA-1 MAC: what Mono, the .NET Framework and .NET all read. */
function pfx(c: { pem: string; key: string }, out: string): void {
  execFileSync('openssl', ['pkcs12', '-export', '-in', c.pem, '-inkey', c.key, '-out', out, '-passout', 'pass:', '-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function cer(c: { pem: string }, out: string): void {
  execFileSync('openssl', ['x509', '-in', c.pem, '-outform', 'DER', '-out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Makes the certificates and lays out the stores. */
export function makeCertificateStores(): CertificateStores {
  const work = tempDir();
  const root = join(tempDir(), 'stores');
  const my = join(root, 'My');
  const hosting = join(root, 'WebHosting');
  mkdirSync(my, { recursive: true });
  mkdirSync(hosting, { recursive: true });
  mkdirSync(join(root, 'Root'), { recursive: true });
  const server = make(work, 'server', '/CN=ftp.example.net/O=iis-ftps tests', 'serverAuth');
  const hosted = make(work, 'hosted', '/CN=hosted.example.net', 'clientAuth,codeSigning');
  const anyPurpose = make(work, 'any', '/CN=any.example.net', null);
  const both = make(work, 'both', '/CN=both.example.net', 'serverAuth');
  pfx(server, join(my, 'server.pfx'));
  cer(hosted, join(hosting, 'hosted.cer'));
  pfx(anyPurpose, join(my, 'any.pfx'));
  cer(both, join(my, 'both.cer'));
  pfx(both, join(hosting, 'both.pfx'));
  writeFileSync(join(my, 'notes.txt'), 'not a certificate; the store ignores files of other kinds\n');
  return { root, server: server.info, hosted: hosted.info, anyPurpose: anyPurpose.info, both: both.info };
}
