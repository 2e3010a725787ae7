/**
 * Just enough DER to read an X.509 certificate's extended key usage (RFC 5280 4.2.1.12), which
 * node:crypto's X509Certificate does not tell apart from "no extension" on every Node version.
 * Pure: bytes in, OIDs out; a malformed structure is an error, never a guess.
 *
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
 *   TBSCertificate ::= SEQUENCE { [0] version, serial, signature, issuer, validity, subject,
 *                                 subjectPublicKeyInfo, [1] issuerUID, [2] subjectUID, [3] extensions }
 *   Extensions ::= SEQUENCE OF Extension
 *   Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 *   ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId (an OID)
 */

/** id-ce-extKeyUsage. */
export const EKU_EXTENSION_OID = '2.5.29.37';
/** id-kp-serverAuth: TLS Web Server Authentication. */
export const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';
/** id-kp-clientAuth: TLS Web Client Authentication. */
export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';
/** anyExtendedKeyUsage. */
export const ANY_EKU_OID = '2.5.29.37.0';

export class DerError extends Error {
  override readonly name = 'DerError';
}

interface Tlv {
  readonly tag: number;
  /** Start of the contents. */
  readonly start: number;
  /** End of the contents (exclusive). */
  readonly end: number;
}

const TAG_SEQUENCE = 0x30;
const TAG_OID = 0x06;
const TAG_BOOLEAN = 0x01;
const TAG_OCTET_STRING = 0x04;
const TAG_EXTENSIONS = 0xa3;

/** One tag-length-value at `at`, inside `[at, limit)`. Only definite lengths (DER). */
function readTlv(der: Uint8Array, at: number, limit: number): Tlv {
  if (at + 2 > limit) throw new DerError(`truncated at byte ${at}`);
  const tag = der[at]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte tag at byte ${at}`);
  let len = der[at + 1]!;
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0) throw new DerError(`indefinite length at byte ${at} (not DER)`);
    if (n > 4) throw new DerError(`length of ${n} bytes at byte ${at}`);
    if (start + n > limit) throw new DerError(`truncated length at byte ${at}`);
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > limit) throw new DerError(`element at byte ${at} runs past its container (${len} bytes)`);
  return { tag, start, end };
}

/** The children of a constructed element. */
function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const t = readTlv(der, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}

function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) throw new DerError(`${what} is missing`);
  if (t.tag !== tag) throw new DerError(`${what} has tag 0x${t.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return t;
}

/** An OBJECT IDENTIFIER's contents in dotted form. */
export function decodeOid(der: Uint8Array, start: number, end: number): string {
  if (start >= end) throw new DerError('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  for (let i = start; i < end; i++) {
    const b = der[i]!;
    if (value === 0 && b === 0x80) throw new DerError('OBJECT IDENTIFIER arc with a leading 0x80 (not DER)');
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) throw new DerError('OBJECT IDENTIFIER arc too large');
    if (!(b & 0x80)) {
      arcs.push(value);
      value = 0;
    } else if (i === end - 1) throw new DerError('OBJECT IDENTIFIER ends inside an arc');
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/**
 * The extended key usage OIDs of a DER-encoded certificate, in the order listed, or null when
 * it has no EKU extension (usable for any purpose, as Windows and RFC 5280 treat it).
 * Throws DerError when the bytes are not a certificate's structure.
 */
export function extendedKeyUsages(der: Uint8Array): string[] | null {
  const cert = expect(readTlv(der, 0, der.length), TAG_SEQUENCE, 'Certificate');
  if (cert.end !== der.length) throw new DerError(`${der.length - cert.end} bytes after the certificate`);
  const tbs = expect(children(der, cert)[0], TAG_SEQUENCE, 'tbsCertificate');
  const extensions = children(der, tbs).find((t) => t.tag === TAG_EXTENSIONS);
  if (!extensions) return null;
  const list = expect(children(der, extensions)[0], TAG_SEQUENCE, 'Extensions');
  for (const ext of children(der, list)) {
    expect(ext, TAG_SEQUENCE, 'Extension');
    const [id, second, third] = children(der, ext);
    const oid = expect(id, TAG_OID, 'extnID');
    if (decodeOid(der, oid.start, oid.end) !== EKU_EXTENSION_OID) continue;
    const value = expect(second?.tag === TAG_BOOLEAN ? third : second, TAG_OCTET_STRING, 'extnValue');
    const inner = expect(readTlv(der, value.start, value.end), TAG_SEQUENCE, 'ExtKeyUsageSyntax');
    if (inner.end !== value.end) throw new DerError('bytes after ExtKeyUsageSyntax');
    return children(der, inner).map((p) => {
      expect(p, TAG_OID, 'KeyPurposeId');
      return decodeOid(der, p.start, p.end);
    });
  }
  return null;
}
