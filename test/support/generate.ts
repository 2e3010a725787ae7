/**
 * Generated configurations in the shape IIS writes (CRLF, four-space indentation, a comment per
 * site), as large as a test needs: the concurrency and crash tests work on many FTP sites and
 * on files of several megabytes.
 */
export interface GeneratedConfig {
  readonly text: string;
  readonly siteNames: readonly string[];
}

export const siteName = (i: number): string => `ftp-${String(i).padStart(5, '0')}`;

/** `sites` FTP sites, each with a full ssl and sslClientCertificates block; `padBytes` of comments make the file bigger. */
export function generateConfig(sites: number, options: { padBytes?: number; nl?: string } = {}): GeneratedConfig {
  const nl = options.nl ?? '\r\n';
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<configuration>', '    <system.applicationHost>', '        <sites>'];
  const names: string[] = [];
  for (let i = 1; i <= sites; i++) {
    const name = siteName(i);
    names.push(name);
    lines.push(
      `            <!-- ${name}: a generated FTP site -->`,
      `            <site name="${name}" id="${i + 1}">`,
      '                <application path="/">',
      `                    <virtualDirectory path="/" physicalPath="D:\\ftp\\${name}" />`,
      '                </application>',
      '                <bindings>',
      `                    <binding protocol="ftp" bindingInformation="*:${2100 + (i % 60000)}:" />`,
      '                </bindings>',
      '                <ftpServer>',
      '                    <security>',
      '                        <ssl serverCertHash="9f8e7d6c5b4a39281706f5e4d3c2b1a098765432" controlChannelPolicy="SslRequire" dataChannelPolicy="SslRequire" />',
      '                        <sslClientCertificates clientCertificatePolicy="CertAllow" />',
      '                    </security>',
      '                </ftpServer>',
      '            </site>',
    );
  }
  lines.push('            <siteDefaults>', '                <ftpServer serverAutoStart="true" />', '            </siteDefaults>', '        </sites>', '    </system.applicationHost>');
  const pad = options.padBytes ?? 0;
  const filler = 'padding to make the file as large as a busy server\'s applicationHost.config.';
  for (let n = 0; n < pad; n += filler.length + 15) lines.push(`    <!-- ${filler} -->`);
  lines.push('</configuration>', '');
  return { text: lines.join(nl), siteNames: names };
}
