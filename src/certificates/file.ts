import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IisFtpsError } from '../errors/errors.js';
import { DerError, extendedKeyUsages } from './der.js';
import type { CertificateFacts } from './judge.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]*?)-----END CERTIFICATE-----/;

/**
 * The DER bytes of a certificate file's certificate: a DER file as it is, or the first
 * CERTIFICATE block of a PEM file (a full-chain PEM lists the server's own certificate first).
 * Pure: bytes in, bytes out.
 */
export function certificateDer(bytes: Uint8Array, name = 'the file'): Uint8Array {
  if (bytes.length > 0 && bytes[0] === 0x30) return bytes;
  const text = Buffer.from(bytes).toString('latin1');
  const m = PEM_BLOCK.exec(text);
  if (!m) {
    const hint = /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) ? ' (it holds a private key; give the certificate file, .cer/.crt/.pem)' : '';
    throw new IisFtpsError('CERTIFICATE_FILE_INVALID', `${name} is neither a DER certificate nor a PEM file with a "BEGIN CERTIFICATE" block${hint}`);
  }
  return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
}

/** Reads a certificate from its DER bytes: thumbprint (SHA-1 of the DER, as Windows computes it), subject, dates, EKU. */
export function certificateFacts(der: Uint8Array, name = 'the certificate'): CertificateFacts {
  let x509: X509Certificate;
  let ekus: string[] | null;
  try {
    x509 = new X509Certificate(der);
    ekus = extendedKeyUsages(der);
  } catch (e) {
    const why = e instanceof DerError ? e.message : (e as Error).message;
    throw new IisFtpsError('CERTIFICATE_FILE_INVALID', `${name} is not a readable X.509 certificate: ${why}`, {}, { cause: e });
  }
  return {
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    subject: x509.subject.split('\n').reverse().join(', '),
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    enhancedKeyUsages: ekus,
  };
}

/** A .cer, .crt or .pem file (DER or PEM) as certificate facts. Unreadable or not a certificate: CERTIFICATE_FILE_INVALID. */
export function readCertificateFile(path: string): CertificateFacts {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new IisFtpsError('CERTIFICATE_FILE_INVALID', `Cannot read the certificate file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {}, { cause: e });
  }
  return certificateFacts(certificateDer(bytes, path), path);
}
