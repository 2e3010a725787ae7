/**
 * A second generator of applicationHost.config files, shaped unlike the first (generate.ts) so
 * that the bench's figures do not depend on one file's shape: site names of 3 to 60 characters,
 * attributes in any order, sites with and without FTP blocks and bindings in any mix, comments
 * and blank lines in odd places (inside sites, between the elements of an FTP block, before end
 * tags), a few tabs and single quotes, CRLF throughout. Deterministic: the same options give the
 * same text, byte for byte.
 */
import { type GenerateOptions, type GeneratedConfig, prng } from './generate.js';

const NL = '\r\n';
const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789-._';
const POLICIES = ['CertIgnore', 'CertAllow', 'CertRequire'];
const esc = (v: string): string => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function generateVariedConfig(options: GenerateOptions): GeneratedConfig {
  const rand = prng(options.seed ?? 977);
  const pick = <T>(xs: ArrayLike<T>): T => xs[Math.floor(rand() * xs.length)]!;
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  };
  /** An element with its attributes in a random order, now and then in single quotes. */
  const el = (indent: string, name: string, attrs: [string, string][], close = ' />'): string => {
    const q = rand() < 0.03 ? "'" : '"';
    return `${indent}<${name}${shuffle(attrs).map(([k, v]) => ` ${k}=${q}${esc(v)}${q}`).join('')}${close}`;
  };
  const odd = (out: string[], indent: string): void => {
    const r = rand();
    if (r < 0.04) out.push('');
    else if (r < 0.06) out.push(`${indent}<!-- ${'note '.repeat(1 + Math.floor(rand() * 6))}-->`);
    else if (r < 0.065) out.push('', `${indent}<!--`, `${indent}    ticket ${Math.floor(rand() * 1e6)}`, `${indent}-->`, '');
  };
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<configuration>',
    '    <system.applicationHost>',
    '        <sites>',
    '            <!-- sites provisioned by several tools over the years -->',
    '            <siteDefaults>',
    '                <ftpServer>',
    '                    <security>',
    '                        <ssl controlChannelPolicy="SslAllow" dataChannelPolicy="SslAllow" />',
    '                    </security>',
    '                </ftpServer>',
    '            </siteDefaults>',
  ];
  let ftpSites = 0;
  let fullFtps = 0;
  let middleSite = '';
  const used = new Set<string>();
  for (let i = 0; i < options.sites; i++) {
    const len = 3 + Math.floor(rand() ** 2 * 58);
    let name = '';
    for (let k = 0; k < len; k++) name += pick(LETTERS);
    if (rand() < 0.01) name += ' & Co';
    while (used.has(name.toUpperCase())) name += pick(LETTERS);
    used.add(name.toUpperCase());
    const r = rand();
    const ftp = r < 0.55 || r > 0.85; // 55% FTP only, 30% web only, 15% both
    const web = r >= 0.55;
    if (ftp) ftpSites++;
    if (i >= options.sites / 2 && ftp && middleSite === '') middleSite = name;
    odd(lines, '            ');
    const siteAttrs: [string, string][] = [['name', name], ['id', String(i + 1)]];
    if (rand() < 0.5) siteAttrs.push(['serverAutoStart', rand() < 0.5 ? 'true' : 'false']);
    lines.push(el('            ', 'site', siteAttrs, '>'));
    odd(lines, '                ');
    lines.push(el('                ', 'application', [['path', '/'], ['applicationPool', web ? 'DefaultAppPool' : 'FtpPool']], '>'));
    lines.push(el('                    ', 'virtualDirectory', [['path', '/'], ['physicalPath', `D:\\sites\\${name.slice(0, 20)}`]]));
    lines.push('                </application>', '                <bindings>');
    const bindings: string[] = [];
    if (web) bindings.push(el('                    ', 'binding', [['protocol', 'http'], ['bindingInformation', `*:80:${name}.example.org`]]));
    if (ftp) bindings.push(el('                    ', 'binding', [['protocol', 'ftp'], ['bindingInformation', `*:${pick(['21', '990', '2121'])}:`]]));
    if (web && rand() < 0.4) bindings.push(el('                    ', 'binding', [['protocol', 'https'], ['bindingInformation', `*:443:${name}.example.org`], ['sslFlags', '1']]));
    lines.push(...shuffle(bindings), '                </bindings>');
    if (ftp) {
      const shape = rand();
      if (shape < 0.4) {
        fullFtps++;
        const block = [
          el('                        ', 'ssl', [['serverCertHash', Array.from({ length: 40 }, () => '0123456789ABCDEF'[Math.floor(rand() * 16)]).join('')], ['controlChannelPolicy', 'SslRequire'], ['dataChannelPolicy', 'SslRequire']]),
          el('                        ', 'sslClientCertificates', [['clientCertificatePolicy', pick(POLICIES)], ['useActiveDirectoryMapping', 'true'], ...(rand() < 0.3 ? [['revocationFreshnessTime', '00:30:00'] as [string, string]] : [])]),
          '                        <authentication>',
          ...(rand() < 0.5 ? ['                            <basicAuthentication enabled="false" />'] : []),
          '                            <clientCertAuthentication enabled="true" />',
          '                        </authentication>',
        ];
        lines.push('                <ftpServer>', '                    <security>');
        for (const b of block) {
          lines.push(b);
          odd(lines, '                        ');
        }
        lines.push('                    </security>', '                </ftpServer>');
      } else if (shape < 0.65) {
        lines.push('                <ftpServer>', '                    <security>');
        lines.push(el('                        ', 'ssl', [['controlChannelPolicy', 'SslAllow'], ['dataChannelPolicy', 'SslAllow']]));
        odd(lines, '                    ');
        lines.push('                    </security>', '                </ftpServer>');
      } else if (shape < 0.8) {
        lines.push(el('                ', 'ftpServer', [['serverAutoStart', 'true']]));
      } else if (shape < 0.85) {
        lines.push("\t\t\t\t<ftpServer><security><sslClientCertificates clientCertificatePolicy='CertAllow'/></security></ftpServer>");
      }
      // Else: an FTP binding and no ftpServer element at all.
    }
    if (rand() < 0.3) lines.push(el('                ', 'logFile', [['directory', `D:\\logs\\${i + 1}`], ['enabled', 'true']]));
    odd(lines, '                ');
    lines.push('            </site>');
  }
  lines.push('        </sites>', '    </system.applicationHost>', '</configuration>', '');
  return { text: lines.join(NL), sites: options.sites, ftpSites, fullFtps, middleSite };
}
