import type { CertificateInfo } from '../backends/backend.js';
import { EXPIRY_WARNING_DAYS, daysLeft, judgeCertificate } from '../certificates/judge.js';
import type { EffectiveSettings } from '../session/session.js';

export type Severity = 'error' | 'warning';

/** What a rule may know besides the settings: which level it looks at, and the bound certificate as the store has it. */
export interface DoctorContext {
  /** The level checked (a site unless told otherwise). */
  readonly level?: 'site' | 'siteDefaults';
  /** False for a site without an ftp binding (a web-only site); FTP-only rules pass such a site by. */
  readonly ftp?: boolean;
  /**
   * The bound certificate (ssl.serverCertHash, in ssl.serverCertStoreName) as the machine's store
   * has it: null when it is not there; undefined when the store cannot be seen (offline).
   */
  readonly certificate?: CertificateInfo | null;
  /** The time certificate dates are judged at (default: now). */
  readonly now?: Date;
}

/** One rule of the doctor: the spec's dependency rules for client-certificate authentication, and advice. */
export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  /** A message when the rule is broken by these settings (in this context), else null. */
  check(s: EffectiveSettings, context: DoctorContext): string | null;
}

const v = (s: EffectiveSettings, element: keyof EffectiveSettings, attribute: string): unknown => s[element][attribute]?.value;
const ccaEnabled = (s: EffectiveSettings) => v(s, 'clientCertAuthentication', 'enabled') === true;
/** A site with an ftp binding (siteDefaults is no server of its own; a web-only site has no FTP to refuse). */
const ftpSite = (c: DoctorContext): boolean => c.level !== 'siteDefaults' && c.ftp !== false;

export const rules: readonly Rule[] = [
  {
    id: 'cca-needs-server-certificate',
    severity: 'error',
    description: 'Client-certificate authentication needs a server certificate (ssl.serverCertHash).',
    check: (s) => (ccaEnabled(s) && !v(s, 'ssl', 'serverCertHash') ? 'clientCertAuthentication is enabled but no serverCertHash is bound, so TLS is off; set --server-cert-hash' : null),
  },
  {
    id: 'cca-needs-client-certificates',
    severity: 'error',
    description: 'Client-certificate authentication needs clientCertificatePolicy CertAllow or CertRequire.',
    check: (s) => (ccaEnabled(s) && v(s, 'sslClientCertificates', 'clientCertificatePolicy') === 'CertIgnore' ? 'clientCertAuthentication is enabled but clientCertificatePolicy is CertIgnore, so no certificate is ever negotiated; set CertRequire or CertAllow' : null),
  },
  {
    id: 'cca-needs-ad-mapping',
    severity: 'error',
    description: 'Client-certificate authentication needs useActiveDirectoryMapping.',
    check: (s) => (ccaEnabled(s) && v(s, 'sslClientCertificates', 'useActiveDirectoryMapping') !== true ? 'clientCertAuthentication is enabled but useActiveDirectoryMapping is false, so certificates map to no account; set --use-active-directory-mapping true' : null),
  },
  {
    id: 'cca-needs-tls-channels',
    severity: 'error',
    description: 'Client-certificate authentication needs channels that allow TLS (dataChannelPolicy not SslDeny).',
    check: (s) => (ccaEnabled(s) && v(s, 'ssl', 'dataChannelPolicy') === 'SslDeny' ? 'clientCertAuthentication is enabled but dataChannelPolicy is SslDeny, which forbids TLS on the data channel; set SslRequire or SslAllow' : null),
  },
  {
    id: 'stored-value-invalid',
    severity: 'error',
    description: 'A stored value that IIS would not accept.',
    check: (s) => {
      const bad = Object.entries(s).flatMap(([el, attrs]) => Object.entries(attrs).filter(([, e]) => e.problem).map(([a, e]) => `${el}.${a} (${e.source}): ${e.problem}`));
      return bad.length ? bad.join('; ') : null;
    },
  },
  {
    id: 'no-revocation-check',
    severity: 'warning',
    description: 'validationFlags includes NoRevocationCheck: revoked client certificates are accepted.',
    check: (s) => ((v(s, 'sslClientCertificates', 'validationFlags') as string[] | null)?.includes('NoRevocationCheck') ? 'validationFlags includes NoRevocationCheck, so revoked client certificates are accepted; Microsoft advises against it' : null),
  },
  {
    id: 'client-certificates-without-tls',
    severity: 'warning',
    description: 'A clientCertificatePolicy other than CertIgnore does nothing without a server certificate.',
    check: (s) => (v(s, 'sslClientCertificates', 'clientCertificatePolicy') !== 'CertIgnore' && !v(s, 'ssl', 'serverCertHash') ? `clientCertificatePolicy is ${String(v(s, 'sslClientCertificates', 'clientCertificatePolicy'))} but no serverCertHash is bound, so TLS (and with it any client certificate) is off` : null),
  },
  {
    id: 'cert-require-with-optional-tls',
    severity: 'warning',
    description: 'CertRequire with controlChannelPolicy SslAllow: clients that skip TLS are never asked for a certificate.',
    check: (s) => (v(s, 'sslClientCertificates', 'clientCertificatePolicy') === 'CertRequire' && v(s, 'ssl', 'controlChannelPolicy') === 'SslAllow' && v(s, 'ssl', 'serverCertHash') ? 'clientCertificatePolicy is CertRequire but controlChannelPolicy is SslAllow, so a client that does not start TLS is never asked for a certificate; set SslRequire' : null),
  },

  // ---- Server certificate rules (certificate renewal) ------------------------------------
  // Sites without a certificate, and the bound certificate as the machine's store has it.
  // Kept together, apart from the client-certificate rules above.
  {
    id: 'tls-required-without-certificate',
    severity: 'error',
    description: 'A channel policy requires TLS but no server certificate (ssl.serverCertHash) is set or inherited: the FTP service refuses the clients.',
    check: (s, c) => {
      if (!ftpSite(c) || v(s, 'ssl', 'serverCertHash')) return null;
      const control = v(s, 'ssl', 'controlChannelPolicy');
      const data = v(s, 'ssl', 'dataChannelPolicy');
      if (control === 'SslRequire' || control === 'SslRequireCredentialsOnly') {
        return `no serverCertHash is set or inherited but controlChannelPolicy is ${String(control)}, so the FTP service refuses every client at login; bind a certificate with --server-cert-hash (or allow plain FTP with --control-channel-policy SslAllow)`;
      }
      if (data === 'SslRequire') {
        return 'no serverCertHash is set or inherited but dataChannelPolicy is SslRequire, so every listing and transfer is refused after login; bind a certificate with --server-cert-hash (or --data-channel-policy SslAllow)';
      }
      return null;
    },
  },
  {
    id: 'plain-ftp-without-certificate',
    severity: 'warning',
    description: 'No server certificate is bound and the control channel allows plain FTP: user names and passwords cross the network in clear text.',
    check: (s, c) => (ftpSite(c) && !v(s, 'ssl', 'serverCertHash') && v(s, 'ssl', 'controlChannelPolicy') === 'SslAllow' ? 'no serverCertHash is set or inherited and controlChannelPolicy is SslAllow, so user names and passwords cross the network in clear text; bind a certificate with --server-cert-hash' : null),
  },
  {
    id: 'server-certificate-not-in-store',
    severity: 'error',
    description: 'The bound server certificate is not in the machine certificate store it names (checked where the store can be seen: live IIS).',
    check: (s, c) => (c.certificate === null && v(s, 'ssl', 'serverCertHash') ? `serverCertHash ${String(v(s, 'ssl', 'serverCertHash'))} is not in LocalMachine\\${String(v(s, 'ssl', 'serverCertStoreName'))}, so TLS fails for every client; import the certificate there, or bind one that is (iis-ftps rotate-cert)` : null),
  },
  {
    id: 'server-certificate-unusable',
    severity: 'error',
    description: 'The bound server certificate cannot serve TLS: no private key, outside its validity period, or not for server authentication (checked where the store can be seen).',
    check: (s, c) => {
      if (!c.certificate || !v(s, 'ssl', 'serverCertHash')) return null;
      const problems = judgeCertificate(c.certificate, c.now);
      return problems.length ? `the server ${problems.map((p) => `${p.message} (${p.code})`).join('; ')}; renew it (iis-ftps rotate-cert)` : null;
    },
  },
  {
    id: 'server-certificate-expires-soon',
    severity: 'warning',
    description: `The bound server certificate ends within ${EXPIRY_WARNING_DAYS} days (checked where the store can be seen).`,
    check: (s, c) => {
      if (!c.certificate || !v(s, 'ssl', 'serverCertHash')) return null;
      const left = daysLeft(c.certificate, c.now);
      return left >= 0 && left < EXPIRY_WARNING_DAYS ? `the server certificate ${c.certificate.thumbprint} expires in ${left} day(s), on ${c.certificate.notAfter}; renew it and run iis-ftps rotate-cert` : null;
    },
  },
];

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export function diagnose(s: EffectiveSettings, context: DoctorContext = {}): Finding[] {
  return rules.flatMap((r) => {
    const message = r.check(s, context);
    return message === null ? [] : [{ rule: r.id, severity: r.severity, message }];
  });
}
