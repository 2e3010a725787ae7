import type { CertificateInfo } from '../contract/index.js';
import type { ErrorCode } from '../errors/errors.js';
import { ANY_EKU_OID, SERVER_AUTH_OID } from './der.js';

/**
 * What the checks need to know of a certificate: a CertificateInfo from a store, or what a
 * certificate file tells (a file says nothing of a private key, so `hasPrivateKey` may be absent).
 */
export interface CertificateFacts {
  /** 40 upper-case hex digits. */
  readonly thumbprint: string;
  readonly subject: string;
  /** ISO 8601. */
  readonly notBefore: string;
  readonly notAfter: string;
  /** Absent when not known (a certificate file). */
  readonly hasPrivateKey?: boolean;
  /** null: no EKU extension, usable for any purpose. */
  readonly enhancedKeyUsages: readonly string[] | null;
  /** The store it is in, when it came from one. */
  readonly store?: string;
}

export type CertificateProblemCode = Extract<ErrorCode, 'CERTIFICATE_NO_PRIVATE_KEY' | 'CERTIFICATE_EXPIRED' | 'CERTIFICATE_NOT_YET_VALID' | 'CERTIFICATE_NOT_FOR_SERVER_AUTH'>;

/** One reason a certificate cannot serve FTPS, with its error code. */
export interface CertificateProblem {
  readonly code: CertificateProblemCode;
  readonly message: string;
}

/** How many days before its end a bound certificate is reported as expiring soon. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 86_400_000;

/** A certificate as people read it in a message: its thumbprint and subject. */
export const describeCertificate = (c: Pick<CertificateFacts, 'thumbprint' | 'subject'>): string => `${c.thumbprint}${c.subject ? ` (${c.subject})` : ''}`;

/**
 * Judges whether a certificate can be an FTP server's certificate at `now`, the same way for a
 * store's CertificateInfo and for a certificate file: a private key (where known), within its
 * validity period, and usable for server authentication (Server Authentication EKU
 * 1.3.6.1.5.5.7.3.1, anyExtendedKeyUsage, or no EKU extension at all: RFC 5280 4.2.1.12, and
 * Schannel's server credential check). Returns every problem, in a fixed order; none = usable.
 */
export function judgeCertificate(c: CertificateFacts | CertificateInfo, now: Date = new Date()): CertificateProblem[] {
  const out: CertificateProblem[] = [];
  const who = describeCertificate(c);
  if (c.hasPrivateKey === false) {
    out.push({ code: 'CERTIFICATE_NO_PRIVATE_KEY', message: `certificate ${who}${c.store ? ` in LocalMachine\\${c.store}` : ''} has no private key, so the FTP service cannot use it for TLS; import it with its key (the .pfx)` });
  }
  const from = Date.parse(c.notBefore);
  const to = Date.parse(c.notAfter);
  if (Number.isFinite(to) && now.getTime() > to) {
    out.push({ code: 'CERTIFICATE_EXPIRED', message: `certificate ${who} expired on ${c.notAfter}; clients refuse it` });
  }
  if (Number.isFinite(from) && now.getTime() < from) {
    out.push({ code: 'CERTIFICATE_NOT_YET_VALID', message: `certificate ${who} is not valid before ${c.notBefore}; clients refuse it until then` });
  }
  const ekus = c.enhancedKeyUsages;
  if (ekus !== null && !ekus.includes(SERVER_AUTH_OID) && !ekus.includes(ANY_EKU_OID)) {
    out.push({
      code: 'CERTIFICATE_NOT_FOR_SERVER_AUTH',
      message: `certificate ${who} is not for server authentication: its enhanced key usage is ${ekus.length ? ekus.join(', ') : 'empty'}, without Server Authentication (${SERVER_AUTH_OID})`,
    });
  }
  return out;
}

/** Whole days from `now` until the certificate ends (negative once ended). */
export function daysLeft(c: Pick<CertificateFacts, 'notAfter'>, now: Date = new Date()): number {
  return Math.floor((Date.parse(c.notAfter) - now.getTime()) / DAY_MS);
}
