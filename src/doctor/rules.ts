import type { EffectiveSettings } from '../session/session.js';

export type Severity = 'error' | 'warning';

/** One rule of the doctor: the spec's dependency rules for client-certificate authentication, and advice. */
export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  readonly description: string;
  /** A message when the rule is broken by these settings, else null. */
  check(s: EffectiveSettings): string | null;
}

const v = (s: EffectiveSettings, element: keyof EffectiveSettings, attribute: string): unknown => s[element][attribute]?.value;
const ccaEnabled = (s: EffectiveSettings) => v(s, 'clientCertAuthentication', 'enabled') === true;

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
];

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly message: string;
}

export function diagnose(s: EffectiveSettings): Finding[] {
  return rules.flatMap((r) => {
    const message = r.check(s);
    return message === null ? [] : [{ rule: r.id, severity: r.severity, message }];
  });
}
