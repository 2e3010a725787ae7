import { strict as assert } from 'node:assert';
import { X509Certificate, createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { DerError, SERVER_AUTH_OID, CLIENT_AUTH_OID, decodeOid, extendedKeyUsages } from '../../src/certificates/der.js';
import { certificateDer, certificateFacts, readCertificateFile } from '../../src/certificates/file.js';
import { daysLeft, judgeCertificate } from '../../src/certificates/judge.js';
import { canonicalThumbprint } from '../../src/certificates/thumbprint.js';
import { IisFtpsError } from '../../src/errors/errors.js';
import { type TestCertificate, daysFromNow, makeCertificate } from '../support/certificates.js';
import { writeTemp } from '../support/fixture.js';

const der = (path: string): Buffer => readFileSync(path);
const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof IisFtpsError ? e.code : `not an IisFtpsError: ${(e as Error).message}`;
  }
  return 'no error';
};

describe('certificates', function () {
  this.timeout(60_000);
  let server: TestCertificate, client: TestCertificate, both: TestCertificate, none: TestCertificate;
  before(() => {
    server = makeCertificate({ eku: 'server' });
    client = makeCertificate({ eku: 'client' });
    both = makeCertificate({ eku: 'server+client' });
    none = makeCertificate({ eku: 'none' });
  });

  describe('DER: extended key usage', () => {
    it('reads the EKU OIDs of real certificates, and null where there is no EKU extension', () => {
      assert.deepEqual(extendedKeyUsages(der(server.der)), [SERVER_AUTH_OID]);
      assert.deepEqual(extendedKeyUsages(der(client.der)), [CLIENT_AUTH_OID]);
      assert.deepEqual(extendedKeyUsages(der(both.der)), [SERVER_AUTH_OID, CLIENT_AUTH_OID]);
      assert.equal(extendedKeyUsages(der(none.der)), null);
    });
    it('agrees with node:crypto where node reports EKUs', () => {
      for (const c of [server, client, both]) {
        const x = new X509Certificate(der(c.der)) as X509Certificate & { keyUsage?: string[] };
        if (x.keyUsage !== undefined) assert.deepEqual([...extendedKeyUsages(der(c.der))!].sort(), [...x.keyUsage].sort());
      }
    });
    it('decodes OIDs, including multi-byte arcs', () => {
      // 2.5.29.37 = 55 1d 25; 1.3.6.1.5.5.7.3.1 = 2b 06 01 05 05 07 03 01; 1.2.840.113549 = 2a 86 48 86 f7 0d
      assert.equal(decodeOid(Uint8Array.from([0x55, 0x1d, 0x25]), 0, 3), '2.5.29.37');
      assert.equal(decodeOid(Uint8Array.from([0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]), 0, 8), SERVER_AUTH_OID);
      assert.equal(decodeOid(Uint8Array.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d]), 0, 6), '1.2.840.113549');
      assert.throws(() => decodeOid(Uint8Array.from([0x2a, 0x86]), 0, 2), DerError);
    });
    it('refuses what is not a certificate structure: truncated, trailing bytes, not a SEQUENCE, indefinite length', () => {
      const bytes = der(server.der);
      assert.throws(() => extendedKeyUsages(bytes.subarray(0, bytes.length - 10)), DerError);
      assert.throws(() => extendedKeyUsages(Buffer.concat([bytes, Buffer.from([0])])), DerError);
      assert.throws(() => extendedKeyUsages(Buffer.from([0x04, 0x01, 0x00])), DerError);
      assert.throws(() => extendedKeyUsages(Buffer.from([0x30, 0x80, 0x00, 0x00])), DerError);
      assert.throws(() => extendedKeyUsages(Buffer.from([0x30])), DerError);
    });
  });

  describe('certificate files', () => {
    it('gives the SHA-1 thumbprint Windows shows (the DER hash), the same from PEM and DER', () => {
      const expected = execFileSync('openssl', ['x509', '-in', server.pem, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' }).split('=')[1]!.trim().replace(/:/g, '');
      assert.equal(readCertificateFile(server.pem).thumbprint, expected);
      assert.equal(readCertificateFile(server.der).thumbprint, expected);
      assert.equal(readCertificateFile(server.der).thumbprint, createHash('sha1').update(der(server.der)).digest('hex').toUpperCase());
      assert.match(readCertificateFile(server.pem).subject, /CN=ftp\d+\.example\.net/);
    });
    it('takes the first certificate of a full-chain PEM', () => {
      const chain = writeTemp(readFileSync(server.pem, 'utf8') + readFileSync(client.pem, 'utf8'), 'fullchain.pem');
      assert.equal(readCertificateFile(chain).thumbprint, server.facts.thumbprint);
    });
    it('refuses a key file, garbage and a missing file with CERTIFICATE_FILE_INVALID', () => {
      const key = writeTemp('-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n', 'key.pem');
      assert.equal(codeOf(() => readCertificateFile(key)), 'CERTIFICATE_FILE_INVALID');
      assert.match((() => { try { readCertificateFile(key); } catch (e) { return (e as Error).message; } return ''; })(), /holds a private key/);
      assert.equal(codeOf(() => readCertificateFile(writeTemp('hello', 'x.cer'))), 'CERTIFICATE_FILE_INVALID');
      assert.equal(codeOf(() => readCertificateFile(writeTemp(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01]), 'x.cer'))), 'CERTIFICATE_FILE_INVALID');
      assert.equal(codeOf(() => readCertificateFile('/nonexistent/cert.cer')), 'CERTIFICATE_FILE_INVALID');
      assert.equal(codeOf(() => certificateFacts(certificateDer(Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')))), 'CERTIFICATE_FILE_INVALID');
    });
  });

  describe('judging a certificate', () => {
    let ok: TestCertificate['facts'];
    before(() => (ok = { ...server.facts, hasPrivateKey: true }));
    it('passes a valid server certificate, one with no EKU, and one with server and client EKUs', () => {
      assert.deepEqual(judgeCertificate(ok), []);
      assert.deepEqual(judgeCertificate({ ...none.facts, hasPrivateKey: true }), []);
      assert.deepEqual(judgeCertificate(both.facts), []);
      assert.deepEqual(judgeCertificate({ ...ok, enhancedKeyUsages: ['2.5.29.37.0'] }), []);
    });
    it('refuses each problem with its own code', () => {
      const codes = (c: Parameters<typeof judgeCertificate>[0], now?: Date) => judgeCertificate(c, now).map((p) => p.code);
      assert.deepEqual(codes({ ...ok, hasPrivateKey: false }), ['CERTIFICATE_NO_PRIVATE_KEY']);
      assert.deepEqual(codes(makeCertificate({ notBefore: daysFromNow(-60), notAfter: daysFromNow(-1) }).facts), ['CERTIFICATE_EXPIRED']);
      assert.deepEqual(codes(makeCertificate({ notBefore: daysFromNow(2), notAfter: daysFromNow(90) }).facts), ['CERTIFICATE_NOT_YET_VALID']);
      assert.deepEqual(codes(client.facts), ['CERTIFICATE_NOT_FOR_SERVER_AUTH']);
      assert.deepEqual(codes({ ...ok, enhancedKeyUsages: [] }), ['CERTIFICATE_NOT_FOR_SERVER_AUTH']);
      // the same certificate judged at another time
      assert.deepEqual(codes(ok, daysFromNow(400)), ['CERTIFICATE_EXPIRED']);
      assert.deepEqual(codes(ok, daysFromNow(-2)), ['CERTIFICATE_NOT_YET_VALID']);
      assert.deepEqual(codes({ ...client.facts, hasPrivateKey: false }, daysFromNow(400)), ['CERTIFICATE_NO_PRIVATE_KEY', 'CERTIFICATE_EXPIRED', 'CERTIFICATE_NOT_FOR_SERVER_AUTH']);
    });
    it('counts the days left', () => {
      assert.equal(daysLeft({ notAfter: '2030-01-31T00:00:00.000Z' }, new Date('2030-01-01T00:00:00Z')), 30);
      assert.equal(daysLeft({ notAfter: '2030-01-01T00:00:00.000Z' }, new Date('2030-01-02T00:00:00Z')), -1);
    });
  });

  describe('thumbprints', () => {
    it('cleans spaces and U+200E and writes upper case; refuses what is not 40 hex digits', () => {
      assert.equal(canonicalThumbprint('\u200e11 11 11 11 11 11 11 11 11 11 aa aa aa aa aa aa aa aa aa aa', 'from'), '11111111111111111111AAAAAAAAAAAAAAAAAAAA');
      assert.equal(codeOf(() => canonicalThumbprint('1234', 'from')), 'INVALID_VALUE');
      assert.equal(codeOf(() => canonicalThumbprint('g'.repeat(40), 'to')), 'INVALID_VALUE');
    });
  });
});
