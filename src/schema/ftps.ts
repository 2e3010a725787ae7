import { attr, element } from './attribute.js';

/**
 * The FTP TLS settings of a site or of `siteDefaults`, as IIS's schema defines them
 * (FTP 7.0 and later, unchanged through IIS 10.0). This object is the single source of truth:
 * codecs, validation, static types, CLI options and help, the PowerShell side and the docs'
 * tables all derive from it.
 */
export const ftpsSchema = {
  sslClientCertificates: element({
    path: ['ftpServer', 'security', 'sslClientCertificates'],
    description: 'How the FTP server asks for, validates and maps TLS client certificates.',
    attributes: {
      clientCertificatePolicy: attr.enum(
        { CertIgnore: 0, CertAllow: 1, CertRequire: 2 },
        'CertIgnore',
        'Whether clients must present a certificate: CertIgnore (not negotiated), CertAllow (accepted if sent, then must validate), CertRequire (no connection without a valid certificate).',
      ),
      validationFlags: attr.flags(
        { NoRevocationCheck: 1, CertChainRevocationCheckCacheOnly: 2, CertChainCacheOnlyUrlRetrieval: 4, CertNoUsageCheck: 8 },
        'Relaxations of client-certificate validation. NoRevocationCheck skips revocation checks (not recommended); CertNoUsageCheck skips the "Client Authentication" usage check.',
      ),
      revocationFreshnessTime: attr.timeSpan('00:00:00', 'How long a certificate revocation list stays valid.'),
      revocationUrlRetrievalTimeout: attr.timeSpan('00:01:00', 'Time-out for fetching revocation information.'),
      useActiveDirectoryMapping: attr.bool(
        false,
        'Map a client certificate to a domain account through Active Directory (used for logon only when clientCertAuthentication is enabled).',
      ),
    },
  }),
  ssl: element({
    path: ['ftpServer', 'security', 'ssl'],
    description: 'The server side of FTPS: the server certificate and which channels require TLS.',
    attributes: {
      controlChannelPolicy: attr.enum(
        { SslAllow: 0, SslRequire: 1, SslRequireCredentialsOnly: 2 },
        'SslRequire',
        'TLS on the control channel: SslAllow, SslRequire, or SslRequireCredentialsOnly (only USER/PASS must be under TLS).',
        { SslDeny: 'SslDeny exists for dataChannelPolicy only; TLS is off on the control channel when no serverCertHash is bound' },
      ),
      dataChannelPolicy: attr.enum(
        { SslAllow: 0, SslRequire: 1, SslDeny: 2 },
        'SslRequire',
        'TLS on the data channel: SslAllow, SslRequire, or SslDeny.',
        { SslRequireCredentialsOnly: 'SslRequireCredentialsOnly exists for controlChannelPolicy only' },
      ),
      serverCertHash: attr.thumbprint('Thumbprint of the server certificate: 40 hex digits (SHA-1). Spaces and invisible marks pasted from the certificate dialog are removed.'),
      serverCertStoreName: attr.string('MY', 'Certificate store that holds the server certificate.'),
      ssl128: attr.bool(false, 'Require 128-bit TLS.'),
    },
  }),
  clientCertAuthentication: element({
    path: ['ftpServer', 'security', 'authentication', 'clientCertAuthentication'],
    description: 'Log users on by their client certificate instead of USER/PASS.',
    attributes: {
      enabled: attr.bool(
        false,
        'Enable client-certificate authentication. Works only with a serverCertHash, channels that allow TLS, a clientCertificatePolicy other than CertIgnore, and useActiveDirectoryMapping.',
      ),
    },
    settingNames: { enabled: 'clientCertAuthentication' },
  }),
} as const;

export type FtpsSchema = typeof ftpsSchema;
