/**
 * A deterministic generator of realistic applicationHost.config files for a hosting provider's
 * IIS box: thousands of sites, most of them FTP, some web sites, some both. The text looks like
 * what IIS writes (CRLF, four-space indentation, the declaration first) with what hand edits
 * and provisioning scripts leave behind (comments between sites, escaped names, a few tabs).
 *
 * The same options always give the same text, byte for byte.
 */

export interface GenerateOptions {
  /** How many `<site>` elements. */
  readonly sites: number;
  /** Seed of the pseudo-random choices; the same seed gives the same file. */
  readonly seed?: number;
}

/** What the generator put in the file, for tests and the bench table. */
export interface GeneratedConfig {
  readonly text: string;
  readonly sites: number;
  /** Sites with at least one `ftp` binding. */
  readonly ftpSites: number;
  /** Sites with a full FTPS block (ssl, sslClientCertificates, clientCertAuthentication). */
  readonly fullFtps: number;
  /** The name of a site in the middle of the file (for single-site operations). */
  readonly middleSite: string;
}

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NL = '\r\n';
const POLICIES = ['CertIgnore', 'CertAllow', 'CertRequire'] as const;
const FLAGS = ['', 'CertChainCacheOnlyUrlRetrieval', 'NoRevocationCheck, CertNoUsageCheck'] as const;

/** The site name for number `n`: mostly host-like, now and then with characters that need escaping. */
export function siteName(n: number, kind: 'ftp' | 'web' | 'both'): string {
  const base = `${kind === 'web' ? 'www' : 'ftp'}-customer-${String(n).padStart(6, '0')}`;
  return n % 97 === 0 ? `${base} Smith & Sons` : n % 89 === 0 ? `${base} "Main"` : base;
}

const attr = (value: string): string => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function header(): string[] {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!--',
    '',
    '    Generated hosting configuration for the iis-ftps bench.',
    '',
    '-->',
    '',
    '<configuration>',
    '',
    '    <configSections>',
    '        <sectionGroup name="system.applicationHost">',
    '            <section name="applicationPools" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />',
    '            <section name="log" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />',
    '            <section name="sites" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />',
    '            <section name="webLimits" allowDefinition="AppHostOnly" overrideModeDefault="Deny" />',
    '        </sectionGroup>',
    '    </configSections>',
    '',
    '    <system.applicationHost>',
    '',
    '        <applicationPools>',
    '            <add name="DefaultAppPool" />',
    '            <add name="FtpPool" managedRuntimeVersion="" />',
    '            <applicationPoolDefaults managedRuntimeVersion="v4.0">',
    '                <processModel identityType="ApplicationPoolIdentity" />',
    '            </applicationPoolDefaults>',
    '        </applicationPools>',
    '',
    '        <log>',
    '            <centralBinaryLogFile enabled="true" directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />',
    '        </log>',
    '',
    '        <sites>',
    '            <siteDefaults>',
    '                <logFile logFormat="W3C" directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />',
    '                <traceFailedRequestsLogging directory="%SystemDrive%\\inetpub\\logs\\FailedReqLogFiles" />',
    '                <ftpServer>',
    '                    <security>',
    '                        <sslClientCertificates revocationFreshnessTime="01:00:00" />',
    '                    </security>',
    '                </ftpServer>',
    '            </siteDefaults>',
    '            <applicationDefaults applicationPool="DefaultAppPool" />',
    '            <virtualDirectoryDefaults allowSubDirConfig="true" />',
  ];
}

function footer(): string[] {
  return [
    '        </sites>',
    '',
    '        <webLimits />',
    '',
    '    </system.applicationHost>',
    '',
    '    <system.ftpServer>',
    '        <log centralLogFileMode="Central" />',
    '    </system.ftpServer>',
    '',
    '</configuration>',
    '',
  ];
}

function thumbprint(rand: () => number): string {
  let s = '';
  for (let i = 0; i < 40; i++) s += '0123456789abcdef'[Math.floor(rand() * 16)];
  return s;
}

/** Generates the configuration. Roughly 70% FTP-only sites, 20% web sites, 10% both. */
export function generateConfig(options: GenerateOptions): GeneratedConfig {
  const rand = prng(options.seed ?? 20240607);
  const lines = header();
  let ftpSites = 0;
  let fullFtps = 0;
  const middle = Math.floor(options.sites / 2);
  let middleSite = '';
  for (let i = 0; i < options.sites; i++) {
    const n = i + 1;
    const id = n + 1;
    const r = rand();
    const kind: 'ftp' | 'web' | 'both' = r < 0.7 ? 'ftp' : r < 0.9 ? 'web' : 'both';
    const name = siteName(n, kind);
    if (i === middle) middleSite = name;
    const hasFtp = kind !== 'web';
    if (hasFtp) ftpSites++;
    if (n % 250 === 0) lines.push(`            <!-- Customers ${n} to ${n + 249}: moved from the old server. -->`);
    lines.push(`            <site name="${attr(name)}" id="${id}"${hasFtp ? ' serverAutoStart="true"' : ''}>`);
    const pool = kind === 'ftp' ? 'FtpPool' : 'DefaultAppPool';
    lines.push(
      `                <application path="/" applicationPool="${pool}">`,
      `                    <virtualDirectory path="/" physicalPath="D:\\hosting\\${String(n).padStart(6, '0')}\\${kind === 'web' ? 'wwwroot' : 'ftproot'}" />`,
      '                </application>',
      '                <bindings>',
    );
    const host = `c${String(n).padStart(6, '0')}.hosting.example.net`;
    if (kind !== 'ftp') {
      lines.push(`                    <binding protocol="http" bindingInformation="*:80:www.${host}" />`);
      lines.push(`                    <binding protocol="https" bindingInformation="*:443:www.${host}" sslFlags="1" />`);
    }
    if (hasFtp) lines.push(`                    <binding protocol="ftp" bindingInformation="*:21:ftp.${host}" />`);
    lines.push('                </bindings>');
    if (hasFtp) {
      const shape = rand();
      if (shape < 0.35) {
        // A full FTPS block, as the reference scenario leaves it.
        fullFtps++;
        const policy = POLICIES[Math.floor(rand() * POLICIES.length)]!;
        const flags = FLAGS[Math.floor(rand() * FLAGS.length)]!;
        lines.push(
          '                <ftpServer>',
          '                    <security>',
          `                        <ssl serverCertHash="${thumbprint(rand)}" controlChannelPolicy="SslRequire" dataChannelPolicy="SslRequire" />`,
          `                        <sslClientCertificates clientCertificatePolicy="${policy}"${flags ? ` validationFlags="${flags}"` : ''} useActiveDirectoryMapping="true" />`,
          '                        <authentication>',
          '                            <basicAuthentication enabled="false" />',
          '                            <clientCertAuthentication enabled="true" />',
          '                        </authentication>',
          '                    </security>',
          '                    <userIsolation mode="IsolateAllDirectories" />',
          '                </ftpServer>',
        );
      } else if (shape < 0.6) {
        // TLS on the server side only, basic authentication.
        lines.push(
          '                <ftpServer>',
          '                    <security>',
          `                        <ssl serverCertHash="${thumbprint(rand)}" controlChannelPolicy="SslAllow" dataChannelPolicy="SslAllow" />`,
          '                        <authentication>',
          '                            <basicAuthentication enabled="true" />',
          '                        </authentication>',
          '                    </security>',
          '                </ftpServer>',
        );
      } else if (shape < 0.85) {
        lines.push('                <ftpServer serverAutoStart="true" />');
      } else if (shape < 0.9) {
        // Hand-edited: tabs, single quotes, attributes on the same line as the end tag.
        lines.push(
          '                <ftpServer>',
          "\t\t\t\t\t<security><ssl controlChannelPolicy='SslAllow' /></security></ftpServer>",
        );
      }
      // Else: bare, no ftpServer element at all.
    }
    lines.push(`                <logFile directory="D:\\hosting\\${String(n).padStart(6, '0')}\\logs" />`);
    lines.push('            </site>');
  }
  lines.push(...footer());
  return { text: lines.join(NL), sites: options.sites, ftpSites, fullFtps, middleSite };
}
